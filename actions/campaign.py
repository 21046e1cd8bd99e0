"""The campaign-planning form: Rasa runs the loop, bot.campaign.flow decides every step."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from actions.library import log_gap
from bot.campaign.entry import wants_to_plan
from bot.library.answering import library_reply
from bot.library.model import SECTIONS

LIBRARY_INTENTS = (*SECTIONS, "help", "out_of_scope")
QUESTION_CONFIDENCE = 0.8  # only a clear library question interrupts the form


def button_value(tracker: Tracker) -> str | None:
    """The value of a planner button (sent as /campaign{"campaign_value": ...})."""
    values = [e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "campaign_value"]
    return str(values[0]) if values else None


def user_id(tracker: Tracker) -> int:
    return int(tracker.sender_id) if str(tracker.sender_id).lstrip("-").isdigit() else 0


def is_library_question(tracker: Tracker) -> bool:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name") in LIBRARY_INTENTS and float(intent.get("confidence") or 0) >= QUESTION_CONFIDENCE


def asks_for_a_person(tracker: Tracker) -> bool:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name") == "human" and float(intent.get("confidence") or 0) >= QUESTION_CONFIDENCE


class ValidateCampaignForm(FormValidationAction):
    """Every message inside the form goes to the planner; the slot stays empty until the plan is done."""

    def name(self) -> str:
        return "validate_campaign_form"

    async def validate_campaign_input(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        text = context.user_text(tracker)
        value = button_value(tracker)
        if value is None and text.startswith("/"):
            value = ""  # a command or menu button inside the form: ask the current question again
        if value is None and asks_for_a_person(tracker):  # the plan waits at this step while they talk to staff
            dispatcher.utter_message(json_message={"human": True})
            return {"campaign_input": None, "campaign_stage": tracker.get_slot("campaign_stage")}
        turn = context.planner().handle(user_id(tracker), text, value, tracker.get_slot("campaign_stage"), is_library_question(tracker))
        if turn.interrupted:  # a library question mid-plan (or no plan left): answered as anywhere else
            intent = tracker.latest_message.get("intent") or {}
            name, confidence = intent.get("name"), float(intent.get("confidence") or 0)
            decision, spec = library_reply(context.fresh_library().retriever, text, name, confidence)
            log_gap(tracker, text, decision, name)
            dispatcher.utter_message(json_message=spec)
        for spec in turn.specs:
            dispatcher.utter_message(json_message=spec)
        return {"campaign_input": "done" if turn.finished else None, "campaign_stage": turn.stage}


class AskCampaignInput(Action):
    """The form's question: the offer to continue, the current question with a tip, or the summary."""

    def name(self) -> str:
        return "action_ask_campaign_input"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        turn = context.planner().ask(user_id(tracker), tracker.get_slot("campaign_stage"), button_value(tracker))
        for spec in turn.specs:
            dispatcher.utter_message(json_message=spec)
        return [SlotSet("campaign_stage", turn.stage)]


class CampaignEntry(Action):
    """Before the planner opens: a clear request starts it, an unclear one is asked about first."""

    def name(self) -> str:
        return "action_campaign_entry"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        confidence = float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)
        if not context.planner().opens_with(user_id(tracker), button_value(tracker)):
            dispatcher.utter_message(json_message={"key": "stale_button", "menu": "main"})
            return [SlotSet("campaign_go", False)]
        if wants_to_plan(context.user_text(tracker), confidence):
            return [SlotSet("campaign_go", True)]
        dispatcher.utter_message(json_message={"plan_offer": True})
        return [SlotSet("campaign_go", False)]


class CampaignDone(Action):
    """After the form: clear its slots so the next /campaign starts fresh."""

    def name(self) -> str:
        return "action_campaign_done"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        return [SlotSet("campaign_input", None), SlotSet("campaign_stage", None)]
