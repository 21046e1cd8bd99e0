from __future__ import annotations

import pytest

from bot.language.detect import LanguageDetector, _latin_langdetect, build_detector, english_probability
from bot.language.locales import Locales


@pytest.fixture(scope="module")
def detector(locales: Locales, root) -> LanguageDetector:
    return build_detector(locales.languages, root / "data")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("হ্যালো", "bn"),
        ("ধন্যবাদ", "bn"),
        ("สวัสดีครับ", "th"),
        ("ขอบคุณค่ะ", "th"),
        ("شکریہ", "ur"),  # read as Arabic or Persian by general-purpose detectors
        ("السلام علیکم", "ur"),
        ("วางแผน campaign", "th"),  # native letters win over an English loanword
        ("ফেসবুক page কিভাবে খুলব", "bn"),
    ],
)
def test_native_script_decides(detector: LanguageDetector, text: str, language: str) -> None:
    detection = detector.detect(text)
    assert detection.language == language
    assert detection.romanized is False


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("mujhe apne page ke liye madad chahiye", "ur"),
        ("fake news ka kya karein", "ur"),
        ("ami kivabe facebook page khulbo", "bn"),
        ("apnara ki ki korte paren", "bn"),
        ("how do we measure our campaign reach", "en"),
    ],
)
def test_latin_script_is_told_apart(detector: LanguageDetector, text: str, language: str) -> None:
    detection = detector.detect(text)
    assert detection.language == language
    assert detection.romanized == (language != "en")


def test_telegram_language_code_tips_an_ambiguous_word(detector: LanguageDetector) -> None:
    # "hi" is English, and also a common Urdu word ("yahi", "nahi hi"): the detector may lean either way,
    # so first contact never trusts one word (bot.language.policy); the hint tips it towards Urdu here.
    assert detector.detect("hi", hint="ur").language == "ur"
    assert detector.detect("shukriya bhai", hint="ur").language == "ur"


def test_nothing_to_go_on_gives_no_language(detector: LanguageDetector) -> None:
    for text in ("👍", "123", "", "?!"):
        assert detector.detect(text).language is None


def test_detection_is_deterministic(detector: LanguageDetector) -> None:
    first = [detector.detect("ok thik hai").variant for _ in range(5)]
    assert len(set(first)) == 1


def test_names_are_not_evidence_of_romanized_text(detector: LanguageDetector) -> None:
    assert detector.detect("students in Sylhet, 18-25").language == "en"
    assert detector.detect("students in sylhet 18-25").evidence <= 1
    assert detector.detect("ami kivabe facebook page khulbo").evidence >= 2


@pytest.mark.parametrize(
    ("text", "guess", "expected"),
    [
        ("please could you send the workshop report to our donors by friday", "ur-Latn", "en"),
        ("mujhe apne page ke liye madad chahiye bhai", "ur-Latn", "ur-Latn"),  # langdetect knows no romanized Urdu
        ("amader page e onek baje comment ashe ki korbo", "bn-Latn", "bn-Latn"),
    ],
)
def test_langdetect_second_opinion_only_ever_confirms_english(detector: LanguageDetector, text: str, guess: str, expected: str) -> None:
    best, confidence = detector._second_opinion(text, guess, 0.6)
    assert best == expected
    assert confidence >= (0.95 if expected == "en" else 0.0)


def test_second_opinion_uses_latin_languages_only() -> None:
    languages = _latin_langdetect().get_lang_list()
    assert "en" in languages and "id" in languages and "tl" in languages
    assert not {"ar", "ur", "bn", "th", "hi", "ru"} & set(languages)


@pytest.mark.parametrize(("evidence", "variant"), [(1, "en"), (3, "bn-Latn")])
def test_langdetect_cannot_overrule_clearly_romanized_words(
    detector: LanguageDetector, monkeypatch: pytest.MonkeyPatch, evidence: int, variant: str
) -> None:
    text = "amader page e onek troll comment ashe"  # langdetect calls this English
    unsure = {"en": 0.0, "bn-Latn": 0.2, "ur-Latn": -5.0}  # the naive-Bayes model leans to Bengali, unsure
    monkeypatch.setattr(detector._latin, "log_scores", lambda _: (dict(unsure), evidence))
    assert english_probability(text) > 0.95
    assert detector.detect(text).variant == variant
