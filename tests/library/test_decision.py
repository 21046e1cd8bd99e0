"""The decision policy's three outcomes, on made-up candidates so each threshold is tested on its own."""

from __future__ import annotations

import dataclasses

from bot.library.answering import reply_from
from bot.library.decision import ANSWER, NOT_COVERED, SUGGEST, Decision, Thresholds, decide
from bot.library.retrieval import Candidate, Ranking

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


def ranking_of(*candidates: Candidate) -> Ranking:
    return Ranking(candidates=list(candidates), uncovered=0.0)


def test_an_unsure_urgent_message_gets_the_likeliest_first_hour_steps() -> None:
    ranked = ranking_of(
        candidate("mg-security", 0.7), candidate("ug-hacked", 0.68, "urgent"), candidate("ug-impersonation", 0.65, "urgent")
    )
    decision, spec = reply_from(ranked, LIMITS, "urgent", 0.9)
    assert decision.kind == ANSWER and decision.article_ids == ("ug-hacked", "ug-impersonation")
    assert spec == {"article": "ug-hacked", "also": ["ug-impersonation"]}
    assert reply_from(ranked, LIMITS, "managing", 0.9)[0].kind == SUGGEST  # the same question, not urgent


def test_an_urgent_message_nothing_matches_gets_the_whole_urgent_section() -> None:
    weak = ranking_of(candidate("mg-security", 0.3), candidate("ug-hacked", 0.3, "urgent"))
    assert reply_from(weak, LIMITS, "urgent", 0.9) == (Decision(NOT_COVERED), {"section": "urgent"})


def test_a_known_gap_the_nlu_half_thought_urgent_is_told_not_covered() -> None:
    """ "How do we get the blue badge" once came out 59 % urgent: the library, which knows the topic
    as one it lacks, is believed, and the user gets an honest "not covered", not the urgent menu."""
    limits = dataclasses.replace(LIMITS, uncovered=0.3)
    candidates = (candidate("gs-profile", 0.53, "getting_started"), candidate("ug-impersonation", 0.52, "urgent"))
    known_gap = Ranking(candidates=list(candidates), uncovered=0.98)
    assert reply_from(known_gap, limits, "urgent", 0.59) == (Decision(NOT_COVERED), {"not_covered": True})
    unknown = Ranking(candidates=list(candidates), uncovered=0.05)
    assert reply_from(unknown, limits, "urgent", 0.59)[1] == {"article": "ug-impersonation"}, "otherwise urgent first, as before"


def test_a_question_nearest_a_topic_the_library_lacks_is_not_covered() -> None:
    """Even a clear winner is not answered when the question's nearest example, in meaning, is one on a
    topic the library lacks (`gap_lead`): a confident wrong article is worse than an honest "not covered"."""
    limits = dataclasses.replace(LIMITS, gap_lead=0.0)
    clear = [candidate("mg-security", 0.95), candidate("ug-hacked", 0.3)]
    assert decide(clear, limits, gap_lead=0.01).kind == NOT_COVERED
    assert decide(clear, limits, gap_lead=-0.01).kind == ANSWER
    assert decide(clear, LIMITS, gap_lead=0.5).kind == ANSWER, "off unless a threshold is set"


def test_nearness_to_a_gap_alone_never_holds_back_urgent_help() -> None:
    """Only the classifier's own `none` verdict overrides urgent-first; a nearby gap example does not."""
    limits = dataclasses.replace(LIMITS, gap_lead=0.0, uncovered=0.3)
    hacked = Ranking(candidates=[candidate("ug-hacked", 0.7, "urgent"), candidate("mg-security", 0.5)], uncovered=0.05, gap_lead=0.04)
    assert reply_from(hacked, limits, "urgent", 0.9)[1] == {"article": "ug-hacked"}
    assert reply_from(hacked, limits, "managing", 0.9)[0].kind == NOT_COVERED
