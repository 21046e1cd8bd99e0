"""A person when the bot is not enough: the user's side of a handoff to staff.

The user asks ("talk to a person" in any language, the 🙋 button, every "not covered" and urgent
answer); their conversation opens in their own topic of the staff group, with what staff need to
know; while it is open, what they send is copied there and the bot stays quiet; "Back to the bot"
(or /end, or /done by staff) returns them exactly where they were. Without a staff group, the user
gets the contact route from locales/ instead, and is told so.

The staff side (their messages to the user, /done, /queue, reminders) is in bot.telegram.staff; the
rules are in bot.handoff; this module only talks to the staff group through `StaffDesk`.
"""

from __future__ import annotations

import html
import logging
from datetime import datetime, timezone
from typing import Protocol

from bot import callbacks
from bot import handoff as rules
from bot.campaign.display import campaign_name
from bot.campaign.draft import CampaignDraft
from bot.replies import Button, Incoming, Reply
from bot.storage.handoffs import HandoffRecord, HandoffRepository
from bot.views import Services, Views

log = logging.getLogger(__name__)


class StaffDesk(Protocol):
    """The staff group, as the conversation needs it (Telegram implements it; tests fake it)."""

    async def open_topic(self, title: str) -> int:
        """Create a forum topic; its message_thread_id."""

    async def post(self, topic_id: int, text: str) -> bool:
        """Post a note in a topic; False when the topic no longer exists."""

    async def copy_from_user(self, topic_id: int, chat_id: int, message_id: int) -> bool:
        """Copy the user's message (text, photo, voice, document) into the topic; False when it no longer exists."""

    async def delete_topic(self, topic_id: int) -> bool:
        """Delete a topic with every message in it (/forget); False when it could not be deleted."""


