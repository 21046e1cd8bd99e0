"""When to change the language the bot speaks: only on clear evidence, never on one word."""

from __future__ import annotations

from dataclasses import dataclass

from bot.language.detect import Detection
from bot.language.locales import DEFAULT_LANGUAGE, Locales
from bot.storage.users import UserRecord

CLEAR_CONFIDENCE = 0.9
CLEAR_WORDS_NATIVE = 2  # native-script words needed to switch
CLEAR_WORDS_LATIN = 3  # Latin words needed: romanized and English share many short words
CLEAR_ROMANIZED_EVIDENCE = 2  # of which clearly Urdu/Bengali, not names or English loanwords


@dataclass(frozen=True)
class LanguageChoice:
    language: str
    switched_from: str | None = None  # set when this message changed the language
    offer_english: bool = False  # first romanized message: offer English instead
    changed: bool = False  # whether to store `language`


def is_clear(detection: Detection) -> bool:
    """A message long and sure enough to change the user's language."""
    latin = detection.romanized or not detection.variant or detection.language == DEFAULT_LANGUAGE
    needed = CLEAR_WORDS_LATIN if latin else CLEAR_WORDS_NATIVE
    if detection.romanized and detection.evidence < CLEAR_ROMANIZED_EVIDENCE:
        return False  # "students in sylhet": one place name is no reason to switch to Bengali
    return detection.language is not None and detection.confidence >= CLEAR_CONFIDENCE and detection.words >= needed


def choose_language(user: UserRecord, detection: Detection, hint: str | None, locales: Locales) -> LanguageChoice:
    """Decide the reply language from the stored one, this message and Telegram's hint."""
    language, switched_from = _pick(user, detection, hint if locales.supports(hint) else None)
    offer = detection.romanized and not user.romanized_offer_shown and language == detection.language
    return LanguageChoice(language, switched_from, offer, changed=language != user.language)


def _usable_first(detection: Detection, hint: str | None) -> bool:
    """Whether a first message says enough to choose the language without Telegram's hint.

    A romanized guess with no clearly Urdu/Bengali word ("hi": every word could be English) does not,
    nor does one word alone: "hii", "hlo" and "salam" are typed by English, Urdu and Bengali users alike.
    """
    if detection.language is None or (detection.romanized and (detection.evidence == 0 or detection.words < 2)):
        return False
    return detection.confidence >= CLEAR_CONFIDENCE or hint is None


def _pick(user: UserRecord, detection: Detection, hint: str | None) -> tuple[str, str | None]:
    if user.language is None:  # first contact: a clear text wins, then Telegram's hint
        return (detection.language if _usable_first(detection, hint) else hint or DEFAULT_LANGUAGE), None  # type: ignore[return-value]
    if user.language_source == "manual" or detection.language in (None, user.language) or not is_clear(detection):
        return user.language, None
    return detection.language, user.language  # type: ignore[return-value]
