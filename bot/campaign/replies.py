"""What the bot says and which control buttons it shows after each `Outcome`, so actions stay thin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.campaign.display import localize_digits, prompt_html
from bot.campaign.draft import CANCEL_REQUESTED, CANCELLED_KIND, CONFIRMED, HELP, OFFER_HELP, CampaignDraft, Outcome
from bot.campaign.plan import summary_text
from bot.campaign.steps import FIRST_STEP, get_step

if TYPE_CHECKING:
    from bot.language.locales import Locales

BUTTONS = (
    "back",
    "skip",
    "cancel",
    "help",
    "confirm",
    "edit",
    "continue",
    "start_new",
    "done",
    "cancel_confirm.yes",
    "cancel_confirm.no",
)


def error_html(outcome: Outcome, locales: Locales, lang: str) -> str:
    """Why a reply was refused, with numbers in the user's numerals, plus the help/skip offer when due."""
    params = {name: localize_digits(str(value), locales, lang) for name, value in outcome.params.items()}
    text = locales.text(lang, outcome.error or "campaign.error.empty", **params)
    if outcome.kind == OFFER_HELP:
        offer = "campaign.offer.help_skip" if outcome.can_skip else "campaign.offer.help"
        text = f"{text}\n\n{locales.text(lang, offer)}"
    return text


def message_for(outcome: Outcome, draft: CampaignDraft, locales: Locales, lang: str) -> str:
    """The Telegram HTML reply to an outcome: an error, help, the next question or the summary."""
    if outcome.refused:
        return error_html(outcome, locales, lang)
    if outcome.kind == HELP:
        return locales.text(lang, f"campaign.help.{outcome.step}" if outcome.step else "campaign.help.summary")
    if outcome.kind == CANCEL_REQUESTED:
        return locales.text(lang, "campaign.cancel_confirm")
    if outcome.kind == CANCELLED_KIND:
        return locales.text(lang, "campaign.cancelled")
    if outcome.kind == CONFIRMED:
        return locales.text(lang, "campaign.confirmed")
    step = draft.next_step()
    return prompt_html(draft, step, locales, lang) if step else summary_text(draft, locales, lang)


def buttons_for(outcome: Outcome | None, draft: CampaignDraft) -> list[str]:
    """Control button ids (labels at `campaign.button.<id>`) to show under the reply."""
    kind = outcome.kind if outcome else None
    if kind == CANCEL_REQUESTED:
        return ["cancel_confirm.yes", "cancel_confirm.no"]
    if kind == CANCELLED_KIND:
        return ["start_new"]
    if kind == CONFIRMED or draft.status != "in_progress":
        return []
    if draft.at_summary():
        return ["confirm", "edit", "back", "cancel"]
    step = draft.next_step()
    buttons = ["back"] if step != FIRST_STEP or draft.editing else []
    buttons.append("help")
    if step and get_step(step).optional:
        buttons.append("skip")
    return [*buttons, "cancel"]


def button_label(button: str, locales: Locales, lang: str) -> str:
    """Label of a control button in the user's language."""
    return locales.text(lang, f"campaign.button.{button}")
