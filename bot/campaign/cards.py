"""Render the planner's specs as replies in the user's language: questions, choices, tips, the plan."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from typing import Any

from bot import callbacks
from bot.campaign.display import campaign_name, choice_buttons, edit_buttons, prompt_html
from bot.campaign.draft import CampaignDraft
from bot.campaign.flow import decode_choices, encode_choices, outcome_from
from bot.campaign.plan import build_plan, relevant_articles, summary_text
from bot.campaign.replies import button_label, buttons_for, message_for
from bot.campaign.steps import get_step
from bot.language.locales import Locales
from bot.library.model import Library
from bot.replies import Button, Document, Reply, rows, short_label
from bot.storage.campaigns import CampaignRecord, CampaignRepository

MULTI = "multi"
_TAGS = re.compile(r"<[^>]+>")
CONTROL_VALUES = {"cancel_confirm.yes": "yes", "cancel_confirm.no": "no", "start_new": "new"}


def control(button: str) -> str:
    """Callback data of a control button: short ASCII, never the label."""
    return callbacks.planner(CONTROL_VALUES.get(button, button))


class CampaignCards:
    def __init__(self, locales: Locales, library: Library, campaigns: CampaignRepository) -> None:
        self.locales = locales
        self.library = library
        self.campaigns = campaigns

    def render(self, spec: dict[str, Any], lang: str, user_id: int) -> list[Reply]:
        kind = spec.get("campaign")
        if kind == "cancelled":
            return [Reply(self.t(lang, "campaign.cancelled"), ((self._button("start_new", lang),),))]
        record = self.campaigns.get(campaign_id=int(spec.get("id") or 0), user_id=user_id)
        if record is None:
            return [Reply(self.t(lang, "campaign.cancelled"), ((self._button("start_new", lang),),))]
        draft = CampaignDraft.from_dict(record.draft)
        if kind == "offer":
            return [self.offer(record, lang, returning=bool(spec.get("returning")))]
        if kind == "outcome":
            outcome = outcome_from(spec["outcome"])
            buttons = [self._button(b, lang) for b in buttons_for(outcome, draft) if b.startswith("cancel_confirm")]
            return [Reply(message_for(outcome, draft, self.locales, lang), rows(buttons, 2))]
        if kind == "edit_menu":
            steps = [Button(label, callbacks.planner("e", step)) for step, label in edit_buttons(self.locales, lang)]
            return [Reply(self.t(lang, "campaign.edit_choose"), (*rows(steps, 2), (self._button("back", lang),)))]
        if kind == "plan":
            return self.plan(draft, lang)
        return [self.question(draft, lang, spec.get("tip"))]

    def t(self, lang: str, key: str, **params: Any) -> str:
        return self.locales.text(lang, key, **params)

    def offer(self, record: CampaignRecord, lang: str, returning: bool = False) -> Reply:
        """Continue the unfinished plan, or start a new one; a user back after a while may also say "Not now"."""
        name = html.escape(campaign_name(record.name, self.locales, lang))
        other = self._button("later", lang) if returning else self._button("start_new", lang)
        return Reply(self.t(lang, "campaign.resume", name=name), ((self.continue_button(record, lang),), (other,)))

    def continue_button(self, record: CampaignRecord, lang: str) -> Button:
        """ "▶️ Continue: <plan>", in the offer to resume and on the main menu."""
        name = short_label(campaign_name(record.name, self.locales, lang), 30)
        return Button(self.t(lang, "campaign.list.menu_continue", name=name), callbacks.planner("continue", record.id))

    def question(self, draft: CampaignDraft, lang: str, tip: str | None = None, selected: list[str] | None = None) -> Reply:
        """The current question (or the summary) with its choices, control buttons and a library tip."""
        step = draft.next_step()
        if step is None:
            controls = [self._button(b, lang) for b in buttons_for(None, draft)]
            return Reply(summary_text(draft, self.locales, lang), rows(controls, 2))
        text = prompt_html(draft, step, self.locales, lang)
        tip_text, tip_button = self._tip(tip or get_step(step).tip, lang)
        if tip_text:
            text += "\n\n" + self.t(lang, "campaign.format.tip", tip=tip_text)
        choices = self._choices(step, lang, selected)
        controls = [self._button(b, lang) for b in buttons_for(None, draft)]
        tip_row = ((tip_button,),) if tip_button else ()
        return Reply(text, (*choices, *tip_row, *rows(controls, 3)))

    def toggle(self, draft: CampaignDraft, lang: str, at_step: str, mask: str, index: str) -> Reply:
        """A multi-choice button was tapped: the same question with that choice switched. A box from
        another question (an old message) shows the current question again, unchanged."""
        step = draft.next_step()
        if step is None or step != at_step or get_step(step).kind != MULTI or not index.isdigit():
            return self.question(draft, lang)
        choices = get_step(step).choices
        selected = set(decode_choices(mask, step))
        if int(index) < len(choices):
            selected ^= {choices[int(index)]}
        return replace(self.question(draft, lang, selected=[c for c in choices if c in selected]), edit=True)

    def plan(self, draft: CampaignDraft, lang: str) -> list[Reply]:
        """The finished plan as a message and as a Markdown document to forward to colleagues."""
        checklist = [
            (article_id, self.library.articles[article_id].text(lang)[0].title)
            for article_id in relevant_articles(draft.answers.get("problem"), draft.answers.get("platforms") or [])
            if article_id in self.library.articles
        ]
        plan = build_plan(draft, self.locales, lang, checklist)
        filename = f"{_slug(draft.name) or 'campaign-plan'}.md"
        article_buttons = tuple((self._article_button(article_id, title, lang),) for article_id, title in checklist[:3])
        return [
            Reply(self.t(lang, "campaign.confirmed")),
            Reply(plan.as_text(), article_buttons),
            Reply(document=Document(filename, plan.as_markdown().encode("utf-8"), caption=html.escape(plan.title))),
        ]

    def _choices(self, step: str, lang: str, selected: list[str] | None) -> tuple[tuple[Button, ...], ...]:
        definition = get_step(step)
        if not definition.choices:
            return ()
        if definition.kind != MULTI:
            return rows(
                [Button(label, callbacks.planner("v", step, value)) for value, label in choice_buttons(step, self.locales, lang)], 2
            )
        chosen = selected or []
        mask = encode_choices(chosen, step)
        toggles = [
            Button(
                self.t(lang, f"campaign.button.{'ticked' if value in chosen else 'unticked'}", label=label),
                callbacks.planner("t", step, mask, index),
            )
            for index, (value, label) in enumerate(choice_buttons(step, self.locales, lang))
        ]
        done = Button(button_label("done", self.locales, lang), callbacks.planner("m", step, mask))
        return (*rows(toggles, 2), (done,)) if chosen else rows(toggles, 2)

    def _tip(self, article_id: str | None, lang: str) -> tuple[str, Button | None]:
        article = self.library.article(article_id) if article_id else None
        if article is None:
            return "", None
        text, _ = article.text(lang)
        first = re.split(r"(?<=[.!?।။؟])\s", _TAGS.sub("", text.answer).strip(), maxsplit=1)[0]
        return html.escape(first), self._article_button(article.id, text.title, lang)

    def _article_button(self, article_id: str, title: str, lang: str) -> Button:
        return Button(self.t(lang, "campaign.button.article", title=short_label(title, 40)), callbacks.article(article_id))

    def _button(self, button: str, lang: str) -> Button:
        return Button(button_label(button, self.locales, lang), control(button))


def _slug(name: str) -> str:
    return re.sub(r"[^\w]+", "-", name.lower(), flags=re.UNICODE).strip("-")[:60]
