"""The anonymous log of questions the library did not answer well, and the gap report built from it."""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import QuestionLog

KINDS = ("unanswered", "low_confidence", "thumbs_down")
REDACTED = "[…]"  # what stands where an e-mail, a phone number or an @name was
IDENTIFYING = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?:https?://)?(?:t\.me|telegram\.me)/\S+"  # links to a Telegram account
    r"|@\w{3,}"  # @usernames
    r"|\+?\d(?:[\s().-]?\d){6,}",  # phone numbers, Telegram ids: 7 digits or more
    re.IGNORECASE,
)


class QuestionRepository:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def record(self, *, kind: str, text: str, language: str, section_guess: str | None, best_guess: str | None) -> None:
        """Keep the question, never who asked it: e-mail addresses, phone numbers and @names in it are
        blanked before it is stored."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        with self._sessions.begin() as session:
            session.add(
                QuestionLog(kind=kind, text=scrub(text[:2000]), language=language, section_guess=section_guess, best_guess=best_guess)
            )

    def asked_between(self, *, since: date, until: date) -> list[QuestionLog]:
        """Questions logged from the start of `since` to the end of `until` (UTC days)."""
        start = datetime.combine(since, time.min, tzinfo=timezone.utc)
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=timezone.utc)
        with self._sessions() as session:
            query = select(QuestionLog).where(QuestionLog.created_at >= start, QuestionLog.created_at < end)
            return list(session.execute(query.order_by(QuestionLog.id)).scalars())

    def all(self) -> list[QuestionLog]:
        with self._sessions() as session:
            return list(session.execute(select(QuestionLog).order_by(QuestionLog.id)).scalars())


def scrub(text: str) -> str:
    """Blank out what could identify a person in a logged question."""
    return IDENTIFYING.sub(REDACTED, text)


def write_gap_report(rows: list[QuestionLog], out_dir: Path) -> list[Path]:
    """One CSV per language: question, how often it was asked, kinds, and the bot's best guess."""
    out_dir.mkdir(parents=True, exist_ok=True)
    grouped: dict[str, Counter[tuple[str, str, str]]] = {}
    kinds: dict[tuple[str, str, str, str], set[str]] = {}
    for row in rows:
        key = (" ".join(scrub(row.text).lower().split()), row.section_guess or "", row.best_guess or "")
        grouped.setdefault(row.language, Counter())[key] += 1
        kinds.setdefault((row.language, *key), set()).add(row.kind)
    written = []
    for language, counter in sorted(grouped.items()):
        path = out_dir / f"gaps-{language}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["question", "count", "kinds", "section_guess", "best_guess"])
            for (question, section, guess), count in counter.most_common():
                writer.writerow([question, count, " ".join(sorted(kinds[(language, question, section, guess)])), section, guess])
        written.append(path)
    return written
