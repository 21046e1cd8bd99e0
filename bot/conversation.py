"""The router: one user action in, replies in the user's language out.

Telegram and the console both call `Conversation.handle`. It reads top to bottom: remember the user,
settle the language, then send the action to the one place that answers it — a handler for what
needs no engine (library browsing, plans, admin), or the engine for typed text and intents — and
finally mark every reply for the user's language. What each handler does lives in `bot.handlers`;
how replies look lives in `bot.views`.
"""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from typing import Any

from bot import callbacks
from bot.handlers.admin import AdminHandlers
from bot.handlers.handoff import HandoffHandlers
from bot.handlers.library import LibraryHandlers
from bot.handlers.plans import PlanHandlers
from bot.handlers.privacy import PrivacyHandlers
from bot.handlers.reminders import ReminderHandlers
from bot.language.detect import Detection
from bot.language.policy import LanguageChoice, choose_language
from bot.library.model import SECTIONS
from bot.replies import Incoming, Reply
from bot.storage.handoffs import HandoffRecord
from bot.storage.models import utcnow
from bot.storage.stats import ACTIVE, QUESTIONS
from bot.views import Services, Views

log = logging.getLogger(__name__)

MAX_INPUT = 4096  # Telegram's own limit for one message
DEEP_LINK_ARTICLE = "a-"  # /start a-<article id>: a link from a plan document opens that article
BRAIN_COMMANDS = {"start": "greet", "help": "help", "campaign": "campaign"}
BRAIN_INTENTS = (*SECTIONS, "campaign", "help", "greet")  # what an "i:" button may ask the engine for
PERSON_ASKED: list[Reply] = []  # the engine's answer was "talk to a person" (a marker, compared by identity)

__all__ = ["MAX_INPUT", "Conversation", "Services", "as_plain_text"]


