"""Reading free-text replies in any of the bot's languages into answer values.

Every parser returns a `Parsed`: either a JSON-serialisable value or a `campaign.error.*` locale key with
its parameters, so the caller can tell the user *why* a reply was not understood, in their language.
Nothing here talks to Telegram, Rasa or a database, and "today" is always passed in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.campaign.choices import OTHER
from bot.campaign.steps import RESPONSE_TIMES, Step
from bot.campaign.words import Table, Vocabulary, ascii_digits, normalize

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DAY_FIRST_DATE = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}|\d{2}))?(?!\d)")
_MIN_AGE, _MAX_AGE = 5, 99
_WEEKS_PER_MONTH = 52 / 12
_BUDDHIST_ERA_OFFSET = 543  # Thai users often write 2569 for 2026


@dataclass(frozen=True)
class Parsed:
    """A parsed reply: `value` when understood, else `error` (a locale key) and `params` for its text."""

    value: Any = None
    error: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # further answer keys, e.g. {"audience_age": [18, 25]}

    @property
    def ok(self) -> bool:
        """The reply was understood."""
        return self.error is None


# Refusals of a reply that was read but lies outside the step's limits ("100 posts a week", "0 weeks"): such a
# reply is an answer to the question, never a question for the library, and the error names the limits.
OUT_OF_LIMITS = frozenset(f"campaign.error.{name}" for name in ("weeks_range", "posts_range", "hours_range", "date_past", "date_too_far"))


def _fail(error: str, **params: Any) -> Parsed:
    """A refusal naming the `campaign.error.<error>` text that explains it."""
    return Parsed(error=f"campaign.error.{error}", params=params)


def clean_text(text: str) -> str:
    """Whitespace collapsed to single spaces, so limits count what the plan will show."""
    return " ".join(str(text).split())


def parse_text(text: str, minimum: int, maximum: int) -> Parsed:
    """Free text within length limits; it must hold at least one letter or digit."""
    cleaned = clean_text(text)
    if not cleaned:
        return _fail("empty")
    if len(cleaned) < minimum or not any(char.isalnum() for char in cleaned):
        return _fail("too_short", min=minimum)
    if len(cleaned) > maximum:
        return _fail("too_long", max=maximum, length=len(cleaned))
    return Parsed(cleaned)


def parse_age_range(text: str, vocabulary: Vocabulary) -> list[int | None] | None:
    """An age range like "18-25", "18 to 25", "১৮ থেকে ২৫" or "18+" inside free text, else None."""
    raw = ascii_digits(text).casefold()
    joiners = "|".join([r"[-–—~]"] + [re.escape(word) for word in vocabulary.range_words])
    found = re.search(rf"(?<!\d)(\d{{1,2}})\s*(?:{joiners})\s*(\d{{1,2}})(?!\d)", raw)
    if found:
        low, high = int(found.group(1)), int(found.group(2))
        return [low, high] if _MIN_AGE <= low <= high <= _MAX_AGE else None
    found = re.search(r"(?<!\d)(\d{1,2})\s*\+", raw)
    if found and _MIN_AGE <= int(found.group(1)) <= _MAX_AGE:
        return [int(found.group(1)), None]
    return None


def parse_audience(text: str, step: Step, vocabulary: Vocabulary) -> Parsed:
    """Who, where and (optionally) what age: the text as typed, plus the age range when one is given."""
    parsed = parse_text(text, step.minimum or 0, step.maximum or 0)
    if not parsed.ok:
        return parsed
    ages = parse_age_range(parsed.value, vocabulary)
    return Parsed(parsed.value, extra={"audience_age": ages} if ages else {})


def parse_problem(reply: str, step: Step, vocabulary: Vocabulary) -> Parsed:
    """A problem choice from a button or words in any language; unmatched text is kept as "other"."""
    if reply in vocabulary.options[step.name]:
        return Parsed(reply)
    table = vocabulary.choices[step.name]
    normalized = normalize(reply)
    exact = table.exact(normalized)
    if exact:
        return Parsed(exact)
    found = [label for label in table.labels(normalized) if label != "other"] or table.labels(normalized)
    if found:
        return Parsed(found[0], extra={"problem_detail": clean_text(reply)[: step.maximum]})
    described = parse_text(reply, step.minimum or 0, step.maximum or 0)
    if not described.ok:
        return described if described.error == "campaign.error.too_long" else _fail("choice_unknown")
    return Parsed("other", extra={"problem_detail": described.value})


def parse_multi(reply: str | Sequence[str], step: Step, vocabulary: Vocabulary) -> Parsed:
    """Several choices at once, from button values or text like "fb, tiktok aur youtube" in any language; at a
    step that keeps names (platforms), one it does not know is kept as typed: "fb and Mastodon"."""
    choices = vocabulary.options[step.name]
    if not isinstance(reply, str):
        values = list(dict.fromkeys(str(value) for value in reply))
        if values and all(value in choices for value in values):
            return Parsed(values)
        return _fail(f"none_{step.name}")
    normalized = normalize(reply)
    found = _mentioned(reply, normalized, step, vocabulary)
    if vocabulary.every.scan(normalized):
        everything = [value for value in choices if value != OTHER]
        found = everything + [value for value in found if value not in everything]
    return Parsed(found) if found else _fail(f"none_{step.name}")


def _mentioned(reply: str, normalized: str, step: Step, vocabulary: Vocabulary) -> list[str]:
    """The choices a typed reply names, first mention first; at a step that keeps names, with the names of the
    ones the bot does not know."""
    table: Table = vocabulary.choices[step.name]
    exact = table.exact(normalized)
    if exact:
        return [exact]
    return vocabulary.mentions(step.name, reply) if step.named else table.labels(normalized)


def one_year_after(day: date) -> date:
    """The same day next year (28 February for 29 February): the latest allowed start."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _full_year(year: int) -> int:
    """Two-digit years are this century; Buddhist-era years (Thailand) become Gregorian."""
    if year < 100:
        return 2000 + year
    return year - _BUDDHIST_ERA_OFFSET if year >= 2400 else year