class HandoffHandlers:
    def __init__(self, services: Services, views: Views) -> None:
        self.s = services
        self.views = views
        self.repository: HandoffRepository | None = services.handoffs
        self.desk: StaffDesk | None = None  # attached by a front end that has a staff group
        self.staff = services.staff

    @property
    def available(self) -> bool:
        return self.desk is not None and self.repository is not None

    def active(self, user_id: int) -> HandoffRecord | None:
        return self.repository.active(user_id=user_id) if self.repository is not None else None

    async def open(self, user_id: int, lang: str, asked: str | None, shown_article: str | None, name: str) -> list[Reply]:
        """Pass the user to a person: their topic (new or reused), the context for staff, and an honest
        word to the user about what happens next."""
        if not self.available:
            return [self.views.keyed(lang, "human.contact", menu=True)]
        assert self.repository is not None and self.desk is not None
        now = datetime.now(timezone.utc)
        return_to = {"article": shown_article} if shown_article else {}
        record, new = self.repository.open(user_id=user_id, language=lang, return_to=return_to, state=rules.opened(now))
        if not new:
            return [self._with_end_button(lang, "handoff.still_open")]
        try:
            await self._tell_staff(record, name, lang, self._context(user_id, name, lang, asked, shown_article, now))
        except Exception as error:  # the staff group is misconfigured: the user still gets a way to a person
            log.error(
                "Could not open a topic in the staff group (%s: %s): make the bot an admin of STAFF_CHAT_ID with"
                " 'Manage topics', and turn Topics on in the group",
                type(error).__name__,
                error,
            )
            self.repository.save_state(handoff_id=record.id, state=rules.closed(record.state))
            return [self.views.keyed(lang, "human.contact", menu=True)]
        log.info("User %s was passed to staff (handoff %s)", user_id, record.id)
        hours = html.escape(self.staff.hours) if self.staff.hours else self.views.t(lang, "handoff.hours_unknown")
        text = self.views.t(lang, "handoff.opened", hours=hours, promise=self.views.t(lang, "handoff.promise"))
        return [Reply(text, ((self.end_button(lang),),))]

    async def _tell_staff(self, record: HandoffRecord, name: str, lang: str, context: str) -> None:
        assert self.repository is not None and self.desk is not None
        topic = record.topic_id if record.topic_id is not None else await self._open_topic(record, name, lang)
        if not await self.desk.post(topic, context):  # staff deleted the topic: a new one continues
            topic = await self._new_topic(record, name, lang)
            await self.desk.post(topic, context)

    async def relay(self, incoming: Incoming, record: HandoffRecord, lang: str) -> list[Reply]:
        """The user writes while with a person: copied into their topic; the bot itself stays quiet,
        except for one "sent to our team" after the first message."""
        assert self.repository is not None and self.desk is not None
        message_id = incoming.extra.get("message_id")
        topic = record.topic_id
        if message_id is not None and topic is not None and not await self.desk.copy_from_user(topic, incoming.chat_id, message_id):
            topic = await self._new_topic(record, str(incoming.user_id), lang)
            await self.desk.copy_from_user(topic, incoming.chat_id, message_id)
        self.repository.save_state(handoff_id=record.id, state=rules.user_wrote(record.state, datetime.now(timezone.utc)))
        return [] if record.return_to.get("acknowledged") else self._acknowledge(record, lang)

    async def end(self, user_id: int, lang: str, by_staff: str | None = None) -> list[Reply]:
        """Back to the bot, exactly where the user was: the same step of their plan, or the same page."""
        record = self.active(user_id)
        if record is None or self.repository is None:
            return [self.views.keyed(lang, "menu.title", menu=True)]
        self.repository.save_state(handoff_id=record.id, state=rules.closed(record.state))
        if self.desk is not None and record.topic_id is not None:
            note = self.views.t("en", "staff.closed_note", staff=by_staff) if by_staff else self.views.t("en", "staff.closed_by_user_note")
            await self.desk.post(record.topic_id, note)
        key = "handoff.closed_by_staff" if by_staff else "handoff.ended"
        return [self.views.keyed(lang, key), *self.where_they_were(user_id, record, lang)]

    def where_they_were(self, user_id: int, record: HandoffRecord, lang: str) -> list[Reply]:
        draft = self.s.campaigns.latest_in_progress(user_id=user_id)
        if draft is not None and draft.draft.get("answers"):
            return [self.views.campaign_cards.question(CampaignDraft.from_dict(draft.draft), lang)]
        article = record.return_to.get("article")
        if article and self.s.library.library.article(article) is not None:
            return [self.views.cards.article(lang, article)]
        return [self.views.keyed(lang, "menu.title", menu=True)]

    async def erase(self, user_id: int) -> int:
        """/forget: the user's topics in the staff group are deleted with their messages; how many."""
        if self.repository is None or self.desk is None:
            return 0
        deleted = 0
        for topic in self.repository.topics_of(user_id=user_id):
            deleted += await self.desk.delete_topic(topic)
        return deleted

    def end_button(self, lang: str) -> Button:
        return Button(self.views.t(lang, "handoff.end_button"), callbacks.handoff_end())

    def _with_end_button(self, lang: str, key: str) -> Reply:
        return Reply(self.views.t(lang, key), ((self.end_button(lang),),))

    def _acknowledge(self, record: HandoffRecord, lang: str) -> list[Reply]:
        assert self.repository is not None
        self.repository.update_return_to(handoff_id=record.id, return_to={**record.return_to, "acknowledged": True})
        return [Reply(self.views.t(lang, "handoff.sent_to_staff"))]

    async def _new_topic(self, record: HandoffRecord, name: str, lang: str) -> int:
        """Staff deleted the user's topic: a new one continues the chat, and says why."""
        assert self.desk is not None
        topic = await self._open_topic(record, name, lang)
        await self.desk.post(topic, self.views.t("en", "staff.reopened_note"))
        return topic

    async def _open_topic(self, record: HandoffRecord, name: str, lang: str) -> int:
        assert self.repository is not None and self.desk is not None
        topic = await self.desk.open_topic(self.views.t("en", "staff.topic_title", name=name, language=lang))
        self.repository.set_topic(handoff_id=record.id, topic_id=topic)
        return topic

    def _context(self, user_id: int, name: str, lang: str, asked: str | None, article_id: str | None, now: datetime) -> str:
        """What staff need before they answer: who, which language, what was asked and shown, their plan."""
        t, nothing = self.views.t, self.views.t("en", "staff.nothing")
        article = self.s.library.library.article(article_id) if article_id else None
        draft = self.s.campaigns.latest_in_progress(user_id=user_id)
        plan = html.escape(campaign_name(draft.name, self.s.locales, "en")) if draft is not None else nothing
        return t(
            "en",
            "staff.context",
            name=html.escape(name),
            user_id=user_id,
            language=self.s.locales.languages[lang].name,
            asked=html.escape(asked[:500]) if asked else nothing,
            article=html.escape(article.text("en")[0].title) if article else nothing,
            plan=plan,
            waiting=now.strftime("%Y-%m-%d %H:%M UTC"),
        )