class Conversation:
    def __init__(self, services: Services) -> None:
        self.s = services
        self.views = Views(services)
        self.library = LibraryHandlers(services, self.views)
        self.plans = PlanHandlers(services, self.views, self._ask_engine)
        self.admin = AdminHandlers(services, self.views)
        self.handoff = HandoffHandlers(services, self.views)
        self.privacy = PrivacyHandlers(services, self.views, self.handoff)
        self.reminders = ReminderHandlers(services, self.views)

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Handle one update. Front ends call this for one user at a time, in order."""
        incoming.text = printable(incoming.text)
        detection, choice, with_person = await asyncio.to_thread(self._arrive, incoming)
        notices = [self.views.finish(reply, choice.language) for reply in self.views.language_notices(choice)]
        if with_person is not None and self._for_the_person(incoming):
            replies = await self.handoff.relay(incoming, with_person, choice.language)
            return [self.views.finish(reply, choice.language) for reply in replies]
        replies, language = await self._route(incoming, choice.language, detection)
        return notices + [self.views.finish(reply, language) for reply in replies]

    def _arrive(self, incoming: Incoming) -> tuple[Detection, LanguageChoice, HandoffRecord | None]:
        """Look the user up, settle the reply language and store it, count the visit, and see whether a
        person is talking with this user. Database calls: `handle` runs them in one trip to a worker
        thread, so one user's wait for the database never holds up other users' turns on the
        conversation's loop (under load every trip waits for a free thread, so there is only one)."""
        user = self.s.users.get_or_create(user_id=incoming.user_id)
        detection = self._detect(incoming)
        choice = choose_language(user, detection, incoming.language_code, self.s.locales)
        self._remember_language(incoming.user_id, choice)
        self._count(incoming, choice.language)
        return detection, choice, self.handoff.active(incoming.user_id) if self.handoff.available else None

    @staticmethod
    def _for_the_person(incoming: Incoming) -> bool:
        """While with a person, what the user writes or sends goes to them; buttons and commands still
        work (the menu, /end, /privacy...)."""
        return incoming.kind in ("text", "unsupported")

    def error_reply(self, user_id: int) -> Reply:
        """The apology for an unexpected failure, in the user's language if we can still read it."""
        return self.keyed_reply(user_id, "error")

    def keyed_reply(self, user_id: int, key: str) -> Reply:
        """A fixed message with the menu, in the user's language if we can still read it."""
        try:
            lang = self.s.users.get_or_create(user_id=user_id).language or "en"
        except Exception:
            lang = "en"
        return self.views.finish(self.views.keyed(lang, key, menu=True), lang)

    def _count(self, incoming: Incoming, lang: str) -> None:
        """Anonymous daily counts for /stats: a user once a day, and each typed question."""
        if self.s.stats is None:
            return
        today = utcnow().date()
        if self.s.stats.first_today(user_id=incoming.user_id, day=today):
            self.s.stats.increment(day=today, language=lang, metric=ACTIVE)
        if incoming.kind == "text" and incoming.text.strip():
            self.s.stats.increment(day=today, language=lang, metric=QUESTIONS)

    # --- language -----------------------------------------------------------------------------

    def _detect(self, incoming: Incoming) -> Detection:
        if incoming.kind != "text":
            return Detection(None, None, 0.0, 0)
        return self.s.detector.detect(incoming.text[:MAX_INPUT], hint=incoming.language_code)

    def _remember_language(self, user_id: int, choice: LanguageChoice) -> None:
        if choice.changed:
            self.s.users.set_language(user_id=user_id, language=choice.language, manual=False)
        if choice.offer_english:
            self.s.users.mark_romanized_offer_shown(user_id=user_id)

    # --- routing ------------------------------------------------------------------------------

    async def _route(self, incoming: Incoming, lang: str, detection: Detection) -> tuple[list[Reply], str]:
        """The replies, and the language they are in (a language button changes it)."""
        if incoming.kind == "unsupported":
            return [self.views.keyed(lang, "unsupported_message", menu=True)], lang
        if incoming.kind == "edited":
            return [self.views.keyed(lang, "edited_message")], lang
        if incoming.kind == "button":
            return await self._button(incoming, lang)
        if incoming.kind == "command":
            return await self._command(incoming, lang), lang
        return await self._text(incoming, lang, detection), lang

    async def _text(self, incoming: Incoming, lang: str, detection: Detection) -> list[Reply]:
        """Typed text goes to the engine as text, never as an intent payload."""
        if len(incoming.text) > MAX_INPUT:
            return [self.views.keyed(lang, "too_long", length=len(incoming.text), limit=MAX_INPUT)]
        if not incoming.text.strip():
            return [self.views.keyed(lang, "fallback", menu=True)]
        numbers = self.reminders.numbers_reply(incoming.user_id, incoming.text, lang, utcnow())
        if numbers is not None:  # the week's numbers, answering a reminder's check-in
            return numbers
        self.library.remember_question(incoming.user_id, incoming.text)
        replies = await self._ask_engine(incoming.user_id, as_plain_text(incoming.text), lang, detection)
        if replies is PERSON_ASKED:
            return await self._to_a_person(incoming, lang)
        return replies

    async def _to_a_person(self, incoming: Incoming, lang: str) -> list[Reply]:
        user_id = incoming.user_id
        asked, shown = self.library.last_question(user_id), self.library.last_article(user_id)
        return await self.handoff.open(user_id, lang, asked, shown, str(incoming.extra.get("name") or user_id))

    async def _command(self, incoming: Incoming, lang: str) -> list[Reply]:
        command, user_id = incoming.command or "", incoming.user_id
        if command == "start" and incoming.text.startswith(DEEP_LINK_ARTICLE):  # t.me/<bot>?start=a-<id>
            article = callbacks.decode(callbacks.ARTICLE + incoming.text[len(DEEP_LINK_ARTICLE) :])
            if article is not None and self.s.library.library.article(article.args[0]) is not None:
                self.library.remember_article(user_id, article.args[0])
                return [self.library.article(lang, article.args[0])]
        if command in BRAIN_COMMANDS:
            return await self._ask_engine(user_id, self.s.brain.payload(BRAIN_COMMANDS[command]), lang)
        if command == "topics":
            return [self.views.cards.topics(lang)]
        if command == "search":
            return [self.library.search(incoming.text, lang)]
        if command == "language":
            return [self.views.language_menu(lang)]
        if command == "campaigns":
            return [self.views.plan_list(user_id, lang)]
        if command == "whoami":  # so an admin can find the id to put in ADMIN_TELEGRAM_IDS
            return [self.views.keyed(lang, "whoami", id=user_id)]
        if command == "end":
            return await self.handoff.end(user_id, lang)
        if command == "privacy":
            return [self.privacy.notice(lang)]
        if command == "forget":
            return [self.privacy.ask_to_forget(user_id, lang)]
        if command == "reminders":
            return [self.reminders.command(user_id, lang)]
        if command == "reload":
            return [self.admin.reload(user_id, lang)]
        if command == "stats":
            return [self.admin.stats(user_id, lang)]
        return [self.views.keyed(lang, "unknown_command", menu=True)]

    async def _button(self, incoming: Incoming, lang: str) -> tuple[list[Reply], str]:
        """Every button goes through the codec: what it cannot decode has expired (or was forged)."""
        button, user_id = callbacks.decode(incoming.button), incoming.user_id
        if button is None:
            log.info("User %s pressed a button the bot could not have sent", user_id)
            return [self.views.expired(lang)], lang
        kind, args = button.kind, button.args
        if kind == "l":
            return await self._set_language(user_id, args[0], lang)
        if kind == "menu":
            return [self.views.keyed(lang, "menu.title", menu=True)], lang
        if kind == "i" and args[0] == "human":
            return await self._to_a_person(incoming, lang), lang
        if kind == "h":
            return await self.handoff.end(user_id, lang), lang
        if kind == "i" and args[0] in BRAIN_INTENTS:
            return await self._ask_engine(user_id, self.s.brain.payload(args[0]), lang), lang
        if kind == "s":
            return [self.library.section(lang, args[0], button.number(1))], lang
        if kind == "a":
            self.library.remember_article(user_id, args[0])
            return [self.library.article(lang, args[0])], lang
        if kind == "m":
            return [self.library.more(lang, args[0])], lang
        if kind == "f":
            return [self.library.feedback(user_id, args[0], args[1], lang)], lang
        if kind == "c":
            return await self.plans.planner_button(user_id, button, lang), lang
        if kind == "p":
            return await self.plans.plan_button(user_id, args[0], button.number(1), lang), lang
        if kind == "r":
            return self.reminders.button(user_id, button, lang, utcnow()), lang
        if kind == "g":
            self.library.forget(user_id)
            return [await self.privacy.forget(user_id, args[0] == "yes", lang)], lang
        return [self.views.expired(lang)], lang

    async def _set_language(self, user_id: int, code: str, lang: str) -> tuple[list[Reply], str]:
        if not self.s.locales.supports(code):
            return [self.views.expired(lang)], lang
        await asyncio.to_thread(self.s.users.set_language, user_id=user_id, language=code, manual=True)
        return [self.views.keyed(code, "language.set", menu=True)], code

    # --- the engine ---------------------------------------------------------------------------

    async def _ask_engine(self, user_id: int, text: str, lang: str, detection: Detection | None = None) -> list[Reply]:
        metadata: dict[str, Any] = {"language": lang}
        if detection is not None and detection.variant:
            metadata["detected"] = detection.variant
        specs = await self.s.brain.respond(str(user_id), text, metadata)
        if not specs:  # the engine swallowed a failure (e.g. an action call that never came back)
            log.error("The engine gave no reply to user %s; sent the apology", user_id)
            return [self.views.keyed(lang, "error", menu=True)]
        if any("human" in spec for spec in specs) and self.handoff.available:
            return PERSON_ASKED  # typed text: the caller opens the handoff with what was asked
        for spec in specs:
            if "article" in spec:
                self.library.remember_article(user_id, str(spec["article"]))
        replies = [reply for spec in specs for reply in self.views.render(spec, lang, user_id)]
        return replies + self._reminder_offers(specs, user_id, lang)

    def _reminder_offers(self, specs: list[dict[str, Any]], user_id: int, lang: str) -> list[Reply]:
        """A plan just confirmed: offer reminders under it (or say they follow its new dates)."""
        confirmed = [spec for spec in specs if spec.get("campaign") == "plan" and spec.get("id")]
        offers = [self.reminders.offer(int(spec["id"]), user_id, lang, utcnow()) for spec in confirmed]
        return [offer for offer in offers if offer is not None]


def printable(text: str) -> str:
    """Control characters (NUL, escape sequences...) removed: PostgreSQL refuses NUL in text, and none
    of them means anything in a message. Line breaks and tabs stay."""
    if text.isprintable():
        return text
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def as_plain_text(text: str) -> str:
    """Typed text is always text: a leading "/" would make Rasa read it as an intent or slot payload
    ("/restart", '/intent{"slot": 1}'), so it is dropped. Buttons and commands build their own payloads."""
    stripped = text.strip()
    return stripped.lstrip("/").strip() or stripped.replace("/", " ").strip() or "?"