def _make_date(year: int | None, month: int, day: int, today: date) -> date | Parsed:
    """A real date; with no year, the next time that day comes round."""
    try:
        if year is not None:
            return date(_full_year(year), month, day)
        candidate = date(today.year, month, day)
        return candidate if candidate >= today else date(today.year + 1, month, day)
    except ValueError:
        return _fail("date_invalid")


def _numeric_date(raw: str, normalized: str, today: date, vocabulary: Vocabulary) -> date | Parsed:
    """Dates with digits: 2026-12-01, 1/12/2026 (day first), "1 December", "in 3 days"."""
    found = _ISO_DATE.search(raw)
    if found:
        return _make_date(int(found.group(1)), int(found.group(2)), int(found.group(3)), today)
    found = _DAY_FIRST_DATE.search(raw)
    if found:
        year = int(found.group(3)) if found.group(3) else None
        return _make_date(year, int(found.group(2)), int(found.group(1)), today)
    labels = vocabulary.dates.labels(normalized)
    months = [int(label.split(":")[1]) for label in labels if label.startswith("month:")]
    numbers = [int(number) for number in re.findall(r"\d+", normalized)]
    days = [number for number in numbers if 1 <= number <= 31]
    years = [number for number in numbers if number >= 1000]
    if len(months) == 1 and len(days) == 1:
        return _make_date(years[0] if years else None, months[0], days[0], today)
    units = [label for label in labels if label.startswith("unit:")]
    if not months and len(numbers) == 1 and len(units) == 1:
        return today + timedelta(days=numbers[0] * (7 if units[0] == "unit:week" else 1))
    return _fail("date_format")


def _relative_date(raw: str, normalized: str, today: date, vocabulary: Vocabulary) -> date | Parsed:
    """Dates in words: today, tomorrow, the day after, next week, (next) Monday; `raw` only mirrors _numeric_date."""
    labels = set(vocabulary.dates.labels(normalized)) - {"ignore", "next"}
    weekdays = {int(label.split(":")[1]) for label in labels if label.startswith("weekday:")}
    if len(weekdays) == 1:
        weekday = weekdays.pop()
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    offsets = {"today": 0, "tomorrow": 1, "day_after": 2, "next_week": 7 - today.weekday()}
    found = {offsets[label] for label in labels if label in offsets}
    if len(found) == 1 and not weekdays:
        return today + timedelta(days=found.pop())
    return _fail("date_format")


def parse_date(text: str, today: date, vocabulary: Vocabulary) -> Parsed:
    """A start date from today up to one year ahead, as an ISO string ("2026-12-01")."""
    raw = ascii_digits(str(text)).strip()
    normalized = normalize(raw)
    if not normalized:
        return _fail("empty")
    read = _numeric_date if re.search(r"\d", raw) else _relative_date
    day = read(raw, normalized, today, vocabulary)
    if isinstance(day, Parsed):
        return day
    if day < today:
        return _fail("date_past")
    if day > one_year_after(today):
        return _fail("date_too_far")
    return Parsed(day.isoformat())


@dataclass(frozen=True)
class Amount:
    """A number found in a reply (digits, or number words when there are no digits) and its units."""

    count: float | None
    units: frozenset[str]
    every_other_day: bool = False


