"""The plan as a self-contained HTML page for phones and print, the three files sent, and their names."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser

import pytest

from bot.campaign.calendar import calendar_for
from bot.campaign.cards import STEM_LIMIT, CampaignCards, file_stem
from bot.campaign.display import format_date
from bot.campaign.document import plan_html
from bot.campaign.draft import CampaignDraft
from bot.campaign.plan import build_plan
from bot.language.locales import Locales
from bot.library.store import LibraryStore
from tests.campaign.conftest import ENGLISH_REPLIES, LANGS, PLAN_HEADINGS

RunDraft = Callable[..., CampaignDraft]
CHECKLIST = [("mi-verify", "How to verify a claim"), ("im-metrics", "Which numbers matter")]
BOT = "ResiliencyGuideBot"
HOSTILE_NAME = "<script>alert('x')</script> & Co"


class Page(HTMLParser):
    """What a test needs to know about a page: tags, attributes, text by tag, week cards, links, CSS."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.open: list[str] = []
        self.text: dict[str, list[str]] = {}
        self.style = ""
        self.weeks = 0
        self.posts = 0
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        classes = attributes.get("class", "").split()
        self.weeks += tag == "section" and "week" in classes
        self.posts += tag == "li" and bool(self.open) and "posts" in self.open[-1].split()
        if tag not in ("meta", "br"):
            self.open.append(" ".join(classes) if tag in ("ol", "ul") else tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        tag = next((name for name in reversed(self.open) if name in ("title", "h1", "h2", "style", "a", "footer")), "")
        if tag == "style":
            self.style += data
        elif tag:
            self.text.setdefault(tag, []).append(data)

    def first(self, tag: str) -> dict[str, str]:
        return next(attributes for name, attributes in self.tags if name == tag)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attributes for name, attributes in self.tags if name == tag]


@pytest.fixture
def hostile_draft(run_draft: RunDraft) -> CampaignDraft:
    return run_draft((HOSTILE_NAME, *ENGLISH_REPLIES[1:]))


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_is_self_contained_and_has_every_week(campaign_locales: Locales, hostile_draft: CampaignDraft, lang: str) -> None:
    plan = build_plan(hostile_draft, campaign_locales, lang, CHECKLIST)
    source = plan_html(plan, BOT)
    page = Page(source)

    assert page.first("html") == {"lang": lang, "dir": "rtl" if lang == "ur" else "ltr"}
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in page.all("meta")
    assert {"charset": "utf-8"} in page.all("meta")
    tags = {name for name, _ in page.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base", "form", "svg"}
    assert not any("src" in attributes or "style" in attributes for _, attributes in page.tags)
    assert "@import" not in source and "url(" not in source
    assert all(a["href"].startswith(f"https://t.me/{BOT}?start=a-") for a in page.all("a"))
    assert "@page { size: A4; margin: 15mm; }" in page.style and "@media print" in page.style
    assert "break-inside: avoid" in page.style

    weeks = calendar_for(hostile_draft.answers)
    assert page.weeks == len(weeks) == 6
    assert page.posts == sum(len(week.posts) for week in weeks) == 18
    for week in weeks:
        for post in week.posts:
            assert format_date(post.day, campaign_locales, lang, with_year=False) in source, (lang, post)


@pytest.mark.parametrize("lang", LANGS)
def test_user_text_is_escaped(campaign_locales: Locales, hostile_draft: CampaignDraft, lang: str) -> None:
    source = plan_html(build_plan(hostile_draft, campaign_locales, lang, CHECKLIST), BOT)
    page = Page(source)
    assert "<script>" not in source and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in source
    assert HOSTILE_NAME in "".join(page.text["h1"]) and HOSTILE_NAME in "".join(page.text["title"])


def test_headings_and_words_are_the_plans_language(campaign_locales: Locales, run_draft: RunDraft) -> None:
    draft = run_draft()
    english = Page(plan_html(build_plan(draft, campaign_locales, "en", CHECKLIST), BOT))
    assert english.text["h2"] == list(PLAN_HEADINGS)
    assert english.text["footer"] == ["Made with Resiliency Guide"]
    bengali_source = plan_html(build_plan(draft, campaign_locales, "bn", CHECKLIST), BOT)
    bengali = Page(bengali_source)
    assert bengali.text["h2"][6] == "কনটেন্ট ক্যালেন্ডার" and "Week" not in bengali_source
    assert "সপ্তাহ ১" in bengali_source and "সোম, ৩০ নভেম্বর" in bengali_source  # Bengali digits, as in the chat
    thai_source = plan_html(build_plan(draft, campaign_locales, "th", CHECKLIST), BOT)
    assert "2569" in thai_source and "เฟซบุ๊ก · วิดีโอสั้น" in thai_source  # Buddhist-era years


def test_the_reading_list_links_into_the_bot(campaign_locales: Locales, run_draft: RunDraft) -> None:
    plan = build_plan(run_draft(), campaign_locales, "en", CHECKLIST)
    linked = Page(plan_html(plan, BOT))
    assert [a["href"] for a in linked.all("a")] == [f"https://t.me/{BOT}?start=a-{article_id}" for article_id, _ in CHECKLIST]
    assert linked.text["a"] == [title for _, title in CHECKLIST]
    unlinked_source = plan_html(plan, None)
    assert Page(unlinked_source).all("a") == [] and all(title in unlinked_source for _, title in CHECKLIST)
    assert "Tap a title" not in unlinked_source


def test_a_named_moderator_is_shown(campaign_locales: Locales, run_draft: RunDraft) -> None:
    replies = list(ENGLISH_REPLIES)
    replies[10] = "Rina <volunteer lead>"
    source = plan_html(build_plan(run_draft(replies), campaign_locales, "ur", CHECKLIST), BOT)
    assert "<bdi>Rina &lt;volunteer lead&gt;</bdi>" in source


# --- the files sent ----------------------------------------------------------------------------------------


def test_a_confirmed_plan_sends_html_then_calendar_then_markdown(
    locales: Locales, library_store: LibraryStore, run_draft: RunDraft
) -> None:
    cards = CampaignCards(locales, library_store.library, campaigns=None, bot_username=BOT)  # type: ignore[arg-type]
    draft = run_draft(("সম্প্রীতির স্লোগান", *ENGLISH_REPLIES[1:]))
    confirmed, message, *files = cards.plan(draft, "bn")
    assert confirmed.text == locales.text("bn", "campaign.confirmed") and message.text.startswith("<b>")
    documents = [reply.document for reply in files]
    assert [document.filename for document in documents if document] == [
        "সম্প্রীতির-স্লোগান.html",
        "সম্প্রীতির-স্লোগান.ics",
        "সম্প্রীতির-স্লোগান.md",
    ]
    page, calendar, markdown = (document.content.decode("utf-8") for document in documents if document)
    assert page.startswith("<!DOCTYPE html>") and f"https://t.me/{BOT}?start=a-" in page
    assert calendar.startswith("BEGIN:VCALENDAR\r\n") and markdown.startswith("# ")
    html_caption, ics_caption, md_caption = (document.caption for document in documents if document)
    assert html_caption == f"<b>ক্যাম্পেইন পরিকল্পনা: সম্প্রীতির স্লোগান</b>\n{locales.text('bn', 'campaign.plan.file_html')}"
    assert ics_caption == locales.text("bn", "campaign.plan.file_ics")
    assert md_caption == locales.text("bn", "campaign.plan.file_md")


# --- file names ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("সম্প্রীতির স্লোগান", "সম্প্রীতির-স্লোগান"),  # vowel signs and the virama (hasanta) stay
        ("เชียงรายไม่เกลียดกัน", "เชียงรายไม่เกลียดกัน"),  # Thai vowels and tone marks stay
        ("ہم سب، ایک ہیں!", "ہم-سب-ایک-ہیں"),
        ("اُمید کی کرن", "اُمید-کی-کرن"),  # Urdu with a vowel mark (pesh)
        ("Rivers & Roads: 2026 (draft)!", "Rivers-Roads-2026-draft"),
        ("  --Neighbours/Together--  ", "Neighbours-Together"),
        ("Cafe\u0301 Unity", "Café-Unity"),  # decomposed é is composed, not cut off
    ],
)
def test_file_names_keep_every_letter(name: str, stem: str) -> None:
    assert file_stem(name, "campaign-plan") == stem


