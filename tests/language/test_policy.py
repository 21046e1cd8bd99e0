from __future__ import annotations

from bot.language.detect import Detection
from bot.language.locales import Locales
from bot.language.policy import choose_language
from bot.storage.users import UserRecord


def user(language: str | None, source: str = "auto", offered: bool = False) -> UserRecord:
    return UserRecord(id=1, language=language, language_source=source, romanized_offer_shown=offered)


def test_first_message_sets_the_language_from_clear_text(locales: Locales) -> None:
    choice = choose_language(user(None), Detection("th", "th", 1.0, 2), "en", locales)
    assert (choice.language, choice.changed, choice.switched_from) == ("th", True, None)


def test_first_message_without_text_uses_telegram_hint(locales: Locales) -> None:
    choice = choose_language(user(None), Detection(None, None, 0.0, 0), "bn", locales)
    assert choice.language == "bn"
    assert choose_language(user(None), Detection(None, None, 0.0, 0), "fr", locales).language == "en"


def test_a_first_hi_without_hint_is_english_not_romanized_urdu(locales: Locales) -> None:
    # "hi" is also an Urdu particle, so the Latin model can lean to ur-Latn; no word is clearly Urdu.
    assert choose_language(user(None), Detection("ur", "ur-Latn", 0.91, 1, evidence=0), None, locales).language == "en"
    assert choose_language(user(None), Detection("ur", "ur-Latn", 0.91, 1, evidence=0), "bn", locales).language == "bn"
    # One word is never enough: "salam" and "hlo" are typed by Urdu and Bengali (and English) users alike.
    assert choose_language(user(None), Detection("ur", "ur-Latn", 0.99, 1, evidence=1), None, locales).language == "en"  # "salam"
    assert choose_language(user(None), Detection("bn", "bn-Latn", 0.95, 1, evidence=1), "ur", locales).language == "ur"  # "hlo"
    assert choose_language(user(None), Detection("ur", "ur-Latn", 0.99, 2, evidence=2), None, locales).language == "ur"  # "salam bhai"


def test_one_word_never_flips_the_language(locales: Locales) -> None:
    choice = choose_language(user("bn"), Detection("en", "en", 0.99, 1), None, locales)
    assert (choice.language, choice.changed) == ("bn", False)


def test_low_confidence_never_flips(locales: Locales) -> None:
    assert choose_language(user("bn"), Detection("ur", "ur-Latn", 0.6, 5), None, locales).language == "bn"


def test_clear_message_switches_and_says_from_what(locales: Locales) -> None:
    choice = choose_language(user("en"), Detection("th", "th", 1.0, 3), None, locales)
    assert (choice.language, choice.switched_from, choice.changed) == ("th", "en", True)


def test_manual_choice_sticks(locales: Locales) -> None:
    choice = choose_language(user("en", source="manual"), Detection("th", "th", 1.0, 6), None, locales)
    assert choice.language == "en"


def test_romanized_gets_native_script_and_one_english_offer(locales: Locales) -> None:
    first = choose_language(user(None), Detection("ur", "ur-Latn", 0.99, 4, evidence=3), None, locales)
    assert (first.language, first.offer_english) == ("ur", True)
    later = choose_language(user("ur", offered=True), Detection("ur", "ur-Latn", 0.99, 4, evidence=3), None, locales)
    assert later.offer_english is False


def test_a_place_name_in_english_text_does_not_switch_to_romanized(locales: Locales) -> None:
    one_word_of_evidence = Detection("bn", "bn-Latn", 0.99, 4, evidence=1)
    assert choose_language(user("en"), one_word_of_evidence, None, locales).language == "en"
    clear = Detection("bn", "bn-Latn", 0.99, 5, evidence=3)
    assert choose_language(user("en"), clear, None, locales).language == "bn"
