"""The user's saved plans (/campaigns) and the planner buttons that need no engine.

The planner itself is Rasa's form over `bot.campaign.flow`; this module opens, duplicates and deletes
plans, and ticks multi-choice boxes in place. Everything else a planner button does goes to the form.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable

from bot import callbacks
from bot.campaign.display import campaign_name
from bot.campaign.draft import CampaignDraft
from bot.replies import Button, Reply
from bot.views import Services, Views

AskEngine = Callable[[int, str, str], Awaitable[list[Reply]]]  # (user_id, payload, lang) -> replies


class PlanHandlers:
    def __init__(self, services: Services, views: Views, ask_engine: AskEngine) -> None:
        self.s = services
        self.views = views
        self.ask_engine = ask_engine

    async def planner_button(self, user_id: int, button: callbacks.Callback, lang: str) -> list[Reply]:
        """Ticking a multi-choice box is answered here; every other planner button goes to the form."""
        if button.args[0] == "t":
            record = self.s.campaigns.latest_in_progress(user_id=user_id)
            if record is None:
                return [self.views.expired(lang)]
            _, step, mask, index = button.args
            return [self.views.campaign_cards.toggle(CampaignDraft.from_dict(record.draft), lang, step, mask, index)]
        return await self.ask_engine(user_id, self.s.brain.payload("campaign", {"campaign_value": button.value}), lang)

    async def plan_button(self, user_id: int, action: str, plan_id: int, lang: str) -> list[Reply]:
        """Open, edit, duplicate or delete one of the user's plans (another user's is "not found")."""
        t = self.views.t
        plan = self.s.campaigns.get(campaign_id=plan_id, user_id=user_id)
        if plan is None:
            return [Reply(t(lang, "campaign.list.not_found"), ((self.views.start_planning(lang),),))]
        name = html.escape(campaign_name(plan.name, self.s.locales, lang))
        if action == "o":
            edit = Button(t(lang, "campaign.list.edit"), callbacks.plan("e", plan.id))
            duplicate = Button(t(lang, "campaign.list.duplicate"), callbacks.plan("d", plan.id))
            buttons = ((edit, duplicate), (Button(t(lang, "campaign.list.delete"), callbacks.plan("x", plan.id)),))
            draft = CampaignDraft.from_dict(plan.draft)
            cards = self.views.campaign_cards
            shown = cards.plan(draft, lang)[1:] if plan.status == "complete" else [cards.question(draft, lang)]
            status = t(lang, f"campaign.list.status_{plan.status}")
            return [*shown, Reply(t(lang, "campaign.list.item", name=name, status=status), buttons)]
        if action == "x":
            yes = Button(t(lang, "campaign.list.delete_yes"), callbacks.plan("xx", plan.id))
            back = Button(t(lang, "menu.back"), callbacks.menu())
            return [Reply(t(lang, "campaign.list.delete_confirm", name=name), ((yes, back),))]
        if action == "xx":
            self.s.campaigns.delete(campaign_id=plan.id, user_id=user_id)
            if self.s.reminders is not None:
                self.s.reminders.delete_for_campaign(campaign_id=plan.id)
            return [self.views.keyed(lang, "campaign.list.deleted", menu=True)]
        if action == "d":
            copy = {**plan.draft, "name": t(lang, "campaign.list.copy_name", name=plan.name), "status": "complete"}
            copy["answers"] = {**plan.draft.get("answers", {}), "name": copy["name"]}
            plan = self.s.campaigns.create(user_id=user_id, draft=copy)
        return await self.planner_button(user_id, callbacks.Callback("c", ("continue", str(plan.id))), lang)
