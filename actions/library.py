"""Answer questions from the resource library."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from bot.library.answering import best_article, suggestions


class ActionAnswerLibrary(Action):
    """A question the NLU put in a section: answer with the best article of that section."""

    def name(self) -> str:
        return "action_answer_library"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        section = tracker.get_intent_of_latest_message() or ""
        text = context.user_text(tracker)
        question = "" if text.startswith("/") else text  # a button payload names the section, not a question
        article_id = best_article(context.fresh_library().index, question, section) if question else None
        dispatcher.utter_message(json_message={"article": article_id} if article_id else {"section": section})
        return []


class ActionLibraryFallback(Action):
    """Low NLU confidence: offer the closest articles, and log the question for staff."""

    def name(self) -> str:
        return "action_library_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = context.user_text(tracker)
        ranking = tracker.latest_message.get("intent_ranking") or []
        section_guess = next((r["name"] for r in ranking if r["name"] != "nlu_fallback"), None)
        ids = suggestions(context.fresh_library().index, text)
        kind = "low_confidence" if ids else "unanswered"
        context.questions().record(
            kind=kind, text=text, language=context.language(tracker), section_guess=section_guess, best_guess=ids[0] if ids else None
        )
        dispatcher.utter_message(json_message={"suggest": ids} if ids else {"key": "fallback", "menu": "main"})
        return []
