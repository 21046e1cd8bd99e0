"""Browsing, searching and rating the library: answered locally, without the engine."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timezone

from bot.library.model import SECTIONS
from bot.replies import Reply
from bot.storage.stats import VOTE_DOWN, VOTE_UP
from bot.views import Services, Views, escape

RECENT_QUESTIONS = 10_000  # users whose last question is remembered for a thumbs-down; the oldest are forgotten


class LibraryHandlers:
    def __init__(self, services: Services, views: Views) -> None:
        self.s = services
        self.views = views
        self._last_question: OrderedDict[int, str] = OrderedDict()
        self._last_article: OrderedDict[int, str] = OrderedDict()

    def remember_question(self, user_id: int, text: str) -> None:
        """Kept in memory only, so a thumbs-down can log what was asked (without who asked), and staff
        see what a user asked before they wanted a person."""
        _remember(self._last_question, user_id, text)

    def remember_article(self, user_id: int, article_id: str) -> None:
        """The page a user was on, to take them back there after a chat with a person."""
        _remember(self._last_article, user_id, article_id)

    def last_question(self, user_id: int) -> str | None:
        return self._last_question.get(user_id)

    def last_article(self, user_id: int) -> str | None:
        return self._last_article.get(user_id)

    def forget(self, user_id: int) -> None:
        self._last_question.pop(user_id, None)
        self._last_article.pop(user_id, None)

    def section(self, lang: str, section_id: str, page: int) -> Reply:
        if section_id not in SECTIONS:
            return self.views.expired(lang)
        return self.views.cards.section(lang, section_id, page)

    def article(self, lang: str, article_id: str) -> Reply:
        return self.views.cards.article(lang, article_id)

    def more(self, lang: str, article_id: str) -> Reply:
        return self.views.cards.more(lang, article_id)

    def search(self, query: str, lang: str) -> Reply:
        """/search <words>: up to five articles, or an honest "nothing found" (logged for the gap report)."""
        if not query.strip():
            return self.views.keyed(lang, "library.search_usage")
        hits = self.s.library.index.search(query, limit=5)
        if not hits:
            self.s.questions.record(kind="unanswered", text=query, language=lang, section_guess=None, best_guess=None)
            return self.views.keyed(lang, "library.search_none", query=escape(query))
        reply = self.views.cards.suggestions(lang, [hit.article_id for hit in hits], "library.search_results")
        return Reply(self.views.t(lang, "library.search_results", query=escape(query)), reply.buttons)

    def feedback(self, user_id: int, article_id: str, vote: str, lang: str) -> Reply:
        """Thumbs up: thanks. Thumbs down: the question goes to the gap report, without the user's id.
        Both are counted per article for /stats."""
        if self.s.stats is not None:
            metric = VOTE_DOWN if vote == "d" else VOTE_UP
            self.s.stats.increment(day=datetime.now(timezone.utc).date(), language=lang, metric=metric, key=article_id)
        if vote != "d":
            return self.views.keyed(lang, "library.feedback_thanks")
        article = self.s.library.library.article(article_id)
        question = self._last_question.get(user_id) or (article.text(lang)[0].title if article else article_id)
        section = article.section if article else None
        self.s.questions.record(kind="thumbs_down", text=question, language=lang, section_guess=section, best_guess=article_id)
        return Reply(self.views.t(lang, "library.feedback_sorry"), ((self.views.cards.back(lang),),))


def _remember(recent: OrderedDict[int, str], user_id: int, value: str) -> None:
    recent[user_id] = value
    recent.move_to_end(user_id)
    if len(recent) > RECENT_QUESTIONS:
        recent.popitem(last=False)
