"""Print what a user sees of reminders for a two-week plan, on a test clock (a demo, not a test).

    .venv/bin/python scripts/reminder_transcript.py [en|bn|th|ur]

Uses a scratch SQLite database in a temporary folder; the review chart is written next to it and its
path printed. The user taps Done, Skip, Done, Done, sends week 1's numbers in Latin digits and week
2's in the language's own.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.campaign.display import localize_digits
from bot.language.locales import load_locales
from bot.library.store import LibraryStore
from bot.replies import Incoming
from bot.storage.db import migrate
from bot.telegram.reminders import ReminderSender
from tests.reminders.conftest import USER, Clock, build_conversation, complete_plan
from tests.reminders.test_reminder_run import FakeBot, markup_data

ROOT = Path(__file__).resolve().parents[1]
TAPS = {1: 0, 2: 1, 3: 0, 4: 0}  # posting day -> button index (0 Done, 1 Skip); the rest left unmarked


def show(who: str, text: str, labels: list[str] = ()) -> None:
    print(f"{who}: " + re.sub(r"<[^>]+>", "", text).replace("\n", "\n      "))
    if labels:
        print("      [" + "] [".join(labels) + "]")


async def main(lang: str, folder: Path) -> None:
    url = f"sqlite:///{folder / 'demo.db'}"
    migrate(url)
    locales = load_locales(ROOT / "locales")
    conversation = build_conversation(url, locales, LibraryStore(ROOT / "locales", locales.codes), ROOT)
    start = (datetime.now(timezone.utc) + timedelta(hours=6)).date() + timedelta(days=1)
    plan_id = complete_plan(conversation, start)
    await conversation.handle(Incoming(USER, USER, button=f"l:{lang}", kind="button"))

    async def tap(data: str, label: str) -> None:
        print(f"user taps: {label}")
        for reply in await conversation.handle(Incoming(USER, USER, button=data, kind="button")):
            show("bot", reply.text, [b.label for row in reply.buttons for b in row][:4])

    async def say(text: str) -> None:
        print(f"user: {text}")
        for reply in await conversation.handle(Incoming(USER, USER, text=text)):
            show("bot", reply.text)

    offer = conversation.reminders.offer(plan_id, USER, lang)
    show("bot", offer.text, [b.label for row in offer.buttons for b in row])
    await tap(f"r:on:{plan_id}", offer.buttons[0][0].label)
    zone = locales.word_list(lang, "reminders.zones")[0]
    await tap(f"r:z:{plan_id}:{zone}", zone)

    bot, clock = FakeBot(), Clock(datetime.combine(start, time(0), tzinfo=timezone.utc) - timedelta(hours=1))
    sender = ReminderSender(conversation.reminders, conversation.s.reminders, clock=clock, per_second=1000)
    seen, posting_days, weeks = 0, 0, 0
    while clock.now < datetime.combine(start, time(0), tzinfo=timezone.utc) + timedelta(days=16):
        clock.now += timedelta(hours=1)
        await sender.send_due(bot)
        for message in bot.sent[seen:]:
            print(f"--- {clock.now:%a %d %b %H:%M} UTC")
            if message["kind"] == "photo":
                chart = folder / f"review-{lang}.png"
                chart.write_bytes(message["photo"])
                show("bot", f"[chart: {chart}] {message.get('caption') or ''}")
                continue
            markup = message.get("reply_markup")
            show("bot", message["text"], [b.text for row in markup.inline_keyboard for b in row] if markup else [])
            data = markup_data(message)
            if data and data[0].startswith("r:d:"):
                posting_days += 1
                if posting_days in TAPS:
                    await tap(data[TAPS[posting_days]], ["✅", "⏭"][TAPS[posting_days]])
            elif data and data[0].startswith("r:n:"):
                weeks += 1
                await say("1200 45" if weeks == 1 else localize_digits("3400 90", locales, lang))
        seen = len(bot.sent)


if __name__ == "__main__":
    language = sys.argv[1] if len(sys.argv) > 1 else "en"
    asyncio.run(main(language, Path(tempfile.mkdtemp(prefix="reminders-"))))
