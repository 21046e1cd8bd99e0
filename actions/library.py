"""Answer questions from the resource library."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from bot.library.answering import gap_kind, library_reply
from bot.library.decision import ANSWER, NOT_COVERED, SUGGEST, Decision

OUTCOME = {ANSWER: "answered", SUGGEST: "suggested", NOT_COVERED: "not_covered"}  # /stats metrics


class ActionAnswerLibrary(Action):
    """A question the NLU put in a section: the decision policy over the library, the section as a hint."""

    def name(self) -> str:
        return "action_answer_library"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent") or {}
        section, confidence = str(intent.get("name") or ""), float(intent.get("confidence") or 0.0)
        text = context.user_text(tracker)
        if text.startswith("/"):  # a menu button names the section, not a question
            dispatcher.utter_message(json_message={"section": section})
            return []
        decision, spec = library_reply(context.fresh_library().retriever, text, section, confidence)
        log_gap(tracker, text, decision, section)
        dispatcher.utter_message(json_message=spec)
        return []


class ActionLibraryFallback(Action):
    """The NLU is unsure what the message is: let the library decide whether it covers it."""

    def name(self) -> str:
        return "action_library_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = context.user_text(tracker)
        ranking = tracker.latest_message.get("intent_ranking") or []
        section_guess = next((r["name"] for r in ranking if r["name"] != "nlu_fallback"), None)
        decision, spec = library_reply(context.fresh_library().retriever, text, None, 0.0)
        log_gap(tracker, text, decision, section_guess)
        dispatcher.utter_message(json_message=spec)
        return []


def log_gap(tracker: Tracker, text: str, decision: Decision, section_guess: str | None) -> None:
    """Count how the question was handled (for /stats), and log the ones the library did not answer
    outright for the gap report. No user id is stored in either."""
    best = decision.article_ids[0] if decision.article_ids else None
    article = context.fresh_library().library.article(best) if best else None
    section = article.section if article is not None else section_guess
    context.stats().increment(day=date.today(), language=context.language(tracker), metric=OUTCOME[decision.kind], key=section or "")
    kind = gap_kind(decision)
    if kind is None:
        return
    context.questions().record(kind=kind, text=text, language=context.language(tracker), section_guess=section_guess, best_guess=best)


class ActionWarmUp(Action):
    """Called once by the bot as the action server starts (never by the dialogue): loads the library,
    which otherwise costs the first user's question half a minute or more."""

    def name(self) -> str:
        return "action_warm_up"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        context.library()
        context.stats()
        context.questions()
        return []
