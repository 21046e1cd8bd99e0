"""The posting days as an iCalendar file, read back with a real parser (icalendar)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest

from bot.campaign.calendar import calendar_for
from bot.campaign.draft import CampaignDraft
from bot.campaign.ics import LINE_OCTETS, escape_text, fold, plan_ics
from bot.campaign.plan import build_plan
from bot.language.locales import Locales
from tests.campaign.conftest import ENGLISH_REPLIES, LANGS

RunDraft = Callable[..., CampaignDraft]
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)
BENGALI_NAME = "সম্প্রীতি, শান্তি; আর \\ বিশ্বাস"
URDU_NAME = "امن، بھائی چارہ; اور, اعتماد"


def _events(text: str) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


@pytest.mark.parametrize("lang", LANGS)
def test_one_event_per_post_and_one_check_in_per_week(campaign_locales: Locales, run_draft: RunDraft, lang: str) -> None:
    draft = run_draft()
    weeks = calendar_for(draft.answers)
    text = plan_ics(build_plan(draft, campaign_locales, lang, []), NOW)
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["VERSION"]) == "2.0" and "Resiliency Guide" in str(calendar["PRODID"])
    events = _events(text)
    posts = [post for week in weeks for post in week.posts]
    assert len(events) == len(posts) + len(weeks) == 24  # 6 weeks of 3 posts, and 6 check-ins

    starts = [event.decoded("DTSTART") for event in events]
    assert all(type(start) is date for start in starts), "all-day events"
    assert all(event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(days=1) for event in events)
    check_title = campaign_locales.text(lang, "campaign.plan.ics_check_in", week="")
    post_events = [event for event in events if not str(event["SUMMARY"]).startswith(check_title)]
    check_events = [event for event in events if str(event["SUMMARY"]).startswith(check_title)]
    assert [event.decoded("DTSTART") for event in post_events] == [post.day for post in posts]
    assert [event.decoded("DTSTART") for event in check_events] == [week.end for week in weeks]
    assert all(event.decoded("DTSTAMP") == NOW for event in events)
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == len(uids) and all(uid.endswith("@resiliency-guide") for uid in uids)


def test_summaries_and_descriptions_read_like_the_plan(campaign_locales: Locales, run_draft: RunDraft) -> None:
    plan = build_plan(run_draft(), campaign_locales, "en", [])
    events = _events(plan_ics(plan, NOW))
    assert str(events[0]["SUMMARY"]) == "Facebook · Short video"
    assert str(events[0]["DESCRIPTION"]) == "Week 1 · Introduce your message\nCampaign plan: Neighbours Together"
    assert str(events[3]["SUMMARY"]) == "📊 Check your numbers: Week 1" and events[3].decoded("DTSTART") == date(2026, 12, 6)
    assert str(events[3]["DESCRIPTION"]) == "Measuring success — Reach, Shares\nCampaign plan: Neighbours Together"
    bengali = _events(plan_ics(build_plan(run_draft(), campaign_locales, "bn", []), NOW))
    assert str(bengali[3]["SUMMARY"]).endswith("সপ্তাহ ১")  # the language's own digits


# Not a backslash before "n": icalendar 6 unescapes "\\\\n" (an escaped backslash, then n) as a line break.
@pytest.mark.parametrize(("lang", "name"), [("bn", BENGALI_NAME), ("ur", URDU_NAME), ("th", "เชียงราย, ไม่เกลียดกัน; \\ ทุกคน")])
def test_names_with_commas_semicolons_and_backslashes_round_trip(
    campaign_locales: Locales, run_draft: RunDraft, lang: str, name: str
) -> None:
    plan = build_plan(run_draft((name, *ENGLISH_REPLIES[1:])), campaign_locales, lang, [])
    text = plan_ics(plan, NOW)
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["X-WR-CALNAME"]) == plan.title
    for event in _events(text):
        assert str(event["DESCRIPTION"]).endswith("\n" + plan.title)


@pytest.mark.parametrize("lang", LANGS)
def test_lines_are_crlf_and_folded_at_75_octets(campaign_locales: Locales, run_draft: RunDraft, lang: str) -> None:
    long_name = "সম্প্রীতির স্লোগান — আমাদের পাড়া, আমাদের গল্প; সবাই মিলে 🎉" * 2
    plan = build_plan(run_draft((long_name[:80], *ENGLISH_REPLIES[1:])), campaign_locales, lang, [])
    raw = plan_ics(plan, NOW).encode("utf-8")
    assert raw.endswith(b"END:VCALENDAR\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= LINE_OCTETS
    assert any(line.startswith(b" ") for line in lines), "the long name was folded"
    for line in lines:
        line.decode("utf-8")  # no character was split between two lines


def test_uids_are_stable_across_sends_and_languages(campaign_locales: Locales, run_draft: RunDraft) -> None:
    draft = run_draft()
    first = [str(e["UID"]) for e in _events(plan_ics(build_plan(draft, campaign_locales, "en", []), NOW))]
    again = [str(e["UID"]) for e in _events(plan_ics(build_plan(draft, campaign_locales, "th", []), datetime.now(timezone.utc)))]
    other = [
        str(e["UID"]) for e in _events(plan_ics(build_plan(run_draft(("Other plan", *ENGLISH_REPLIES[1:])), campaign_locales, "en", [])))
    ]
    assert first == again and not set(first) & set(other)


def test_text_escaping_and_folding() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf\x07") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert escape_text("C:\\new") == "C:\\\\new"  # a backslash before n is not a line break
    assert fold("x" * 75) == "x" * 75
    assert fold("x" * 76) == "x" * 75 + "\r\n x"
    folded = fold("SUMMARY:" + "স" * 40).split("\r\n")  # 3 octets each: never split
    assert [len(line.encode("utf-8")) for line in folded] == [74, 55] and "".join(
        p.removeprefix(" ") for p in folded
    ) == "SUMMARY:" + "স" * 40
