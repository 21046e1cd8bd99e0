"""Pick the article that answers a question, once the NLU has named its section."""

from __future__ import annotations

from bot.library.search import SearchIndex

MIN_SCORE = 0.05  # below this, the words share too little with any article
SUGGESTIONS = 3
SECTION_BOOST = 1.2  # how much the NLU's section counts against the words themselves
CANDIDATES = 15


def best_article(index: SearchIndex, text: str, section: str) -> str | None:
    """The article that best matches `text`, favouring the NLU's `section`; None shows the section's list.

    Measured on held-out questions, the words pick the right article more often than the section
    guess does, so the section only tips close calls (see `make evaluate-articles`).
    """
    hits = [hit for hit in index.search(text, limit=CANDIDATES) if hit.score >= MIN_SCORE]
    if not hits:
        return None
    return max(hits, key=lambda hit: hit.score * (SECTION_BOOST if hit.section == section else 1.0)).article_id


def suggestions(index: SearchIndex, text: str) -> list[str]:
    """Up to three articles for a "did you mean…" when the NLU is unsure."""
    return [hit.article_id for hit in index.search(text, limit=SUGGESTIONS) if hit.score >= MIN_SCORE]
