"""The finished plan: a short Telegram summary message and a full Markdown document to forward.

Headings and labels come from `campaign.*` locale keys; user text is escaped for each output format.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.campaign.calendar import Post, Week, calendar_for, campaign_end
from bot.campaign.display import (
    choice_label,
    counted,
    format_answer,
    format_date,
    format_range,
    hours_text,
    localize_digits,
    step_label,
)
from bot.campaign.steps import STEP_NAMES

if TYPE_CHECKING:
    from bot.campaign.draft import CampaignDraft
    from bot.language.locales import Locales

TEXT_LIMIT = 3500  # Telegram allows 4096; leave room for buttons text and entity overhead
TEXT_MAX_WEEKS = 4  # weeks listed in the chat message; the document has them all
_SHORTENED = {"audience": 200, "message": 300, "problem": 150, "moderator": 120, "name": 120}

PROBLEM_ARTICLES: dict[str, tuple[str, ...]] = {
    "hate_speech": ("mg-hateful-comments", "mg-moderation", "cc-counter-narrative"),
    "misinformation": ("mi-verify", "mi-respond", "mi-report", "mi-prebunk"),
    "tension": ("cc-storytelling", "cc-counter-narrative", "mg-moderation"),
    "extremism": ("cc-counter-narrative", "mg-security", "mg-harassment"),
}
PLATFORM_ARTICLES: dict[str, tuple[str, ...]] = {
    "whatsapp": ("mi-whatsapp",),
    "telegram": ("mi-whatsapp",),  # the article covers rumours in every closed messaging group
    "line": ("mi-whatsapp",),
    "viber": ("mi-whatsapp",),
    "imo": ("mi-whatsapp",),
    "tiktok": ("cc-formats",),
    "youtube": ("cc-formats",),
    "instagram": ("cc-formats",),
}
ALWAYS_ARTICLES = ("im-metrics", "mg-security")


def relevant_articles(problem: str | None, platforms: Iterable[str]) -> list[str]:
    """Library article ids worth reading before launch: problem first, then platforms, then the basics."""
    ids = list(PROBLEM_ARTICLES.get(problem or "", ()))
    for platform in platforms:
        ids.extend(PLATFORM_ARTICLES.get(platform, ()))
    ids.extend(ALWAYS_ARTICLES)
    return list(dict.fromkeys(ids))


def summary_text(draft: CampaignDraft, locales: Locales, lang: str) -> str:
    """Telegram HTML for the summary step: every answer on its own labelled line, then what to do."""
    lines = [f"<b>{html.escape(locales.text(lang, 'campaign.summary_title'))}</b>", ""]
    for step in STEP_NAMES:
        value = format_answer(step, draft.answers, locales, lang) or locales.text(lang, "campaign.value.not_answered")
        lines.append(f"<b>{html.escape(step_label(step, locales, lang))}:</b> {html.escape(value)}")
    lines += ["", locales.text(lang, "campaign.summary_footer")]
    return "\n".join(lines)


def _markdown_escape(text: str) -> str:
    """User text that cannot break the document: Markdown markers, table pipes and HTML escaped, one line."""
    return re.sub(r"([\\`*_\[\]|<>#])", r"\\\1", " ".join(text.split()))


def _html_short(text: str, limit: int) -> str:
    """HTML-escaped text of at most `limit` characters after escaping, ending with an ellipsis when cut."""
    if len(html.escape(text)) <= limit:
        return html.escape(text)
    cut = text[:limit]
    while cut and len(html.escape(cut)) + 1 > limit:
        cut = cut[:-1]
    return html.escape(cut.rstrip()) + "…"


@dataclass(frozen=True)
class Plan:
    """A complete campaign plan in one language, ready to render as a chat message or a document."""

    lang: str
    answers: dict[str, Any]
    weeks: tuple[Week, ...]
    checklist: tuple[tuple[str, str], ...]
    locales: Locales = field(repr=False, compare=False)

    def _t(self, key: str, **params: Any) -> str:
        """A `campaign.*` string in the plan's language."""
        return self.locales.text(self.lang, f"campaign.{key}", **params)

    def _answer(self, step: str) -> str:
        """An answer as plain text, ready for escaping."""
        return format_answer(step, self.answers, self.locales, self.lang)

    @property
    def title(self) -> str:
        """ "Campaign plan: <name>", used by both outputs."""
        return self._t("plan.title", name=self.answers.get("name", ""))

    def timing(self) -> str:
        """ "Tue 1 Dec – Mon 11 Jan 2027 · 6 weeks · 3 posts a week"."""
        start = date.fromisoformat(str(self.answers["start_date"]))
        return self._t(
            "plan.timing_line",
            dates=format_range(start, campaign_end(self.answers), self.locales, self.lang),
            weeks=counted("weeks", int(self.answers["duration_weeks"]), self.locales, self.lang),
            posts=counted("posts", int(self.answers["posts_per_week"]), self.locales, self.lang),
        )

    def moderation(self) -> str:
        """Who moderates and how fast replies come; a nudge to pick someone when skipped."""
        time = hours_text(int(self.answers["response_time"]), self.locales, self.lang)
        moderator = self.answers.get("moderator")
        if not moderator:
            return self._t("plan.no_moderator", time=time)
        return self._t("plan.moderation_line", moderator=moderator, time=time)

    def _post_line(self, post: Post) -> str:
        """One post: date, platform and format."""
        return self._t(
            "plan.post",
            date=format_date(post.day, self.locales, self.lang, with_year=False),
            platform=choice_label("platforms", post.platform, self.locales, self.lang),
            format=choice_label("formats", post.format, self.locales, self.lang),
        )

    def _week_heading(self, week: Week) -> str:
        """ "Week 1 · dates · theme"."""
        return " · ".join(
            [
                localize_digits(self._t("plan.week", number=week.number), self.locales, self.lang),
                format_range(week.start, week.end, self.locales, self.lang),
                self._t(f"theme.{week.theme}"),
            ]
        )

    # --- chat message ------------------------------------------------------------------------------------

    def as_text(self) -> str:
        """Telegram HTML under 3500 characters: the essentials and as many of the first weeks as fit."""
        head, tail = self._text_head(None), self._text_tail()
        if len(head) + len(tail) > TEXT_LIMIT // 2:
            head = self._text_head(_SHORTENED)
        shown: list[str] = []
        for week in self.weeks[:TEXT_MAX_WEEKS]:
            candidate = [*shown, self._text_week(week)]
            if len(self._join(head, candidate, tail)) > TEXT_LIMIT:
                break
            shown = candidate
        text = self._join(head, shown, tail)
        return text if len(text) <= TEXT_LIMIT else self._join(head, shown, "")

    def _join(self, head: str, weeks: list[str], tail: str) -> str:
        """The chat message from its parts, with the "more weeks" line when weeks were left out."""
        parts = [head, *weeks, self._text_more(len(self.weeks) - len(weeks)), tail]
        return "\n\n".join(part for part in parts if part)

    def _text_head(self, limits: dict[str, int] | None) -> str:
        """Title and one line per essential answer; with `limits`, long user text is shortened."""
        limits = limits or {}

        def value(text: str, step: str) -> str:
            return _html_short(text, limits[step]) if step in limits else html.escape(text)

        lines = [f"<b>{value(self.title, 'name')}</b>", ""]
        for step in ("problem", "audience", "platforms", "message", "formats"):
            shown = value(self._answer(step), step)
            shown = f"<i>{shown}</i>" if step == "message" else shown
            lines.append(f"<b>{html.escape(step_label(step, self.locales, self.lang))}:</b> {shown}")
        lines.append(f"<b>{html.escape(self._t('plan.timing'))}:</b> {html.escape(self.timing())}")
        metrics = html.escape(self._answer("metrics"))
        lines.append(f"<b>{html.escape(step_label('metrics', self.locales, self.lang))}:</b> {metrics}")
        lines.append(f"<b>{html.escape(self._t('plan.moderation'))}:</b> {value(self.moderation(), 'moderator')}")
        lines += ["", f"<b>{html.escape(self._t('plan.calendar'))}</b>"]
        return "\n".join(lines)

    def _text_week(self, week: Week) -> str:
        """One calendar week as HTML lines."""
        lines = [f"<b>{html.escape(self._week_heading(week))}</b>"]
        lines += [f"• {html.escape(self._post_line(post))}" for post in week.posts]
        if week.check_in:
            lines.append(f"📊 <i>{html.escape(self._t('plan.check_in'))}</i>")
        return "\n".join(lines)

    def _text_more(self, remaining: int) -> str:
        """Points to the document for the weeks the chat message leaves out."""
        if remaining <= 0:
            return ""
        form = "one" if remaining == 1 else "other"
        count = localize_digits(str(remaining), self.locales, self.lang)
        return f"<i>{html.escape(self._t(f'plan.more_weeks_{form}', count=count))}</i>"

    def _text_tail(self) -> str:
        """The library articles to read before launch."""
        if not self.checklist:
            return ""
        lines = [f"<b>{html.escape(self._t('plan.checklist'))}</b>"]
        lines += [f"• {html.escape(title)}" for _, title in self.checklist]
        return "\n".join(lines)

    # --- document ----------------------------------------------------------------------------------------

    def as_markdown(self) -> str:
        """The full plan as a Markdown document with the whole calendar, for forwarding to the team."""
        md = _markdown_escape
        label = self._label
        sections = [
            (label("problem"), [md(self._answer("problem"))]),
            (label("audience"), [md(self._answer("audience"))]),
            (label("platforms"), self._md_items("platforms")),
            (label("message"), [f"> {md(self._answer('message'))}"]),
            (label("formats"), self._md_items("formats")),
            (self._t("plan.timing"), [md(self.timing())]),
            (self._t("plan.calendar"), self._md_table()),
            (label("metrics"), [*self._md_items("metrics"), "", md(self._t("plan.metrics_tip"))]),
            (self._t("plan.moderation"), [md(self.moderation())]),
        ]
        if self.checklist:
            sections.append((self._t("plan.checklist"), [f"- [ ] {md(title)}" for _, title in self.checklist]))
        out = [f"# {md(self.title)}", ""]
        for heading, body in sections:
            out += [f"## {md(heading)}", "", *body, ""]
        out += ["---", f"_{md(self._t('plan.footer'))}_", ""]
        return "\n".join(out)

    def _label(self, step: str) -> str:
        """Heading for a question's section."""
        return step_label(step, self.locales, self.lang)

    def _md_items(self, step: str) -> list[str]:
        """A Markdown bullet per chosen value."""
        values = self.answers.get(step) or []
        return [f"- {_markdown_escape(choice_label(step, value, self.locales, self.lang))}" for value in values]

    def _md_table(self) -> list[str]:
        """The calendar as a Markdown table, one row per week."""
        columns = [self._t(f"plan.table_{name}") for name in ("week", "dates", "theme", "posts")]
        rows = ["| " + " | ".join(_markdown_escape(c) for c in columns) + " |", "|---|---|---|---|"]
        for week in self.weeks:
            theme = self._t(f"theme.{week.theme}")
            if week.check_in:
                theme = f"{theme} 📊 {self._t('plan.check_in')}"
            cells = [
                localize_digits(str(week.number), self.locales, self.lang),
                format_range(week.start, week.end, self.locales, self.lang),
                theme,
                "; ".join(self._post_line(post) for post in week.posts),
            ]
            rows.append("| " + " | ".join(_markdown_escape(cell) for cell in cells) + " |")
        return rows


def build_plan(draft: CampaignDraft, locales: Locales, lang: str, library_checklist: Sequence[tuple[str, str]]) -> Plan:
    """A plan from a draft whose required answers are all in; `library_checklist` is (article id, title)."""
    if not draft.is_complete():
        raise ValueError("build_plan needs every required answer; check draft.is_complete() first")
    answers = dict(draft.answers)
    return Plan(lang, answers, tuple(calendar_for(answers)), tuple(library_checklist), locales)
