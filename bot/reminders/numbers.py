"""The numbers people type at a weekly check-in: "1200 45 8", "১২০০, ৪৫, ৮", "1.2k 45 -".

Digits of every script count (Bengali ১২, Thai ๑๒, Urdu ۱۲); "1,200" is one thousand two hundred;
"k" means thousands; "-" keeps a place for a number the user does not have.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*([kK])?(?!\w)|(?<!\S)[-–—](?!\S)")
MAX_VALUE = 10**12


def has_digits(text: str) -> bool:
    """Cheap first look: only a message with a digit (or a lone dash) can be numbers."""
    return any(char.isdigit() for char in text) or bool(re.search(r"(?<!\S)[-–—](?!\S)", text))


def read_numbers(text: str) -> list[float | None]:
    """Every number in `text`, in order; None where the user wrote "-" for one they do not have."""
    values: list[float | None] = []
    for match in _NUMBER.finditer(text):
        whole, fraction, thousands = match.group(1), match.group(2), match.group(3)
        if whole is None:
            values.append(None)
            continue
        value = float(int(whole.replace(",", "")))
        if fraction:
            value += int(fraction) / 10 ** len(fraction)
        if thousands:
            value *= 1000
        values.append(min(value, MAX_VALUE))
    return values


def leftover_words(text: str) -> str:
    """What is left of the message once numbers, dashes, separators and metric names are taken out:
    a message that is mostly words is a question, not numbers."""
    return _NUMBER.sub(" ", text)
