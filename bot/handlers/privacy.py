"""What the bot keeps about a person, said plainly (/privacy), and erased on request (/forget).

The notice is one text in locales/ (privacy.text), filled from settings: who runs this copy of the bot
(never a claimed affiliation that is not configured), how to reach them, how long history is kept.
It also answers "who made you?", "are you a bot?" and "is this Facebook?".
"""

from __future__ import annotations

import logging

from bot import callbacks
from bot.handlers.handoff import HandoffHandlers
from bot.replies import Button, Reply
from bot.storage.personal import PersonalData
from bot.views import Services, Views

log = logging.getLogger(__name__)


class PrivacyHandlers:
    def __init__(self, services: Services, views: Views, handoff: HandoffHandlers) -> None:
        self.s = services
        self.views = views
        self.handoff = handoff
        self.personal: PersonalData = services.personal

    def notice(self, lang: str) -> Reply:
        return self.views.privacy_notice(lang)

    def ask_to_forget(self, user_id: int, lang: str) -> Reply:
        """Erasing cannot be undone: say what goes, and ask first."""
        t = self.views.t
        yes, no = Button(t(lang, "forget.yes"), callbacks.forget(True)), Button(t(lang, "forget.no"), callbacks.forget(False))
        return Reply(t(lang, "forget.confirm", plans=self.personal.plans(user_id=user_id)), ((yes,), (no,)))

    async def forget(self, user_id: int, confirmed: bool, lang: str) -> Reply:
        """Erase the user everywhere: app tables, the engine's conversation history, memory. The receipt
        is in the language they used, which is itself erased with the rest."""
        if not confirmed:
            return self.views.keyed(lang, "forget.kept", menu=True)
        await self.handoff.erase(user_id)  # before the rows that name the topics go
        erased = self.personal.erase(user_id=user_id)
        records = await self.s.brain.forget(str(user_id))
        log.info("Erased a user on request: %d plans, %d conversation records", erased.plans, records)
        return Reply(self.views.t(lang, "forget.done", plans=erased.plans, records=records))
