"""One decision for every free-text library question: answer, "did you mean", or "not covered yet".

The thresholds were chosen on the development set (`make calibrate` prints the sweep) and are checked
on the untouched test set by `make evaluate-articles`; README, "Matching", explains each one.
Scores are an article's probability from the retriever's classifier plus two spelling cosines (its
TF-IDF score and its closest example's), so they run from 0 to about 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.library.retrieval import Candidate

ANSWER = "answer"
SUGGEST = "suggest"
NOT_COVERED = "not_covered"
Kind = Literal["answer", "suggest", "not_covered"]


@dataclass(frozen=True)
class Thresholds:
    answer: float  # the best article's score must reach this to be answered directly...
    margin: float  # ...and beat the runner-up by this much
    suggest: float  # below this, nothing in the library is close: "not covered yet"
    section_bonus: float  # added to articles in the section the NLU named, when it is confident
    keep: float  # a runner-up is offered beside the best one when it is within this of it
    uncovered: float = 1.0  # "not covered" when the classifier thinks no article answers it at least this surely
    also: float = 0.0  # an answered article's runners-up within this of it are offered as buttons under it
    gap_lead: float = float("inf")  # "not covered" too when its nearest `none` example is nearer than any article's by this
    limit: int = 3  # at most this many articles in a "did you mean" (or an answer and its runners-up)

    def known_gap(self, uncovered: float) -> bool:
        """The classifier is sure enough that no article answers the question."""
        return uncovered >= self.uncovered

    def nearest_gap(self, gap_lead: float) -> bool:
        """In meaning, the question sits nearer a topic the library lacks than any article."""
        return gap_lead >= self.gap_lead


SEMANTIC = Thresholds(answer=0.6, margin=0.05, suggest=0.6, section_bonus=0.1, keep=0.2, uncovered=0.4, also=0.6, gap_lead=0.0)
LEXICAL = Thresholds(answer=0.30, margin=0.05, suggest=0.12, section_bonus=0.05, keep=0.1)  # no encoder


@dataclass(frozen=True)
class Decision:
    kind: Kind
    article_ids: tuple[str, ...] = ()  # the answer first (then close runners-up), or the did-you-mean choices

    @property
    def article_id(self) -> str | None:
        return self.article_ids[0] if self.kind == ANSWER else None

    @property
    def alternatives(self) -> tuple[str, ...]:
        return self.article_ids[1:] if self.kind == ANSWER else ()


def decide(
    candidates: Sequence[Candidate], thresholds: Thresholds, section: str | None = None, uncovered: float = 0.0, gap_lead: float = -1.0
) -> Decision:
    """Answer when one article is clearly best, offer the close ones when several are, else say so."""
    ranked = sorted(candidates, key=lambda c: -_score(c, thresholds, section))
    if not ranked:
        return Decision(NOT_COVERED)
    best = _score(ranked[0], thresholds, section)
    if best < thresholds.suggest or thresholds.known_gap(uncovered) or thresholds.nearest_gap(gap_lead):
        return Decision(NOT_COVERED)
    runner_up = _score(ranked[1], thresholds, section) if len(ranked) > 1 else float("-inf")
    if best >= thresholds.answer and best - runner_up >= thresholds.margin:
        also = [c.article_id for c in ranked[1:] if best - _score(c, thresholds, section) <= thresholds.also]
        return Decision(ANSWER, (ranked[0].article_id, *also[: thresholds.limit - 1]))
    close = [c.article_id for c in ranked if best - _score(c, thresholds, section) <= thresholds.keep]
    if len(close) < 2:
        close = [c.article_id for c in ranked[:2]]  # one button alone reads like a confident answer
    return Decision(SUGGEST, tuple(close[: thresholds.limit]))


def _score(candidate: Candidate, thresholds: Thresholds, section: str | None) -> float:
    return candidate.score + (thresholds.section_bonus if section and candidate.section == section else 0.0)
