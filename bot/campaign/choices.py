"""Choices that live in locale data rather than in code, and choices the user named in their own words.

The platforms are such a step: `campaign.order.platforms` in each language lists the platform ids in the order
that language shows its buttons, so staff add a platform (an id in every language's list, its label under
`choice.platforms`, the words people type under `words.platforms`) without touching code.

Buttons carry a bit mask over `choice_ids`: the English list first, then any id only another language lists.
A platform the bot does not know is stored as `name:<what the user typed>` and shown as typed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.callbacks import MAX_CHOICES
from bot.campaign.steps import Step

if TYPE_CHECKING:
    from bot.language.locales import Locales

OTHER = "other"  # the "Other" button: the user is then asked for its name
NAMED_PREFIX = "name:"  # an answer value the user named themselves, e.g. "name:Mastodon"
SOURCE_LANGUAGE = "en"  # its list fixes each id's bit in the buttons' masks
_ID = re.compile(r"[a-z0-9][a-z0-9_]{0,39}")  # what a choice id may look like (also a locale key part)


def choice_ids(step: Step, locales: Locales) -> tuple[str, ...]:
    """Every choice of `step`, in the order of the bits of its buttons' masks (at most `MAX_CHOICES`)."""
    if step.choices_key is None:
        return step.choices
    ids: list[str] = []
    for lang in dict.fromkeys([SOURCE_LANGUAGE, *locales.codes]):
        ids += [value for value in locales.word_list(lang, step.choices_key) if _ID.fullmatch(value) and value not in ids]
    return tuple(ids[:MAX_CHOICES])


def choice_order(step: Step, locales: Locales, lang: str) -> tuple[str, ...]:
    """The choices as `lang` shows them: its own order, then any id it does not list, "other" always last."""
    ids = choice_ids(step, locales)
    if step.choices_key is None:
        return ids
    own = [value for value in locales.word_list(lang, step.choices_key) if value in ids]
    ordered = [value for value in dict.fromkeys([*own, *ids]) if value != OTHER]
    return (*ordered, OTHER) if OTHER in ids else tuple(ordered)


def named(name: str) -> str:
    """The answer value of a choice the user named: "Mastodon" -> "name:Mastodon"."""
    return NAMED_PREFIX + name


def name_of(value: object) -> str | None:
    """What the user typed for a named choice, None for a choice id."""
    text = str(value)
    return text[len(NAMED_PREFIX) :] if text.startswith(NAMED_PREFIX) else None
