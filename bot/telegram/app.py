"""The Telegram front end: python-telegram-bot's Application, handlers, and one error handler.

Handlers only turn an update into an `Incoming`, pass it to the conversation, and send the replies.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable

from telegram import BotCommand, Update
from telegram.constants import ChatAction
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.conversation import Conversation
from bot.library.store import watch
from bot.replies import Incoming, Reply
from bot.settings import Settings
from bot.telegram.render import send_reply

log = logging.getLogger(__name__)

COMMANDS = ("start", "help", "topics", "search", "campaign", "campaigns", "language")
HIDDEN_COMMANDS = ("reload", "privacy")
TYPING_EVERY = 4.0  # seconds; Telegram shows "typing…" for about 5 s per call
UPDATE_BUDGET = 30.0  # seconds one update may take before the user is told and the lock is released
SEEN_UPDATES = 10_000  # update ids remembered to drop Telegram's re-deliveries


class FrontEnd:
    """Holds the conversation and the per-user locks that keep one user's messages in order."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._seen: OrderedDict[int, None] = OrderedDict()

    async def drop_duplicates(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Telegram re-delivers an update it thinks was lost: answer each update_id once."""
        if update.update_id in self._seen:
            log.info("Dropped a repeated update %s", update.update_id)
            raise ApplicationHandlerStop
        self._seen[update.update_id] = None
        if len(self._seen) > SEEN_UPDATES:
            self._seen.popitem(last=False)

    async def respond(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        incoming: Incoming,
        first: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        """Handle one update for one user, in order, showing "typing…" while the bot thinks.

        The user's lock is taken before anything is awaited (`first` runs inside it), so a button
        pressed before a typed message is also handled before it. One update may take at most
        UPDATE_BUDGET seconds: then the user hears so and the lock is free again."""
        async with self._locks[incoming.user_id]:
            if first is not None:
                with contextlib.suppress(TelegramError):
                    await first()
            async with _typing(context, incoming.chat_id):
                try:
                    replies = await asyncio.wait_for(self.conversation.handle(incoming), timeout=UPDATE_BUDGET)
                except asyncio.TimeoutError:
                    log.error("An update of user %s took longer than %.0f s; told them to try again", incoming.user_id, UPDATE_BUDGET)
                    replies = [self.conversation.keyed_reply(incoming.user_id, "too_slow")]
            try:
                for reply in replies:
                    await send_reply(context.bot, incoming.chat_id, reply, incoming.extra.get("message_id"))
            except Forbidden:
                log.info("User %s has blocked the bot; replies dropped", incoming.user_id)

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
        log.error("Update failed: %s", context.error, exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None or update.effective_user is None:
            return
        reply = self.conversation.error_reply(update.effective_user.id)
        with contextlib.suppress(TelegramError):
            await send_reply(context.bot, update.effective_chat.id, reply)

    async def startup(self, application: Application) -> None:
        """After connecting: publish the command list and start watching the library files."""
        application.create_task(watch(self.conversation.s.library))
        await self.register_commands(application)

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
    front = FrontEnd(conversation)
    application = (
        Application.builder()
        .token(settings.telegram_bot_token or "")
        .base_url(f"{settings.telegram_api_url}/bot")
        .base_file_url(f"{settings.telegram_api_url}/file/bot")
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(True)
        .post_init(front.startup)
        .build()
    )
    application.add_handler(TypeHandler(Update, front.drop_duplicates), group=-1)
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, front.on_edited))
    application.add_handler(CommandHandler(COMMANDS + HIDDEN_COMMANDS, front.on_command))
    application.add_handler(MessageHandler(filters.COMMAND, front.on_command))  # unknown ones: a list of those that work
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, front.on_text))
    application.add_handler(CallbackQueryHandler(front.on_button))
    application.add_handler(MessageHandler(filters.ALL & ~filters.TEXT, front.on_unsupported))
    application.add_error_handler(front.on_error)
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


class TokenRejected(Exception):
    """The Bot API answered 401 to our token."""


def serve(application: Application, settings: Settings) -> None:
    """Long polling by default; a webhook with a secret token when WEBHOOK_URL is set."""
    if settings.webhook_url:
        application.run_webhook(**webhook_options(settings))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


def webhook_options(settings: Settings) -> dict[str, object]:
    """Telegram must echo `secret_token` in a header; PTB answers 403 to any update without it."""
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": "telegram",
        "webhook_url": f"{(settings.webhook_url or '').rstrip('/')}/telegram",
        "secret_token": settings.webhook_secret,
        "allowed_updates": Update.ALL_TYPES,
    }


def _incoming(update: Update, *, kind: str, text: str = "", command: str | None = None, button: str | None = None) -> Incoming:
    user = update.effective_user
    chat = update.effective_chat
    return Incoming(
        user_id=user.id if user else 0,
        chat_id=chat.id if chat else (user.id if user else 0),
        text=text,
        button=button,
        command=command,
        language_code=(user.language_code or "").split("-")[0] or None if user else None,
        kind=kind,
    )


@contextlib.asynccontextmanager
async def _typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> AsyncIterator[None]:
    """Keep "typing…" visible until the replies are ready.

    The loop is stopped with a flag, never by cancelling a request in flight (on Python 3.10 such a
    cancel can be lost and the handler would wait forever), and is never awaited without a timeout."""
    stop, shown = asyncio.Event(), asyncio.Event()

    async def keep_typing() -> None:
        while not stop.is_set():
            with contextlib.suppress(TelegramError):
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            shown.set()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=TYPING_EVERY)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(shown.wait(), timeout=0.5)
        stop.set()
        with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(asyncio.shield(task), timeout=1.0)
        if not task.done():
            task.cancel()  # left to finish on its own; nothing waits for it


__all__ = ["FrontEnd", "Reply", "build_application", "serve"]
