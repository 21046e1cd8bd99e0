"""The staff group: one forum topic per user who asked for a person, inside Telegram.

Staff need no other tool. What they write in a user's topic goes to that user, signed with their
first name; /done in the topic hands the user back to the bot where they were; /queue lists the open
chats, longest waiting first; a chat waiting longer than the promise (STAFF_REPLY_MINUTES) gets one
reminder in its topic. A user who blocked the bot, or a topic staff deleted, is said so in the topic.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Coroutine
from datetime import datetime, timedelta, timezone
from typing import Any

from telegram import Bot, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot import handoff as rules
from bot.conversation import Conversation
from bot.loop_thread import LoopThread
from bot.storage.handoffs import HandoffRecord, HandoffRepository
from bot.telegram.render import deliver, send_reply

log = logging.getLogger(__name__)

REMIND_EVERY = 60.0  # seconds between looks for chats waiting longer than promised
STAFF_LANGUAGE = "en"


class TelegramDesk:
    """`StaffDesk` over the Bot API. The conversation calls it from its own thread; each call runs on
    the loop that owns the bot's HTTP client."""

    def __init__(self, bot: Bot, staff_chat_id: int, loop: asyncio.AbstractEventLoop) -> None:
        self.bot = bot
        self.chat_id = staff_chat_id
        self.loop = loop

    async def _on_bot_loop(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        if asyncio.get_running_loop() is self.loop:
            return await coroutine
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, self.loop))

    async def open_topic(self, title: str) -> int:
        topic = await self._on_bot_loop(deliver(lambda: self.bot.create_forum_topic(self.chat_id, title[:128])))
        return int(topic.message_thread_id)

    async def post(self, topic_id: int, text: str) -> bool:
        def send() -> Any:
            return self.bot.send_message(
                self.chat_id, text, message_thread_id=topic_id, parse_mode=ParseMode.HTML, disable_web_page_preview=True
            )

        return await self._on_bot_loop(self._into_topic(send))

    async def copy_from_user(self, topic_id: int, chat_id: int, message_id: int) -> bool:
        return await self._on_bot_loop(
            self._into_topic(lambda: self.bot.copy_message(self.chat_id, chat_id, message_id, message_thread_id=topic_id))
        )

    async def delete_topic(self, topic_id: int) -> bool:
        try:
            await self._on_bot_loop(deliver(lambda: self.bot.delete_forum_topic(self.chat_id, topic_id)))
        except BadRequest as error:
            log.info("Could not delete a staff topic (%s)", error)
            return False
        return True

    @staticmethod
    async def _into_topic(call: Any) -> bool:
        try:
            await deliver(call)
        except BadRequest as error:
            if "thread" in str(error).lower() or "topic" in str(error).lower():
                return False  # staff deleted the topic
            raise
        return True


