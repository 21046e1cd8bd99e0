from __future__ import annotations

from pathlib import Path

import pytest

from bot.language.locales import LocaleError, Locales, load_locales


def test_launch_languages_come_from_the_locale_folders(locales: Locales) -> None:
    assert locales.codes[0] == "en"
    assert set(locales.codes) >= {"en", "bn", "th", "ur"}
    assert locales.languages["ur"].direction == "rtl"
    assert locales.languages["bn"].name == "বাংলা"


def test_every_language_has_every_english_bot_string(locales: Locales) -> None:
    english = locales.keys("en")
    for code in locales.codes:
        assert english - locales.keys(code) == set(), f"locales/{code} is missing strings"


def test_placeholders_are_filled_and_missing_keys_fall_back_to_english(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "meta.yml").write_text("name: English\ndirection: ltr\n")
    (tmp_path / "en" / "bot.yml").write_text("hello: Hello {name}\nonly_en: Only English\nwords: [back, previous]\n")
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "meta.yml").write_text("name: Xx\ndirection: ltr\nscript_ranges: ['0980-09FF']\n")
    (tmp_path / "xx" / "bot.yml").write_text("hello: Hi {name}\n")
    locales = load_locales(tmp_path)
    assert locales.text("xx", "hello", name="Asha") == "Hi Asha"
    assert locales.text("xx", "only_en") == "Only English"
    assert locales.word_list("en", "words") == ["back", "previous"]
    assert locales.languages["xx"].owns("ব") and not locales.languages["xx"].owns("b")


def test_a_new_language_needs_no_code(tmp_path: Path) -> None:
    for code, name in (("en", "English"), ("ne", "नेपाली")):
        (tmp_path / code).mkdir()
        (tmp_path / code / "meta.yml").write_text(f"name: {name}\ndirection: ltr\nscript_ranges: ['0900-097F']\n")
    assert load_locales(tmp_path).supports("ne")


def test_duplicate_keys_across_files_are_reported_with_both_files(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "meta.yml").write_text("name: English\ndirection: ltr\n")
    (tmp_path / "en" / "a.yml").write_text("greeting: hi\n")
    (tmp_path / "en" / "b.yml").write_text("greeting: hello\n")
    with pytest.raises(LocaleError, match=r"b\.yml.*a\.yml"):
        load_locales(tmp_path)


def test_broken_yaml_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "meta.yml").write_text("name: English\ndirection: ltr\n")
    (tmp_path / "en" / "bot.yml").write_text("ok: fine\nbad: <i>x: y</i>\n")
    with pytest.raises(LocaleError, match=r"bot\.yml:2"):
        load_locales(tmp_path)
