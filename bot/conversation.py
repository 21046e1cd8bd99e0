"""The conversation layer: one user action in, replies in the user's language out.

Telegram and the console both call `Conversation.handle`. It reads top to bottom: remember the user,
settle the language, then either answer locally (menus, library browsing, language, feedback) or ask
the brain, and finally render every reply in the user's language.
"""

from __future__ import annotations

import html
import json
import logging
from dataclasses import dataclass, replace
from typing import Any

from bot.brain import Brain
from bot.campaign.cards import CampaignCards
from bot.campaign.display import campaign_name
from bot.campaign.draft import CampaignDraft
from bot.language.detect import Detection, LanguageDetector
from bot.language.locales import Locales
from bot.language.policy import LanguageChoice, choose_language
from bot.library.cards import Cards
from bot.library.model import SECTIONS
from bot.library.store import LibraryStore
from bot.replies import Button, Incoming, Reply, Spec, rows, short_label
from bot.storage.campaigns import CampaignRepository
from bot.storage.questions import QuestionRepository
from bot.storage.users import UserRepository

log = logging.getLogger(__name__)

MAX_INPUT = 4096  # Telegram's own limit for one message
BRAIN_COMMANDS = {"start": "/greet", "help": "/help", "campaign": "/campaign", "privacy": "/bot_identity"}


@dataclass
class Services:
    """Everything the conversation needs, built once at start-up."""

    brain: Brain
    locales: Locales
    library: LibraryStore
    users: UserRepository
    questions: QuestionRepository
    detector: LanguageDetector
    campaigns: CampaignRepository
    admin_ids: frozenset[int] = frozenset()


