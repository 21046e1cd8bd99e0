"""The weekly digest: last week's /stats figures and gap report, to the staff group or else the admins,
with no user ids and nothing that points at a person. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import update
from telegram.error import Forbidden
from telegram.ext import Application

from bot.settings import Settings
from bot.storage.campaigns import CampaignRepository
from bot.storage.models import QuestionLog
from bot.storage.questions import QuestionRepository, scrub
from bot.storage.stats import ACTIVE, QUESTIONS, StatsRepository
from bot.storage.users import UserRepository
from bot.telegram.digest import GAP_COLUMNS, WeeklyDigest, build_digest, last_week, schedule_weekly_digest

STAFF = -1001234567890
BENGALI_ADMIN, NEW_ADMIN, BLOCKED_ADMIN = 7_000_000_001, 8_000_000_002, 9_000_000_003
ASKER = 6_123_456_789  # a user who asked questions: never in the digest
PNG = b"\x89PNG\r\n\x1a\n"
TODAY = date.today()
MONDAY = TODAY + timedelta(days=7 - TODAY.weekday())  # the next Monday: rows written now fall in "last week"
SINCE, UNTIL = last_week(MONDAY)
OUTSIDE_THE_WEEK = ((SINCE - timedelta(days=1), "bn", 50), (MONDAY, "en", 70))  # questions counted the days around it
PRIVATE_QUESTION = f"Is this fake? My id is {ASKER}, call +880 1712-345678 or write rahim@example.org, @rahim_bd"


class RecordingBot:
    """Stands in for telegram.Bot: records what would be sent; refuses chats that blocked the bot."""

    def __init__(self, blocked: frozenset[int] = frozenset()) -> None:
        self.calls: list[tuple[str, int, dict[str, Any]]] = []
        self.blocked = blocked

    async def _record(self, method: str, chat_id: int, **fields: Any) -> SimpleNamespace:
        if chat_id in self.blocked:
            raise Forbidden("Forbidden: bot was blocked by the user")
        self.calls.append((method, chat_id, fields))
        return SimpleNamespace(message_id=len(self.calls))

    async def send_photo(self, chat_id: int, photo: Any, caption: str | None = None, **kw: Any) -> SimpleNamespace:
        return await self._record("send_photo", chat_id, photo=photo.input_file_content, caption=caption, **kw)

    async def send_document(self, chat_id: int, document: Any, caption: str | None = None, **kw: Any) -> SimpleNamespace:
        content = document.input_file_content
        return await self._record("send_document", chat_id, document=content, filename=document.filename, caption=caption, **kw)

    async def send_message(self, chat_id: int, text: str, **kw: Any) -> SimpleNamespace:
        return await self._record("send_message", chat_id, text=text, **kw)

    def to(self, chat_id: int) -> list[tuple[str, dict[str, Any]]]:
        return [(method, fields) for method, chat, fields in self.calls if chat == chat_id]


def seed(sessions) -> None:
    """A week of use, plus things from before and after it that the digest must leave out."""
    users, stats, questions = UserRepository(sessions), StatsRepository(sessions), QuestionRepository(sessions)
    users.set_language(user_id=BENGALI_ADMIN, language="bn", manual=True)
    users.set_language(user_id=ASKER, language="bn", manual=False)
    for day, language, n in ((SINCE, "bn", 4), (UNTIL, "th", 2), (UNTIL, "ur", 1), *OUTSIDE_THE_WEEK):
        stats.increment(day=day, language=language, metric=QUESTIONS, by=n)
    stats.increment(day=SINCE, language="bn", metric=ACTIVE, by=3)
    stats.increment(day=UNTIL, language="bn", metric="answered", key="misinformation", by=4)
    stats.increment(day=UNTIL, language="th", metric="not_covered", by=1)
    stats.increment(day=UNTIL, language="en", metric="vote_down", key="mi-verify", by=2)
    CampaignRepository(sessions).create(user_id=ASKER, draft={"name": "Week of truth", "answers": {}, "status": "complete"})
    for text in (PRIVATE_QUESTION, "what is a deepfake", "What is  a DEEPFAKE"):
        questions.record(kind="unanswered", text=text, language="en", section_guess="misinformation", best_guess=None)
    questions.record(kind="low_confidence", text="ডিপফেক কী", language="bn", section_guess=None, best_guess="mi-verify")
    questions.record(kind="unanswered", text="asked long ago", language="en", section_guess=None, best_guess=None)
    with sessions.begin() as session:
        old = datetime.combine(SINCE - timedelta(days=3), time(12), tzinfo=timezone.utc)
        session.execute(update(QuestionLog).where(QuestionLog.text == "asked long ago").values(created_at=old))


def services_for(sessions, locales, library_store) -> SimpleNamespace:
    return SimpleNamespace(
        stats=StatsRepository(sessions),
        users=UserRepository(sessions),
        questions=QuestionRepository(sessions),
        locales=locales,
        library=library_store,
    )


def digest_for(sessions, locales, library_store, staff: int | None, admins: frozenset[int]) -> WeeklyDigest:
    clock = lambda: datetime.combine(MONDAY, time(3), tzinfo=timezone.utc)
    return WeeklyDigest(services_for(sessions, locales, library_store), staff, admins, clock=clock)


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode()), "a BOM, so spreadsheets read the scripts right"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def assert_nobody_identifiable(*texts: str) -> None:
    for text in texts:
        for secret in (str(ASKER), str(BENGALI_ADMIN), "1712", "345678", "rahim@example.org", "@rahim_bd"):
            assert secret not in text, f"{secret!r} leaked into: {text[:200]}"


async def test_the_staff_group_gets_the_chart_the_figures_and_the_gap_report(sessions, locales, library_store) -> None:
    seed(sessions)
    bot = RecordingBot()

    sent = await digest_for(sessions, locales, library_store, STAFF, frozenset({BENGALI_ADMIN})).send(bot)

    assert sent == 1 and {chat for _, chat, _ in bot.calls} == {STAFF}, "the staff group instead of the admins"
    (photo_call, photo), (document_call, document) = bot.to(STAFF)
    assert (photo_call, document_call) == ("send_photo", "send_document")
    assert photo["photo"].startswith(PNG)
    caption = photo["caption"]
    assert caption.splitlines()[0] == locales.text("en", "digest.title", start=SINCE.isoformat(), end=UNTIL.isoformat())
    assert "Questions: 7 (English 0, বাংলা 4, ไทย 2, اردو 1)" in caption, "only last week's days count"
    assert locales.text("en", "stats.outcomes", answered=80, suggested=0, not_covered=20) in caption
    assert locales.text("en", "stats.plans", started=1, finished=1) in caption
    assert "👎2" in caption

    rows = read_csv(document["document"])
    assert document["filename"] == f"gaps-{SINCE.isoformat()}-{UNTIL.isoformat()}.csv"
    assert rows[0] == ["language", "question", "count", "kinds", "section_guess", "best_guess"] == list(GAP_COLUMNS)
    assert ["en", "what is a deepfake", "2", "unanswered", "misinformation", ""] in rows
    assert ["bn", "ডিপফেক কী", "1", "low_confidence", "", "mi-verify"] in rows
    assert not any("long ago" in row[1] for row in rows), "questions from before the week are left out"
    assert document["caption"] == locales.text("en", "digest.gaps", count=len(rows) - 1)
    assert_nobody_identifiable(caption, document["caption"], document["document"].decode("utf-8-sig"))


async def test_without_a_staff_group_each_admin_gets_it_in_their_language(sessions, locales, library_store) -> None:
    seed(sessions)
    bot = RecordingBot(blocked=frozenset({BLOCKED_ADMIN}))
    admins = frozenset({BENGALI_ADMIN, NEW_ADMIN, BLOCKED_ADMIN})

    sent = await digest_for(sessions, locales, library_store, None, admins).send(bot)

    assert sent == 2, "an admin who blocked the bot is skipped, the others still get it"
    for admin, lang in ((BENGALI_ADMIN, "bn"), (NEW_ADMIN, "en")):
        (_, photo), (_, document) = bot.to(admin)
        assert photo["caption"].startswith(locales.text(lang, "digest.title", start=SINCE.isoformat(), end=UNTIL.isoformat()))
        assert photo["photo"].startswith(PNG) and read_csv(document["document"])[0] == list(GAP_COLUMNS)
        assert document["caption"] == locales.text(lang, "digest.gaps", count=len(read_csv(document["document"])) - 1)
        assert_nobody_identifiable(photo["caption"], document["document"].decode("utf-8-sig"))


async def test_it_is_sent_once_a_week_however_many_processes_run_it(sessions, locales, library_store) -> None:
    seed(sessions)
    first, second = RecordingBot(), RecordingBot()
    assert await digest_for(sessions, locales, library_store, STAFF, frozenset()).send(first) == 1
    assert await digest_for(sessions, locales, library_store, STAFF, frozenset()).send(second) == 0
    assert first.calls and not second.calls


async def test_a_quiet_week_says_so_and_attaches_no_empty_report(sessions, locales, library_store) -> None:
    bot = RecordingBot()
    assert await digest_for(sessions, locales, library_store, STAFF, frozenset()).send(bot) == 1
    [(method, photo)] = bot.to(STAFF)
    assert method == "send_photo" and photo["photo"].startswith(PNG)
    assert locales.text("en", "digest.no_gaps") in photo["caption"]
    assert "Questions: 0" in photo["caption"]


def test_build_digest_is_pure_and_speaks_the_recipients_language(locales, library_store) -> None:
    from bot.storage.stats import Summary

    summary = Summary(since=SINCE, plans_started=2)
    question = QuestionLog(kind="unanswered", text=PRIVATE_QUESTION, language="ur", section_guess=None, best_guess=None)
    digest = build_digest(summary, UNTIL, [question], "ur", locales, library_store.library)
    assert digest.rtl and digest.text.startswith(locales.text("ur", "digest.title", start=SINCE.isoformat(), end=UNTIL.isoformat()))
    assert locales.text("ur", "stats.plans", started=2, finished=0) in digest.text
    assert digest.chart.startswith(PNG) and digest.gaps == 1
    [reply_chart, reply_csv] = digest.replies()
    assert reply_chart.photo == digest.chart and reply_csv.document is not None and reply_csv.document.content == digest.gaps_csv
    assert_nobody_identifiable(digest.gaps_csv.decode("utf-8-sig"))


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("write to rahim@example.org", "write to […]"),
        ("ask @rahim_bd or t.me/rahim_bd", "ask […] or […]"),
        ("call +880 1712-345678 today", "call […] today"),
        (f"my id {ASKER}", "my id […]"),
        ("is the 2024 video real? 1,000 shares", "is the 2024 video real? 1,000 shares"),
    ],
)
def test_what_could_point_at_a_person_is_blanked_out(text: str, kept: str) -> None:
    assert scrub(text) == kept


def test_scheduled_for_monday_at_the_configured_hour_in_utc() -> None:
    application = Application.builder().token("123:TEST").build()
    services = SimpleNamespace(stats=object())
    job = schedule_weekly_digest(application, services, Settings(staff_chat_id=STAFF, digest_hour=4))
    assert job is not None and job.name == "weekly-digest"
    fire = job.job.trigger.get_next_fire_time(None, datetime(2026, 12, 2, 12, tzinfo=timezone.utc))  # a Wednesday
    assert fire == datetime(2026, 12, 7, 4, tzinfo=timezone.utc), "the next Monday, 04:00 UTC"


@pytest.mark.parametrize(
    "settings",
    [Settings(staff_chat_id=STAFF, digest_hour=None), Settings()],
    ids=["DIGEST_HOUR=off", "no staff group and no admins"],
)
def test_not_scheduled_when_off_or_with_nobody_to_send_it_to(settings: Settings) -> None:
    application = Application.builder().token("123:TEST").build()
    assert schedule_weekly_digest(application, SimpleNamespace(stats=object()), settings) is None
    assert not application.job_queue.jobs()
