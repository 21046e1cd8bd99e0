"""The conversation layer with real content, real storage and detection, and a scripted brain.

The scripted brain stands in for Rasa only here; the end-to-end tests use the real model.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.brain import Understanding
from bot.conversation import Conversation, Services
from bot.language.detect import build_detector
from bot.replies import Incoming
from bot.storage.campaigns import CampaignRepository
from bot.storage.handoffs import HandoffRepository
from bot.storage.personal import PersonalData
from bot.storage.questions import QuestionRepository
from bot.storage.users import UserRepository
from bot.views import Operator, StaffSettings


class ScriptedBrain:
    """Answers like the domain does: greet -> welcome with menu, anything else -> an article."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, dict[str, Any]]] = []
        self.forgotten: list[str] = []

    async def respond(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        self.received.append((conversation_id, text, metadata))
        if text == "/greet":
            return [{"key": "welcome", "menu": "main"}]
        return [{"article": "mi-verify"}]

    async def understand(self, text: str) -> Understanding:
        return Understanding("misinformation", 0.9)

    def payload(self, intent: str, entities: dict[str, Any] | None = None) -> str:
        return f"/{intent}" + (json.dumps(entities) if entities else "")

    async def forget(self, conversation_id: str) -> int:
        self.forgotten.append(conversation_id)
        return 7

    async def purge(self, older_than) -> int:
        return 0

    def close(self) -> None:
        pass


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
        personal=PersonalData(sessions),
        admin_ids=frozenset({1}),
        operator=Operator(name="Example Trust", contact="help@example.org", retention_days=30),
        handoffs=HandoffRepository(sessions),
        staff=StaffSettings(hours="Mon–Fri 9–17"),
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
    [reply] = await conversation.handle(Incoming(20, 20, button="c:t:platforms:0:0", kind="button"))
    assert reply.edit and "✅" in reply.buttons[0][0].label
    assert "c:m:platforms:1" in data(reply)  # "Done" submits the selection
    [again] = await conversation.handle(Incoming(20, 20, button="c:t:platforms:1:0", kind="button"))
    assert "c:m:platforms:1" not in data(again) and "✅" not in again.buttons[0][0].label


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
    assert any("Unity Week" in r.text for r in opened)
    names = [r.document.filename for r in opened if r.document]
    assert names == ["Unity-Week.html", "Unity-Week.ics", "Unity-Week.md"]  # page, calendar, then Markdown to edit
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


@pytest.mark.parametrize("data", ["p:o:99999999999999999999999", "c:t:platforms:3:19", "s:nope:0", "a:no-such-article", "m:x", "l:xx"])
async def test_forged_buttons_get_a_reply_never_an_error(conversation: Conversation, data: str) -> None:
    replies = await conversation.handle(Incoming(30, 30, button=data, kind="button"))
    assert replies and all(reply.text for reply in replies)


async def test_an_old_choice_at_another_question_changes_nothing(conversation: Conversation) -> None:
    seed_draft(conversation, 31)  # the draft waits at "platforms"
    before = conversation.s.campaigns.latest_in_progress(user_id=31).draft
    [reply] = await conversation.handle(Incoming(31, 31, button="c:t:formats:0:0", kind="button"))
    assert conversation.s.campaigns.latest_in_progress(user_id=31).draft == before
    assert not any("✅" in button.label for row in reply.buttons for button in row)


def test_control_characters_are_dropped_but_every_script_and_line_break_stays() -> None:
    from bot.conversation import printable

    assert printable("Neighbours\x00 Together\x1b[31m") == "Neighbours Together[31m"
    assert printable("লাইন এক\nบรรทัด\tدو\u200c") == "লাইন এক\nบรรทัด\tدو\u200c"


@pytest.mark.parametrize("code", ["en", "bn", "th", "ur"])
async def test_privacy_names_who_runs_the_bot_in_every_language(conversation: Conversation, locales, code: str) -> None:
    [notice] = await conversation.handle(Incoming(40, 40, command="privacy", kind="command", language_code=code))
    assert "Example Trust" in notice.text and "help@example.org" in notice.text and "30" in notice.text
    assert notice.text.startswith(locales.text(code, "privacy.text", operator="", contact="", retention_days=0)[:20])
    assert notice.rtl == (code == "ur")


async def test_an_unconfigured_operator_is_never_invented(conversation: Conversation, locales) -> None:
    conversation.s.operator = Operator()
    conversation.views.s.operator = Operator()
    [notice] = await conversation.handle(Incoming(41, 41, command="privacy", kind="command"))
    assert locales.text("en", "privacy.operator_unknown") in notice.text
    assert locales.text("en", "privacy.contact_unknown") in notice.text


async def test_forget_asks_first_then_erases_everything_and_gives_a_receipt(conversation: Conversation, brain, locales) -> None:
    seed_draft(conversation, 42)
    seed_draft(conversation, 42, status="complete")
    await conversation.handle(Incoming(42, 42, button="l:bn", kind="button"))
    [ask] = await conversation.handle(Incoming(42, 42, command="forget", kind="command"))
    assert ask.text == locales.text("bn", "forget.confirm", plans=2) and data(ask) == ["g:yes", "g:no"]
    [kept] = await conversation.handle(Incoming(42, 42, button="g:no", kind="button"))
    assert kept.text == locales.text("bn", "forget.kept") and conversation.s.personal.rows_about(user_id=42)["campaigns"] == 2

    [receipt] = await conversation.handle(Incoming(42, 42, button="g:yes", kind="button"))
    assert receipt.text == locales.text("bn", "forget.done", plans=2, records=7)
    assert conversation.s.personal.rows_about(user_id=42) == {"users": 0, "campaigns": 0, "handoffs": 0, "reminder_plans": 0}
    assert brain.forgotten == ["42"]


class FakeDesk:
    """The staff group: topics and what was posted or copied into them."""

    def __init__(self) -> None:
        self.topics: dict[int, list[str]] = {}
        self.deleted: set[int] = set()

    async def open_topic(self, title: str) -> int:
        topic = 900 + len(self.topics)
        self.topics[topic] = [f"title:{title}"]
        return topic

    async def post(self, topic_id: int, text: str) -> bool:
        if topic_id in self.deleted:
            return False
        self.topics[topic_id].append(text)
        return True

    async def copy_from_user(self, topic_id: int, chat_id: int, message_id: int) -> bool:
        return await self.post(topic_id, f"copy:{chat_id}:{message_id}")

    async def delete_topic(self, topic_id: int) -> bool:
        return self.topics.pop(topic_id, None) is not None


@pytest.fixture
def desk(conversation: Conversation) -> FakeDesk:
    conversation.handoff.desk = FakeDesk()
    return conversation.handoff.desk


def message(user: int, text: str, message_id: int) -> Incoming:
    return Incoming(user, user, text=text, language_code="en", extra={"message_id": message_id, "name": "Ayesha"})


async def test_a_person_gets_the_context_and_the_user_is_told_what_happens(conversation: Conversation, desk: FakeDesk, locales) -> None:
    await conversation.handle(message(50, "how do we verify a viral photo", 1))
    [opened] = await conversation.handle(Incoming(50, 50, button="i:human", kind="button", extra={"name": "Ayesha"}))
    assert "Mon–Fri 9–17" in opened.text and data(opened) == ["h:end"]
    [(topic, posts)] = desk.topics.items()
    assert posts[0] == "title:" + locales.text("en", "staff.topic_title", name="Ayesha", language="en")
    assert "how do we verify a viral photo" in posts[1] and "Verify" in posts[1], "what they asked and the page they saw"

    [ack] = await conversation.handle(message(50, "someone threatens our staff", 2))
    assert ack.text == locales.text("en", "handoff.sent_to_staff")
    assert await conversation.handle(message(50, "they posted our address", 3)) == [], "the bot stays quiet"
    photo = Incoming(50, 50, kind="unsupported", extra={"message_id": 4})
    assert await conversation.handle(photo) == []
    assert desk.topics[topic][-3:] == ["copy:50:2", "copy:50:3", "copy:50:4"]

    [again] = await conversation.handle(Incoming(50, 50, button="i:human", kind="button"))
    assert again.text == locales.text("en", "handoff.still_open") and len(desk.topics) == 1

    ended, back = await conversation.handle(Incoming(50, 50, command="end", kind="command"))
    assert ended.text == locales.text("en", "handoff.ended") and "f:mi-verify:d" in data(back), "back on the same page"
    assert desk.topics[topic][-1] == locales.text("en", "staff.closed_by_user_note")
    replies = await conversation.handle(message(50, "how to spot a deepfake", 5))
    assert replies and desk.topics[topic][-1] == locales.text("en", "staff.closed_by_user_note"), "the bot answers again"


async def test_a_deleted_topic_is_replaced_and_staff_are_told(conversation: Conversation, desk: FakeDesk, locales) -> None:
    await conversation.handle(Incoming(51, 51, button="i:human", kind="button"))
    [old] = desk.topics
    desk.deleted.add(old)
    await conversation.handle(message(51, "hello?", 7))
    new = max(desk.topics)
    assert new != old and desk.topics[new][1:] == [locales.text("en", "staff.reopened_note"), "copy:51:7"]


async def test_without_a_staff_group_the_contact_route_is_given(conversation: Conversation, locales) -> None:
    [reply] = await conversation.handle(Incoming(52, 52, button="i:human", kind="button"))
    assert reply.text == locales.text("en", "human.contact")


async def test_forget_deletes_the_users_staff_topic_too(conversation: Conversation, desk: FakeDesk) -> None:
    await conversation.handle(Incoming(53, 53, button="i:human", kind="button"))
    assert len(desk.topics) == 1
    await conversation.handle(Incoming(53, 53, button="g:yes", kind="button"))
    assert desk.topics == {} and conversation.s.personal.rows_about(user_id=53)["handoffs"] == 0


async def test_a_misconfigured_staff_group_still_leaves_a_way_to_a_person(conversation: Conversation, desk: FakeDesk, locales) -> None:
    async def refuse(title: str) -> int:
        raise PermissionError("Bad Request: not enough rights to create a topic")

    desk.open_topic = refuse
    [reply] = await conversation.handle(Incoming(54, 54, button="i:human", kind="button"))
    assert reply.text == locales.text("en", "human.contact") and conversation.handoff.active(54) is None


@pytest.mark.parametrize("code", ["en", "bn", "th", "ur"])
async def test_whoami_tells_anyone_their_id(conversation: Conversation, code: str) -> None:
    [reply] = await conversation.handle(Incoming(987654321, 987654321, command="whoami", kind="command", language_code=code))
    assert "<code>987654321</code>" in reply.text


async def test_a_deep_link_from_a_plan_document_opens_the_article(conversation: Conversation, brain) -> None:
    [card] = await conversation.handle(Incoming(55, 55, command="start", text="a-mi-verify", kind="command"))
    assert "f:mi-verify:d" in data(card) and brain.received == []
    await conversation.handle(Incoming(55, 55, command="start", text="a-../../etc", kind="command"))
    assert brain.received[-1][1] == "/greet", "a link to nothing is a plain /start"


async def test_stats_for_admins_a_chart_and_five_lines_without_ids_or_text(conversation: Conversation, locales, sqlite_url) -> None:
    from bot.storage.db import make_engine, make_sessions
    from bot.storage.stats import StatsRepository

    conversation.s.stats = StatsRepository(make_sessions(make_engine(sqlite_url)))
    await conversation.handle(text(60, "how do we verify a viral photo"))
    await conversation.handle(text(61, "ভাইরাল ছবি কিভাবে যাচাই করব", code=None))
    await conversation.handle(text(61, "আরেকটা প্রশ্ন আছে", code=None))
    await conversation.handle(Incoming(61, 61, button="f:mi-verify:d", kind="button"))
    denied = await conversation.handle(Incoming(2, 2, command="stats", kind="command"))
    assert denied[0].text == locales.text("en", "admin.not_allowed") and denied[0].photo is None

    [report] = await conversation.handle(Incoming(1, 1, command="stats", kind="command"))
    assert report.photo is not None and report.photo.startswith(b"\x89PNG\r\n\x1a\n")
    lines = report.text.split("\n")
    assert len(lines) == 6 and "English 1" in lines[1] and "বাংলা 2" in lines[1], lines[1]
    assert "👎1" in lines[4] and "60" not in report.text and "ভাইরাল" not in report.text
