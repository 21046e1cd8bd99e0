"""Render the planner's specs as replies in the user's language: questions, choices, tips, the plan."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import replace
from typing import Any

from bot import callbacks
from bot.campaign.choices import choice_ids
from bot.campaign.display import campaign_name, choice_buttons, edit_buttons, prompt_html
from bot.campaign.document import plan_html
from bot.campaign.draft import CampaignDraft
from bot.campaign.flow import decode_choices, encode_choices, outcome_from
from bot.campaign.ics import plan_ics
from bot.campaign.plan import build_plan, relevant_articles, summary_text
from bot.campaign.replies import button_label, buttons_for, message_for
from bot.campaign.steps import get_step
from bot.language.locales import Locales
from bot.library.model import Library
from bot.replies import Button, Document, Reply, rows, short_label
from bot.storage.campaigns import CampaignRecord, CampaignRepository

MULTI = "multi"
_TAGS = re.compile(r"<[^>]+>")
TIP_LIMIT = 180  # characters of the one-line tip under a question; a longer first sentence ends with "…"
TIP_SPACE_AFTER = 40  # where a space ends sentences (Thai), it ends the tip only after this many characters
CONTROL_VALUES = {"cancel_confirm.yes": "yes", "cancel_confirm.no": "no", "start_new": "new"}


def control(button: str) -> str:
    """Callback data of a control button: short ASCII, never the label."""
    return callbacks.planner(CONTROL_VALUES.get(button, button))


class CampaignCards:
    def __init__(self, locales: Locales, library: Library, campaigns: CampaignRepository, bot_username: str | None = None) -> None:
        self.locales = locales
        self.library = library
        self.campaigns = campaigns
        self.bot_username = bot_username  # for links from the HTML plan back to the bot's articles

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
        return [self.question(draft, lang, spec.get("tip"), intro=bool(spec.get("intro")))]

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

    def question(
        self, draft: CampaignDraft, lang: str, tip: str | None = None, selected: list[str] | None = None, intro: bool = False
    ) -> Reply:
        """The current question (or the summary) with its choices, control buttons and a library tip; with
        `intro`, the planner's introduction above it (the first question of a new plan)."""
        step = draft.next_step()
        if step is None:
            controls = [self._button(b, lang) for b in buttons_for(None, draft)]
            return Reply(summary_text(draft, self.locales, lang), rows(controls, 2))
        text = prompt_html(draft, step, self.locales, lang)
        if intro:
            text = self.t(lang, "campaign.intro") + "\n\n" + text
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
        choices = choice_ids(get_step(step), self.locales)
        selected = set(decode_choices(mask, step, self.locales))
        if int(index) < len(choices):
            selected ^= {choices[int(index)]}
        return replace(self.question(draft, lang, selected=[c for c in choices if c in selected]), edit=True)

    def plan(self, draft: CampaignDraft, lang: str) -> list[Reply]:
        """The finished plan as a message, then as files: an HTML page for phones and printing, an .ics
        calendar of the posting days, and the Markdown to edit and forward."""
        checklist = [
            (article_id, self.library.articles[article_id].text(lang)[0].title)
            for article_id in relevant_articles(draft.answers.get("problem"), draft.answers.get("platforms") or [])
            if article_id in self.library.articles
        ]
        plan = build_plan(draft, self.locales, lang, checklist)
        stem = file_stem(draft.name, self.t(lang, "campaign.plan.file_name"))
        article_buttons = tuple((self._article_button(article_id, title, lang),) for article_id, title in checklist[:3])
        page_caption = f"<b>{html.escape(plan.title)}</b>\n{html.escape(self.t(lang, 'campaign.plan.file_html'))}"
        files = [
            Document(f"{stem}.html", plan_html(plan, self.bot_username).encode("utf-8"), caption=page_caption),
            Document(f"{stem}.ics", plan_ics(plan).encode("utf-8"), caption=html.escape(self.t(lang, "campaign.plan.file_ics"))),
            Document(f"{stem}.md", plan.as_markdown().encode("utf-8"), caption=html.escape(self.t(lang, "campaign.plan.file_md"))),
        ]
        return [
            Reply(self.t(lang, "campaign.confirmed")),
            Reply(plan.as_text(), article_buttons),
            *(Reply(document=document) for document in files),
        ]

    def _choices(self, step: str, lang: str, selected: list[str] | None) -> tuple[tuple[Button, ...], ...]:
        definition = get_step(step)
        ids = choice_ids(definition, self.locales)  # a toggle's index is its bit in the mask, whatever the order shown
        if not ids:
            return ()
        if definition.kind != MULTI:
            return rows(
                [Button(label, callbacks.planner("v", step, value)) for value, label in choice_buttons(step, self.locales, lang)], 2
            )
        chosen = selected or []
        mask = encode_choices(chosen, step, self.locales)
        toggles = [
            Button(
                self.t(lang, f"campaign.button.{'ticked' if value in chosen else 'unticked'}", label=label),
                callbacks.planner("t", step, mask, ids.index(value)),
            )
            for value, label in choice_buttons(step, self.locales, lang)
        ]
        done = Button(button_label("done", self.locales, lang), callbacks.planner("m", step, mask))
        return (*rows(toggles, 2), (done,)) if chosen else rows(toggles, 2)

    def _tip(self, article_id: str | None, lang: str) -> tuple[str, Button | None]:
        article = self.library.article(article_id) if article_id else None
        if article is None:
            return "", None
        text, _ = article.text(lang)
        first = first_sentence(html.unescape(_TAGS.sub("", text.answer)), self.t(lang, "campaign.format.sentence_end"))
        return html.escape(first), self._article_button(article.id, text.title, lang)

    def _article_button(self, article_id: str, title: str, lang: str) -> Button:
        return Button(self.t(lang, "campaign.button.article", title=short_label(title, 40)), callbacks.article(article_id))

    def _button(self, button: str, lang: str) -> Button:
        return Button(button_label(button, self.locales, lang), control(button))


