"""Platforms from the locale files (LINE, Viber, IMO, Telegram; any other kept by name), the planner's
introduction, the one-line tip in every script, and out-of-range numbers answered with the range."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest

from bot import callbacks
from bot.campaign.calendar import calendar_for
from bot.campaign.cards import TIP_LIMIT, CampaignCards, first_sentence
from bot.campaign.choices import OTHER, choice_ids, choice_order
from bot.campaign.display import choice_buttons, format_answer, localize_digits, prompt_html
from bot.campaign.document import plan_html
from bot.campaign.draft import ACCEPTED, INVALID, MOVED, NAME_ASKED, CampaignDraft
from bot.campaign.flow import Planner, decode_choices, encode_choices
from bot.campaign.ics import plan_ics
from bot.campaign.parsing import parse_multi
from bot.campaign.plan import build_plan, summary_text
from bot.campaign.replies import message_for
from bot.campaign.steps import get_step
from bot.campaign.words import Vocabulary
from bot.language.locales import Locales
from bot.library.store import LibraryStore
from bot.storage.campaigns import CampaignRepository
from bot.storage.db import make_engine, make_sessions, migrate
from tests.campaign.conftest import ENGLISH_REPLIES, LANGS, TODAY

RunDraft = Callable[..., CampaignDraft]
PLATFORMS = get_step("platforms")
NEW_PLATFORMS = ("line", "viber", "imo", "telegram")
OLD_IDS = ("facebook", "instagram", "whatsapp", "messenger", "tiktok", "youtube", "x", "other")
HOSTILE = "Mast<o>don_#1 & *Co*"  # one name: "&" would split a list, so it is put in after parsing


def platforms(text: str, vocabulary: Vocabulary) -> list[str] | None:
    return parse_multi(text, PLATFORMS, vocabulary).value


# --- the list comes from the locale files ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("เฟซบุ๊กกับไลน์", ["facebook", "line"]),
        ("ไลน์โอเอ และเทเลแกรม", ["line", "telegram"]),
        ("ইমো আর ভাইবার", ["imo", "viber"]),
        ("ইমোতে আর হোয়াটসঅ্যাপে", ["imo", "whatsapp"]),
        ("واٹس ایپ اور ٹیلی گرام", ["whatsapp", "telegram"]),
        ("fb aur imo", ["facebook", "imo"]),
        ("Viber, LINE and Telegram", ["viber", "line", "telegram"]),
        ("เฟซบุ๊กและช่องทางออนไลน์", ["facebook"]),  # ไลน์ inside ออนไลน์ ("online") is not LINE
        ("فیس بک اور آن لائن", ["facebook"]),
    ],
)
def test_line_viber_imo_and_telegram_are_understood_in_every_language(text: str, expected: list[str], vocabulary: Vocabulary) -> None:
    assert platforms(text, vocabulary) == expected


def test_every_language_lists_the_same_platforms_in_its_own_order(campaign_locales: Locales) -> None:
    ids = choice_ids(PLATFORMS, campaign_locales)
    assert set(OLD_IDS) | set(NEW_PLATFORMS) <= set(ids) and len(ids) <= callbacks.MAX_CHOICES
    orders = {lang: choice_order(PLATFORMS, campaign_locales, lang) for lang in LANGS}
    for lang, order in orders.items():
        assert sorted(campaign_locales.word_list(lang, "campaign.order.platforms")) == sorted(ids), lang  # nothing missing
        assert order[-1] == OTHER and sorted(order) == sorted(ids)
        for value in ids:
            assert campaign_locales.has(lang, f"campaign.choice.platforms.{value}"), (lang, value)
            assert value == OTHER or campaign_locales.word_list(lang, f"campaign.words.platforms.{value}"), (lang, value)
    assert orders["th"][0] == "line" and orders["en"][0] == "facebook"
    assert {"whatsapp", "imo"} <= set(orders["bn"][:3]) and orders["ur"][0] == "whatsapp"
    assert choice_buttons("platforms", campaign_locales, "th")[0] == ("line", "ไลน์")


def test_a_platform_added_to_the_english_list_only_still_gets_a_button_everywhere(campaign_locales: Locales) -> None:
    strings = {lang: {"campaign.order.platforms": ["facebook", "other"]} for lang in LANGS}
    strings["en"] = {"campaign.order.platforms": ["facebook", "signal", "other"], "campaign.choice.platforms.signal": "Signal"}
    locales = Locales(campaign_locales.languages, strings)
    assert choice_ids(PLATFORMS, locales) == ("facebook", "signal", "other")
    assert choice_order(PLATFORMS, locales, "th") == ("facebook", "signal", "other")
    assert choice_buttons("platforms", locales, "th")[1] == ("signal", "Signal")  # the English label until translated


def test_a_platform_added_while_the_bot_runs_is_understood(campaign_locales: Locales) -> None:
    before = {"en": {"campaign.order.platforms": ["facebook", "other"]}}
    after = {"en": {"campaign.order.platforms": ["facebook", "signal", "other"], "campaign.words.platforms.signal": ["signal app"]}}
    locales = Locales(campaign_locales.languages, before)
    assert parse_multi("signal app", PLATFORMS, Vocabulary.of(locales)).value == ["name:signal app"]
    locales.replace_with(Locales(dict(campaign_locales.languages), after))  # what a live edit of campaign.yml does
    assert parse_multi("signal app", PLATFORMS, Vocabulary.of(locales)).value == ["signal"]


# --- names the bot does not know ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mastodon", ["name:Mastodon"]),
        ("ম্যাস্টোডন", ["name:ম্যাস্টোডন"]),
        ("ফেসবুক আর ম্যাস্টোডন", ["facebook", "name:ম্যাস্টোডন"]),
        ("เฟซบุ๊กกับแมสโตดอน", ["facebook", "name:แมสโตดอน"]),
        ("فیس بک اور ماسٹوڈون", ["facebook", "name:ماسٹوڈون"]),
        ("ماسٹوڈون، بلو اسکائی", ["name:ماسٹوڈون", "name:بلو اسکائی"]),  # the Urdu comma, from ur/meta.yml
        ("we use fb and Mastodon", ["facebook", "name:Mastodon"]),  # "we use" stands next to fb: not a name
        ("Signal, fb, and community radio", ["name:Signal", "facebook", "name:community radio"]),
        ("Facebook groups", ["facebook"]),
        ("Mastodon, mastodon and MASTODON", ["name:Mastodon"]),
    ],
)
def test_a_platform_the_bot_does_not_know_is_kept_by_name(text: str, expected: list[str], vocabulary: Vocabulary) -> None:
    assert platforms(text, vocabulary) == expected


def test_a_library_question_at_the_platforms_step_is_not_taken_for_a_name(planner: Planner) -> None:
    planner.ask(7, None)
    for reply in ENGLISH_REPLIES[:3]:
        planner.handle(7, reply, None, "active", False)
    for question in ("best platform for youth", "which works best"):  # the NLU heard a library question
        assert planner.handle(7, question, None, "active", True).interrupted, question
    assert not planner.handle(7, "fb and Mastodon", None, "active", True).interrupted


def test_a_sentence_is_not_a_platform_name(vocabulary: Vocabulary) -> None:
    assert parse_multi("we have not decided that yet", PLATFORMS, vocabulary).error == "campaign.error.none_platforms"
    assert parse_multi("12", PLATFORMS, vocabulary).error == "campaign.error.none_platforms"


def _with_named_platform(run_draft: RunDraft) -> CampaignDraft:
    replies = list(ENGLISH_REPLIES)
    replies[3] = "fb and Mastodon"
    draft = run_draft(replies)
    draft.answers["platforms"] = ["facebook", f"name:{HOSTILE}"]
    return draft


@pytest.mark.parametrize("lang", LANGS)
def test_a_named_platform_reaches_the_calendar_and_every_document(lang: str, run_draft: RunDraft, campaign_locales: Locales) -> None:
    draft = _with_named_platform(run_draft)
    posts = [post for week in calendar_for(draft.answers) for post in week.posts]
    assert {post.platform for post in posts} == {"facebook", f"name:{HOSTILE}"}  # posts are planned on it, by name
    assert format_answer("platforms", draft.answers, campaign_locales, lang).endswith(HOSTILE)
    escaped = html.escape(HOSTILE)
    assert escaped in summary_text(draft, campaign_locales, lang)
    plan = build_plan(draft, campaign_locales, lang, [])
    assert escaped in plan.as_text() and HOSTILE not in plan.as_text()
    page = plan_html(plan)
    assert f"<bdi>{escaped}</bdi>" in page and HOSTILE not in page
    assert page.count(f"<bdi>{escaped}</bdi>") == 1 + sum(post.platform != "facebook" for post in posts)  # the list and each post
    markdown = plan.as_markdown()
    assert r"Mast\<o\>don\_\#1 & \*Co\*" in markdown and HOSTILE not in markdown
    calendar = plan_ics(plan).replace("\r\n ", "")
    assert "Mast<o>don_#1 & *Co*" in calendar


def test_named_platforms_are_saved_as_typed(run_draft: RunDraft) -> None:
    replies = list(ENGLISH_REPLIES)
    replies[3] = "fb and Mastodon"
    assert run_draft(replies).answers["platforms"] == ["facebook", "name:Mastodon"]


def test_the_other_button_asks_for_the_name(campaign_locales: Locales, run_draft: RunDraft) -> None:
    draft = run_draft(ENGLISH_REPLIES[:3])
    asked = draft.answer("platforms", ["facebook", "line", OTHER], TODAY, campaign_locales)
    assert asked.kind == NAME_ASKED and draft.current_step == "platforms" and "platforms" not in draft.answers
    prompt = prompt_html(CampaignDraft.from_dict(draft.to_dict()), "platforms", campaign_locales, "en")  # survives storage
    assert campaign_locales.text("en", "campaign.ask_other.platforms") in prompt and "Already chosen: Facebook, LINE" in prompt
    named = draft.handle("Signal", TODAY, campaign_locales)
    assert named.kind == ACCEPTED and draft.answers["platforms"] == ["facebook", "line", "name:Signal"]
    assert draft.current_step == "message" and draft.pending is None


def test_leaving_the_name_question(campaign_locales: Locales, run_draft: RunDraft) -> None:
    draft = run_draft(ENGLISH_REPLIES[:3])
    draft.answer("platforms", [OTHER], TODAY, campaign_locales)
    assert draft.handle("skip", TODAY, campaign_locales).error == "campaign.error.skip_required"  # nothing else was picked
    assert draft.handle("back", TODAY, campaign_locales).kind == MOVED and draft.pending is None  # to the question itself
    assert campaign_locales.text("en", "campaign.ask.platforms") in prompt_html(draft, "platforms", campaign_locales, "en")
    draft.answer("platforms", ["tiktok", OTHER], TODAY, campaign_locales)
    assert draft.handle("skip", TODAY, campaign_locales).kind == ACCEPTED and draft.answers["platforms"] == ["tiktok"]


# --- drafts saved before ------------------------------------------------------------------------------------


def test_old_ids_still_load_and_display(campaign_locales: Locales, run_draft: RunDraft) -> None:
    saved = run_draft().to_dict()
    del saved["pending"]  # drafts saved before this change have no such key
    saved["answers"]["platforms"] = ["facebook", "other", "x", "myspace"]  # "myspace": an id since removed from the files
    draft = CampaignDraft.from_dict(saved)
    assert draft.at_summary() and draft.pending is None
    assert format_answer("platforms", draft.answers, campaign_locales, "en") == "Facebook, Other, X (Twitter), myspace"
    assert format_answer("platforms", draft.answers, campaign_locales, "bn") == "ফেসবুক, অন্যান্য, এক্স (টুইটার), myspace"
    plan = build_plan(draft, campaign_locales, "th", [])
    assert "อื่นๆ" in plan.as_text() and "X (ทวิตเตอร์)" in plan.as_markdown()


# --- buttons' data ------------------------------------------------------------------------------------------


def test_masks_of_the_longest_platform_list_fit_callback_data(campaign_locales: Locales) -> None:
    ids = choice_ids(PLATFORMS, campaign_locales)
    every = encode_choices(list(ids), "platforms", campaign_locales)
    assert decode_choices(every, "platforms", campaign_locales) == list(ids)
    data = callbacks.planner("t", "platforms", every, len(ids) - 1)
    assert callbacks.decode(data) is not None and len(data.encode()) <= callbacks.LIMIT
    longest = Locales(campaign_locales.languages, {"en": {"campaign.order.platforms": [f"p{n}" for n in range(30)]}})
    allowed = choice_ids(PLATFORMS, longest)
    assert len(allowed) == callbacks.MAX_CHOICES  # more are cut, so the mask stays within the grammar
    mask = encode_choices(list(allowed), "platforms", longest)
    for data in (callbacks.planner("t", "platforms", mask, callbacks.MAX_CHOICES - 1), callbacks.planner("m", "platforms", mask)):
        assert callbacks.decode(data) is not None and len(data.encode()) <= callbacks.LIMIT


@pytest.mark.parametrize("lang", LANGS)
def test_every_toggle_button_is_valid_and_keeps_its_meaning_in_any_order(lang: str, locales: Locales, library_store: LibraryStore) -> None:
    cards = CampaignCards(locales, library_store.library, campaigns=None)  # type: ignore[arg-type]
    draft = CampaignDraft(current_step="platforms")
    reply = cards.question(draft, lang, selected=["imo", "line", "other"])
    toggles = [button for row in reply.buttons for button in row if button.data.startswith("c:t:")]
    assert len(toggles) == len(choice_ids(PLATFORMS, locales))
    for button in toggles:
        _, _, _, mask, index = button.data.split(":")
        ticked = "✅" in button.label
        assert ticked == (choice_ids(PLATFORMS, locales)[int(index)] in ("imo", "line", "other"))
        assert decode_choices(mask, "platforms", locales) == [
            value for value in choice_ids(PLATFORMS, locales) if value in ("imo", "line", "other")
        ]


# --- the introduction, once -----------------------------------------------------------------------------------


@pytest.fixture
def planner(sqlite_url: str, locales: Locales) -> Planner:
    migrate(sqlite_url)
    return Planner(CampaignRepository(make_sessions(make_engine(sqlite_url))), locales, today=lambda: TODAY)


def test_the_intro_comes_once_with_the_first_question_of_a_new_plan(
    planner: Planner, locales: Locales, library_store: LibraryStore
) -> None:
    cards = CampaignCards(locales, library_store.library, planner.campaigns)
    intro = locales.text("th", "campaign.intro")

    def shown(spec: dict) -> str:
        return cards.render(spec, "th", 5)[0].text

    first = planner.ask(5, None)
    text = shown(first.specs[0])
    assert text.startswith(intro) and locales.text("th", "campaign.ask.name") in text
    planner.handle(5, "สัญญาใจ", None, "active", False)
    again = planner.ask(5, "active")
    assert intro not in shown(again.specs[0]) and locales.text("th", "campaign.ask.problem") in shown(again.specs[0])
    refused = planner.handle(5, "?", None, "active", False)  # a refusal, then the question again: no intro
    assert all(intro not in cards.render(spec, "th", 5)[0].text for spec in refused.specs + planner.ask(5, "active").specs)
    resumed = planner.ask(5, "offer", f"continue:{first.specs[0]['id']}")
    assert intro not in shown(resumed.specs[0])
    fresh = planner.ask(5, "offer", "new")
    assert shown(fresh.specs[0]).startswith(intro)


# --- the tip under each question ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ur", "پوسٹ کرنے سے پہلے طے کریں۔ دوسرا جملہ یہاں ہے۔", "پوسٹ کرنے سے پہلے طے کریں۔"),
        ("ur", "کیا آپ تیار ہیں؟ پھر شروع کریں۔", "کیا آپ تیار ہیں؟"),
        ("bn", "বেশি পোস্টের চেয়ে নিয়মিত পোস্ট বেশি কাজের। দ্বিতীয় বাক্য।", "বেশি পোস্টের চেয়ে নিয়মিত পোস্ট বেশি কাজের।"),
        ("en", "Consistency beats volume. Pick a rhythm.", "Consistency beats volume."),
        ("en", "Plans cost 3.5 hours. Really.", "Plans cost 3.5 hours."),
        (
            "th",
            "เริ่มจากที่ที่กลุ่มเป้าหมายใช้เวลาอยู่แล้ว ไม่ใช่ที่ที่ทีมเราถนัด สำหรับทีมเล็ก ๆ",
            "เริ่มจากที่ที่กลุ่มเป้าหมายใช้เวลาอยู่แล้ว",
        ),
        (  # a space soon after the start only separates phrases; ๆ belongs to the word before its space
            "th",
            "สม่ำเสมอสำคัญกว่าปริมาณ เลือกจังหวะที่ทีมทำได้ต่อเนื่องเป็นเดือน ๆ ส่วนใหญ่คือสัปดาห์ละ 3-5 โพสต์",
            "สม่ำเสมอสำคัญกว่าปริมาณ เลือกจังหวะที่ทีมทำได้ต่อเนื่องเป็นเดือน ๆ",
        ),
        ("th", "สั้นๆ\n\nย่อหน้าถัดไป", "สั้นๆ"),  # a line break always ends it
    ],
)
def test_the_tip_is_the_first_sentence_in_every_script(lang: str, text: str, expected: str, campaign_locales: Locales) -> None:
    assert first_sentence(text, campaign_locales.text(lang, "campaign.format.sentence_end")) == expected


@pytest.mark.parametrize("lang", ("en", "bn", "ur"))
def test_a_long_first_sentence_is_cut_between_words_with_an_ellipsis(lang: str, campaign_locales: Locales) -> None:
    words = {"en": "word,", "bn": "শব্দ,", "ur": "لفظ،"}[lang]
    tip = first_sentence(" ".join([words] * 80), campaign_locales.text(lang, "campaign.format.sentence_end"))
    assert tip.endswith("…") and len(tip) <= TIP_LIMIT and tip[:-1].endswith(words[:-1])  # no comma or space before "…"


def test_a_long_unspaced_sentence_is_cut_between_whole_letters() -> None:
    tip = first_sentence("กี" * 200, " ")  # Thai with no space to cut at: a hard cut, a vowel never split from its letter
    assert tip.endswith("กี…") and len(tip) <= TIP_LIMIT


@pytest.mark.parametrize("lang", ("th", "ur", "bn"))
def test_real_tips_are_one_sentence_not_a_paragraph(lang: str, locales: Locales, library_store: LibraryStore) -> None:
    cards = CampaignCards(locales, library_store.library, campaigns=None)  # type: ignore[arg-type]
    for step in ("name", "platforms", "posts_per_week", "response_time"):
        article = get_step(step).tip
        tip, _ = cards._tip(article, lang)
        answer = library_store.library.article(article).text(lang)[0].answer
        assert 10 < len(tip) <= TIP_LIMIT and len(tip) < len(answer) / 2 and "\n" not in tip, (step, tip)


# --- numbers out of range -----------------------------------------------------------------------------------

OUT_OF_RANGE = {
    "en": ("0 weeks", "100 posts a week"),
    "bn": ("০ সপ্তাহ", "সপ্তাহে ১০০টি পোস্ট"),
    "th": ("๐ สัปดาห์", "สัปดาห์ละ 100 โพสต์"),
    "ur": ("0 ہفتے", "ہفتے میں 100 پوسٹس"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_out_of_range_numbers_are_answered_with_the_range(lang: str, campaign_locales: Locales, run_draft: RunDraft) -> None:
    draft = run_draft(ENGLISH_REPLIES[:7])
    weeks, posts = OUT_OF_RANGE[lang]
    for step, text, low, high in (("duration_weeks", weeks, 1, 52), ("posts_per_week", posts, 1, 21)):
        assert draft.current_step == step
        outcome = draft.handle(text, TODAY, campaign_locales)
        assert outcome.kind == INVALID and outcome.error.endswith("_range") and outcome.params == {"min": low, "max": high}
        reply = message_for(outcome, draft, campaign_locales, lang)
        assert localize_digits(str(low), campaign_locales, lang) in reply and localize_digits(str(high), campaign_locales, lang) in reply
        assert draft.handle(str(low + 2), TODAY, campaign_locales).kind == ACCEPTED


def test_an_out_of_range_number_is_an_answer_not_a_library_question(planner: Planner) -> None:
    planner.ask(6, None)
    for reply in ENGLISH_REPLIES[:8]:
        planner.handle(6, reply, None, "active", False)
    turn = planner.handle(6, "100 posts a week", None, "active", True)  # the NLU heard a question about posting
    assert not turn.interrupted and turn.specs[0]["outcome"]["error"] == "campaign.error.posts_range"
    assert planner.handle(6, "what is the best time to post", None, "active", True).interrupted  # a real question still is
