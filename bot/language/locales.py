"""User-facing strings, one folder per language under `locales/`.

A language is supported when `locales/<code>/meta.yml` exists; every other `*.yml` in that folder
(except `glossary.yml`, which only the content check reads) holds strings, nested keys flattened with
dots (`menu.title`). Adding a language is adding a folder: no code.
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.yaml_errors import explain

DEFAULT_LANGUAGE = "en"
NOT_STRINGS = ("meta.yml", "glossary.yml")  # a language's settings and its glossary for the content check
log = logging.getLogger(__name__)


class LocaleError(Exception):
    """A locale file is malformed; the message names the file and the fix."""


@dataclass(frozen=True)
class Language:
    """What the bot knows about one supported language, from its `meta.yml`."""

    code: str
    name: str  # the language's own name, written in its own script
    direction: str  # "ltr" or "rtl"
    script_ranges: tuple[tuple[int, int], ...]  # Unicode ranges of its native script; empty for Latin
    romanized: tuple[str, ...]  # training-data variants written in Latin letters, e.g. ("bn-Latn",)
    telegram_codes: tuple[str, ...]  # Telegram `language_code` values that hint at this language
    spaces: bool = True  # False for scripts written without spaces between words (Thai, Burmese)
    word_endings: tuple[str, ...] = ()  # endings glued onto words (Bengali ফেসবুক+এ), for matching answers
    list_separators: tuple[str, ...] = ()  # the script's own marks between listed items (Urdu's Arabic comma), beside , ; /

    def owns(self, char: str) -> bool:
        point = ord(char)
        return any(low <= point <= high for low, high in self.script_ranges)


class Locales:
    """Look up a string by key in a language, falling back to English, then to the key itself.

    `replace_with` swaps in freshly loaded strings (a live edit): every holder of this object sees them."""

    def __init__(self, languages: dict[str, Language], strings: dict[str, dict[str, Any]], root: Path | None = None) -> None:
        self.languages = languages
        self._strings = strings
        self.root = root  # the folder they were read from, for live reload

    def replace_with(self, fresh: Locales) -> None:
        self.languages, self._strings = fresh.languages, fresh._strings

    @property
    def codes(self) -> list[str]:
        return list(self.languages)

    def supports(self, code: str | None) -> bool:
        return code in self.languages

    def has(self, lang: str, key: str) -> bool:
        return key in self._strings.get(lang, {})

    def text(self, lang: str, key: str, **params: Any) -> str:
        """The string for `key` in `lang` (or English), with `{name}` placeholders filled."""
        template = self._strings.get(lang, {}).get(key)
        if template is None:
            template = self._strings.get(DEFAULT_LANGUAGE, {}).get(key, key)
        if isinstance(template, list):
            raise LocaleError(f"locale key {key!r} is a list; use word_list()")
        return template.format(**params) if params else template

    def word_list(self, lang: str, key: str) -> list[str]:
        """A list-valued string (e.g. words meaning "back"), for matching what users type."""
        value = self._strings.get(lang, {}).get(key, [])
        return [str(item) for item in value] if isinstance(value, list) else [str(value)]

    def keys(self, lang: str) -> set[str]:
        return set(self._strings.get(lang, {}))

    def all_words(self, key: str) -> dict[str, list[str]]:
        """Every language's list under `key`, for matching what users type in any language."""
        return {lang: self.word_list(lang, key) for lang in self._strings if key in self._strings[lang]}


def load_locales(root: Path) -> Locales:
    """Read every `locales/<code>/` folder that has a `meta.yml`."""
    languages: dict[str, Language] = {}
    strings: dict[str, dict[str, str]] = {}
    for folder in sorted(p for p in root.iterdir() if (p / "meta.yml").is_file()):
        language = _read_meta(folder / "meta.yml", folder.name)
        languages[language.code] = language
        strings[language.code] = _read_strings(folder)
    if DEFAULT_LANGUAGE not in languages:
        raise LocaleError(f"{root}/{DEFAULT_LANGUAGE}/meta.yml is missing: English is the fallback language")
    ordered = {DEFAULT_LANGUAGE: languages.pop(DEFAULT_LANGUAGE), **languages}
    return Locales(ordered, strings, root)


def _read_yaml(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        line, message = explain(text, error)
        raise LocaleError(f"{path}:{line}: {message}") from None


def _read_meta(path: Path, code: str) -> Language:
    meta = _read_yaml(path)
    for required in ("name", "direction"):
        if required not in meta:
            raise LocaleError(f"{path}: add `{required}:`")
    if meta["direction"] not in ("ltr", "rtl"):
        raise LocaleError(f"{path}: direction must be ltr or rtl")
    return Language(
        code=code,
        name=str(meta["name"]),
        direction=meta["direction"],
        script_ranges=tuple(_parse_range(path, r) for r in meta.get("script_ranges", [])),
        romanized=tuple(meta.get("romanized", [])),
        telegram_codes=tuple(meta.get("telegram_codes", [code])),
        spaces=bool(meta.get("spaces", True)),
        word_endings=tuple(str(ending) for ending in meta.get("word_endings", [])),
        list_separators=tuple(str(mark) for mark in meta.get("list_separators", [])),
    )


def _parse_range(path: Path, text: str) -> tuple[int, int]:
    try:
        low, high = (int(part, 16) for part in str(text).split("-"))
    except ValueError:
        raise LocaleError(f"{path}: script range {text!r} must look like 0980-09FF") from None
    return low, high


def _read_strings(folder: Path) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    origin: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yml")):
        if path.name in NOT_STRINGS:
            continue
        for key, value in _flatten(_read_yaml(path)).items():
            if key in merged:
                raise LocaleError(f"{path}: key {key!r} is also defined in {origin[key]}; keep one")
            merged[key], origin[key] = value, path
    return merged


def _flatten(tree: Any, prefix: str = "") -> dict[str, Any]:
    """Nested keys become dotted keys; lists stay lists (word lists), everything else a string."""
    flat: dict[str, Any] = {}
    for key, value in (tree or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = [str(item) for item in value]
        else:
            flat[name] = "" if value is None else str(value)
    return flat


class LiveLocales:
    """Picks up edited locale files (bot.yml, campaign.yml, meta.yml) while the bot runs: the edit is
    checked first, and a broken one is refused with one line while the old strings stay in use."""

    def __init__(self, locales: Locales, root: Path, min_interval: float = 1.0) -> None:
        self.locales = locales
        self.root = root
        self.min_interval = min_interval
        self.last_error: str | None = None
        self._stamp = self._file_stamp()
        self._checked_at = time.monotonic()

    def refresh(self) -> bool:
        """True when new strings were swapped in."""
        if time.monotonic() - self._checked_at < self.min_interval:
            return False
        self._checked_at = time.monotonic()
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            fresh = load_locales(self.root)
        except LocaleError as error:
            self.last_error = str(error)
            log.error("Locale edit refused; still using the previous strings: %s", error)
            return False
        self.locales.replace_with(fresh)
        self.last_error = None
        log.info("Locale strings reloaded")
        return True

    def _file_stamp(self) -> tuple[tuple[str, int, int], ...]:
        stamp = []
        for path in sorted(self.root.glob("*/*.yml")):
            with contextlib.suppress(FileNotFoundError):
                info = path.stat()
                stamp.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(stamp)
