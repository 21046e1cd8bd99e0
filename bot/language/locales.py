"""User-facing strings, one folder per language under `locales/`.

A language is supported when `locales/<code>/meta.yml` exists; every other `*.yml` in that folder holds
strings, nested keys flattened with dots (`menu.title`). Adding a language is adding a folder: no code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_LANGUAGE = "en"


class LocaleError(Exception):
    """A locale file is malformed; the message names the file and the fix."""


@dataclass(frozen=True)
class Language:
    """What the bot knows about one supported language, from its `meta.yml`."""

    code: str
    name: str  # the language's own name, e.g. বাংলা
    direction: str  # "ltr" or "rtl"
    script_ranges: tuple[tuple[int, int], ...]  # Unicode ranges of its native script; empty for Latin
    romanized: tuple[str, ...]  # training-data variants written in Latin letters, e.g. ("bn-Latn",)
    telegram_codes: tuple[str, ...]  # Telegram `language_code` values that hint at this language
    spaces: bool = True  # False for scripts written without spaces between words (Thai, Burmese)
    word_endings: tuple[str, ...] = ()  # endings glued onto words (Bengali ফেসবুক+এ), for matching answers

    def owns(self, char: str) -> bool:
        point = ord(char)
        return any(low <= point <= high for low, high in self.script_ranges)


class Locales:
    """Look up a string by key in a language, falling back to English, then to the key itself."""

    def __init__(self, languages: dict[str, Language], strings: dict[str, dict[str, Any]]) -> None:
        self.languages = languages
        self._strings = strings

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
    return Locales(ordered, strings)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise LocaleError(f"{where}: not valid YAML ({getattr(error, 'problem', error)}); fix the indentation or quoting") from None


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
        if path.name == "meta.yml":
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
