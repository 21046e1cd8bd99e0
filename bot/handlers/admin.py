"""Commands for the people who run the bot (ADMIN_TELEGRAM_IDS)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from bot.replies import Reply
from bot.stats_chart import chart_png
from bot.stats_report import stats_lines
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
        lines = [self.views.t(lang, "stats.title", days=STATS_DAYS), *stats_lines(summary, lang, self.s.locales, self.s.library.library)]
        return Reply("\n".join(lines), photo=chart_png(summary, today, self.s.locales.codes))
