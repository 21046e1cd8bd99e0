"""The decision policy's three outcomes, on made-up candidates so each threshold is tested on its own."""

from __future__ import annotations

from bot.library.decision import ANSWER, NOT_COVERED, SUGGEST, Thresholds, decide
from bot.library.retrieval import Candidate

LIMITS = Thresholds(answer=0.8, margin=0.1, suggest=0.5, section_bonus=0.05, keep=0.15)


def candidate(article_id: str, score: float, section: str = "managing") -> Candidate:
    return Candidate(article_id, section, score, lexical=0.0)


def test_one_clear_winner_is_answered() -> None:
    decision = decide([candidate("mg-security", 0.95), candidate("ug-hacked", 0.6)], LIMITS)
    assert (decision.kind, decision.article_id) == (ANSWER, "mg-security")


def test_close_runners_up_become_did_you_mean_best_first() -> None:
    ranked = [candidate("b", 0.85), candidate("a", 0.9), candidate("c", 0.8), candidate("d", 0.3)]
    decision = decide(ranked, LIMITS)
    assert decision.kind == SUGGEST and decision.article_ids == ("a", "b", "c")
    assert decision.article_id is None


def test_unsure_but_alone_still_offers_two_buttons() -> None:
    decision = decide([candidate("a", 0.7), candidate("b", 0.2)], LIMITS)
    assert decision.kind == SUGGEST and decision.article_ids == ("a", "b")


def test_nothing_close_is_not_covered() -> None:
    assert decide([candidate("a", 0.45), candidate("b", 0.4)], LIMITS).kind == NOT_COVERED
    assert decide([], LIMITS).kind == NOT_COVERED


def test_the_nlu_section_tips_a_close_call() -> None:
    ranked = [candidate("gs-platform", 0.86, "getting_started"), candidate("ug-hacked", 0.84, "urgent")]
    assert decide(ranked, LIMITS).kind == SUGGEST
    decision = decide(ranked, LIMITS, section="urgent")
    assert decision.article_ids[0] == "ug-hacked"
    far_apart = [candidate("gs-platform", 0.95, "getting_started"), candidate("ug-hacked", 0.6, "urgent")]
    assert decide(far_apart, LIMITS, section="urgent").article_id == "gs-platform"  # a hint, not an override
