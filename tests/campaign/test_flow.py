"""The planner flow over real storage: what each input does, what is saved, what is said next."""

from __future__ import annotations

from datetime import date

import pytest

from bot.campaign.draft import CampaignDraft
from bot.campaign.flow import Planner, decode_choices, encode_choices
from bot.language.locales import Locales
from bot.storage.campaigns import CampaignRepository
from bot.storage.db import make_engine, make_sessions, migrate

TODAY = date(2026, 11, 25)
USER = 77
ANSWERS = ("Neighbours Together", "v:problem:misinformation", "students in Sylhet, 18-25", "m:platforms:15",
           "We look after each other here", "m:formats:3", "next monday", "6 weeks", "3 a week", "m:metrics:3", "skip",
           "v:response_time:4")  # fmt: skip


@pytest.fixture
def planner(sqlite_url: str, locales: Locales) -> Planner:
    migrate(sqlite_url)
    return Planner(CampaignRepository(make_sessions(make_engine(sqlite_url))), locales, today=lambda: TODAY)


def send(planner: Planner, answer: str, stage: str | None = "active", question: bool = False):
    """Type a reply, or press a button when the answer looks like a button value."""
    if answer == "skip" or (":" in answer and answer.split(":")[0] in ("v", "m", "e", "continue")):
        return planner.handle(USER, "/campaign", answer, stage, question)
    return planner.handle(USER, answer, None, stage, question)


def draft(planner: Planner) -> CampaignDraft:
    return CampaignDraft.from_dict(planner.campaigns.latest_in_progress(user_id=USER).draft)


def fill(planner: Planner) -> None:
    planner.ask(USER, None)
    for answer in ANSWERS:
        turn = send(planner, answer)
        assert turn.specs == [], (answer, turn.specs)


def test_first_question_comes_with_a_library_tip(planner: Planner) -> None:
    turn = planner.ask(USER, None)
    assert turn.stage == "active"
    assert turn.specs == [{"campaign": "ask", "id": turn.specs[0]["id"], "tip": "gs-goals", "intro": True}]


def test_every_answer_is_saved_as_it_is_given(planner: Planner) -> None:
    planner.ask(USER, None)
    send(planner, "Neighbours Together")
    send(planner, "v:problem:hate_speech")
    saved = draft(planner)
    assert saved.answers["name"] == "Neighbours Together" and saved.answers["problem"] == "hate_speech"
    assert saved.next_step() == "audience"


def test_invalid_input_says_why_and_offers_help_after_two_failures(planner: Planner) -> None:
    fill_until = ANSWERS[:6]
    planner.ask(USER, None)
    for answer in fill_until:
        send(planner, answer)
    first = send(planner, "someday maybe")
    assert first.specs[0]["outcome"]["kind"] == "invalid" and first.specs[0]["outcome"]["error"].startswith("campaign.error.date")
    second = send(planner, "the day after the meeting")
    assert second.specs[0]["outcome"]["kind"] == "offer_help"
    past = send(planner, "2020-01-01")
    assert past.specs[0]["outcome"]["error"] == "campaign.error.date_past"


def test_back_and_skip(planner: Planner) -> None:
    planner.ask(USER, None)
    send(planner, "Unity Week")
    send(planner, "back")
    assert draft(planner).next_step() == "name"
    refused = planner.handle(USER, "/campaign", "skip", "active", False)  # the name is required
    assert refused.specs[0]["outcome"]["error"] == "campaign.error.skip_required"


def test_cancel_asks_first_then_deletes(planner: Planner) -> None:
    planner.ask(USER, None)
    send(planner, "Unity Week")
    asked = planner.handle(USER, "cancel", None, "active", False)
    assert asked.stage == "cancel" and asked.specs[0]["outcome"]["kind"] == "cancel_requested"
    kept = planner.handle(USER, "/campaign", "no", "cancel", False)
    assert kept.stage == "active" and draft(planner).answers["name"] == "Unity Week"
    planner.handle(USER, "cancel", None, "active", False)
    done = planner.handle(USER, "/campaign", "yes", "cancel", False)
    assert done.finished and done.specs == [{"campaign": "cancelled"}]
    assert planner.campaigns.latest_in_progress(user_id=USER) is None


def test_library_question_interrupts_a_structured_step_but_not_free_text(planner: Planner) -> None:
    planner.ask(USER, None)
    typed_name = send(planner, "how do I verify a photo", question=True)  # free text: it is the name
    assert not typed_name.interrupted
    asked = send(planner, "how do I verify a photo?", question=True)  # "?" makes it a question
    assert asked.interrupted and draft(planner).next_step() == "problem"
    for answer in ANSWERS[1:6]:
        send(planner, answer)
    unparsable = send(planner, "how should we check rumours in groups", question=True)  # at the date step
    assert unparsable.interrupted and draft(planner).next_step() == "start_date"
    assert draft(planner).failures == {}  # a question is not a failed answer
    wrong = send(planner, "someday", question=True)  # one word: a wrong answer, said why
    assert not wrong.interrupted and wrong.specs[0]["outcome"]["kind"] == "invalid"


