"""The draft state machine: order of questions, failures, help offers, back, skip, edit, cancel, storage."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from bot.campaign.choices import choice_ids
from bot.campaign.draft import (
    ACCEPTED,
    CANCEL_REQUESTED,
    CANCELLED_KIND,
    CONFIRMED,
    HELP,
    INVALID,
    MOVED,
    OFFER_HELP,
    SKIPPED,
    CampaignDraft,
)
from bot.campaign.replies import buttons_for, message_for
from bot.campaign.steps import STEP_NAMES, STEPS, get_step, next_step_name, previous_step_name
from bot.language.locales import Locales

RunDraft = Callable[..., CampaignDraft]


def test_questions_come_in_the_agreed_order_with_their_tips(campaign_locales: Locales) -> None:
    assert STEP_NAMES == (
        "name",
        "problem",
        "audience",
        "platforms",
        "message",
        "formats",
        "start_date",
        "duration_weeks",
        "posts_per_week",
        "metrics",
        "moderator",
        "response_time",
    )
    assert {step.name: step.tip for step in STEPS} == {
        "name": "gs-goals",
        "problem": "cc-counter-narrative",
        "audience": "gs-audience",
        "platforms": "gs-platform",
        "message": "cc-counter-narrative",
        "formats": "cc-formats",
        "start_date": "mg-rhythm",
        "duration_weeks": "gs-first-month",
        "posts_per_week": "mg-rhythm",
        "metrics": "im-metrics",
        "moderator": "mg-moderation",
        "response_time": "mg-hateful-comments",
    }
    assert [step.name for step in STEPS if step.optional] == ["moderator"]
    platforms = ("facebook", "instagram", "whatsapp", "messenger", "tiktok", "youtube", "x", "line", "viber", "imo", "telegram", "other")
    assert get_step("platforms").choices == () and choice_ids(get_step("platforms"), campaign_locales) == platforms  # from locales
    assert (next_step_name("name"), previous_step_name("name")) == ("problem", None)
    assert next_step_name("response_time") is None
    with pytest.raises(ValueError, match="unknown campaign step"):
        get_step("budget")


def test_a_full_run_ends_at_the_summary_with_typed_answers(run_draft: RunDraft) -> None:
    draft = run_draft()
    assert draft.at_summary() and draft.is_complete() and draft.next_step() is None
    assert draft.name == "Neighbours Together"
    assert draft.answers == {
        "name": "Neighbours Together",
        "problem": "misinformation",
        "problem_detail": "rumours about flood relief",
        "audience": "students in Sylhet, 18-25",
        "audience_age": [18, 25],
        "platforms": ["facebook", "tiktok", "whatsapp"],
        "message": "In our street we look after each other",
        "formats": ["short_video", "image", "voice_note"],
        "start_date": "2026-11-30",
        "duration_weeks": 6,
        "posts_per_week": 3,
        "metrics": ["reach", "shares"],
        "moderator": None,
        "response_time": 4,
    }


def test_a_run_in_bengali_thai_and_urdu_mixed(run_draft: RunDraft) -> None:
    replies = (
        "পাশাপাশি আমরা",
        "গুজব",
        "নাখন রাচাসিমার শিক্ষার্থী ১৮-২৪",
        "เฟซบุ๊กกับติ๊กต็อก",
        "ہماری گلی میں ہم ایک دوسرے کا خیال رکھتے ہیں",
        "ছোট ভিডিও আর ছবি",
        "agle somvar",
        "๘ สัปดาห์",
        "ہفتے میں 3 بار",
        "রিচ আর শেয়ার",
        "রিনা",
        "২ ঘণ্টা",
    )
    draft = run_draft(replies)
    assert draft.at_summary()
    assert draft.answers["start_date"] == "2026-11-30"
    numbers = [draft.answers[key] for key in ("duration_weeks", "posts_per_week", "response_time")]
    assert numbers == [8, 3, 2]
    assert draft.answers["platforms"] == ["facebook", "tiktok"]
    assert draft.answers["moderator"] == "রিনা"


def test_each_accepted_answer_moves_to_the_next_question(campaign_locales: Locales, today: date) -> None:
    draft = CampaignDraft()
    outcome = draft.answer("name", "Neighbours Together", today, campaign_locales)
    assert (outcome.kind, outcome.step, outcome.next_step) == (ACCEPTED, "name", "problem")
    assert outcome.value == "Neighbours Together"
    assert draft.current_step == "problem"
    with pytest.raises(ValueError, match="current question is 'problem'"):
        draft.answer("audience", "students", today, campaign_locales)


def test_two_failures_at_one_question_offer_help(campaign_locales: Locales, today: date, run_draft: RunDraft) -> None:
    draft = run_draft(("Neighbours Together", "hate speech", "students", "facebook", "We stand together", "video"))
    assert draft.current_step == "start_date"
    first = draft.handle("yesterday-ish", today, campaign_locales)
    assert (first.kind, first.error, first.step) == (INVALID, "campaign.error.date_format", "start_date")
    second = draft.handle("1/1/2020", today, campaign_locales)
    assert (second.kind, second.error) == (OFFER_HELP, "campaign.error.date_past")
    assert (second.tip, second.can_skip) == ("mg-rhythm", False)
    assert draft.failures == {"start_date": 2}
    assert draft.handle("someday", today, campaign_locales).kind == OFFER_HELP
    assert draft.current_step == "start_date"
    assert draft.handle("tomorrow", today, campaign_locales).kind == ACCEPTED
    assert draft.failures == {}
    assert "Stuck?" in message_for(second, draft, campaign_locales, "en")


def test_the_help_offer_on_an_optional_question_also_offers_skip(
    campaign_locales: Locales,
    today: date,
    run_draft: RunDraft,
) -> None:
    draft = run_draft(("Name", "hate", "students", "fb", "We stand together", "video", "tomorrow", "4", "3", "reach"))
    assert draft.current_step == "moderator"
    draft.handle("x", today, campaign_locales)
    offer = draft.handle("?", today, campaign_locales)
    assert (offer.kind, offer.error, offer.can_skip) == (OFFER_HELP, "campaign.error.too_short", True)
    assert "Skip" in message_for(offer, draft, campaign_locales, "en")
    assert "skip" in buttons_for(offer, draft)


def test_back_returns_to_the_previous_question_and_keeps_answers(
    campaign_locales: Locales,
    run_draft: RunDraft,
) -> None:
    draft = run_draft(("Neighbours Together", "hate speech"))
    assert draft.current_step == "audience"
    outcome = draft.handle("back", date(2026, 11, 25), campaign_locales)
    assert (outcome.kind, outcome.next_step) == (MOVED, "problem")
    assert draft.answers["problem"] == "hate_speech"
    assert "Current answer" in message_for(outcome, draft, campaign_locales, "en")
    draft.back()
    refused = draft.back()
    assert (refused.kind, refused.error, draft.current_step) == (INVALID, "campaign.error.no_back", "name")


def test_back_from_the_summary_goes_to_the_last_question(run_draft: RunDraft) -> None:
    draft = run_draft()
    assert draft.back().next_step == "response_time"


def test_only_optional_questions_can_be_skipped(campaign_locales: Locales, today: date, run_draft: RunDraft) -> None:
    draft = CampaignDraft()
    refused = draft.handle("skip", today, campaign_locales)
    assert (refused.kind, refused.error, draft.current_step) == (INVALID, "campaign.error.skip_required", "name")
    assert draft.failures == {}
    draft = run_draft(("Name", "hate", "students", "fb", "We stand together", "video", "tomorrow", "4", "3", "reach"))
    skipped = draft.handle("বাদ দিন", today, campaign_locales)
    assert (skipped.kind, skipped.step, skipped.next_step) == (SKIPPED, "moderator", "response_time")
    assert draft.answers["moderator"] is None


def test_edit_from_the_summary_returns_to_the_summary(
    campaign_locales: Locales,
    today: date,
    run_draft: RunDraft,
) -> None:
    draft = run_draft()
    before = dict(draft.answers)
    moved = draft.edit("platforms")
    assert (moved.kind, moved.next_step, draft.editing) == (MOVED, "platforms", True)
    accepted = draft.handle("instagram and youtube", today, campaign_locales)
    assert (accepted.kind, accepted.next_step) == (ACCEPTED, None)
    assert draft.at_summary() and not draft.editing
    assert draft.answers == {**before, "platforms": ["instagram", "youtube"]}
    assert "Instagram, YouTube" in message_for(accepted, draft, campaign_locales, "en")


def test_edit_an_optional_answer_and_skip_it_returns_to_the_summary(
    campaign_locales: Locales,
    today: date,
    run_draft: RunDraft,
) -> None:
    draft = run_draft()
    draft.edit("moderator")
    draft.handle("Rina (volunteer lead)", today, campaign_locales)
    assert draft.at_summary() and draft.answers["moderator"] == "Rina (volunteer lead)"
    draft.edit("moderator")
    assert draft.skip().next_step is None and draft.answers["moderator"] is None


def test_back_while_editing_returns_to_the_summary_unchanged(run_draft: RunDraft) -> None:
    draft = run_draft()
    before = dict(draft.answers)
    draft.edit("start_date")
    assert draft.back().next_step is None
    assert draft.at_summary() and draft.answers == before


def test_edit_and_confirm_need_every_answer(campaign_locales: Locales, run_draft: RunDraft) -> None:
    draft = run_draft(("Name", "hate"))
    assert draft.edit("name").error == "campaign.error.edit_unavailable"
    assert draft.confirm().error == "campaign.error.edit_unavailable"
    assert draft.current_step == "audience"


def test_typing_at_the_summary_points_to_confirm_or_edit(
    campaign_locales: Locales,
    today: date,
    run_draft: RunDraft,
) -> None:
    draft = run_draft()
    assert draft.handle("looks good", today, campaign_locales).error == "campaign.error.at_summary"
    assert buttons_for(None, draft) == ["confirm", "edit", "back", "cancel"]
    assert draft.confirm().kind == CONFIRMED
    assert draft.status == "complete" and draft.next_step() is None


def test_cancel_asks_first_then_closes_the_draft(campaign_locales: Locales, today: date, run_draft: RunDraft) -> None:
    draft = run_draft(("Name", "hate"))
    asked = draft.handle("ยกเลิก", today, campaign_locales)
    assert asked.kind == CANCEL_REQUESTED and draft.status == "in_progress" and draft.current_step == "audience"
    assert buttons_for(asked, draft) == ["cancel_confirm.yes", "cancel_confirm.no"]
    assert draft.cancel().kind == CANCELLED_KIND and draft.status == "cancelled"
    assert draft.handle("students", today, campaign_locales).error == "campaign.error.not_active"
    with pytest.raises(ValueError, match="cancelled"):
        draft.back()


def test_help_names_the_question_and_its_article(campaign_locales: Locales, today: date) -> None:
    draft = CampaignDraft()
    outcome = draft.handle("مدد", today, campaign_locales)
    assert (outcome.kind, outcome.step, outcome.tip) == (HELP, "name", "gs-goals")
    assert message_for(outcome, draft, campaign_locales, "ur") == campaign_locales.text("ur", "campaign.help.name")


def test_answering_again_replaces_extra_answers(campaign_locales: Locales, today: date, run_draft: RunDraft) -> None:
    draft = run_draft()
    draft.edit("audience")
    draft.handle("farmers in Rangpur", today, campaign_locales)
    assert "audience_age" not in draft.answers
    draft.edit("problem")
    draft.handle("hate_speech", today, campaign_locales)
    assert draft.answers["problem"] == "hate_speech" and "problem_detail" not in draft.answers


def test_drafts_survive_a_json_round_trip(campaign_locales: Locales, today: date, run_draft: RunDraft) -> None:
    draft = run_draft(("Neighbours Together", "hate", "students", "fb"))
    draft.handle("?", today, campaign_locales)
    draft.id = 7
    stored = json.loads(json.dumps(draft.to_dict()))
    restored = CampaignDraft.from_dict(stored)
    assert restored == draft
    assert restored.failures == {"message": 1}
    assert restored.handle("We stand together", today, campaign_locales).next_step == "formats"


def test_stored_drafts_are_checked(run_draft: RunDraft) -> None:
    with pytest.raises(ValueError, match="status"):
        CampaignDraft.from_dict({"status": "archived"})
    with pytest.raises(ValueError, match="current_step"):
        CampaignDraft.from_dict({"current_step": "budget"})
    partial = run_draft().to_dict()
    del partial["answers"]["metrics"]
    restored = CampaignDraft.from_dict(partial)
    assert restored.current_step == "metrics" and not restored.at_summary()


def test_question_buttons(campaign_locales: Locales, run_draft: RunDraft) -> None:
    assert buttons_for(None, CampaignDraft()) == ["help", "cancel"]
    draft = run_draft(("Name", "hate", "students", "fb", "We stand together", "video", "tomorrow", "4", "3", "reach"))
    assert buttons_for(None, draft) == ["back", "help", "skip", "cancel"]
