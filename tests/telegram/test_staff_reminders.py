"""Staff get one reminder in a user's topic when the user has waited longer than the promise."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from bot import handoff as rules
from bot.storage.db import make_engine, make_sessions, migrate
from bot.storage.handoffs import HandoffRepository
from bot.telegram.staff import StaffGroup

STAFF = -1001234567890


class RecordingBot:
    def __init__(self) -> None:
        self.sent: list[tuple[int, str, int | None]] = []

    async def send_message(self, chat_id: int, text: str, message_thread_id: int | None = None, **_: object) -> None:
        self.sent.append((chat_id, text, message_thread_id))


async def test_one_reminder_per_wait_past_the_promise(sqlite_url: str, locales) -> None:
    migrate(sqlite_url)
    handoffs = HandoffRepository(make_sessions(make_engine(sqlite_url)))
    now = datetime.now(timezone.utc)
    late, _ = handoffs.open(user_id=1, language="bn", return_to={}, state=rules.opened(now - timedelta(hours=5)))
    fresh, _ = handoffs.open(user_id=2, language="th", return_to={}, state=rules.opened(now - timedelta(minutes=5)))
    for record, topic in ((late, 901), (fresh, 902)):
        handoffs.set_topic(handoff_id=record.id, topic_id=topic)
    services = SimpleNamespace(handoffs=handoffs, locales=locales, staff=SimpleNamespace(reply_minutes=240))
    staff = StaffGroup(SimpleNamespace(s=services), worker=None, staff_chat_id=STAFF)
    bot = RecordingBot()

    await staff._remind_once(bot, timedelta(hours=4))
    await staff._remind_once(bot, timedelta(hours=4))
    assert len(bot.sent) == 1, "once per wait, not every minute"
    chat_id, text, topic = bot.sent[0]
    assert (chat_id, topic) == (STAFF, 901) and locales.text("en", "staff.hours", n=5, m=0) in text
