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

from bot.campaign.choices import choice_ids, named
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
# Between the items of a typed list: these marks, each language's `list_separators` (meta.yml) and the
# words of `campaign.words.and` ("and", "aur", "กับ"...).
LIST_SEPARATORS = frozenset(",;/|+&\n")
NAME_MAX_CHARS = 40  # a platform named by the user: longer text is a sentence, not a name
NAME_MAX_WORDS = 3  # "Google Business Profile"; "best platform for youth" is not one
NAMES_MAX = 5  # named choices kept from one message
_JOINER, _FILLER, _SEPARATOR, _KNOWN = " and", " filler", " separator", " known"  # never choice ids: they hold a space


def ascii_digits(text: str) -> str:
    """Every Unicode decimal digit becomes 0-9, so "৬", "๖", "۶" (and "६") all read as 6."""
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() and not char.isascii() else char for char in text)


def normalize(text: str) -> str:
    """Lower-case, one spelling per letter, punctuation and emoji turned into spaces, for matching only."""
    return normalize_mapped(text)[0]


def normalize_mapped(text: str) -> tuple[str, list[int], str]:
    """`normalize(text)`, where each of its characters came from in `source` (the text with NFC and ASCII
    digits), and `source`: so a match can be traced back to the words exactly as the user wrote them."""
    source = unicodedata.normalize("NFC", ascii_digits(text))
    chars: list[str] = []
    positions: list[int] = []
    for index, original in enumerate(source):
        for char in _ARABIC_DIACRITICS.sub("", original.casefold().translate(_ARABIC_VARIANTS)):
            category = unicodedata.category(char)
            if category == "Cf" or char == "\ufe0f":
                continue
            space = category[0] in "PSZC" or char.isspace()
            if space and (not chars or chars[-1] == " "):
                continue  # no leading space, one space for a run
            chars.append(" " if space else char)
            positions.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        positions.pop()
    return "".join(chars), positions, source


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
        self.languages = locales.languages  # replaced when staff edit the locale files: then this is rebuilt
        self.endings = word_endings(locales)
        self.separators = LIST_SEPARATORS.union(*(language.list_separators for language in locales.languages.values()))
        self.control = Table.build(self._pairs({word: f"words.{word}" for word in CONTROL_WORDS}), self.endings)
        self.options = {step.name: choice_ids(step, locales) for step in STEPS if step.choices or step.choices_key}
        self.choices = {step.name: self._choice_table(step) for step in STEPS if step.parser in ("problem", "multi")}
        self.every = Table.build(self._pairs({"all": "words.all"}), self.endings)
        ignore = {"ignore": "words.ignore"}
        self.names = {step.name: self._names_table(step) for step in STEPS if step.named}
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
        if vocabulary is None or vocabulary.languages is not locales.languages:
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
        return Table.build(self._choice_pairs(step), self.endings)

    def _choice_pairs(self, step: Step) -> list[tuple[str, str]]:
        values = self.options[step.name]
        pairs = [(value.replace("_", " "), value) for value in values]
        pairs += self._pairs({value: f"words.{step.name}.{value}" for value in values})
        for lang in self._locales.codes:
            for value in values:
                key = f"campaign.choice.{step.name}.{value}"
                if self._locales.has(lang, key):
                    pairs.append((self._locales.text(lang, key), value))
        return pairs

    def _names_table(self, step: Step) -> Table:
        """The choice words, plus what may stand between the items of a list ("and") or around them ("all")."""
        pairs = self._choice_pairs(step)
        pairs += [(word, _FILLER) for word, _ in self._pairs({"all": "words.all", "ignore": "words.ignore"})]
        pairs += [(word, _JOINER) for word, _ in self._pairs({"and": "words.and"})]
        return Table.build(pairs, self.endings)

    def mentions(self, step: str, text: str) -> list[str]:
        """Choices mentioned in `text`, first mention first, each once. At a step that keeps names, an item
        the bot does not know ("fb, Mastodon and tiktok") is kept as the user wrote it ("name:Mastodon"), when
        it stands on its own: between the start or end of the message, commas and words like "and"; words
        right next to a known choice ("we use fb", "Facebook groups") are not a name."""
        normalized, positions, source = normalize_mapped(text)
        kinds: list[str | None] = [None] * len(normalized)
        found: list[tuple[int, str]] = []
        for hit in self.names[step].scan(normalized):
            kind = hit.label if hit.label in (_JOINER, _FILLER) else _KNOWN
            kinds[hit.start : hit.start + len(hit.term)] = [kind] * len(hit.term)
            if kind == _KNOWN:
                found.append((hit.start, hit.label))
        for index, char in enumerate(normalized):
            if char == " " and kinds[index] is None:
                between = source[positions[index - 1] + 1 if index else 0 : positions[index + 1] if index + 1 < len(normalized) else None]
                if self.separators & set(between):
                    kinds[index] = _SEPARATOR
        start = 0
        while start < len(normalized):
            if kinds[start] is not None:
                start += 1
                continue
            end = start
            while end < len(normalized) and kinds[end] is None:
                end += 1
            beside = {kinds[start - 1] if start else None, kinds[end] if end < len(normalized) else None}
            name = _trimmed(source[positions[start] : positions[end - 1] + 1])
            if _KNOWN not in beside and _FILLER not in beside and _is_a_name(name):
                found.append((start, named(name)))
            start = end
        values: dict[str, str] = {}  # one per choice, and per name whatever its case
        for _, value in sorted(found):
            values.setdefault(normalize(value), value)
        known = [value for value in values.values() if value in self.options[step]]
        names = [value for value in values.values() if value not in self.options[step]][:NAMES_MAX]
        return [value for value in values.values() if value in known or value in names]


def _trimmed(text: str) -> str:
    """A name without the spaces, punctuation or marks around it, its spaces collapsed."""
    text = " ".join(text.split())
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start])[0] in "PSZC":
        start += 1
    while end > start and unicodedata.category(text[end - 1])[0] in "PSZC":
        end -= 1
    return text[start:end]


def _is_a_name(text: str) -> bool:
    """Short, and holding a letter: a platform's name rather than a number or a sentence."""
    return 0 < len(text) <= NAME_MAX_CHARS and len(text.split()) <= NAME_MAX_WORDS and any(char.isalpha() for char in text)


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
