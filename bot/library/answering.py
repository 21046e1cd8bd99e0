"""From a library question to what the bot says: the article, a "did you mean", or "not covered yet"."""

from __future__ import annotations

from typing import Any

from bot.library.decision import ANSWER, LEXICAL, NOT_COVERED, SEMANTIC, Decision, Thresholds, decide
from bot.library.model import SECTIONS
from bot.library.retrieval import ArticleRetriever, Ranking

CANDIDATES = 8
URGENT = "urgent"
SECTION_CONFIDENCE = 0.6  # the NLU's section tips close calls only when it is at least this sure


def answer_question(retriever: ArticleRetriever, text: str, intent: str | None = None, confidence: float = 0.0) -> Decision:
    """The decision policy over the whole library, with the NLU's section as a small bonus."""
    return library_reply(retriever, text, intent, confidence)[0]


def library_reply(retriever: ArticleRetriever, text: str, intent: str | None, confidence: float) -> tuple[Decision, dict[str, Any]]:
    """The decision and what to show for one question."""
    thresholds = SEMANTIC if retriever.semantic else LEXICAL
    return reply_from(retriever.assess(text, limit=CANDIDATES), thresholds, intent, confidence)


def reply_from(ranking: Ranking, thresholds: Thresholds, intent: str | None, confidence: float) -> tuple[Decision, dict[str, Any]]:
    """Pure: the ranking and the NLU's verdict in, decision and reply out (also used to calibrate).

    Someone in trouble needs the first-hour steps, not a menu: when the NLU says urgent and the
    policy would not answer, the likeliest urgent article (if it scores at least `suggest`) is
    answered with the next ones as buttons; on the development set this turned most "did you mean"
    replies to urgent messages into the right answer. Otherwise the whole urgent section is offered.
    Unless the library knows the question as one it lacks (`uncovered`): "how do we get the blue
    badge" is not an emergency because the NLU half-thought so, and gets an honest "not covered"."""
    section = intent if intent in SECTIONS and confidence >= SECTION_CONFIDENCE else None
    decision = decide(ranking.candidates, thresholds, section, ranking.uncovered, ranking.gap_lead)
    if intent == URGENT and decision.kind != ANSWER and not thresholds.known_gap(ranking.uncovered):
        decision = urgent_first(ranking, thresholds) or decision
        if decision.kind == NOT_COVERED:
            return decision, {"section": URGENT}
    return decision, reply_spec(decision)


def urgent_first(ranking: Ranking, thresholds: Thresholds) -> Decision | None:
    """The best-scoring urgent articles, the likeliest answered and the rest as buttons."""
    urgent = sorted((c for c in ranking.candidates if c.section == URGENT), key=lambda c: -c.score)
    if not urgent or urgent[0].score < thresholds.suggest:
        return None
    return Decision(ANSWER, tuple(c.article_id for c in urgent[: thresholds.limit]))


def reply_spec(decision: Decision) -> dict[str, Any]:
    """The language-neutral reply for a decision (rendered by the conversation layer)."""
    if decision.kind == ANSWER:
        return (
            {"article": decision.article_ids[0], "also": list(decision.alternatives)}
            if decision.alternatives
            else {"article": decision.article_ids[0]}
        )
    if decision.kind == NOT_COVERED:
        return {"not_covered": True}
    return {"suggest": list(decision.article_ids)}


def gap_kind(decision: Decision) -> str | None:
    """How the question is logged for the gap report (None: answered, nothing to log)."""
    return {NOT_COVERED: "unanswered", ANSWER: None}.get(decision.kind, "low_confidence")
