"""The weekly digest: on Monday mornings, last week's /stats figures and gap report, sent to staff.

It goes to the staff group (STAFF_CHAT_ID) in the staff's language, or else to each admin
(ADMIN_TELEGRAM_IDS) in theirs: the /stats chart and lines for the seven days to Sunday, and the
week's gap report as one CSV. Counts only, as /stats: no user ids. The CSV holds the questions the
library did not answer well, which were logged without who asked; anything in them that could still
point at a person (e-mail, @name, t.me link, a long number such as a phone or an id) is blanked out.
With several replicas, only the first to claim the week sends it.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from telegram import Bot
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes, Job

from bot.language.locales import Locales
from bot.library.model import Library
from bot.replies import Document, Reply
from bot.settings import Settings
from bot.stats_chart import chart_png
from bot.stats_report import stats_lines
from bot.storage.models import QuestionLog
from bot.storage.questions import scrub, write_gap_report
from bot.storage.stats import Summary
from bot.telegram.render import send_reply
from bot.telegram.staff import STAFF_LANGUAGE
from bot.views import Services

log = logging.getLogger(__name__)

MONDAY = 1  # python-telegram-bot counts the days of the week from Sunday = 0
WEEK = 7
SENT = "digest_sent"  # daily_counts metric: this Monday's digest was claimed by one process
GAP_COLUMNS = ("language", "question", "count", "kinds", "section_guess", "best_guess")


@dataclass(frozen=True)
class Digest:
    """One recipient's digest: text in their language, the chart, the gap report."""

    text: str
    chart: bytes
    gaps_csv: bytes
    gaps: int  # rows in the CSV: distinct questions
    filename: str
    gaps_caption: str
    rtl: bool = False

    def replies(self) -> list[Reply]:
        """The chart with the lines as its caption, then the CSV (none in a week with no gaps)."""
        chart = Reply(self.text, photo=self.chart, rtl=self.rtl)
        if not self.gaps:
            return [chart]
        return [chart, Reply(document=Document(self.filename, self.gaps_csv, self.gaps_caption), rtl=self.rtl)]


def last_week(today: date) -> tuple[date, date]:
    """The seven days before `today`: on a Monday, Monday to Sunday."""
    return today - timedelta(days=WEEK), today - timedelta(days=1)


def build_digest(summary: Summary, until: date, questions: list[QuestionLog], lang: str, locales: Locales, library: Library) -> Digest:
    """The digest for one language, from the week's summary and logged questions (pure: no I/O)."""
    gaps_csv, gaps = gap_csv(questions)
    lines = [locales.text(lang, "digest.title", start=summary.since.isoformat(), end=until.isoformat())]
    lines += stats_lines(summary, lang, locales, library)
    if not gaps:
        lines.append(locales.text(lang, "digest.no_gaps"))
    return Digest(
        text="\n".join(lines),
        chart=chart_png(summary, until, locales.codes),
        gaps_csv=gaps_csv,
        gaps=gaps,
        filename=f"gaps-{summary.since.isoformat()}-{until.isoformat()}.csv",
        gaps_caption=locales.text(lang, "digest.gaps", count=gaps),
        rtl=locales.languages[lang].direction == "rtl",
    )


def gap_csv(questions: list[QuestionLog]) -> tuple[bytes, int]:
    """The gap report (`python -m bot gap-report`) as one CSV, a language column first, and how many
    rows it has. Built by the same code as the report, so the two never disagree. UTF-8 with a BOM,
    so spreadsheet programs show Bengali, Thai and Urdu correctly."""
    scrubbed = [
        QuestionLog(kind=q.kind, text=scrub(q.text), language=q.language, section_guess=q.section_guess, best_guess=q.best_guess)
        for q in questions
    ]
    out, count = io.StringIO(), 0
    writer = csv.writer(out)
    writer.writerow(GAP_COLUMNS)
    with tempfile.TemporaryDirectory() as folder:
        for path in write_gap_report(scrubbed, Path(folder)):
            with path.open(newline="", encoding="utf-8") as handle:
                rows = csv.reader(handle)
                assert tuple(next(rows)) == GAP_COLUMNS[1:], "the gap report's columns changed: update GAP_COLUMNS"
                for row in rows:
                    writer.writerow([path.stem.removeprefix("gaps-"), *row])
                    count += 1
    return ("\ufeff" + out.getvalue()).encode("utf-8"), count


