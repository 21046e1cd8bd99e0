"""The planner starts only when the user asks to plan."""

from __future__ import annotations

import pytest

from bot.campaign.entry import PLAN_CONFIDENCE, wants_to_plan


@pytest.mark.parametrize("text", ["/campaign", '/campaign{"campaign_value":"new"}'])
def test_buttons_and_the_command_always_start_it(text: str) -> None:
    assert wants_to_plan(text, 0.0)


def test_typed_text_starts_it_only_when_the_nlu_is_sure() -> None:
    assert wants_to_plan("help me plan a campaign", PLAN_CONFIDENCE)
    assert not wants_to_plan("our campaign", PLAN_CONFIDENCE - 0.01)


@pytest.mark.parametrize("text", ["about campaigns", "new campaign", "campaign", "แคมเปญ", "ক্যাম্পেইন পরিকল্পনা"])
def test_a_word_or_two_is_asked_about_first_however_sure_the_nlu_is(text: str) -> None:
    assert not wants_to_plan(text, 0.99)


@pytest.mark.parametrize("text", ["i want to plan a campaign", "ช่วยวางแผนแคมเปญให้หน่อย", "ek campaign plan karna hai"])
def test_a_sentence_asking_to_plan_opens_it(text: str) -> None:
    assert wants_to_plan(text, 0.9)
