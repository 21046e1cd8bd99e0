"""The consistency checks: one word per idea (glossary.yml), translations that know which English they
translate, and no bare English words inside Bengali, Thai or Urdu text. All of them only warn."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.language.locales import load_locales
from bot.library.consistency import bare_english_words, read_glossary, stamp
from bot.library.loader import Finding, load_library

LANGUAGES = ["en", "bn", "th", "ur"]
CONSISTENCY = ("(glossary.yml)", "English word", "out of date", "which English it translates", "the glossary is not checked")


@pytest.fixture()
def copy(root: Path, tmp_path: Path) -> Path:
    """A private copy of the shipped locales/ to edit."""
    target = tmp_path / "locales"
    shutil.copytree(root / "locales", target)
    return target


def replace_once(path: Path, old: str, new: str) -> int:
    """Edit `path` and return the 1-based line of the edit."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    at = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:at].count("\n") + 1


def consistency_warnings(locales_dir: Path) -> list[Finding]:
    _, warnings = load_library(locales_dir, LANGUAGES)
    return [w for w in warnings if any(marker in w.message for marker in CONSISTENCY)]


def test_the_shipped_content_keeps_the_glossary_and_every_translation_is_current(root: Path) -> None:
    warnings = consistency_warnings(root / "locales")
    assert warnings == [], "\n".join(str(w) for w in warnings)


def test_a_word_the_glossary_avoids_is_reported_with_file_line_and_fix(copy: Path) -> None:
    path = copy / "bn" / "library" / "managing.yml"
    line = replace_once(path, "আগেই ঠিক করুন।", "অডিয়েন্সের জন্য আগেই ঠিক করুন।")
    warnings = consistency_warnings(copy)
    assert [(w.path, w.line, w.severity) for w in warnings] == [(path, line, "warning")]
    assert "use দর্শক, not অডিয়েন্স (glossary.yml)" in warnings[0].message


def test_a_word_the_glossary_avoids_in_bot_yml_is_reported_too(copy: Path) -> None:
    path = copy / "ur" / "campaign.yml"
    line = replace_once(path, "    audience: ناظرین\n", "    audience: مخاطبین\n")
    warnings = consistency_warnings(copy)
    assert [(w.path, w.line) for w in warnings] == [(path, line)]
    assert "use ناظرین, not مخاطبین" in warnings[0].message


def test_the_glossary_is_not_read_as_bot_strings(root: Path) -> None:
    locales = load_locales(root / "locales")
    assert not any(key.startswith(("terms.", "keep")) for key in locales.keys("bn"))


def test_a_broken_glossary_is_a_warning_and_the_library_still_loads(copy: Path) -> None:
    (copy / "th" / "glossary.yml").write_text("terms:\n  audience: [\n", encoding="utf-8")
    library, warnings = load_library(copy, LANGUAGES)
    assert library.articles
    assert any(w.path.name == "glossary.yml" and w.severity == "warning" for w in warnings)


def test_an_edited_english_field_makes_each_translation_out_of_date_and_names_the_field(copy: Path) -> None:
    replace_once(copy / "en" / "library" / "managing.yml", "Clear house rules protect", "Clear, short house rules protect")
    warnings = consistency_warnings(copy)
    assert sorted(w.path.parts[-3] for w in warnings) == ["bn", "th", "ur"]
    for warning in warnings:
        assert warning.path.name == "managing.yml" and warning.severity == "warning"
        assert "'mg-moderation' is out of date: the English `answer` changed" in warning.message
        assert "`title`" not in warning.message and "`steps`" not in warning.message
        assert f"python -m bot.library.consistency stamp {warning.path.parts[-3]} mg-moderation" in warning.message
        assert "translated_from:" in warning.path.read_text(encoding="utf-8").split("\n")[warning.line - 1]

    assert stamp(copy, "bn", ["mg-moderation"]) == ["mg-moderation"]
    assert sorted(w.path.parts[-3] for w in consistency_warnings(copy)) == ["th", "ur"]


def test_a_translation_without_a_stamp_asks_for_one_and_stamping_keeps_the_rest_of_the_file(copy: Path) -> None:
    path = copy / "th" / "library" / "impact.yml"
    text = path.read_text(encoding="utf-8")
    first = next(line for line in text.split("\n") if "translated_from:" in line)
    path.write_text(text.replace(first + "\n", "", 1), encoding="utf-8")
    [warning] = consistency_warnings(copy)
    assert warning.path == path and "does not say which English it translates" in warning.message

    stamp(copy, "th")
    assert path.read_text(encoding="utf-8") == text
    assert consistency_warnings(copy) == []


def test_a_bare_english_word_is_reported_and_a_keep_word_is_not(copy: Path) -> None:
    path = copy / "bn" / "library" / "managing.yml"
    line = replace_once(path, "আগেই ঠিক করুন।", "আগেই ঠিক করুন, তারপর Facebook-এ পোস্ট pin করুন।")
    warnings = consistency_warnings(copy)
    assert [(w.path, w.line) for w in warnings] == [(path, line)]
    assert "English word “pin” in bn text" in warnings[0].message


def test_a_keep_word_in_other_letters_is_reported_with_the_glossary_spelling(copy: Path) -> None:
    path = copy / "ur" / "library" / "content.yml"
    line = replace_once(path, "3 سے 7 سلائیڈز", "3 سے 7 سلائیڈز (whatsapp پر بھی)")
    [warning] = consistency_warnings(copy)
    assert (warning.path, warning.line) == (path, line)
    assert "write it as the glossary does: WhatsApp" in warning.message


def test_what_is_not_a_bare_english_word(root: Path) -> None:
    glossary, problems = read_glossary(root / "locales" / "bn" / "glossary.yml")
    keep = glossary.keep_pattern
    assert problems == []
    assert bare_english_words("Page-এর জন্য hide করুন", keep) == ["Page", "hide"]
    ignored = (
        'দেখুন <a href="https://www.accessnow.org/help/">Access Now</a>, help@accessnow.org বা t.me/example; '
        "@handle, #KeepItOn, /start, {name}, ADMIN_TELEGRAM_IDS, 2FA, ২০২৫, <b>G</b>oal-এর আগে "
        "পরোক্ষ ট্রমা (vicarious trauma) আর “সত্যের স্যান্ডউইচ” (truth sandwich)"
    )
    assert bare_english_words(ignored, keep) == ["Goal"]
    assert bare_english_words("Facebook ও Moderation Assist, Hidden Words", keep) == []
    assert bare_english_words("এখানে (house rules মানুন)", keep) == ["house", "rules"]
