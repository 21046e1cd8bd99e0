"""Word matching knows scripts from Unicode and grammar from meta.yml, so a new language needs no code."""

from __future__ import annotations

from bot.campaign.words import Table, ascii_digits, script_of, word_endings
from bot.language.locales import Locales


def test_any_unicode_digits_read_as_numbers() -> None:
    assert ascii_digits("६ हप्ता") == "6 हप्ता"  # Devanagari (Nepali), which no code names
    assert ascii_digits("၃ ပတ်") == "3 ပတ်"  # Myanmar


def test_scripts_come_from_unicode() -> None:
    assert [script_of(c) for c in "aবกاक၃ "] == ["latin", "bengali", "thai", "arabic", "devanagari", None, None]


def test_endings_come_from_the_locale_files(locales: Locales) -> None:
    endings = word_endings(locales)
    assert "ে" in endings["bengali"] and "" in endings["bengali"]
    table = Table.build([("ফেসবুক", "facebook")], endings)
    assert table.labels("ফেসবুকে পোস্ট") == ["facebook"]
    assert Table.build([("ফেসবুক", "facebook")]).labels("ফেসবুকে পোস্ট") == []  # without them: whole words only


def test_scripts_without_spaces_match_inside_runs() -> None:
    assert Table.build([("ติ๊กต็อก", "tiktok")]).labels("ใช้ติ๊กต็อกกับเฟส") == ["tiktok"]
