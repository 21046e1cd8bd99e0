"""Reminders from the offer to the review: a test clock runs a two-week plan through the scheduler,
with a restart in the middle, over SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta, timezone
from typing import Any

import pytest
from telegram.error import Forbidden

from bot.replies import Incoming
from bot.telegram.reminders import ReminderSender
from tests.reminders.conftest import USER, Clock, build_conversation, complete_plan

PNG = b"\x89PNG\r\n\x1a\n"


class FakeBot:
    """Records what would reach Telegram; `blocked` users raise Forbidden like the Bot API's 403."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.blocked: set[int] = set()

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> object:
        return self._record("message", chat_id, text=text, **kwargs)

    async def send_photo(self, chat_id: int, photo: Any, **kwargs: Any) -> object:
        return self._record("photo", chat_id, photo=photo.input_file_content, **kwargs)

    def _record(self, kind: str, chat_id: int, **fields: Any) -> object:
        if chat_id in self.blocked:
            raise Forbidden("Forbidden: bot was blocked by the user")
        self.sent.append({"kind": kind, "chat_id": chat_id, **fields})
        return object()

    def texts(self, containing: str = "") -> list[str]:
        return [m["text"] for m in self.sent if m["kind"] == "message" and containing in m["text"]]


def buttons(reply) -> list[str]:
    return [button.data for row in reply.buttons for button in row]


