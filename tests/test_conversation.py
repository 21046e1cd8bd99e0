"""The conversation layer with real content, real storage and detection, and a scripted brain.

The scripted brain stands in for Rasa only here; the end-to-end tests use the real model.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.brain import Understanding
from bot.conversation import Conversation, Services
from bot.language.detect import build_detector
from bot.replies import Incoming
from bot.storage.campaigns import CampaignRepository
from bot.storage.questions import QuestionRepository
from bot.storage.users import UserRepository


class ScriptedBrain:
    """Answers like the domain does: greet -> welcome with menu, anything else -> an article."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, dict[str, Any]]] = []

    async def respond(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        self.received.append((conversation_id, text, metadata))
        if text == "/greet":
            return [{"key": "welcome", "menu": "main"}]
        return [{"article": "mi-verify"}]

    async def understand(self, text: str) -> Understanding:
        return Understanding("misinformation", 0.9)


@pytest.fixture
def brain() -> ScriptedBrain:
    return ScriptedBrain()


@pytest.fixture
def conversation(brain, locales, library_store, root, sqlite_url) -> Conversation:
    from bot.storage.db import make_engine, make_sessions, migrate

    migrate(sqlite_url)
    sessions = make_sessions(make_engine(sqlite_url))
    services = Services(
        brain=brain,
        locales=locales,
        library=library_store,
        users=UserRepository(sessions),
        questions=QuestionRepository(sessions),
        detector=build_detector(locales.languages, root / "data"),
        campaigns=CampaignRepository(sessions),
        admin_ids=frozenset({1}),
    )
    return Conversation(services)


def text(user: int, message: str, code: str | None = "en") -> Incoming:
    return Incoming(user, user, text=message, language_code=code)


def data(reply) -> list[str]:
    return [b.data for row in reply.buttons for b in row]


async def test_start_greets_with_the_main_menu(conversation: Conversation, brain: ScriptedBrain, locales) -> None:
    replies = await conversation.handle(Incoming(5, 5, command="start", kind="command", language_code="en"))
    assert replies[0].text == locales.text("en", "welcome")
    assert "i:campaign" in data(replies[0]) and "s:misinformation:0" in data(replies[0])
    assert brain.received[0][1] == "/greet" and brain.received[0][2]["language"] == "en"


async def test_first_thai_message_answers_in_thai(conversation: Conversation, brain: ScriptedBrain, locales, library_store) -> None:
    replies = await conversation.handle(text(6, "ข่าวปลอมตรวจสอบยังไงครับ", code=None))
    assert brain.received[-1][2]["language"] == "th"
    assert library_store.library.article("mi-verify").text("th")[0].title in replies[-1].text


async def test_clear_switch_is_announced_with_a_way_back(conversation: Conversation, locales) -> None:
    await conversation.handle(text(7, "how do we verify a viral photo"))
    replies = await conversation.handle(text(7, "ভাইরাল ছবি কিভাবে যাচাই করব"))
    assert replies[0].text == locales.text("bn", "language.switched")
    assert data(replies[0]) == ["l:en"]


async def test_one_word_does_not_switch(conversation: Conversation, brain: ScriptedBrain) -> None:
    await conversation.handle(text(8, "how do we verify a viral photo"))
    await conversation.handle(text(8, "ধন্যবাদ"))
    assert brain.received[-1][2]["language"] == "en"


async def test_romanized_urdu_gets_urdu_script_rtl_and_an_english_offer(conversation: Conversation, locales) -> None:
    replies = await conversation.handle(text(9, "fake news ki tasdeeq kaise karein", code=None))
    assert replies[0].text == locales.text("ur", "language.romanized_offer") and data(replies[0]) == ["l:en"]
    assert all(reply.rtl for reply in replies)
    again = await conversation.handle(text(9, "mujhe aur madad chahiye is ke baare mein", code=None))
    assert all(reply.text != locales.text("ur", "language.romanized_offer") for reply in again)


async def test_language_menu_and_manual_choice_sticks(conversation: Conversation, brain: ScriptedBrain, locales) -> None:
    menu = await conversation.handle(Incoming(10, 10, command="language", kind="command"))
    assert menu[0].buttons and {b.label for row in menu[0].buttons for b in row} == {"English", "বাংলা", "ไทย", "اردو"}
    chosen = await conversation.handle(Incoming(10, 10, button="l:ur", kind="button"))
    assert chosen[0].text == locales.text("ur", "language.set") and chosen[0].rtl
    await conversation.handle(text(10, "how do I verify a photo that is going viral"))
    assert brain.received[-1][2]["language"] == "ur"


async def test_buttons_browse_the_library_locally(conversation: Conversation, brain: ScriptedBrain) -> None:
    section = await conversation.handle(Incoming(11, 11, button="s:impact:0", kind="button"))
    assert "a:im-metrics" in data(section[0])
    article = await conversation.handle(Incoming(11, 11, button="a:im-metrics", kind="button"))
    assert "m:im-metrics" in data(article[0])
    more = await conversation.handle(Incoming(11, 11, button="m:im-metrics", kind="button"))
    assert "m:im-metrics" not in data(more[0]) and more[0].text
    assert brain.received == []


async def test_thumbs_down_is_logged_without_identity(conversation: Conversation) -> None:
    await conversation.handle(text(12, "how to check a fake photo"))
    reply = await conversation.handle(Incoming(12, 12, button="f:mi-verify:d", kind="button"))
    rows = conversation.s.questions.all()
    assert reply[0].text and rows[-1].kind == "thumbs_down" and rows[-1].text == "how to check a fake photo"
    assert rows[-1].best_guess == "mi-verify" and not hasattr(rows[-1], "user_id")


async def test_search_command(conversation: Conversation, locales) -> None:
    found = await conversation.handle(Incoming(13, 13, command="search", text="deepfake video", kind="command"))
    assert "a:mi-deepfakes" in data(found[0])
    empty = await conversation.handle(Incoming(13, 13, command="search", text="", kind="command"))
    assert empty[0].text == locales.text("en", "library.search_usage")


async def test_non_text_and_edits_get_polite_replies_and_never_reach_the_brain(conversation: Conversation, brain, locales) -> None:
    sticker = await conversation.handle(Incoming(14, 14, kind="unsupported", language_code="th"))
    assert sticker[0].text == locales.text("th", "unsupported_message")
    edited = await conversation.handle(Incoming(14, 14, kind="edited", text="changed"))
    assert edited[0].text == locales.text("th", "edited_message")
    assert brain.received == []


async def test_over_long_text_is_refused_politely(conversation: Conversation, brain) -> None:
    replies = await conversation.handle(text(15, "word " * 1000))
    assert "5000" in replies[0].text and brain.received == []


async def test_stale_or_forged_buttons_show_the_menu(conversation: Conversation, locales) -> None:
    replies = await conversation.handle(Incoming(16, 16, button="zz:whatever", kind="button"))
    assert replies[0].text == locales.text("en", "stale_button") and "i:campaign" in data(replies[0])


async def test_reload_is_for_admins_only(conversation: Conversation, locales) -> None:
    denied = await conversation.handle(Incoming(2, 2, command="reload", kind="command"))
    assert denied[0].text == locales.text("en", "admin.not_allowed")
    allowed = await conversation.handle(Incoming(1, 1, command="reload", kind="command"))
    assert "articles" in allowed[0].text


def seed_draft(conversation: Conversation, user: int, status: str = "in_progress", step: str | None = "platforms") -> int:
    answers = {"name": "Unity Week", "problem": "hate_speech", "audience": "students in Sylhet", "audience_age": [18, 25]}
    if status == "complete":
        answers |= {"platforms": ["facebook"], "message": "We look after each other", "formats": ["image"], "start_date": "2026-12-01",
                    "duration_weeks": 4, "posts_per_week": 3, "metrics": ["reach"], "moderator": None, "response_time": 4}  # fmt: skip
        step = None
    draft = {"name": "Unity Week", "answers": answers, "current_step": step, "status": status}
    return conversation.s.campaigns.create(user_id=user, draft=draft).id


async def test_ticking_a_choice_edits_the_question_in_place(conversation: Conversation) -> None:
    seed_draft(conversation, 20)
    [reply] = await conversation.handle(Incoming(20, 20, button="c:t:0:0", kind="button"))
    assert reply.edit and "✅" in reply.buttons[0][0].label
    assert "c:m:1" in data(reply)  # "Done" submits the selection
    [again] = await conversation.handle(Incoming(20, 20, button="c:t:1:0", kind="button"))
    assert "c:m:1" not in data(again) and "✅" not in again.buttons[0][0].label


async def test_menu_offers_to_continue_an_unfinished_plan(conversation: Conversation) -> None:
    plan_id = seed_draft(conversation, 21)
    [welcome] = await conversation.handle(Incoming(21, 21, command="start", kind="command"))
    assert data(welcome)[0] == f"c:continue:{plan_id}" and "Unity Week" in welcome.buttons[0][0].label


async def test_campaigns_lists_opens_and_deletes_plans(conversation: Conversation, locales) -> None:
    [empty] = await conversation.handle(Incoming(22, 22, command="campaigns", kind="command"))
    assert empty.text == locales.text("en", "campaign.list.empty")
    plan_id = seed_draft(conversation, 22, status="complete")
    [listing] = await conversation.handle(Incoming(22, 22, command="campaigns", kind="command"))
    assert "Unity Week" in listing.text and f"p:o:{plan_id}" in data(listing)
    opened = await conversation.handle(Incoming(22, 22, button=f"p:o:{plan_id}", kind="button"))
    assert any("Unity Week" in r.text for r in opened) and any(r.document for r in opened)
    assert {f"p:e:{plan_id}", f"p:d:{plan_id}", f"p:x:{plan_id}"} <= set(data(opened[-1]))
    [confirm] = await conversation.handle(Incoming(22, 22, button=f"p:x:{plan_id}", kind="button"))
    assert f"p:xx:{plan_id}" in data(confirm)
    await conversation.handle(Incoming(22, 22, button=f"p:xx:{plan_id}", kind="button"))
    assert conversation.s.campaigns.list_for_user(user_id=22) == []


async def test_someone_elses_plan_cannot_be_opened(conversation: Conversation, locales) -> None:
    plan_id = seed_draft(conversation, 23, status="complete")
    [reply] = await conversation.handle(Incoming(24, 24, button=f"p:o:{plan_id}", kind="button"))
    assert reply.text == locales.text("en", "campaign.list.not_found")


@pytest.mark.parametrize(
    ("typed", "sent"),
    [("/greet", "greet"), (' /intent{"slot": "x"}', 'intent{"slot": "x"}'), ("//", "?"), ("hello", "hello"), ("a/b", "a/b")],
)
def test_typed_text_is_never_a_rasa_payload(typed: str, sent: str) -> None:
    from bot.conversation import as_plain_text

    assert as_plain_text(typed) == sent and not as_plain_text(typed).startswith("/")
