"""Commands for the people who run the bot (ADMIN_TELEGRAM_IDS)."""

from __future__ import annotations

from bot.replies import Reply
from bot.views import Services, Views, escape


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