def first_sentence(text: str, ends: str, limit: int = TIP_LIMIT) -> str:
    """The first sentence of `text`, at most `limit` characters (a longer one is cut between words, "…").

    `ends` holds the marks that end a sentence when a space or the end of the text follows (the danda, U+0964, in Bengali;
    the full stop U+06D4 in Urdu). A space among them means a space ends sentences, as in Thai; as a space there also separates
    phrases, it ends the tip only after `TIP_SPACE_AFTER` characters. A line break always ends a sentence."""
    text = text.strip()
    marks = "".join(mark for mark in ends if not mark.isspace())
    cuts = [len(text), *(match.start() for match in re.finditer(r"\n", text))]
    if marks:
        cuts += [match.end() for match in re.finditer(rf"[{re.escape(marks)}](?=\s|$)", text)]
    if len(marks) < len(ends):
        cuts += [m.start() for m in re.finditer(r"\s+", text) if m.start() >= TIP_SPACE_AFTER and _starts_a_word(text, m.end())]
    first = " ".join(text[: min(cuts)].split())
    if len(first) <= limit:
        return first
    cut = ""
    for cluster in _graphemes(first):  # never half a letter: its marks and Thai leading vowels stay with it
        if len(cut) + len(cluster) > limit - 1:
            break
        cut += cluster
    if cut.rfind(" ") > limit // 2:
        cut = cut[: cut.rfind(" ")]
    while cut and unicodedata.category(cut[-1])[0] in "PZ":
        cut = cut[:-1]
    return cut + "…"


def _starts_a_word(text: str, index: int) -> bool:
    """After a space: not Thai ๆ (which repeats the word before the space) or a mark."""
    return index < len(text) and unicodedata.category(text[index]) not in ("Lm", "Mn", "Mc")


STEM_LIMIT = 60  # characters in a file name before its extension
_JOINERS = "\u200c\u200d"  # zero-width (non-)joiner: part of how some Bengali and Urdu words are spelt
_THAI_LAO_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")  # written before their consonant


def file_stem(name: str | None, fallback: str) -> str:
    """A file name (without extension) from a plan's name that keeps every letter of any script.

    Letters, combining marks and digits stay (so do zero-width joiners inside a word); each run of anything
    else becomes one "-". A long name is cut between whole graphemes, `STEM_LIMIT` characters at most. When
    nothing is left, `fallback` (the localized "campaign-plan") is used."""
    return _stem(name or "") or _stem(fallback)


def _stem(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    stem = re.sub(r"-{2,}", "-", "".join(char if _kept(char) else "-" for char in text))
    stem = stem.lstrip("-" + _JOINERS)
    while stem and _is_mark(stem[0]):  # a mark with no letter to sit on
        stem = stem[1:].lstrip("-" + _JOINERS)
    stem = stem.rstrip("-" + _JOINERS)
    return stem if len(stem) <= STEM_LIMIT else _shorten(stem, STEM_LIMIT)


def _kept(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN" or char in _JOINERS


def _shorten(stem: str, limit: int) -> str:
    """At most `limit` characters of whole graphemes, ending on one without a combining mark; only when
    every grapheme in reach has one (বাংলা ভাষা), on the last whole grapheme that fits."""
    clusters: list[str] = []
    length = 0
    for cluster in _graphemes(stem):
        if length + len(cluster) > limit:
            break
        clusters.append(cluster)
        length += len(cluster)
    fitting = list(clusters)
    while clusters and (clusters[-1] == "-" or _is_mark(clusters[-1][-1])):
        clusters.pop()
    return "".join(clusters or fitting).rstrip("-" + _JOINERS)


def _graphemes(text: str) -> list[str]:
    """User-perceived characters: a letter with its marks, Indic conjuncts joined by a virama, and Thai
    and Lao vowels written before their consonant kept with it."""
    clusters: list[str] = []
    for char in text:
        if clusters and _continues(clusters[-1], char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _continues(cluster: str, char: str) -> bool:
    last = cluster[-1]
    if _is_mark(char) or char in _JOINERS:
        return True
    joined = unicodedata.combining(last) == 9 or last == "\u200d" or last in _THAI_LAO_LEADING_VOWELS  # 9: virama
    return joined and unicodedata.category(char).startswith("L")


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M") or char in _JOINERS
