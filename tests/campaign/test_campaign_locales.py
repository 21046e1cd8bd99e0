"""The four campaign.yml files: same keys, same placeholders, safe markup, and every key the code uses."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.campaign.steps import STEPS
from bot.campaign.words import Table, normalize
from bot.language.locales import Locales

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("en", "bn", "th", "ur")
PLAIN_SECTIONS = ("label.", "choice.", "value.", "plan.", "theme.", "button.", "format.")


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        flat.update(_flatten(value, f"{name}.") if isinstance(value, dict) else {name: value})
    return flat


def _strings(lang: str) -> dict[str, Any]:
    tree = yaml.safe_load((ROOT / "locales" / lang / "campaign.yml").read_text(encoding="utf-8"))
    assert list(tree) == ["campaign"], f"locales/{lang}/campaign.yml must have one top-level key, campaign:"
    return _flatten(tree)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_all_four_files_have_exactly_the_same_keys() -> None:
    english = set(_strings("en"))
    for lang in LANGS[1:]:
        keys = set(_strings(lang))
        assert keys - english == set(), f"{lang} has extra keys"
        assert english - keys == set(), f"{lang} is missing keys"


@pytest.mark.parametrize("lang", LANGS[1:])
def test_translations_use_the_same_placeholders_and_value_types(lang: str) -> None:
    english, other = _strings("en"), _strings(lang)
    for key, value in english.items():
        assert isinstance(other[key], type(value)), key
        if isinstance(value, str):
            assert _placeholders(other[key]) == _placeholders(value), key


@pytest.mark.parametrize("lang", LANGS)
def test_markup_is_telegram_safe(lang: str) -> None:
    for key, value in _strings(lang).items():
        if not isinstance(value, str):
            continue
        assert set(re.findall(r"</?([a-z]+)", value)) <= {"b", "i"}, key
        assert value.count("<b>") == value.count("</b>") and value.count("<i>") == value.count("</i>"), key
        if key.removeprefix("campaign.").startswith(PLAIN_SECTIONS):
            assert "<" not in value and "&" not in value, f"{key} is plain text: no markup"


@pytest.mark.parametrize("lang", LANGS)
def test_word_lists_hold_words_not_yaml_booleans(lang: str) -> None:
    for key, value in _strings(lang).items():
        if isinstance(value, list):
            assert all(isinstance(word, str) and word.strip() for word in value), key


def test_every_question_has_a_prompt_help_and_label_and_every_choice_a_label(campaign_locales: Locales) -> None:
    for lang in LANGS:
        for step in STEPS:
            for section in ("ask", "help", "label"):
                assert campaign_locales.has(lang, f"campaign.{section}.{step.name}"), (lang, section, step.name)
            for value in step.choices:
                assert campaign_locales.has(lang, f"campaign.choice.{step.name}.{value}"), (lang, step.name, value)


def test_prompts_are_translated_and_short(campaign_locales: Locales) -> None:
    for step in STEPS:
        english = campaign_locales.text("en", f"campaign.ask.{step.name}")
        assert len(english) <= 160
        for lang in LANGS[1:]:
            translated = campaign_locales.text(lang, f"campaign.ask.{step.name}")
            assert translated != english and len(translated) <= 200, (lang, step.name)


def test_every_key_the_code_uses_exists(campaign_locales: Locales) -> None:
    source = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "bot" / "campaign").glob("*.py"))
    used = set(re.findall(r'"(campaign\.[a-z_]+\.[a-z_]+)"', source))
    used |= {f"campaign.error.{name}" for name in re.findall(r'_fail\("([a-z_]+)"', source)}
    used |= {f"campaign.error.none_{step.name}" for step in STEPS if step.parser == "multi"}
    used |= {f"campaign.button.{button}" for button in ("back", "skip", "cancel", "help", "confirm", "edit")}
    assert len(used) > 30
    for lang in LANGS:
        assert {key for key in used if not campaign_locales.has(lang, key)} == set(), lang


def test_no_typed_word_means_two_different_choices(campaign_locales: Locales) -> None:
    for step in STEPS:
        if not step.choices or step.parser == "hours":
            continue
        seen: dict[str, str] = {}
        for value in step.choices:
            for words in campaign_locales.all_words(f"campaign.words.{step.name}.{value}").values():
                for word in words:
                    key = normalize(word)
                    assert seen.setdefault(key, value) == value, f"{word!r} means {seen[key]} and {value}"


def test_longest_terms_are_tried_first() -> None:
    table = Table.build([("facebook", "facebook"), ("facebook messenger", "messenger")])
    assert table.labels("facebook messenger and facebook") == ["messenger", "facebook"]