def markup_data(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup")
    return [button.callback_data for row in markup.inline_keyboard for button in row] if markup else []


async def press(conversation, data: str, user: int = USER):
    return await conversation.handle(Incoming(user, user, button=data, kind="button", language_code="en"))


async def say(conversation, text: str, user: int = USER):
    return await conversation.handle(Incoming(user, user, text=text, language_code="en"))


async def switch_on(conversation, plan_id: int, zone: str = "Asia/Dhaka") -> str:
    [zones] = await press(conversation, f"r:on:{plan_id}")
    assert f"r:z:{plan_id}:Asia/Dhaka" in buttons(zones) and f"r:z:{plan_id}:Asia/Bangkok" in buttons(zones)
    [on] = await press(conversation, f"r:z:{plan_id}:{zone}")
    return on.text


async def run_until(sender: ReminderSender, bot: FakeBot, clock: Clock, until: datetime, step: timedelta = timedelta(hours=1)) -> None:
    while clock.now < until:
        clock.now += step
        await sender.send_due(bot)


async def test_two_weeks_of_reminders_survive_a_restart_and_end_in_a_review(db_url, locales, library_store, root, start_day) -> None:
    conversation = build_conversation(db_url, locales, library_store, root)
    plan_id = complete_plan(conversation, start_day)
    on = await switch_on(conversation, plan_id)
    assert "6 posting days" in on and "2 weekly check-ins" in on and "Bangladesh" in on

    bot, clock = FakeBot(), Clock(datetime.combine(start_day, time(0), tzinfo=timezone.utc) - timedelta(hours=1))
    sender = ReminderSender(conversation.reminders, conversation.s.reminders, clock=clock, per_second=1000)
    await run_until(sender, bot, clock, clock.now + timedelta(days=6, hours=14))  # week 1 and its check-in (19:00 in Dhaka)
    week_one = bot.texts("Today")
    assert len(week_one) == 3 and "Week 1: Introduce your message" in week_one[0] and "Facebook · Short video" in week_one[0]
    first, second = [m for m in bot.sent if "Today" in m.get("text", "")][:2]
    [done] = await press(conversation, markup_data(first)[0])  # ✅ Done
    [skipped] = await press(conversation, markup_data(second)[1])  # ⏭ Skip
    assert done.edit and "Well done" in done.text and skipped.edit and "Skipped" in skipped.text
    [check_in] = bot.texts("How did it go?")
    assert "1. Reach" in check_in and "2. Shares" in check_in
    [saved] = await say(conversation, "1200 45")
    assert "Saved for week 1" in saved.text and "1,200" in saved.text

    # the bot restarts: a new process, the same database; nothing is sent twice
    conversation = build_conversation(db_url, locales, library_store, root)
    sender = ReminderSender(conversation.reminders, conversation.s.reminders, clock=clock, per_second=1000)
    await sender.send_due(bot)
    assert len(bot.texts("Today")) == 3
    await run_until(sender, bot, clock, clock.now + timedelta(days=7))  # week 2 and its check-in
    assert len(bot.texts("Today")) == 6 and len(bot.texts("How did it go?")) == 2
    [wrong] = await say(conversation, "1 2 3")
    assert "I need 2 numbers" in wrong.text
    await say(conversation, "৩৪০০ ৯০")  # Bengali digits count too
    await run_until(sender, bot, clock, clock.now + timedelta(days=1, hours=12))  # the morning after: the review

    photos = [m for m in bot.sent if m["kind"] == "photo"]
    assert len(photos) == 1 and photos[0]["photo"].startswith(PNG)
    [review] = bot.texts("is over")
    assert "1 done, 1 skipped, 4 not marked, of 6" in review and "Reach: 1,200 → 3,400" in review and "Shares: 45 → 90" in review
    assert any(data.startswith("a:") for data in markup_data(next(m for m in bot.sent if "is over" in m.get("text", ""))))
    assert conversation.s.reminders.numbers(plan_id=conversation.s.reminders.plan_for_campaign(campaign_id=plan_id, user_id=USER).id) == {
        "reach": {1: 1200.0, 2: 3400.0},
        "shares": {1: 45.0, 2: 90.0},
    }
    count = len(bot.sent)
    await run_until(sender, bot, clock, clock.now + timedelta(days=3))
    assert len(bot.sent) == count  # nothing after the review


async def test_two_replicas_sending_at_once_send_each_reminder_once(db_url, locales, library_store, root, start_day) -> None:
    conversation = build_conversation(db_url, locales, library_store, root)
    await switch_on(conversation, complete_plan(conversation, start_day))
    other = build_conversation(db_url, locales, library_store, root)
    bot, clock = FakeBot(), Clock(datetime.combine(start_day, time(3), tzinfo=timezone.utc))  # 09:00 in Dhaka
    senders = [ReminderSender(c.reminders, c.s.reminders, clock=clock, per_second=1000) for c in (conversation, other)]
    await asyncio.gather(*(sender.send_due(bot) for sender in senders))
    assert len(bot.texts("Today")) == 1


async def test_a_user_who_blocked_the_bot_is_stopped_cleanly(db_url, locales, library_store, root, start_day) -> None:
    conversation = build_conversation(db_url, locales, library_store, root)
    plan_id = complete_plan(conversation, start_day)
    await switch_on(conversation, plan_id)
    bot, clock = FakeBot(), Clock(datetime.combine(start_day, time(3), tzinfo=timezone.utc))
    bot.blocked.add(USER)
    sender = ReminderSender(conversation.reminders, conversation.s.reminders, clock=clock, per_second=1000)
    await sender.send_due(bot)
    plan = conversation.s.reminders.plan_for_campaign(campaign_id=plan_id, user_id=USER)
    assert plan.status == "blocked" and conversation.s.reminders.counts(plan_id=plan.id) == {}


async def test_pause_resume_stop_and_the_time_zone_from_reminders(conversation, start_day) -> None:
    plan_id = complete_plan(conversation, start_day)
    await switch_on(conversation, plan_id, zone="Asia/Bangkok")
    [listing] = await say_command(conversation, "reminders")
    assert "Neighbours Together" in listing.text and "Thailand" in listing.text
    reminder_plan = conversation.s.reminders.plan_for_campaign(campaign_id=plan_id, user_id=USER)
    [paused] = await press(conversation, f"r:p:{reminder_plan.id}")
    assert "paused" in paused.text
    bot, clock = FakeBot(), Clock(datetime.combine(start_day, time(4), tzinfo=timezone.utc))
    await ReminderSender(conversation.reminders, conversation.s.reminders, clock=clock, per_second=1000).send_due(bot)
    assert bot.sent == []  # paused: nothing goes out
    [zones] = await press(conversation, f"r:tz:{reminder_plan.id}")
    [changed] = await press(conversation, f"r:c:{reminder_plan.id}:Asia/Karachi")
    assert "Pakistan" in changed.text and "r:c:" in "".join(buttons(zones))
    [resumed] = await press(conversation, f"r:r:{reminder_plan.id}")
    assert "on again" in resumed.text
    [stopped] = await press(conversation, f"r:x:{reminder_plan.id}")
    assert "stopped" in stopped.text and conversation.s.reminders.counts(plan_id=reminder_plan.id) == {}
    [nothing] = await say_command(conversation, "reminders")
    assert "no reminders" in nothing.text


async def test_the_time_zone_is_asked_once(conversation, start_day) -> None:
    await switch_on(conversation, complete_plan(conversation, start_day))
    second = complete_plan(conversation, start_day, name="Second plan")
    [on] = await press(conversation, f"r:on:{second}")
    assert "Reminders are on" in on.text and "Bangladesh" in on.text


async def test_another_users_plan_or_a_forged_job_has_expired(conversation, locales, start_day) -> None:
    plan_id = complete_plan(conversation, start_day, user_id=999)
    for data in (f"r:on:{plan_id}", "r:d:123456", "r:p:77", f"r:z:{plan_id}:Asia/Dhaka"):
        [reply] = await press(conversation, data)
        assert reply.text == locales.text("en", "stale_button"), data


async def test_a_question_with_a_number_during_a_check_in_goes_on(db_url, locales, library_store, root, start_day) -> None:
    conversation = build_conversation(db_url, locales, library_store, root)
    await switch_on(conversation, complete_plan(conversation, start_day))
    bot, clock = FakeBot(), Clock(datetime.combine(start_day + timedelta(days=6), time(13), tzinfo=timezone.utc))
    await ReminderSender(conversation.reminders, conversation.s.reminders, clock=clock, per_second=1000).send_due(bot)
    assert bot.texts("How did it go?")
    replies = await say(conversation, "how do we get 1000 followers on tiktok quickly")
    assert not any("numbers" in reply.text.lower() for reply in replies)  # went on to the engine


async def test_deleting_the_plan_or_forgetting_removes_its_reminders(conversation, start_day) -> None:
    plan_id = complete_plan(conversation, start_day)
    await switch_on(conversation, plan_id)
    await press(conversation, f"p:xx:{plan_id}")
    assert conversation.s.reminders.plans_of(user_id=USER) == []
    await switch_on(conversation, complete_plan(conversation, start_day))
    await press(conversation, "g:yes")
    assert conversation.s.reminders.plans_of(user_id=USER) == []
    assert conversation.s.personal.rows_about(user_id=USER)["reminder_plans"] == 0


async def say_command(conversation, command: str):
    return await conversation.handle(Incoming(USER, USER, command=command, kind="command", language_code="en"))


@pytest.mark.parametrize("lang", ["bn", "th", "ur"])
async def test_reminders_speak_the_users_language(conversation, locales, start_day, lang: str) -> None:
    plan_id = complete_plan(conversation, start_day)
    await conversation.handle(Incoming(USER, USER, button=f"l:{lang}", kind="button"))
    [zones] = await press(conversation, f"r:on:{plan_id}")
    assert zones.text == locales.text(lang, "reminders.zone_question")
    first_zone = locales.word_list(lang, "reminders.zones")[0]
    assert buttons(zones)[0] == f"r:z:{plan_id}:{first_zone}"  # the language's likely zone first


async def test_many_reminders_due_at_once_are_paced_under_telegrams_limit(db_url, locales, library_store, root, start_day) -> None:
    conversation = build_conversation(db_url, locales, library_store, root)
    users = range(5000, 5012)
    for user in users:
        plan_id = complete_plan(conversation, start_day, user_id=user)
        await press(conversation, f"r:on:{plan_id}", user=user)
        await press(conversation, f"r:z:{plan_id}:Asia/Dhaka", user=user)
    bot, clock = FakeBot(), Clock(datetime.combine(start_day, time(3), tzinfo=timezone.utc))
    sender = ReminderSender(conversation.reminders, conversation.s.reminders, clock=clock, per_second=40)
    loop = asyncio.get_running_loop()
    began = loop.time()
    assert await sender.send_due(bot) == len(users)
    assert loop.time() - began >= (len(users) - 1) / 40  # never faster than per_second
    assert sorted(m["chat_id"] for m in bot.sent) == list(users)


async def test_an_edited_plan_moves_its_reminders_to_the_new_dates(conversation, locales, start_day) -> None:
    plan_id = complete_plan(conversation, start_day)
    await switch_on(conversation, plan_id)
    reminders = conversation.s.reminders
    reminder_plan = reminders.plan_for_campaign(campaign_id=plan_id, user_id=USER)
    await press(conversation, f"r:p:{reminder_plan.id}")  # paused before the edit: stays paused
    later = start_day + timedelta(days=14)
    record = conversation.s.campaigns.get(campaign_id=plan_id, user_id=USER)
    draft = {**record.draft, "answers": {**record.draft["answers"], "start_date": later.isoformat(), "duration_weeks": 1}}
    conversation.s.campaigns.save(campaign_id=plan_id, user_id=USER, draft=draft)

    [note] = conversation._reminder_offers([{"campaign": "plan", "id": plan_id}], USER, "en")
    assert note.text == locales.text("en", "reminders.updated")
    pending = [job for job in reminders.jobs_of(plan_id=reminder_plan.id) if job.state == "pending"]
    assert min(job.day for job in pending) == later and sum(job.kind == "post" for job in pending) == 3
    assert reminders.plan(plan_id=reminder_plan.id, user_id=USER).status == "paused"