class WeeklyDigest:
    """Builds and sends the digest; `send` is what the job queue runs."""

    def __init__(
        self,
        services: Services,
        staff_chat_id: int | None,
        admin_ids: frozenset[int],
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        assert services.stats is not None, "the digest needs the daily counts"
        self.s = services
        self.stats = services.stats
        self.staff_chat_id = staff_chat_id
        self.admin_ids = admin_ids
        self.clock = clock

    def recipients(self) -> list[tuple[int, str]]:
        """The staff group in the staff's language, or else each admin in the language they use."""
        if self.staff_chat_id is not None:
            return [(self.staff_chat_id, STAFF_LANGUAGE)]
        chosen = {admin: self.s.users.language_of(user_id=admin) for admin in sorted(self.admin_ids)}
        return [(admin, lang if self.s.locales.supports(lang) else STAFF_LANGUAGE) for admin, lang in chosen.items()]

    async def send(self, bot: Bot) -> int:
        """Send last week's digest once (the first process to claim today wins); returns how many
        chats got it."""
        today = self.clock().date()
        if not await asyncio.to_thread(self.stats.claim, day=today, metric=SENT):
            log.info("Weekly digest: already sent today (by this or another process)")
            return 0
        since, until = last_week(today)
        summary = await asyncio.to_thread(self.stats.summary, since=since, until=until)
        questions = await asyncio.to_thread(self.s.questions.asked_between, since=since, until=until)
        digests: dict[str, Digest] = {}
        sent = 0
        for chat_id, lang in await asyncio.to_thread(self.recipients):
            if lang not in digests:
                library = self.s.library.library
                digests[lang] = await asyncio.to_thread(build_digest, summary, until, questions, lang, self.s.locales, library)
            sent += await _send(bot, chat_id, digests[lang])
        log.info("Weekly digest for %s – %s sent to %d chat(s)", since, until, sent)
        return sent

    async def on_schedule(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self.send(context.bot)
        except Exception as error:  # a database hiccup must not take the job queue down; next week tries again
            log.warning("Weekly digest failed (%s: %s)", type(error).__name__, error)


async def _send(bot: Bot, chat_id: int, digest: Digest) -> int:
    try:
        for reply in digest.replies():
            await send_reply(bot, chat_id, reply)
    except Forbidden:
        log.info("Weekly digest: chat %s has not started the bot or blocked it; not sent there", chat_id)
        return 0
    except TelegramError as error:
        log.warning("Weekly digest: could not send to chat %s (%s)", chat_id, error)
        return 0
    return 1


def schedule_weekly_digest(application: Application, services: Services, settings: Settings) -> Job | None:
    """Every Monday at DIGEST_HOUR (UTC), in PTB's job queue; None when it is off or has nobody to go to."""
    if settings.digest_hour is None or services.stats is None:
        return None
    if settings.staff_chat_id is None and not settings.admin_telegram_ids:
        log.info("No STAFF_CHAT_ID or ADMIN_TELEGRAM_IDS: no weekly digest")
        return None
    if application.job_queue is None:
        log.warning("No job queue (python-telegram-bot[job-queue] missing): no weekly digest")
        return None
    digest = WeeklyDigest(services, settings.staff_chat_id, settings.admin_telegram_ids)
    at = time(settings.digest_hour, tzinfo=timezone.utc)
    return application.job_queue.run_daily(digest.on_schedule, time=at, days=(MONDAY,), name="weekly-digest")
