"""The summary, the chat plan (Telegram HTML) and the forwardable Markdown document, in several languages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest

from bot.campaign.draft import CampaignDraft
from bot.campaign.plan import TEXT_LIMIT, build_plan, relevant_articles, summary_text
from bot.language.locales import Locales
from tests.campaign.conftest import ENGLISH_REPLIES, PLAN_HEADINGS

RunDraft = Callable[..., CampaignDraft]
CHECKLIST = [("mi-verify", "How to verify a claim"), ("im-metrics", "Which numbers matter")]


def _tags(html: str) -> set[str]:
    return set(re.findall(r"</?([a-z]+)", html))


def _balanced(html: str) -> bool:
    return all(html.count(f"<{tag}>") == html.count(f"</{tag}>") for tag in ("b", "i"))


ALWAYS = ["im-metrics", "mg-security"]
HATE = ["mg-hateful-comments", "mg-moderation", "cc-counter-narrative"]
MISINFORMATION = ["mi-verify", "mi-respond", "mi-report", "mi-prebunk"]
TENSION = ["cc-storytelling", "cc-counter-narrative", "mg-moderation"]


@pytest.mark.parametrize(
    ("problem", "platforms", "expected"),
    [
        ("hate_speech", ["facebook"], [*HATE, *ALWAYS]),
        ("misinformation", ["whatsapp", "tiktok", "youtube"], [*MISINFORMATION, "mi-whatsapp", "cc-formats", *ALWAYS]),
        ("tension", ["instagram"], [*TENSION, "cc-formats", *ALWAYS]),
        ("extremism", ["x"], ["cc-counter-narrative", "mg-security", "mg-harassment", "im-metrics"]),
        ("other", [], ALWAYS),
    ],
)
def test_relevant_articles(problem: str, platforms: list[str], expected: list[str]) -> None:
    assert relevant_articles(problem, platforms) == expected


def test_summary_lists_every_answer_on_its_own_labelled_line(campaign_locales: Locales, run_draft: RunDraft) -> None:
    draft = run_draft(("Rivers & <Roads>", *list(ENGLISH_REPLIES[1:])))
    text = summary_text(draft, campaign_locales, "en")
    assert "<b>Name:</b> Rivers &amp; &lt;Roads&gt;" in text
    assert "<b>Problem:</b> Misinformation — rumours about flood relief" in text
    assert "<b>Audience:</b> students in Sylhet, 18-25\n" in text  # the age range is not said twice
    assert "<b>Platforms:</b> Facebook, TikTok, WhatsApp" in text
    assert "<b>Start:</b> Mon 30 Nov 2026" in text
    assert "<b>Length:</b> 6 weeks" in text
    assert "<b>Posting:</b> 3 posts a week" in text
    assert "<b>Moderator:</b> skipped" in text
    assert "<b>Reply time:</b> within 4 hours" in text
    assert _tags(text) <= {"b", "i"} and _balanced(text)


def test_summary_in_urdu_and_bengali(campaign_locales: Locales, run_draft: RunDraft) -> None:
    draft = run_draft()
    urdu = summary_text(draft, campaign_locales, "ur")
    assert "<b>پلیٹ فارم:</b> فیس بک، ٹک ٹاک، واٹس ایپ" in urdu
    assert "پیر، 30 نومبر 2026" in urdu and "6 ہفتے" in urdu
    bengali = summary_text(draft, campaign_locales, "bn")
    assert "সোম, ৩০ নভেম্বর ২০২৬" in bengali and "সপ্তাহে ৩টি পোস্ট" in bengali


def test_plan_text_in_english(campaign_locales: Locales, run_draft: RunDraft) -> None:
    plan = build_plan(run_draft(), campaign_locales, "en", CHECKLIST)
    text = plan.as_text()
    assert len(text) <= TEXT_LIMIT and _tags(text) <= {"b", "i"} and _balanced(text)
    assert text.startswith("<b>Campaign plan: Neighbours Together</b>")
    assert "<b>When:</b> Mon 30 Nov 2026 – Sun 10 Jan 2027 · 6 weeks · 3 posts a week" in text
    assert "<b>Week 1 · Mon 30 Nov – Sun 6 Dec 2026 · Introduce your message</b>" in text
    assert "• Mon 30 Nov: Facebook, Short video" in text
    assert "Myth vs fact" in text
    assert "…and 2 more weeks in the full plan document." in text
    assert "No moderator yet" in text and "within 4 hours" in text
    assert "• How to verify a claim" in text


def test_plan_text_in_thai_uses_thai_words_and_buddhist_years(campaign_locales: Locales, run_draft: RunDraft) -> None:
    text = build_plan(run_draft(), campaign_locales, "th", CHECKLIST).as_text()
    assert text.startswith("<b>แผนแคมเปญ: Neighbours Together</b>")
    assert "สัปดาห์ที่ 1 · จ. 30 พ.ย. – อา. 6 ธ.ค. 2569 · แนะนำสารของคุณ" in text
    assert "เฟซบุ๊ก · วิดีโอสั้น" in text and "Week" not in text


def test_plan_text_in_bengali_uses_bengali_digits(campaign_locales: Locales, run_draft: RunDraft) -> None:
    text = build_plan(run_draft(), campaign_locales, "bn", CHECKLIST).as_text()
    assert "<b>সপ্তাহ ১ · সোম, ৩০ নভেম্বর – রবি, ৬ ডিসেম্বর ২০২৬ · আপনার বার্তার পরিচয়</b>" in text
    assert "…বাকি ২ সপ্তাহ" in text and not re.search(r"Week|weeks", text)


def test_plan_text_stays_under_the_limit_with_the_longest_answers(campaign_locales: Locales, today: date) -> None:
    draft = CampaignDraft()
    replies = [
        "a&" * 40,
        "a<" * 150,
        "a& " * 100,
        "all",
        "a&<>" * 125,
        "all",
        "tomorrow",
        "52",
        "21",
        "all",
        "a&" * 60,
        "168 hours",
    ]
    for reply in replies:
        assert not draft.handle(reply, today, campaign_locales).refused, reply
    checklist = [(f"id-{n}", "A fairly long library article title & more") for n in range(10)]
    for lang in ("en", "bn", "th", "ur"):
        text = build_plan(draft, campaign_locales, lang, checklist).as_text()
        assert len(text) <= TEXT_LIMIT, lang
        assert _balanced(text) and "&amp;" in text and "<<" not in text


def test_markdown_document_has_every_week_and_localised_headings(
    campaign_locales: Locales,
    run_draft: RunDraft,
) -> None:
    draft = run_draft(("Rivers | Roads", *list(ENGLISH_REPLIES[1:])))
    english = build_plan(draft, campaign_locales, "en", CHECKLIST).as_markdown()
    assert english.startswith("# Campaign plan: Rivers \\| Roads\n")
    for heading in PLAN_HEADINGS:
        assert f"\n## {heading}\n" in english
    rows = [line for line in english.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == 6 and rows[0].count(";") == 2
    assert "- [ ] How to verify a claim" in english and "> In our street we look after each other" in english
    urdu = build_plan(draft, campaign_locales, "ur", CHECKLIST).as_markdown()
    assert urdu.startswith("# مہم کا منصوبہ: Rivers \\| Roads\n")
    assert "\n## مواد کا کیلنڈر\n" in urdu and "| ہفتہ | تاریخیں | موضوع | پوسٹس |" in urdu


def test_a_plan_needs_every_required_answer(campaign_locales: Locales, run_draft: RunDraft) -> None:
    with pytest.raises(ValueError, match="is_complete"):
        build_plan(run_draft(("Name", "hate")), campaign_locales, "en", [])
