"""The guided campaign planner: questions, parsing, the draft state machine, calendar and plan.

Plain Python only (no Rasa, Telegram or database): Rasa actions and storage call into this package.
All user-facing text comes from `locales/<lang>/campaign.yml` through `bot.language.locales.Locales`.
"""

from __future__ import annotations

from bot.campaign.calendar import Post, Week, build_calendar, calendar_for, campaign_end
from bot.campaign.display import choice_buttons, edit_buttons, format_answer, format_date, prompt_html
from bot.campaign.draft import CampaignDraft, Outcome
from bot.campaign.parsing import Parsed, parse_answer
from bot.campaign.plan import Plan, build_plan, relevant_articles, summary_text
from bot.campaign.replies import button_label, buttons_for, message_for
from bot.campaign.steps import STEP_NAMES, STEPS, Step, get_step
from bot.campaign.words import Vocabulary, control_word

__all__ = [
    "STEPS",
    "STEP_NAMES",
    "CampaignDraft",
    "Outcome",
    "Parsed",
    "Plan",
    "Post",
    "Step",
    "Vocabulary",
    "Week",
    "build_calendar",
    "build_plan",
    "button_label",
    "buttons_for",
    "calendar_for",
    "campaign_end",
    "choice_buttons",
    "control_word",
    "edit_buttons",
    "format_answer",
    "format_date",
    "get_step",
    "message_for",
    "parse_answer",
    "prompt_html",
    "relevant_articles",
    "summary_text",
]
