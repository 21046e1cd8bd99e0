"""When does a message start the planner? Only when the user asks to plan; otherwise ask first."""

from __future__ import annotations

PLAN_CONFIDENCE = 0.8  # below this a "campaign" message gets "Plan a new campaign now?" with Yes / No


def wants_to_plan(text: str, confidence: float) -> bool:
    """A button or /campaign always starts it; typed text only when the NLU is sure it asks to plan.

    Questions about a campaign (is it working, show my plan) belong to the library or /campaigns; the
    NLU learns that difference, and an unsure call is put to the user instead of opening 12 questions.
    """
    return text.startswith("/") or confidence >= PLAN_CONFIDENCE
