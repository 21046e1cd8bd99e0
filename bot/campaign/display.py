"""Turning stored answers into words in the user's language: dates, counts, choice labels, prompts.

Functions returning plain text leave escaping to the caller (HTML for Telegram, Markdown for the document);
functions named `*_html` return Telegram HTML with user text already escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.campaign.choices import choice_order, name_of
from bot.campaign.steps import STEP_NAMES, get_step
from bot.campaign.words import ascii_digits

if TYPE_CHECKING:
    from bot.campaign.draft import CampaignDraft
    from bot.language.locales import Locales

_ASCII_DIGITS = "0123456789"


def localize_digits(text: str, locales: Locales, lang: str) -> str:
    """Digits the bot generated (dates, counts) in the language's own numerals, e.g. ৬ in Bengali."""
    digits = locales.text(lang, "campaign.format.digits")
    if len(digits) != 10 or digits == _ASCII_DIGITS:
        return text
    return text.translate(str.maketrans(_ASCII_DIGITS, digits))


def campaign_name(name: str | None, locales: Locales, lang: str) -> str:
    """A plan's name for display: plans are saved before the user has named them."""
    return name or locales.text(lang, "campaign.list.unnamed")


def counted(key: str, count: int, locales: Locales, lang: str) -> str:
    """`<key>_one` or `<key>_other` filled with the count: "1 week", "6 weeks", "৬ সপ্তাহ"."""
    form = "one" if count == 1 else "other"
    return locales.text(lang, f"campaign.value.{key}_{form}", count=localize_digits(str(count), locales, lang))


def format_date(day: date, locales: Locales, lang: str, with_year: bool = True) -> str:
    """ "Tue 1 Dec 2026" in the language's own order and names (Thai years in the Buddhist era)."""
    weekdays = locales.word_list(lang, "campaign.format.weekdays")
    months = locales.word_list(lang, "campaign.format.months")
    offset = int(locales.text(lang, "campaign.format.year_offset") or 0)
    key = "campaign.format.date" if with_year else "campaign.format.date_short"
    text = locales.text(
        lang,
        key,
        weekday=weekdays[day.weekday()],
        day=str(day.day),
        month=months[day.month - 1],
        year=str(day.year + offset),
    )
    return localize_digits(text, locales, lang)


def format_range(start: date, end: date, locales: Locales, lang: str) -> str:
    """ "Tue 1 Dec – Mon 7 Dec 2026"."""
    return locales.text(
        lang,
        "campaign.format.range",
        start=format_date(start, locales, lang, with_year=start.year != end.year),
        end=format_date(end, locales, lang),
    )


def join_list(items: Sequence[str], locales: Locales, lang: str) -> str:
    """Items joined with the language's list separator (Urdu uses "، ")."""
    return locales.text(lang, "campaign.format.list_separator").join(items)


def choice_label(step: str, value: str, locales: Locales, lang: str) -> str:
    """Button label of a choice, e.g. ("platforms", "x") -> "X (Twitter)"; a choice the user named, as they
    typed it ("name:Mastodon" -> "Mastodon"); an id whose label has left the locale files, as the id."""
    name = name_of(value)
    if name is not None:
        return name
    key = f"campaign.choice.{step}.{value}"
    return locales.text(lang, key) if locales.has(lang, key) or locales.has("en", key) else str(value)


def age_text(ages: Sequence[int | None] | None, locales: Locales, lang: str) -> str:
    """ "ages 18–25" or "ages 18+", or "" when no range was given."""
    if not ages:
        return ""
    low, high = ages[0], ages[1] if len(ages) > 1 else None
    if high is None:
        text = locales.text(lang, "campaign.value.ages_from", min=low)
    else:
        text = locales.text(lang, "campaign.value.ages", min=low, max=high)
    return localize_digits(text, locales, lang)


def hours_text(hours: int, locales: Locales, lang: str) -> str:
    """ "within 4 hours", or in days when it is a whole number of days ("within 2 days")."""
    if hours >= 24 and hours % 24 == 0:
        return counted("days", hours // 24, locales, lang)
    return counted("hours", hours, locales, lang)


def format_answer(step: str, answers: Mapping[str, Any], locales: Locales, lang: str) -> str:
    """The stored answer to `step` as plain text for summaries and plans; "" when not answered yet."""
    if step not in answers:
        return ""
    value = answers[step]
    if value is None:
        return locales.text(lang, "campaign.value.skipped")
    kind = get_step(step).parser
    if kind == "problem":
        label = choice_label(step, str(value), locales, lang)
        detail = answers.get("problem_detail")
        return locales.text(lang, "campaign.value.with_detail", value=label, detail=detail) if detail else label
    if kind == "audience":
        ages = age_text(answers.get("audience_age"), locales, lang)
        age_range = answers.get("audience_age") or []
        already_said = bool(age_range) and str(age_range[0]) in ascii_digits(str(value))  # "students, 18-25"
        return locales.text(lang, "campaign.value.with_detail", value=value, detail=ages) if ages and not already_said else str(value)
    if kind == "multi":
        return join_list([choice_label(step, item, locales, lang) for item in value], locales, lang)
    if kind == "date":
        return format_date(date.fromisoformat(str(value)), locales, lang)
    if kind == "weeks":
        return counted("weeks", int(value), locales, lang)
    if kind == "posts":
        return counted("posts", int(value), locales, lang)
    if kind == "hours":
        return hours_text(int(value), locales, lang)
    return str(value)


def step_label(step: str, locales: Locales, lang: str) -> str:
    """Short name of a question, for the summary and the edit buttons."""
    return locales.text(lang, f"campaign.label.{step}")


def prompt_html(draft: CampaignDraft, step: str, locales: Locales, lang: str) -> str:
    """The question for `step`: "Question 3 of 12", the prompt, and the current answer when revisiting."""
    counter = locales.text(lang, "campaign.step_counter", number=STEP_NAMES.index(step) + 1, total=len(STEP_NAMES))
    counter = html.escape(localize_digits(counter, locales, lang))
    if draft.pending is not None:  # "Other" was picked: ask its name, and show what is already chosen
        lines = [f"<i>{counter}</i>", locales.text(lang, f"campaign.ask_other.{step}")]
        if draft.pending:
            kept = join_list([choice_label(step, value, locales, lang) for value in draft.pending], locales, lang)
            lines.append(locales.text(lang, "campaign.kept", value=html.escape(kept)))
        return "\n".join(lines)
    lines = [f"<i>{counter}</i>", locales.text(lang, f"campaign.ask.{step}")]
    current = format_answer(step, draft.answers, locales, lang)
    if current:
        lines.append(locales.text(lang, "campaign.current_answer", value=html.escape(current)))
    return "\n".join(lines)


def choice_buttons(step: str, locales: Locales, lang: str) -> list[tuple[str, str]]:
    """(payload, label) for each choice of a choice or multi-choice question, in the language's order of
    them (LINE first in Thai); [] for free-text ones."""
    return [(value, choice_label(step, value, locales, lang)) for value in choice_order(get_step(step), locales, lang)]


def edit_buttons(locales: Locales, lang: str) -> list[tuple[str, str]]:
    """(step, label) for every question, for "which answer do you want to change?"."""
    return [(step, step_label(step, locales, lang)) for step in STEP_NAMES]
