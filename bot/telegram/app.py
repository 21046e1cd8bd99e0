"""The Telegram front end: python-telegram-bot's Application, handlers, and one error handler.

Handlers only turn an update into an `Incoming`, pass it to the conversation, and send the replies.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta, timezone

from telegram import BotCommand, Update
from telegram.constants import ChatAction
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.brain import BrainFailure
from bot.conversation import Conversation
from bot.language.locales import LiveLocales
from bot.library.store import watch
from bot.loop_thread import LoopThread
from bot.replies import Incoming, Reply
from bot.settings import Settings
from bot.telegram.coordination import Coordination, LocalCoordination, coordination_for
from bot.telegram.digest import schedule_weekly_digest
from bot.telegram.limiter import MessageRateLimiter
from bot.telegram.reminders import ReminderSender
from bot.telegram.render import send_reply
from bot.telegram.staff import StaffGroup, TelegramDesk
from bot.telegram.webhook import PATH as WEBHOOK_PATH
from bot.telegram.webhook import WebhookReceiver, chat_of

log = logging.getLogger(__name__)

COMMANDS = ("start", "help", "topics", "search", "campaign", "campaigns", "reminders", "language", "privacy", "forget", "end")
HIDDEN_COMMANDS = ("reload", "whoami", "stats")
# The engine's thread is busy for tens of milliseconds per message; Python hands the interpreter to
# another thread every 5 ms by default. Switching every 1 ms lets a button press (no engine needed)
# get through while others' messages are being understood. (Measured by python -m bot.benchmark_load.)
THREAD_SWITCH = 0.001
RETENTION_EVERY = 6 * 3600  # seconds between purges of conversation history past RETENTION_DAYS
TYPING_AFTER = 0.3  # seconds: a reply ready sooner needs no "typing…"
TYPING_EVERY = 4.0  # seconds; Telegram shows "typing…" for about 5 s per call
UPDATE_BUDGET = 30.0  # seconds one update may take before the user is told and the lock is released
SEND_TIMEOUT = 20.0  # seconds; a slow Bot API answer is still an answer (PTB's default of 5 s made users get it twice)


class FrontEnd:
    """Holds the conversation, and the coordination that keeps each user's updates once and in order.

    The conversation runs on a loop of its own (`worker`): its database calls, library lookups and
    waits for the engine never hold up this loop, which only receives updates and sends replies."""

    def __init__(self, conversation: Conversation, coordination: Coordination | None = None, worker: LoopThread | None = None) -> None:
        self.conversation = conversation
        self.coordination = coordination or LocalCoordination()
        self.worker = worker or LoopThread("conversation")
        self.staff: StaffGroup | None = None
        self.background: list[asyncio.Task[None]] = []  # endless watchers, cancelled at shutdown

    async def drop_duplicates(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Telegram re-delivers an update it thinks was lost: answer each update_id once."""
        if not await self.coordination.first_delivery(update.update_id):
            log.info("Dropped a repeated update %s", update.update_id)
            chat_id = chat_of(update)
            if chat_id is not None:
                await self.coordination.discard(chat_id, update.update_id)
            raise ApplicationHandlerStop

    async def respond(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        incoming: Incoming,
        first: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        """Handle one update for one user, in order, showing "typing…" while the bot thinks.

        The user's lock is taken before anything is awaited, so a button pressed before a typed message
        is also handled before it. `first` (stopping a button's spinner) runs beside the answer, not
        before it: the reply need not wait for that round trip, and the lock is kept until both are
        done. One update may take at most UPDATE_BUDGET seconds: then the user hears so and the lock
        is free again."""
        async with self.coordination.in_order(incoming.chat_id, update.update_id):
            acknowledging = asyncio.ensure_future(first()) if first is not None else None
            try:
                await self._answer(context, incoming)
            finally:
                if acknowledging is not None:
                    await _settled(acknowledging)

    async def _answer(self, context: ContextTypes.DEFAULT_TYPE, incoming: Incoming) -> None:
        """Work out the replies (on the worker, within the budget) and send them."""
        async with _typing(context, incoming.chat_id):
            try:
                replies = await asyncio.wait_for(self.worker.run(self.conversation.handle(incoming)), timeout=UPDATE_BUDGET)
            except asyncio.TimeoutError:
                log.error("An update of user %s took longer than %.0f s; told them to try again", incoming.user_id, UPDATE_BUDGET)
                replies = [await asyncio.to_thread(self.conversation.keyed_reply, incoming.user_id, "too_slow")]
        try:
            for reply in replies:
                await send_reply(context.bot, incoming.chat_id, reply, incoming.extra.get("message_id"))
        except Forbidden:
            log.info("User %s has blocked the bot; replies dropped", incoming.user_id)
        except TimedOut:  # Telegram may well have delivered it: an apology now would contradict the answer
            log.warning("Telegram did not confirm a reply to user %s in time; not sent again", incoming.user_id)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A typed message goes to the conversation."""
        message = update.effective_message
        await self.respond(update, context, _incoming(update, kind="text", text=message.text or ""))

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A /command, with its arguments as text (e.g. /search fake news)."""
        first, _, rest = (update.effective_message.text or "").partition(" ")
        command = first[1:].split("@")[0].lower()
        await self.respond(update, context, _incoming(update, kind="command", command=command, text=rest.strip()))

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A pressed inline button: stop the spinner first, then answer."""
        query = update.callback_query
        incoming = _incoming(update, kind="button", button=query.data or "")
        if query.message is not None:
            incoming.extra["message_id"] = query.message.message_id
        await self.respond(update, context, incoming, first=query.answer)

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edited message never re-runs a step; say so politely."""
        await self.respond(update, context, _incoming(update, kind="edited"))

    async def on_unsupported(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, voice, locations, documents: a polite reply, nothing else."""
        await self.respond(update, context, _incoming(update, kind="unsupported"))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log any failure and tell the user, in their language, that nothing was lost."""
        if isinstance(context.error, BrainFailure):  # logged where it happened; the user gets the apology
            log.warning("Update failed: %s", context.error)
        else:
            log.error("Update failed: %s", context.error, exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None or update.effective_user is None:
            return
        reply = await asyncio.to_thread(self.conversation.error_reply, update.effective_user.id)
        with contextlib.suppress(TelegramError):
            await send_reply(context.bot, update.effective_chat.id, reply)

    async def startup(self, application: Application) -> None:
        """After connecting: publish the command list, watch the library files, keep the retention promise,
        and, with a staff group, connect it and start its reminders."""
        self.conversation.s.bot_username = application.bot.username  # for deep links in plan documents
        watchers = [watch(self.conversation.s.library), self.watch_locales(), self.purge_old_history()]
        if self.staff is not None:
            desk = TelegramDesk(application.bot, self.staff.chat_id, asyncio.get_running_loop())
            self.conversation.handoff.desk = desk
            watchers.append(self.staff.remind(application.bot))
        self.background = [application.create_task(watcher) for watcher in watchers]
        services = self.conversation.s
        if services.reminders is not None:
            ReminderSender(self.conversation.reminders, services.reminders).schedule(application)
        await self.register_commands(application)

    async def watch_locales(self, every: float = 1.0) -> None:
        """Edits to bot.yml, campaign.yml and meta.yml go live like library edits (a broken one is refused)."""
        locales = self.conversation.s.locales
        if locales.root is None:
            return
        live = LiveLocales(locales, locales.root)
        while True:
            await asyncio.sleep(every)
            await asyncio.to_thread(live.refresh)

    async def purge_old_history(self) -> None:
        """Conversation history older than RETENTION_DAYS is erased, at start and every few hours."""
        services = self.conversation.s
        while True:
            cutoff = datetime.now(timezone.utc) - timedelta(days=services.operator.retention_days)
            try:
                erased = await services.brain.purge(cutoff)
                if erased:
                    log.info("Retention: erased %d conversation records older than %d days", erased, services.operator.retention_days)
            except Exception as error:  # a database hiccup must not end the loop; the next round retries
                log.warning("Retention purge failed (%s); will retry", type(error).__name__)
            await asyncio.sleep(RETENTION_EVERY)

    async def shutdown(self, application: Application) -> None:
        """End the watchers (a pending task at exit is an error in the log), let the conversation's loop
        finish what it has, then stop it and the engine."""
        for task in self.background:
            task.cancel()
        await asyncio.gather(*self.background, return_exceptions=True)
        await asyncio.to_thread(self.worker.stop)
        await asyncio.to_thread(self.conversation.s.brain.close)
        await self.coordination.close()

    async def register_commands(self, application: Application) -> None:
        """Publish the command list, in every language, so Telegram's menu shows it."""
        locales = self.conversation.s.locales
        for code, language in locales.languages.items():
            commands = [BotCommand(name, locales.text(code, f"commands.{name}")) for name in COMMANDS]
            for telegram_code in (None,) if code == "en" else language.telegram_codes:
                with contextlib.suppress(TelegramError):
                    await application.bot.set_my_commands(commands, language_code=telegram_code)


def build_application(settings: Settings, conversation: Conversation) -> Application:
    """Wire the handlers; the API root is configurable so a local Bot API server or test double works."""
    front = FrontEnd(conversation, coordination_for(settings.redis_url, settings.telegram_bot_token))
    sys.setswitchinterval(THREAD_SWITCH)
    builder = Application.builder().updater(None) if settings.webhook_url else Application.builder()
    application = (
        builder.token(settings.telegram_bot_token or "")
        .base_url(f"{settings.telegram_api_url}/bot")
        .base_file_url(f"{settings.telegram_api_url}/file/bot")
        .rate_limiter(MessageRateLimiter(max_retries=3))
        .read_timeout(SEND_TIMEOUT)
        .write_timeout(SEND_TIMEOUT)
        .concurrent_updates(True)
        .post_init(front.startup)
        .post_shutdown(front.shutdown)
        .build()
    )
    application.bot_data["coordination"] = front.coordination
    application.add_handler(TypeHandler(Update, front.drop_duplicates), group=-1)
    if settings.staff_chat_id is not None and conversation.s.handoffs is not None:
        front.staff = StaffGroup(conversation, front.worker, settings.staff_chat_id)
        front.staff.register(application)  # staff messages never reach the users' handlers
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(private & filters.UpdateType.EDITED, front.on_edited))
    application.add_handler(CommandHandler(COMMANDS + HIDDEN_COMMANDS, front.on_command, filters=private))
    application.add_handler(MessageHandler(private & filters.COMMAND, front.on_command))  # unknown ones: a list of those that work
    application.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, front.on_text))
    application.add_handler(CallbackQueryHandler(front.on_button))
    application.add_handler(MessageHandler(private & ~filters.TEXT, front.on_unsupported))
    application.add_error_handler(front.on_error)
    schedule_weekly_digest(application, conversation.s, settings)  # Mondays at DIGEST_HOUR (UTC), to staff or admins
    return application