def test_summary_edit_returns_to_summary_then_confirm_builds_the_plan(planner: Planner) -> None:
    fill(planner)
    assert draft(planner).at_summary()
    menu = planner.handle(USER, "/campaign", "edit", "active", False)
    assert menu.stage == "edit" and menu.specs[0]["campaign"] == "edit_menu"
    send(planner, "e:audience", stage="edit")
    assert draft(planner).next_step() == "audience"
    send(planner, "teachers in Khulna, 25-45")
    assert draft(planner).at_summary() and draft(planner).answers["audience_age"] == [25, 45]
    confirmed = planner.handle(USER, "/campaign", "confirm", "active", False)
    assert confirmed.finished and confirmed.specs[0]["campaign"] == "plan"
    assert planner.campaigns.latest_in_progress(user_id=USER) is None


def test_coming_back_offers_continue_or_new(planner: Planner) -> None:
    planner.ask(USER, None)
    send(planner, "Unity Week")
    offer = planner.ask(USER, None)
    assert offer.stage == "offer" and offer.specs[0]["campaign"] == "offer"
    assert planner.handle(USER, "what?", None, "offer", False).stage == "offer"
    old_id = offer.specs[0]["id"]
    resumed = planner.ask(USER, "offer", f"continue:{old_id}")
    assert resumed.specs[0]["id"] == old_id and resumed.stage == "active"
    fresh = planner.ask(USER, "offer", "new")
    assert fresh.specs[0]["id"] != old_id and draft(planner).answers == {}


def test_choice_masks_round_trip_and_fit_callback_data(locales: Locales) -> None:
    chosen = ["facebook", "tiktok", "line", "other"]
    assert decode_choices(encode_choices(chosen, "platforms", locales), "platforms", locales) == chosen
    assert decode_choices("zz", "platforms", locales) == [] and decode_choices("ff", "platforms", locales) == []


def test_a_command_inside_the_form_is_not_taken_as_an_answer(planner: Planner) -> None:
    planner.ask(USER, None)
    turn = planner.handle(USER, "/campaign", "", "active", False)
    assert turn.specs == [] and draft(planner).answers == {}


def test_an_answer_that_sounds_like_a_library_question_is_still_an_answer(planner: Planner) -> None:
    planner.ask(USER, None)
    for answer in ANSWERS[:5]:
        send(planner, answer)
    turn = send(planner, "short video and images", question=True)  # NLU hears "content"; it parses as formats
    assert not turn.interrupted and draft(planner).answers["formats"] == ["short_video", "image"]


def test_start_new_from_the_offer_creates_one_draft(planner: Planner) -> None:
    planner.ask(USER, None)
    send(planner, "Unity Week")
    planner.ask(USER, None)  # the offer
    planner.handle(USER, "/campaign", "new", "offer", False)  # the button, seen by the form's validation...
    planner.ask(USER, "active", "new")  # ...and by its ask, in the same turn
    in_progress = [c for c in planner.campaigns.list_for_user(user_id=USER) if c.status == "in_progress"]
    assert len(in_progress) == 2  # the old plan and exactly one new one


def test_a_message_after_hours_away_is_not_taken_as_an_answer(planner: Planner) -> None:
    from datetime import datetime, timedelta, timezone

    planner.ask(USER, None)
    send(planner, "Neighbours Together")
    before = draft(planner).to_dict()
    planner.now = lambda: datetime.now(timezone.utc) + timedelta(hours=4)
    turn = send(planner, "how do I report a fake page")
    assert turn.specs[0]["campaign"] == "offer" and turn.specs[0]["returning"] and turn.stage == "offer"
    assert draft(planner).to_dict() == before, "nothing was stored as an answer"
    later = planner.handle(USER, "/campaign", "later", "offer", False)
    assert later.finished and later.specs == [{"key": "campaign.paused", "menu": "main"}]
    assert draft(planner).to_dict() == before, "Not now keeps the draft"


def test_a_prompt_reply_is_still_an_answer(planner: Planner) -> None:
    planner.ask(USER, None)
    send(planner, "Neighbours Together")
    turn = send(planner, "v:problem:misinformation")
    assert not turn.specs or turn.specs[0].get("campaign") != "offer"


def test_a_deleted_plan_ends_the_form_and_the_message_is_answered_not_stored(planner: Planner) -> None:
    planner.ask(USER, None)
    send(planner, "Neighbours Together")
    record = planner.campaigns.latest_in_progress(user_id=USER)
    planner.campaigns.delete(campaign_id=record.id, user_id=USER)  # from /campaigns, outside the form
    turn = send(planner, "how do we verify a viral photo?")
    assert turn.finished and turn.interrupted and turn.specs == []
    assert planner.campaigns.list_for_user(user_id=USER) == [], "the form never creates a draft by itself"
    stale = send(planner, "v:problem:hate_speech")
    assert stale.finished and stale.specs == [{"key": "stale_button", "menu": "main"}]
    assert planner.campaigns.list_for_user(user_id=USER) == []


def test_only_new_or_continue_open_the_form_without_an_active_plan(planner: Planner) -> None:
    assert planner.opens_with(USER, None) and planner.opens_with(USER, "new") and planner.opens_with(USER, "continue:5")
    assert not planner.opens_with(USER, "confirm"), "Confirm pressed again after the plan was sent"
    planner.ask(USER, None)
    assert planner.opens_with(USER, "confirm")