class Conversation:
    def __init__(self, services: Services) -> None:
        self.s = services
        self._last_question: dict[int, str] = {}

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Handle one update. Front ends call this for one user at a time, in order."""
        user = self.s.users.get_or_create(user_id=incoming.user_id)
        detection = self._detect(incoming)
        choice = choose_language(user, detection, incoming.language_code, self.s.locales)
        self._remember_language(incoming.user_id, choice)
        notices = [self._finish(reply, choice.language) for reply in self._language_notices(choice)]
        replies, language = await self._route(incoming, choice.language, detection)
        return notices + [self._finish(reply, language) for reply in replies]

    def error_reply(self, user_id: int) -> Reply:
        """The apology for an unexpected failure, in the user's language if we can still read it."""
        return self.keyed_reply(user_id, "error")

    def keyed_reply(self, user_id: int, key: str) -> Reply:
        """A fixed message with the menu, in the user's language if we can still read it."""
        try:
            lang = self.s.users.get_or_create(user_id=user_id).language or "en"
        except Exception:
            lang = "en"
        return self._finish(self._keyed(lang, key, menu=True), lang)

    def _detect(self, incoming: Incoming) -> Detection:
        if incoming.kind != "text":
            return Detection(None, None, 0.0, 0)
        return self.s.detector.detect(incoming.text[:MAX_INPUT], hint=incoming.language_code)

    def _remember_language(self, user_id: int, choice: LanguageChoice) -> None:
        if choice.changed:
            self.s.users.set_language(user_id=user_id, language=choice.language, manual=False)
        if choice.offer_english:
            self.s.users.mark_romanized_offer_shown(user_id=user_id)

    def _language_notices(self, choice: LanguageChoice) -> list[Reply]:
        t, lang = self.s.locales.text, choice.language
        notices = []
        if choice.switched_from:
            name = self.s.locales.languages[choice.switched_from].name
            notices.append(
                Reply(t(lang, "language.switched"), ((Button(t(lang, "language.switch_back", name=name), f"l:{choice.switched_from}"),),))
            )
        if choice.offer_english:
            notices.append(Reply(t(lang, "language.romanized_offer"), ((Button(t(lang, "language.use_english"), "l:en"),),)))
        return notices

    async def _route(self, incoming: Incoming, lang: str, detection: Detection) -> tuple[list[Reply], str]:
        """The replies, and the language they are in (a language button changes it)."""
        if incoming.kind == "button" and (incoming.button or "").startswith("l:"):
            return self._set_language(incoming, lang)
        return await self._answer(incoming, lang, detection), lang

    async def _answer(self, incoming: Incoming, lang: str, detection: Detection) -> list[Reply]:
        if incoming.kind == "unsupported":
            return [self._keyed(lang, "unsupported_message", menu=True)]
        if incoming.kind == "edited":
            return [self._keyed(lang, "edited_message")]
        if incoming.kind == "button":
            return await self._button(incoming, lang)
        if incoming.kind == "command":
            return await self._command(incoming, lang)
        if len(incoming.text) > MAX_INPUT:
            return [self._keyed(lang, "too_long", length=len(incoming.text), limit=MAX_INPUT)]
        if not incoming.text.strip():
            return [self._keyed(lang, "fallback", menu=True)]
        self._last_question[incoming.user_id] = incoming.text
        return await self._ask_brain(incoming.user_id, as_plain_text(incoming.text), lang, detection)

    async def _ask_brain(self, user_id: int, text: str, lang: str, detection: Detection | None = None) -> list[Reply]:
        metadata: dict[str, Any] = {"language": lang}
        if detection is not None and detection.variant:
            metadata["detected"] = detection.variant
        specs = await self.s.brain.respond(str(user_id), text, metadata)
        return [reply for spec in specs for reply in self.render(spec, lang, user_id)]

    async def _command(self, incoming: Incoming, lang: str) -> list[Reply]:
        command = incoming.command or ""
        if command in BRAIN_COMMANDS:
            return await self._ask_brain(incoming.user_id, BRAIN_COMMANDS[command], lang)
        if command == "topics":
            return [self.cards.topics(lang)]
        if command == "search":
            return [self._search(incoming.text, lang)]
        if command == "language":
            return [self._language_menu(lang)]
        if command == "campaigns":
            return [self._campaign_list(incoming.user_id, lang)]
        if command == "reload":
            return [self._reload(incoming.user_id, lang)]
        return [self._keyed(lang, "unknown_command", menu=True)]

    async def _button(self, incoming: Incoming, lang: str) -> list[Reply]:
        kind, _, rest = (incoming.button or "").partition(":")
        if kind == "menu":
            return [self._keyed(lang, "menu.title", menu=True)]
        if kind == "i" and rest in (*SECTIONS, "campaign", "help", "greet", "human"):
            return await self._ask_brain(incoming.user_id, f"/{rest}", lang)
        if kind == "s":
            section, _, page = rest.partition(":")
            return [self.cards.section(lang, section, int(page) if page.isdigit() else 0)]
        if kind == "a":
            return [self.cards.article(lang, rest)]
        if kind == "m":
            return [self.cards.more(lang, rest)]
        if kind == "f":
            return [self._feedback(incoming.user_id, rest, lang)]
        if kind == "c":
            return await self._campaign_button(incoming.user_id, rest, lang)
        if kind == "p":
            return await self._plan_button(incoming.user_id, rest, lang)
        return [self._keyed(lang, "stale_button", menu=True)]

    def _set_language(self, incoming: Incoming, lang: str) -> tuple[list[Reply], str]:
        code = (incoming.button or "")[2:]
        if not self.s.locales.supports(code):
            return [self._keyed(lang, "stale_button", menu=True)], lang
        self.s.users.set_language(user_id=incoming.user_id, language=code, manual=True)
        return [self._keyed(code, "language.set", menu=True)], code

    @property
    def cards(self) -> Cards:
        return Cards(self.s.locales, self.s.library.library)

    def render(self, spec: Spec, lang: str, user_id: int) -> list[Reply]:
        """Turn a language-neutral spec from the brain into replies in `lang`."""
        if "campaign" in spec:
            return self.campaign_cards.render(spec, lang, user_id)
        if "article" in spec:
            return [self.cards.article(lang, str(spec["article"]), also=tuple(spec.get("also", ())))]
        if "suggest" in spec:
            return [self.cards.suggestions(lang, list(spec["suggest"]), spec.get("key", "library.did_you_mean"))]
        if "section" in spec:
            return [self.cards.section(lang, str(spec["section"]))]
        if "not_covered" in spec:
            return [self._not_covered(lang)]
        if "plan_offer" in spec:
            start, later = self.s.locales.text(lang, "plan_offer.start"), self.s.locales.text(lang, "plan_offer.later")
            return [Reply(self.s.locales.text(lang, "plan_offer.text"), ((Button(start, "i:campaign"), Button(later, "menu")),))]
        if "human" in spec:
            return [self._keyed(lang, "human.contact", menu=True)]
        if "campaigns" in spec:
            return [self._campaign_list(user_id, lang)]
        if "key" in spec:
            menu = self.main_menu(lang, user_id) if spec.get("menu") == "main" else ()
            return [Reply(self.s.locales.text(lang, str(spec["key"]), **spec.get("args", {})), menu)]
        return [Reply(str(spec.get("text", "")))]

    def _not_covered(self, lang: str) -> Reply:
        """Honest "I don't have that yet", with the ways forward one tap away."""
        t = self.s.locales.text
        buttons = ((Button(t(lang, "library.topics_button"), "menu"), Button(t(lang, "human.button"), "i:human")),)
        return Reply(t(lang, "library.not_covered"), buttons)

    def _keyed(self, lang: str, key: str, menu: bool = False, **params: Any) -> Reply:
        return Reply(self.s.locales.text(lang, key, **params), self.main_menu(lang) if menu else ())

    def main_menu(self, lang: str, user_id: int | None = None) -> tuple[tuple[Button, ...], ...]:
        """Urgent help first, the library's sections, "Plan a campaign" and "Talk to a person"; plus
        "Continue <plan>" when one is unfinished."""
        t = self.s.locales.text
        urgent, *sections = [Button(t(lang, f"menu.{section}"), f"s:{section}:0") for section in SECTIONS]
        people = (Button(t(lang, "menu.campaign"), "i:campaign"), Button(t(lang, "human.button"), "i:human"))
        menu = ((urgent,), *rows(sections, 2), people)
        draft = self.s.campaigns.latest_in_progress(user_id=user_id) if user_id is not None else None
        if draft is not None and draft.draft.get("answers"):
            menu = ((self.campaign_cards.continue_button(draft, lang),), *menu)
        return menu

    @property
    def campaign_cards(self) -> CampaignCards:
        return CampaignCards(self.s.locales, self.s.library.library, self.s.campaigns)

    async def _campaign_button(self, user_id: int, rest: str, lang: str) -> list[Reply]:
        """Ticking a multi-choice box is handled here; every other planner button goes to the form."""
        kind, _, tail = rest.partition(":")
        if kind == "t":
            record = self.s.campaigns.latest_in_progress(user_id=user_id)
            if record is None:
                return [self._keyed(lang, "stale_button", menu=True)]
            mask, _, index = tail.partition(":")
            return [self.campaign_cards.toggle(CampaignDraft.from_dict(record.draft), lang, mask, index)]
        payload = "/campaign" + json.dumps({"campaign_value": rest}, separators=(",", ":"))
        return await self._ask_brain(user_id, payload, lang)

    def _campaign_list(self, user_id: int, lang: str) -> Reply:
        t = self.s.locales.text
        plans = self.s.campaigns.list_for_user(user_id=user_id)
        if not plans:
            return Reply(t(lang, "campaign.list.empty"), ((Button(t(lang, "menu.campaign"), "i:campaign"),),))
        lines, buttons = [t(lang, "campaign.list.title")], []
        for plan in plans[:10]:
            status = t(lang, f"campaign.list.status_{plan.status}")
            name = campaign_name(plan.name, self.s.locales, lang)
            lines.append(t(lang, "campaign.list.item", name=html.escape(name), status=status))
            buttons.append((Button(t(lang, "campaign.list.open", name=short_label(name, 30)), f"p:o:{plan.id}"),))
        return Reply("\n".join(lines), tuple(buttons))

    async def _plan_button(self, user_id: int, rest: str, lang: str) -> list[Reply]:
        """Open, edit, duplicate or delete one of the user's plans."""
        t = self.s.locales.text
        action, _, plan_id = rest.partition(":")
        plan = self.s.campaigns.get(campaign_id=int(plan_id), user_id=user_id) if plan_id.isdigit() else None
        if plan is None:
            return [Reply(t(lang, "campaign.list.not_found"), ((Button(t(lang, "menu.campaign"), "i:campaign"),),))]
        name = html.escape(campaign_name(plan.name, self.s.locales, lang))
        if action == "o":
            edit = Button(t(lang, "campaign.list.edit"), f"p:e:{plan.id}")
            duplicate = Button(t(lang, "campaign.list.duplicate"), f"p:d:{plan.id}")
            buttons = ((edit, duplicate), (Button(t(lang, "campaign.list.delete"), f"p:x:{plan.id}"),))
            draft = CampaignDraft.from_dict(plan.draft)
            shown = self.campaign_cards.plan(draft, lang)[1:] if plan.status == "complete" else [self.campaign_cards.question(draft, lang)]
            return [*shown, Reply(t(lang, "campaign.list.item", name=name, status=t(lang, f"campaign.list.status_{plan.status}")), buttons)]
        if action == "x":
            yes = Button(t(lang, "campaign.list.delete_yes"), f"p:xx:{plan.id}")
            return [Reply(t(lang, "campaign.list.delete_confirm", name=name), ((yes, Button(t(lang, "menu.back"), "menu")),))]
        if action == "xx":
            self.s.campaigns.delete(campaign_id=plan.id, user_id=user_id)
            return [self._keyed(lang, "campaign.list.deleted", menu=True)]
        if action == "d":
            copy = {**plan.draft, "name": t(lang, "campaign.list.copy_name", name=plan.name), "status": "complete"}
            copy["answers"] = {**plan.draft.get("answers", {}), "name": copy["name"]}
            plan = self.s.campaigns.create(user_id=user_id, draft=copy)
        return await self._campaign_button(user_id, f"continue:{plan.id}", lang)

    def _language_menu(self, lang: str) -> Reply:
        buttons = [Button(language.name, f"l:{code}") for code, language in self.s.locales.languages.items()]
        return Reply(self.s.locales.text(lang, "language.choose"), rows(buttons, 2))

    def _search(self, query: str, lang: str) -> Reply:
        if not query.strip():
            return self._keyed(lang, "library.search_usage")
        hits = self.s.library.index.search(query, limit=5)
        if not hits:
            self.s.questions.record(kind="unanswered", text=query, language=lang, section_guess=None, best_guess=None)
            return self._keyed(lang, "library.search_none", query=_escape(query))
        reply = self.cards.suggestions(lang, [hit.article_id for hit in hits], "library.search_results")
        return Reply(self.s.locales.text(lang, "library.search_results", query=_escape(query)), reply.buttons)

    def _feedback(self, user_id: int, rest: str, lang: str) -> Reply:
        article_id, _, vote = rest.partition(":")
        if vote != "d":
            return self._keyed(lang, "library.feedback_thanks")
        article = self.s.library.library.article(article_id)
        question = self._last_question.get(user_id) or (article.text(lang)[0].title if article else article_id)
        self.s.questions.record(
            kind="thumbs_down", text=question, language=lang, section_guess=article.section if article else None, best_guess=article_id
        )
        return Reply(self.s.locales.text(lang, "library.feedback_sorry"), ((self.cards.back(lang),),))

    def _reload(self, user_id: int, lang: str) -> Reply:
        if user_id not in self.s.admin_ids:
            return self._keyed(lang, "admin.not_allowed")
        result = self.s.library.refresh(force=True)
        seconds = f"{result.seconds:.2f}"
        if not result.ok:
            return self._keyed(lang, "admin.reload_failed", error=_escape(result.message[:3000]))
        articles = len(self.s.library.library.articles)
        return self._keyed(lang, "admin.reloaded", seconds=seconds, articles=articles, warnings=result.message)

    def _finish(self, reply: Reply, lang: str) -> Reply:
        """Mark replies in right-to-left languages so the front end keeps them reading right."""
        if self.s.locales.languages[lang].direction == "rtl":
            return replace(reply, rtl=True)
        return reply


def as_plain_text(text: str) -> str:
    """Typed text is always text: a leading "/" would make Rasa read it as an intent or slot payload
    ("/restart", '/intent{"slot": 1}'), so it is dropped. Buttons and commands build their own payloads."""
    stripped = text.strip()
    return stripped.lstrip("/").strip() or stripped.replace("/", " ").strip() or "?"


def _escape(text: str) -> str:
    return html.escape(text[:200])