class StaffGroup:
    """The staff group's handlers; registered before the users' ones, which only see private chats."""

    def __init__(self, conversation: Conversation, worker: LoopThread, staff_chat_id: int) -> None:
        self.conversation = conversation
        self.worker = worker
        self.chat_id = staff_chat_id
        repository = conversation.s.handoffs
        assert repository is not None, "a staff group needs the handoffs table"
        self.handoffs: HandoffRepository = repository

    def register(self, application: Application) -> None:
        in_group = filters.Chat(self.chat_id)
        application.add_handler(CommandHandler("done", self.on_done, filters=in_group))
        application.add_handler(CommandHandler("queue", self.on_queue, filters=in_group))
        application.add_handler(MessageHandler(in_group & ~filters.COMMAND & ~filters.StatusUpdate.ALL, self.on_staff_message))
        application.add_handler(MessageHandler(in_group, self.ignore))

    def t(self, key: str, **params: Any) -> str:
        return self.conversation.s.locales.text(STAFF_LANGUAGE, key, **params)

    async def on_staff_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A staff member writes in a user's topic: it goes to the user, signed with their first name."""
        message = update.effective_message
        record = await self._record_of(message)
        if record is None or (update.effective_user and update.effective_user.is_bot):
            return
        if not record.state.is_open:
            record = await asyncio.to_thread(self._reopen, record)
        name = _first_name(update) or self._text(record, "handoff.staff_role")
        try:
            await self._to_user(context.bot, record, message, name)
        except Forbidden:
            await asyncio.to_thread(self.handoffs.save_state, handoff_id=record.id, state=rules.blocked(record.state))
            await context.bot.send_message(self.chat_id, self.t("staff.blocked_note"), message_thread_id=record.topic_id)
            return
        await asyncio.to_thread(self.handoffs.save_state, handoff_id=record.id, state=rules.staff_replied(record.state))

    async def _to_user(self, bot: Bot, record: HandoffRecord, message: Message, name: str) -> None:
        words = html.escape(message.text or message.caption or "", quote=False)
        signed = self._text(record, "handoff.staff_says", name=html.escape(name), text=words)
        if message.text:
            await deliver(lambda: bot.send_message(record.user_id, signed, parse_mode=ParseMode.HTML))
            return
        caption = signed if message.caption else self._text(record, "handoff.staff_says", name=html.escape(name), text="")
        await deliver(
            lambda: bot.copy_message(record.user_id, self.chat_id, message.message_id, caption=caption, parse_mode=ParseMode.HTML)
        )

    async def on_done(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/done in a topic: the user goes back to the bot, to the page or plan step they left."""
        message = update.effective_message
        record = await self._record_of(message)
        if record is None or not record.state.is_open:
            await message.reply_text(self.t("staff.not_open_note"))
            return
        staff = _first_name(update) or self.t("handoff.staff_role")
        replies = await self.worker.run(self.conversation.handoff.end(record.user_id, record.language, by_staff=html.escape(staff)))
        try:
            for reply in replies:
                await send_reply(context.bot, record.user_id, self.conversation.views.finish(reply, record.language))
        except Forbidden:
            await message.reply_text(self.t("staff.blocked_note"))

    async def on_queue(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/queue: the open chats, longest waiting first."""
        records = await asyncio.to_thread(self.handoffs.queue)
        if not records:
            await update.effective_message.reply_text(self.t("staff.queue_empty"))
            return
        now = datetime.now(timezone.utc)
        lines = [self.t("staff.queue_title")]
        for record in records[:50]:
            status = self.t(f"staff.status_{record.state.status}")
            waiting = self._duration(rules.waited(record.state, now))
            lines.append(self.t("staff.queue_item", name=record.user_id, status=status, waiting=waiting, topic=record.topic_id))
        await update.effective_message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML)

    async def ignore(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Service messages and unknown commands in the staff group: nothing to do."""

    async def remind(self, bot: Bot) -> None:
        """Forever: one reminder in the topic of each chat that has waited longer than promised."""
        promise = timedelta(minutes=self.conversation.s.staff.reply_minutes)
        while True:
            await asyncio.sleep(REMIND_EVERY)
            try:
                await self._remind_once(bot, promise)
            except Exception as error:  # the next round retries
                log.warning("Staff reminders failed (%s)", type(error).__name__)

    async def _remind_once(self, bot: Bot, promise: timedelta) -> None:
        now = datetime.now(timezone.utc)
        for record in await asyncio.to_thread(self.handoffs.queue):
            if record.topic_id is None or not rules.needs_reminder(record.state, now, promise):
                continue
            text = self.t("staff.reminder", name=record.user_id, waiting=self._duration(rules.waited(record.state, now)))
            await bot.send_message(self.chat_id, text, message_thread_id=record.topic_id)
            await asyncio.to_thread(self.handoffs.save_state, handoff_id=record.id, state=rules.reminded(record.state))

    async def _record_of(self, message: Message) -> HandoffRecord | None:
        """The handoff whose topic a staff message was written in (None outside a topic)."""
        if not message.is_topic_message or message.message_thread_id is None:
            return None
        return await asyncio.to_thread(self.handoffs.in_topic, topic_id=message.message_thread_id)

    def _reopen(self, record: HandoffRecord) -> HandoffRecord:
        """Staff follow up in a closed chat: it opens again, as answered, in the same topic."""
        reopened, _ = self.handoffs.open(
            user_id=record.user_id, language=record.language, return_to={"acknowledged": True}, state=rules.HandoffState(rules.ANSWERED)
        )
        return reopened

    def _text(self, record: HandoffRecord, key: str, **params: Any) -> str:
        return self.conversation.s.locales.text(record.language, key, **params)

    def _duration(self, waited: timedelta) -> str:
        minutes = int(waited.total_seconds() // 60)
        return self.t("staff.minutes", n=minutes) if minutes < 60 else self.t("staff.hours", n=minutes // 60, m=minutes % 60)


def _first_name(update: Update) -> str:
    """The staff member's first name only (never a surname or username), or ""."""
    return (update.effective_user.first_name or "") if update.effective_user else ""
