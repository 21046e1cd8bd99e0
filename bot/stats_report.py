"""The five lines of figures under the /stats chart and in the weekly digest, in the reader's language.

Counts only: no user ids, no message text.
"""

from __future__ import annotations

from bot.language.locales import Locales
from bot.library.model import Library
from bot.storage.stats import Summary
from bot.views import escape


def stats_lines(summary: Summary, lang: str, locales: Locales, library: Library) -> list[str]:
    """Users and questions by language, answered shares, top sections, least helpful articles, plans."""
    t = locales.text
    by_language = ", ".join(
        f"{locales.languages[code].name} {sum(day.get(code, 0) for day in summary.questions_by_day.values())}" for code in locales.codes
    )
    decided = sum(summary.outcomes.values()) or 1
    shares = {outcome: round(100 * summary.outcomes[outcome] / decided) for outcome in ("answered", "suggested", "not_covered")}
    sections = ", ".join(f"{t(lang, f'menu.{key}')} {n}" for key, n in summary.sections.most_common(3)) or "—"
    worst = ", ".join(f"{_title(library, lang, article)} 👍{up} 👎{down}" for article, up, down in summary.worst_articles()) or "—"
    return [
        t(lang, "stats.people", users=sum(summary.users_by_day.values()), questions=summary.questions, by_language=by_language),
        t(lang, "stats.outcomes", **shares),
        t(lang, "stats.sections", sections=sections),
        t(lang, "stats.worst", articles=worst),
        t(lang, "stats.plans", started=summary.plans_started, finished=summary.plans_finished),
    ]


def _title(library: Library, lang: str, article_id: str) -> str:
    article = library.article(article_id)
    return escape(article.text(lang)[0].title if article else article_id)
