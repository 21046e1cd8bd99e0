"""The planner's gate: the slot it sets decides (in data/rules.yml) whether the form opens."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.campaign import CampaignEntry


def tracker(text: str, confidence: float) -> Tracker:
    message = {"text": text, "intent": {"name": "campaign", "confidence": confidence}, "entities": [], "metadata": {"language": "en"}}
    return Tracker("7", {}, message, [], False, None, {}, "action_listen")


async def test_a_clear_request_opens_the_planner_without_a_question() -> None:
    dispatcher = CollectingDispatcher()
    events = await CampaignEntry().run(dispatcher, tracker("help me plan a campaign", 0.97), {})
    assert events == [SlotSet("campaign_go", True)] and dispatcher.messages == []


async def test_an_unsure_mention_asks_first() -> None:
    dispatcher = CollectingDispatcher()
    events = await CampaignEntry().run(dispatcher, tracker("our campaign", 0.55), {})
    assert events == [SlotSet("campaign_go", False)]
    assert [m["custom"] for m in dispatcher.messages] == [{"plan_offer": True}]