@pytest.mark.parametrize("name", ["!!! ... ???", "", None, "🎉🎉", "\u0301\u0301"])
def test_a_name_without_letters_falls_back_to_the_localized_default(campaign_locales: Locales, name: str | None) -> None:
    assert file_stem(name, campaign_locales.text("en", "campaign.plan.file_name")) == "campaign-plan"
    assert file_stem(name, campaign_locales.text("bn", "campaign.plan.file_name")) == "ক্যাম্পেইন-পরিকল্পনা"
    assert file_stem(name, campaign_locales.text("ur", "campaign.plan.file_name")) == "مہم-کا-منصوبہ"


@pytest.mark.parametrize(
    "name",
    [
        "সম্প্রীতির স্লোগান " * 6,
        "เชียงรายไม่เกลียดกัน" * 5,
        "امید کی کرن " * 8,
        "a" * 59 + "e\u0301" + "b" * 10,  # the cut would fall between e and its accent
        "Neighbours Together " * 5,
    ],
)
def test_long_names_are_cut_after_a_whole_letter(name: str) -> None:
    whole = unicodedata.normalize("NFC", "-".join(name.split()))
    stem = file_stem(name, "campaign-plan")
    assert 0 < len(stem) <= STEM_LIMIT and whole.startswith(stem)
    assert not stem.endswith("-") and not unicodedata.category(stem[-1]).startswith("M")
    assert not unicodedata.category(whole[len(stem)]).startswith("M"), "a letter's mark was cut off"


def test_a_long_name_whose_every_letter_carries_a_mark_is_cut_between_graphemes() -> None:
    stem = file_stem("বাংলা ভাষা " * 10, "campaign-plan")
    assert stem == "-".join(["বাংলা-ভাষা"] * 5) + "-বাংলা" and len(stem) == STEM_LIMIT  # ends on া, a whole grapheme