def read_amount(text: str, vocabulary: Vocabulary) -> Amount | Parsed:
    """The one number in `text` with its unit words; two different numbers are refused as ambiguous."""
    raw = ascii_digits(str(text))
    labels = vocabulary.amounts.labels(normalize(raw))
    numbers = {float(number) for number in _NUMBER.findall(raw)}
    if not numbers:
        numbers = {float(label.split(":")[1]) for label in labels if label.startswith(("number:", "times:"))}
    if len(numbers) > 1:
        return _fail("number_many")
    units = frozenset(label.split(":")[1] for label in labels if label.startswith("unit:"))
    return Amount(numbers.pop() if numbers else None, units, "every_other_day" in labels)


def _in_range(value: int, step: Step, error: str) -> Parsed:
    """The value, or the range error with the step's limits."""
    if (step.minimum or 0) <= value <= (step.maximum or value):
        return Parsed(value)
    return _fail(error, min=step.minimum, max=step.maximum)


def _round(value: float) -> int:
    """Half up, as people round (2.5 weeks is 3), not banker's rounding."""
    return math.floor(value + 0.5)


def parse_weeks(text: str, step: Step, vocabulary: Vocabulary) -> Parsed:
    """Campaign length in weeks: "6", "6 weeks", "৬ সপ্তাহ", "2 months" (9 weeks), "45 days" (7 weeks)."""
    amount = read_amount(text, vocabulary)
    if isinstance(amount, Parsed):
        return amount
    count = amount.count if amount.count is not None else (1.0 if amount.units else None)
    if count is None:
        return _fail("number_missing")
    if "week" in amount.units:
        weeks = _round(count)
    elif "month" in amount.units:
        weeks = _round(count * _WEEKS_PER_MONTH)
    elif "year" in amount.units:
        weeks = _round(count * 52)
    elif "day" in amount.units:
        weeks = math.ceil(count / 7)
    else:
        weeks = _round(count)
    return _in_range(weeks, step, "weeks_range")


def parse_posts(text: str, step: Step, vocabulary: Vocabulary) -> Parsed:
    """Posts per week: "3", "3 a week", "3/week", "daily" (7), "twice a week" (2), "twice a day" (14)."""
    amount = read_amount(text, vocabulary)
    if isinstance(amount, Parsed):
        return amount
    if amount.count is None and amount.every_other_day:
        return _in_range(4, step, "posts_range")
    count = amount.count if amount.count is not None else (1.0 if amount.units else None)
    if count is None:
        return _fail("number_missing")
    if "week" in amount.units:
        posts = count
    elif "day" in amount.units:
        posts = count * 7
    elif "month" in amount.units:
        posts = max(1.0, count / _WEEKS_PER_MONTH)
    else:
        posts = count
    return _in_range(_round(posts), step, "posts_range")


def parse_hours(reply: str, step: Step, vocabulary: Vocabulary) -> Parsed:
    """Reply time in hours: a button ("4h"), or "2 hours", "30 minutes" (1), "a day" (24), "২ ঘণ্টা"."""
    if reply in RESPONSE_TIMES:
        return Parsed(int(reply[:-1]))
    amount = read_amount(reply, vocabulary)
    if isinstance(amount, Parsed):
        return amount
    count = amount.count if amount.count is not None else (1.0 if amount.units else None)
    if count is None:
        return _fail("number_missing")
    factor = next((f for unit, f in (("minute", 1 / 60), ("week", 168.0), ("day", 24.0)) if unit in amount.units), 1.0)
    return _in_range(math.ceil(round(count * factor, 6)), step, "hours_range")


def parse_answer(step: Step, reply: str | Sequence[str], today: date, vocabulary: Vocabulary) -> Parsed:
    """Parse a reply to `step` with that step's parser; lists are accepted for multi-choice steps only."""
    if not isinstance(reply, str) and step.parser != "multi":
        raise TypeError(f"step {step.name!r} takes text, not {type(reply).__name__}")
    if step.parser == "text":
        return parse_text(reply, step.minimum or 0, step.maximum or 0)
    if step.parser == "audience":
        return parse_audience(reply, step, vocabulary)
    if step.parser == "problem":
        return parse_problem(reply, step, vocabulary)
    if step.parser == "multi":
        return parse_multi(reply, step, vocabulary)
    if step.parser == "date":
        return parse_date(reply, today, vocabulary)
    if step.parser == "weeks":
        return parse_weeks(reply, step, vocabulary)
    if step.parser == "posts":
        return parse_posts(reply, step, vocabulary)
    if step.parser == "hours":
        return parse_hours(reply, step, vocabulary)
    raise ValueError(f"step {step.name!r} names unknown parser {step.parser!r}")
