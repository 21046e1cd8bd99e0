"""Pick the article that answers a question, once the NLU has named its section."""

from __future__ import annotations

from bot.library.search import SearchIndex

MIN_SCORE = 0.05  # below this, the words share too little with any article
SUGGESTIONS = 3


def best_article(index: SearchIndex, text: str, section: str) -> str | None:
    """The best article in `section` for `text`, or None (then show the section's list)."""
    hits = index.search(text, section=section, limit=1)
    return hits[0].article_id if hits and hits[0].score >= MIN_SCORE else None


def suggestions(index: SearchIndex, text: str) -> list[str]:
    """Up to three articles for a "did you mean…" when the NLU is unsure."""
    return [hit.article_id for hit in index.search(text, limit=SUGGESTIONS) if hit.score >= MIN_SCORE]