async def verify_token(settings: Settings) -> None:
    """Ask Telegram who we are before anything else, so a wrong token is one clear line."""
    from telegram import Bot
    from telegram.error import InvalidToken

    bot = Bot(
        settings.telegram_bot_token or "",
        base_url=f"{settings.telegram_api_url}/bot",
        base_file_url=f"{settings.telegram_api_url}/file/bot",
    )
    try:
        async with bot:
            pass
    except InvalidToken:
        raise TokenRejected("Telegram rejected TELEGRAM_BOT_TOKEN: copy the token from @BotFather into .env") from None
    except NetworkError as error:
        raise TokenRejected(
            f"could not reach Telegram at {settings.telegram_api_url} ({error}): check this machine's network connection"
            " (or TELEGRAM_API_URL), then start again"
        ) from None


class TokenRejected(Exception):
    """The Bot API answered 401 to our token, or could not be reached to ask."""


def serve(application: Application, settings: Settings, loop: asyncio.AbstractEventLoop) -> None:
    """Long polling by default; our checked webhook receiver when WEBHOOK_URL is set."""
    if settings.webhook_url:
        loop.run_until_complete(run_webhook(application, settings))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


async def run_webhook(application: Application, settings: Settings) -> None:
    """Receive updates over HTTPS (behind a reverse proxy) until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    coordination = application.bot_data.get("coordination")
    receiver = WebhookReceiver(application, settings.webhook_secret or "", settings.webhook_listen, settings.webhook_port, coordination)
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await receiver.start()
        await register_webhook(application, settings)
        await application.start()
        log.info("Receiving updates at %s (listening on %s:%s)", webhook_address(settings), settings.webhook_listen, settings.webhook_port)
        await stop.wait()
        await receiver.stop()
        await application.stop()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


async def register_webhook(application: Application, settings: Settings) -> None:
    """Tell Telegram where to send updates, and the secret to send with them. Always, at start: Telegram
    never says which secret it holds, so a changed WEBHOOK_SECRET must be registered again. Replicas
    starting together may get a flood wait; one of them has registered it."""
    try:
        await application.bot.set_webhook(webhook_address(settings), secret_token=settings.webhook_secret, allowed_updates=Update.ALL_TYPES)
    except RetryAfter:
        log.info("Telegram is rate-limiting setWebhook; another replica is setting it")


def webhook_address(settings: Settings) -> str:
    return f"{(settings.webhook_url or '').rstrip('/')}{WEBHOOK_PATH}"


def _incoming(update: Update, *, kind: str, text: str = "", command: str | None = None, button: str | None = None) -> Incoming:
    user = update.effective_user
    message = update.effective_message
    extra: dict[str, object] = {"name": user.first_name if user else ""}
    if message is not None and kind in ("text", "unsupported"):
        extra["message_id"] = message.message_id  # to copy it to staff during a chat with a person
    return Incoming(
        user_id=user.id if user else 0,
        chat_id=chat_of(update) or 0,
        text=text,
        button=button,
        command=command,
        language_code=(user.language_code or "").split("-")[0] or None if user else None,
        kind=kind,
        extra=extra,
    )


@contextlib.asynccontextmanager
async def _typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" while a reply takes longer than TYPING_AFTER (a button answered at once sends none).

    The loop is stopped with a flag, never by cancelling a request in flight (on Python 3.10 such a
    cancel can be lost and the handler would wait forever), and is never awaited without a timeout.
    A chat action already on its way is let finish first, so it cannot arrive after the reply."""
    stop = asyncio.Event()

    async def keep_typing() -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=TYPING_AFTER)
        while not stop.is_set():
            with contextlib.suppress(TelegramError):
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=TYPING_EVERY)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        stop.set()
        await _settled(task, timeout=1.0)


async def _settled(task: asyncio.Future[object], timeout: float = SEND_TIMEOUT) -> None:
    """Let a side request (a button's spinner stop) finish: its failure costs the user nothing, and
    like every helper task it is never awaited without a timeout."""
    with contextlib.suppress(TelegramError, asyncio.TimeoutError, asyncio.CancelledError):
        await asyncio.wait_for(asyncio.shield(task), timeout=timeout)
    if not task.done():
        task.cancel()  # left to finish on its own; nothing waits for it


__all__ = ["FrontEnd", "Reply", "build_application", "serve"]
