"""Replies in the user's language: fixed texts, the main menu, and the engine's specs rendered.

Nothing here decides what to say; the router and the handlers do. This module only says it, with the
right buttons, in the right language and direction.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from typing import Any

from bot import callbacks
from bot.brain import Brain
from bot.campaign.cards import CampaignCards
from bot.campaign.display import campaign_name
from bot.language.detect import LanguageDetector
from bot.language.locales import Locales
from bot.language.policy import LanguageChoice
from bot.library.cards import Cards
from bot.library.model import SECTIONS
from bot.library.store import LibraryStore
from bot.replies import Button, Reply, Spec, rows, short_label
from bot.storage.campaigns import CampaignRepository
from bot.storage.handoffs import HandoffRepository
from bot.storage.personal import PersonalData
from bot.storage.questions import QuestionRepository
from bot.storage.reminders import ReminderRepository
from bot.storage.stats import StatsRepository
from bot.storage.users import UserRepository

Keyboard = tuple[tuple[Button, ...], ...]
URGENT = "urgent"


@dataclass(frozen=True)
class Operator:
    """Who runs this copy of the bot, from settings (OPERATOR_NAME, CONTACT, RETENTION_DAYS)."""

    name: str | None = None
    contact: str | None = None
    retention_days: int = 90


@dataclass(frozen=True)
class StaffSettings:
    """When staff answer (STAFF_HOURS) and how soon they promise to (STAFF_REPLY_MINUTES)."""

    hours: str | None = None
    reply_minutes: int = 240


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
    personal: PersonalData
    admin_ids: frozenset[int] = frozenset()
    operator: Operator = Operator()
    handoffs: HandoffRepository | None = None  # with a staff group: conversations with a person
    staff: StaffSettings = StaffSettings()
    bot_username: str | None = None  # known once connected to Telegram: deep links t.me/<it>?start=a-<id>
    stats: StatsRepository | None = None  # anonymous daily counts for /stats
    reminders: ReminderRepository | None = None  # opt-in reminders for finished plans


class Views:
    def __init__(self, services: Services) -> None:
        self.s = services

    def t(self, lang: str, key: str, **params: Any) -> str:
        return self.s.locales.text(lang, key, **params)

    @property
    def cards(self) -> Cards:
        return Cards(self.s.locales, self.s.library.library)

    @property
    def campaign_cards(self) -> CampaignCards:
        return CampaignCards(self.s.locales, self.s.library.library, self.s.campaigns, bot_username=self.s.bot_username)

    def keyed(self, lang: str, key: str, menu: bool = False, **params: Any) -> Reply:
        """A fixed text from locales/, with the main menu under it when asked."""
        return Reply(self.t(lang, key, **params), self.main_menu(lang) if menu else ())

    def expired(self, lang: str) -> Reply:
        return self.keyed(lang, "stale_button", menu=True)

    def main_menu(self, lang: str, user_id: int | None = None) -> Keyboard:
        """Urgent help first, the library's sections, "Plan a campaign" and "Talk to a person"; plus
        "Continue <plan>" when one is unfinished."""
        urgent, *sections = [Button(self.t(lang, f"menu.{section}"), callbacks.section(section)) for section in SECTIONS]
        people = (
            Button(self.t(lang, "menu.campaign"), callbacks.intent("campaign")),
            Button(self.t(lang, "human.button"), callbacks.intent("human")),
        )
        menu: Keyboard = ((urgent,), *rows(sections, 2), people)
        draft = self.s.campaigns.latest_in_progress(user_id=user_id) if user_id is not None else None
        if draft is not None and draft.draft.get("answers"):
            menu = ((self.campaign_cards.continue_button(draft, lang),), *menu)
        return menu

    def language_notices(self, choice: LanguageChoice) -> list[Reply]:
        """ "I switched to <language>" with a way back, and the offer of English to romanized writers."""
        lang, notices = choice.language, []
        if choice.switched_from:
            name = self.s.locales.languages[choice.switched_from].name
            back = Button(self.t(lang, "language.switch_back", name=name), callbacks.language(choice.switched_from))
            notices.append(Reply(self.t(lang, "language.switched"), ((back,),)))
        if choice.offer_english:
            english = Button(self.t(lang, "language.use_english"), callbacks.language("en"))
            notices.append(Reply(self.t(lang, "language.romanized_offer"), ((english,),)))
        return notices

    def language_menu(self, lang: str) -> Reply:
        buttons = [Button(language.name, callbacks.language(code)) for code, language in self.s.locales.languages.items()]
        return Reply(self.t(lang, "language.choose"), rows(buttons, 2))

    def render(self, spec: Spec, lang: str, user_id: int) -> list[Reply]:
        """Turn a language-neutral spec from the engine into replies in `lang`."""
        if "campaign" in spec:
            return self.campaign_cards.render(spec, lang, user_id)
        if "article" in spec:
            return [self.with_a_person(self.cards.article(lang, str(spec["article"]), also=tuple(spec.get("also", ()))), spec, lang)]
        if "suggest" in spec:
            return [self.cards.suggestions(lang, list(spec["suggest"]), spec.get("key", "library.did_you_mean"))]
        if "section" in spec:
            return [self.cards.section(lang, str(spec["section"]))]
        if "not_covered" in spec:
            return [self.not_covered(lang)]
        if "plan_offer" in spec:
            return [self.plan_offer(lang)]
        if "human" in spec:
            return [self.keyed(lang, "human.contact", menu=True)]
        if "campaigns" in spec:
            return [self.plan_list(user_id, lang)]
        if "privacy" in spec:
            return [self.privacy_notice(lang)]
        if "key" in spec:
            menu = self.main_menu(lang, user_id) if spec.get("menu") == "main" else ()
            return [Reply(self.t(lang, str(spec["key"]), **spec.get("args", {})), menu)]
        return [Reply(str(spec.get("text", "")))]

    def privacy_notice(self, lang: str) -> Reply:
        """Who runs the bot, what it keeps and how to erase it; also the honest answer to "are you a bot?"."""
        operator = self.s.operator
        name = escape(operator.name) if operator.name else self.t(lang, "privacy.operator_unknown")
        contact = escape(operator.contact) if operator.contact else self.t(lang, "privacy.contact_unknown")
        text = self.t(lang, "privacy.text", operator=name, contact=contact, retention_days=operator.retention_days)
        return Reply(text, self.main_menu(lang))

    def with_a_person(self, reply: Reply, spec: Spec, lang: str) -> Reply:
        """Every urgent answer offers a person, one tap away."""
        article = self.s.library.library.article(str(spec["article"]))
        if article is None or article.section != URGENT:
            return reply
        person = Button(self.t(lang, "human.button"), callbacks.intent("human"))
        return replace(reply, buttons=((person,), *reply.buttons))

    def not_covered(self, lang: str) -> Reply:
        """Honest "I don't have that yet", with the ways forward one tap away."""
        topics = Button(self.t(lang, "library.topics_button"), callbacks.menu())
        person = Button(self.t(lang, "human.button"), callbacks.intent("human"))
        return Reply(self.t(lang, "library.not_covered"), ((topics, person),))

    def plan_offer(self, lang: str) -> Reply:
        start = Button(self.t(lang, "plan_offer.start"), callbacks.intent("campaign"))
        later = Button(self.t(lang, "plan_offer.later"), callbacks.menu())
        return Reply(self.t(lang, "plan_offer.text"), ((start, later),))

    def plan_list(self, user_id: int, lang: str) -> Reply:
        """The user's plans (newest first), each one tap from opening."""
        plans = self.s.campaigns.list_for_user(user_id=user_id)
        if not plans:
            return Reply(self.t(lang, "campaign.list.empty"), ((self.start_planning(lang),),))
        lines, buttons = [self.t(lang, "campaign.list.title")], []
        for plan in plans[:10]:
            status = self.t(lang, f"campaign.list.status_{plan.status}")
            name = campaign_name(plan.name, self.s.locales, lang)
            lines.append(self.t(lang, "campaign.list.item", name=html.escape(name), status=status))
            buttons.append((Button(self.t(lang, "campaign.list.open", name=short_label(name, 30)), callbacks.plan("o", plan.id)),))
        return Reply("\n".join(lines), tuple(buttons))

    def start_planning(self, lang: str) -> Button:
        return Button(self.t(lang, "menu.campaign"), callbacks.intent("campaign"))

    def finish(self, reply: Reply, lang: str) -> Reply:
        """Mark replies in right-to-left languages so the front end keeps them reading right."""
        if self.s.locales.languages[lang].direction == "rtl":
            return replace(reply, rtl=True)
        return reply


def escape(text: str) -> str:
    """User text quoted back in a reply: escaped for Telegram's HTML, and never longer than 200 characters."""
    return html.escape(text[:200])
