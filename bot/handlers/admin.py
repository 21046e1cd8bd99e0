"""Commands for the people who run the bot (ADMIN_TELEGRAM_IDS)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from bot.replies import Reply
from bot.stats_chart import chart_png
from bot.views import Services, Views, escape

STATS_DAYS = 30


class AdminHandlers:
    def __init__(self, services: Services, views: Views) -> None:
        self.s = services
        self.views = views

    def reload(self, user_id: int, lang: str) -> Reply:
        """/reload: re-read the library now and say what changed or what is wrong (file and line)."""
        if user_id not in self.s.admin_ids:
            return self.views.keyed(lang, "admin.not_allowed")
        result = self.s.library.refresh(force=True)
        if not result.ok:
            return self.views.keyed(lang, "admin.reload_failed", error=escape(result.message[:3000]))
        articles = len(self.s.library.library.articles)
        return self.views.keyed(lang, "admin.reloaded", seconds=f"{result.seconds:.2f}", articles=articles, warnings=result.message)

    def stats(self, user_id: int, lang: str, today: date | None = None) -> Reply:
        """/stats: a chart of the last 30 days and five lines, in the admin's language. Counts only: no
        user ids, no message text."""
        if user_id not in self.s.admin_ids or self.s.stats is None:
            return self.views.keyed(lang, "admin.not_allowed")
        today = today or datetime.now(timezone.utc).date()
        summary = self.s.stats.summary(since=today - timedelta(days=STATS_DAYS - 1))
        t, asked = self.views.t, summary.questions
        by_language = ", ".join(
            f"{self.s.locales.languages[code].name} {sum(day.get(code, 0) for day in summary.questions_by_day.values())}"
            for code in self.s.locales.codes
        )
        decided = sum(summary.outcomes.values()) or 1
        shares = {outcome: round(100 * summary.outcomes[outcome] / decided) for outcome in ("answered", "suggested", "not_covered")}
        sections = ", ".join(self._section(lang, key, n) for key, n in summary.sections.most_common(3)) or "—"
        worst = ", ".join(f"{self._title(lang, article)} 👍{up} 👎{down}" for article, up, down in summary.worst_articles()) or "—"
        lines = [
            t(lang, "stats.title", days=STATS_DAYS),
            t(lang, "stats.people", users=sum(summary.users_by_day.values()), questions=asked, by_language=by_language),
            t(lang, "stats.outcomes", **shares),
            t(lang, "stats.sections", sections=sections),
            t(lang, "stats.worst", articles=worst),
            t(lang, "stats.plans", started=summary.plans_started, finished=summary.plans_finished),
        ]
        return Reply("\n".join(lines), photo=chart_png(summary, today, self.s.locales.codes))

    def _section(self, lang: str, section: str, count: int) -> str:
        return f"{self.views.t(lang, f'menu.{section}')} {count}"

    def _title(self, lang: str, article_id: str) -> str:
        article = self.s.library.library.article(article_id)
        return escape(article.text(lang)[0].title if article else article_id)
