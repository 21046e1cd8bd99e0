"""Matching what users type against the word lists in `campaign.yml`, in every language at once.

Users switch language mid-sentence ("fb aur tiktok"), so every table merges the lists of all languages.
Thai is written without spaces, so Thai terms match anywhere; Bengali glues endings onto words (ফেসবুকে =
"on Facebook"), so a Bengali term may carry a case ending; Latin and Urdu terms must stand as whole words.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from bot.campaign.steps import STEPS, Step

if TYPE_CHECKING:
    from bot.language.locales import Locales

CONTROL_WORDS = ("back", "skip", "cancel", "help")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
TIMES = ("once", "twice", "thrice")
UNITS = ("minute", "hour", "day", "week", "month", "year")
DATE_WORDS = ("today", "tomorrow", "day_after", "next", "next_week")

# Arabic-script letters that keyboards type in two ways; Arabic-script text is matched in one spelling.
_ARABIC_VARIANTS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0647": "\u06c1"})
_ARABIC_DIACRITICS = re.compile("[\u064b-\u065f\u0670]")
# Unicode scripts written without spaces between words: a term may start and end anywhere.
_NO_SPACE_SCRIPTS = frozenset({"thai", "lao", "khmer", "myanmar", "tibetan", "cjk", "hiragana", "katakana"})
Endings = dict[str, frozenset[str]]  # script -> word endings a term may carry (from each language's meta.yml)


def ascii_digits(text: str) -> str:
    """Every Unicode decimal digit becomes 0-9, so "৬", "๖", "۶" (and "६") all read as 6."""
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() and not char.isascii() else char for char in text)


def normalize(text: str) -> str:
    """Lower-case, one spelling per letter, punctuation and emoji turned into spaces, for matching only."""
    text = unicodedata.normalize("NFC", ascii_digits(text)).casefold()
    text = _ARABIC_DIACRITICS.sub("", text.translate(_ARABIC_VARIANTS))
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf" or char == "\ufe0f":
            continue
        kept.append(" " if category[0] in "PSZC" else char)
    return " ".join("".join(kept).split())


def script_of(char: str) -> str | None:
    """The Unicode script of a letter or mark ("bengali", "thai", "arabic", "latin"...), None otherwise."""
    if not (char.isalpha() or unicodedata.category(char).startswith("M")):
        return None
    name = unicodedata.name(char, "")
    return name.split(" ")[0].split("-")[0].lower() if name else "latin"


def _bounded(text: str, start: int, end: int, endings: Endings) -> bool:
    """A term counts only as a whole word (plus one of its script's endings), anywhere in scripts without spaces."""
    first, last = script_of(text[start]), script_of(text[end - 1])
    if start > 0 and first is not None and first not in _NO_SPACE_SCRIPTS and script_of(text[start - 1]) == first:
        return False
    if last is None or last in _NO_SPACE_SCRIPTS:
        return True
    rest = end
    while rest < len(text) and script_of(text[rest]) == last:
        rest += 1
    return rest == end or text[end:rest] in endings.get(last, frozenset())


@dataclass(frozen=True)
class Hit:
    """One term found in a message: what it means and where it started."""

    label: str
    start: int
    term: str


@dataclass(frozen=True)
class Table:
    """Terms of all languages with their meaning, longest first so "facebook messenger" beats "facebook"."""

    terms: tuple[tuple[str, str], ...]
    endings: Endings = field(default_factory=dict)

    @classmethod
    def build(cls, pairs: list[tuple[str, str]], endings: Endings | None = None) -> Table:
        """Normalise, drop duplicates (first meaning wins) and order longest first."""
        seen: dict[str, str] = {}
        for term, label in pairs:
            key = normalize(term)
            if key and key not in seen:
                seen[key] = label
        return cls(tuple(sorted(seen.items(), key=lambda pair: -len(pair[0]))), endings or {})

    def scan(self, text: str) -> list[Hit]:
        """Every term in already-normalised `text`, without overlaps, in the order they appear."""
        taken = [False] * len(text)
        hits: list[Hit] = []
        for term, label in self.terms:
            start = text.find(term)
            while start != -1:
                end = start + len(term)
                if not any(taken[start:end]) and _bounded(text, start, end, self.endings):
                    taken[start:end] = [True] * len(term)
                    hits.append(Hit(label, start, term))
                start = text.find(term, start + 1)
        return sorted(hits, key=lambda hit: hit.start)

    def exact(self, text: str) -> str | None:
        """The meaning of `text` when the whole normalised message is one term."""
        return dict(self.terms).get(text)

    def labels(self, text: str) -> list[str]:
        """Meanings found in `text`, first mention first, each once."""
        return list(dict.fromkeys(hit.label for hit in self.scan(text)))


class Vocabulary:
    """Every word table the parsers need, built once per `Locales` from the `campaign.words.*` lists."""

    _cache: ClassVar[weakref.WeakKeyDictionary[Locales, Vocabulary]] = weakref.WeakKeyDictionary()

    def __init__(self, locales: Locales) -> None:
        self._locales = locales
        self.endings = word_endings(locales)
        self.control = Table.build(self._pairs({word: f"words.{word}" for word in CONTROL_WORDS}), self.endings)
        self.choices = {step.name: self._choice_table(step) for step in STEPS if step.parser in ("problem", "multi")}
        self.every = Table.build(self._pairs({"all": "words.all"}), self.endings)
        ignore = {"ignore": "words.ignore"}
        self.dates = self._table(
            self._pairs(
                {
                    **{word: f"words.date.{word}" for word in DATE_WORDS},
                    **{f"weekday:{n}": f"words.weekday.{day}" for n, day in enumerate(WEEKDAYS)},
                    **{f"month:{n}": f"words.month.{month}" for n, month in enumerate(MONTHS, start=1)},
                    **{f"unit:{unit}": f"words.unit.{unit}" for unit in ("day", "week")},
                    **ignore,
                }
            )
        )
        self.amounts = self._table(
            self._pairs(
                {
                    **{f"number:{n}": f"words.number.{word}" for n, word in enumerate(NUMBERS, start=1)},
                    **{f"times:{n}": f"words.times.{word}" for n, word in enumerate(TIMES, start=1)},
                    **{f"unit:{unit}": f"words.unit.{unit}" for unit in UNITS},
                    "every_other_day": "words.every_other_day",
                    **ignore,
                }
            )
        )
        self.range_words = tuple(term for term, _ in Table.build(self._pairs({"to": "words.range_to"}), self.endings).terms)

    def _table(self, pairs: list[tuple[str, str]]) -> Table:
        return Table.build(pairs, self.endings)

    @classmethod
    def of(cls, locales: Locales) -> Vocabulary:
        """The (cached) vocabulary of these locales; building it costs a few milliseconds."""
        vocabulary = cls._cache.get(locales)
        if vocabulary is None:
            vocabulary = cls._cache[locales] = cls(locales)
        return vocabulary

    def _pairs(self, keys: dict[str, str]) -> list[tuple[str, str]]:
        """(term, label) for each `campaign.<key>` list in every language."""
        pairs = []
        for label, key in keys.items():
            for words in self._locales.all_words(f"campaign.{key}").values():
                pairs.extend((word, label) for word in words)
        return pairs

    def _choice_table(self, step: Step) -> Table:
        """Choice words, plus the choice ids and button labels themselves, so tapping or typing both work."""
        pairs = [(value.replace("_", " "), value) for value in step.choices]
        pairs += self._pairs({value: f"words.{step.name}.{value}" for value in step.choices})
        for lang in self._locales.codes:
            for value in step.choices:
                key = f"campaign.choice.{step.name}.{value}"
                if self._locales.has(lang, key):
                    pairs.append((self._locales.text(lang, key), value))
        return Table.build(pairs, self.endings)


def word_endings(locales: Locales) -> Endings:
    """Endings each script's words may carry, from `word_endings` in the languages' meta.yml
    (Bengali glues case endings onto nouns: ফেসবুকে = "on Facebook")."""
    endings: dict[str, set[str]] = {}
    for language in locales.languages.values():
        if language.word_endings and language.script_ranges:
            low, high = language.script_ranges[0]
            script = next((name for point in range(low, high + 1) if (name := script_of(chr(point)))), "")
            endings.setdefault(script, {""}).update(unicodedata.normalize("NFC", e) for e in language.word_endings)
    return {script: frozenset(values) for script, values in endings.items()}


def control_word(text: str, locales: Locales) -> str | None:
    """ "back", "skip", "cancel" or "help" when the whole message is such a word in any language, else None."""
    normalized = normalize(text)
    return Vocabulary.of(locales).control.exact(normalized) if normalized else None
