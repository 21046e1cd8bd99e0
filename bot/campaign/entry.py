"""When does a message start the planner? Only when the user asks to plan; otherwise ask first."""

from __future__ import annotations

PLAN_CONFIDENCE = 0.8  # below this a "campaign" message gets "Plan a new campaign now?" with Yes / No
REQUEST_WORDS = 3  # "about campaigns", "new campaign": too short to be a clear request, however sure the NLU is
UNSPACED_REQUEST = 12  # characters, for a message with no spaces (Thai writes a sentence without them)


def wants_to_plan(text: str, confidence: float) -> bool:
    """A button or /campaign always starts it; typed text only when the NLU is sure it asks to plan.

    Questions about a campaign (is it working, show my plan) belong to the library or /campaigns; the
    NLU learns that difference, and an unsure call is put to the user instead of opening 12 questions.
    """
    return text.startswith("/") or (confidence >= PLAN_CONFIDENCE and is_a_sentence(text))


def is_a_sentence(text: str) -> bool:
    """A request has a verb and an object: at least three words, or a long unspaced (Thai) phrase."""
    words = text.split()
    return len(words) >= REQUEST_WORDS or (len(words) == 1 and len(text) >= UNSPACED_REQUEST)
