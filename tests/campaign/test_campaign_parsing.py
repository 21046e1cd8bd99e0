"""Free-text replies in English, Bengali, Thai, Urdu and romanized Urdu/Bengali become answer values."""

from __future__ import annotations

from datetime import date

import pytest

from bot.campaign.parsing import (
    one_year_after,
    parse_age_range,
    parse_answer,
    parse_audience,
    parse_date,
    parse_hours,
    parse_multi,
    parse_posts,
    parse_problem,
    parse_text,
    parse_weeks,
)
from bot.campaign.steps import get_step
from bot.campaign.words import Vocabulary, ascii_digits, control_word, normalize
from bot.language.locales import Locales

WEDNESDAY = date(2026, 11, 25)
MONDAY = date(2026, 11, 30)


# --- dates -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "next monday",
        "Next Monday!",
        "monday",
        "আগামী সোমবার",
        "পরের সোমবার",
        "porer shombar",
        "วันจันทร์หน้า",
        "اگلے پیر",
        "agle somvar",
        "agla peer",
    ],
)
def test_next_monday_in_every_language(text: str, vocabulary: Vocabulary) -> None:
    assert parse_date(text, WEDNESDAY, vocabulary).value == "2026-11-30"


def test_next_monday_said_on_a_monday_is_a_week_later(vocabulary: Vocabulary) -> None:
    assert parse_date("next monday", MONDAY, vocabulary).value == "2026-12-07"
    assert parse_date("agle somvar", MONDAY, vocabulary).value == "2026-12-07"
    assert parse_date("today", MONDAY, vocabulary).value == "2026-11-30"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", "2026-11-25"),
        ("আজ", "2026-11-25"),
        ("วันนี้", "2026-11-25"),
        ("آج", "2026-11-25"),
        ("tomorrow", "2026-11-26"),
        ("আগামীকাল", "2026-11-26"),
        ("พรุ่งนี้", "2026-11-26"),
        ("کل", "2026-11-26"),
        ("kal", "2026-11-26"),
        ("পরশু", "2026-11-27"),
        ("শুক্রবারে", "2026-11-27"),
        ("วันอาทิตย์หน้า", "2026-11-29"),
        ("next week", "2026-11-30"),
        ("اگلے ہفتے", "2026-11-30"),
        ("সামনের সপ্তাহে", "2026-11-30"),
        ("2026-12-01", "2026-12-01"),
        ("1/12/2026", "2026-12-01"),
        ("1.12.26", "2026-12-01"),
        ("১/১২/২০২৬", "2026-12-01"),
        ("๑/๑๒/๒๕๖๙", "2026-12-01"),  # Thai digits, Buddhist-era year 2569
        ("۱/۱۲/۲۰۲۶", "2026-12-01"),  # Extended Arabic-Indic digits
        ("١/١٢/٢٠٢٦", "2026-12-01"),  # Arabic-Indic digits
        ("1/12", "2026-12-01"),
        ("15/1", "2027-01-15"),  # no year and already past this year: next January
        ("15 January", "2027-01-15"),
        ("১৫ জানুয়ারি", "2027-01-15"),
        ("15 ม.ค. 2570", "2027-01-15"),
        ("15 جنوری", "2027-01-15"),
        ("in 3 days", "2026-11-28"),
    ],
)
def test_dates_in_any_language(text: str, expected: str, vocabulary: Vocabulary) -> None:
    assert parse_date(text, WEDNESDAY, vocabulary).value == expected


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("1/11/2026", "campaign.error.date_past"),
        ("2026-11-24", "campaign.error.date_past"),
        ("26/11/2027", "campaign.error.date_too_far"),
        ("31/2/2027", "campaign.error.date_invalid"),
        ("whenever we are ready", "campaign.error.date_format"),
        ("today or tomorrow", "campaign.error.date_format"),
        ("   ", "campaign.error.empty"),
    ],
)
def test_date_errors_name_the_reason(text: str, error: str, vocabulary: Vocabulary) -> None:
    parsed = parse_date(text, WEDNESDAY, vocabulary)
    assert not parsed.ok and parsed.error == error and parsed.value is None


def test_the_latest_start_is_one_year_ahead(vocabulary: Vocabulary) -> None:
    assert parse_date("25/11/2027", WEDNESDAY, vocabulary).value == "2027-11-25"
    assert one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)


# --- numbers -----------------------------------------------------------------------------------------------


def test_native_digits_of_every_script_become_ascii() -> None:
    assert ascii_digits("০১২৩৪৫৬৭৮৯ ๐๑๒๓๔๕๖๗๘๙ ٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹") == " ".join(["0123456789"] * 4)


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("6", 6),
        ("6 weeks", 6),
        ("৬ সপ্তাহ", 6),
        ("๖ สัปดาห์", 6),
        ("۶ ہفتے", 6),
        ("٦ ہفتے", 6),
        ("6 hafte", 6),
        ("ছয় সপ্তাহ", 6),
        ("a month", 4),
        ("2 months", 9),
        ("สองเดือน", 9),
        ("تین مہینے", 13),
        ("45 days", 7),
        ("1 year", 52),
    ],
)
def test_duration_in_weeks(text: str, weeks: int, vocabulary: Vocabulary) -> None:
    assert parse_weeks(text, get_step("duration_weeks"), vocabulary).value == weeks


@pytest.mark.parametrize(
    ("text", "error", "params"),
    [
        ("0", "campaign.error.weeks_range", {"min": 1, "max": 52}),
        ("53 weeks", "campaign.error.weeks_range", {"min": 1, "max": 52}),
        ("as long as needed", "campaign.error.number_missing", {}),
        ("6-8 weeks", "campaign.error.number_many", {}),
    ],
)
def test_duration_errors(text: str, error: str, params: dict[str, int], vocabulary: Vocabulary) -> None:
    parsed = parse_weeks(text, get_step("duration_weeks"), vocabulary)
    assert (parsed.error, parsed.params) == (error, params)


@pytest.mark.parametrize(
    ("text", "posts"),
    [
        ("3", 3),
        ("3 a week", 3),
        ("3/week", 3),
        ("3 per week", 3),
        ("daily", 7),
        ("every day", 7),
        ("twice a week", 2),
        ("once a week", 1),
        ("twice a day", 14),
        ("every other day", 4),
        ("সপ্তাহে ৩টি", 3),
        ("প্রতিদিন", 7),
        ("সপ্তাহে দুবার", 2),
        ("สัปดาห์ละ 3 ครั้ง", 3),
        ("สัปดาห์ละสองครั้ง", 2),
        ("3 วันต่อสัปดาห์", 3),
        ("ทุกวัน", 7),
        ("สามารถโพสต์ได้ทุกวัน", 7),  # "สามารถ" (can) must not read as สาม (three)
        ("ہفتے میں 3 بار", 3),
        ("ہفتے میں دو بار", 2),
        ("روزانہ", 7),
        ("hafte mein do bar", 2),
        ("rozana", 7),
    ],
)
def test_posting_frequency(text: str, posts: int, vocabulary: Vocabulary) -> None:
    assert parse_posts(text, get_step("posts_per_week"), vocabulary).value == posts


def test_posting_frequency_limits(vocabulary: Vocabulary) -> None:
    step = get_step("posts_per_week")
    assert parse_posts("4 times a day", step, vocabulary).params == {"min": 1, "max": 21}
    assert parse_posts("22", step, vocabulary).error == "campaign.error.posts_range"
    assert parse_posts("3 times a day", step, vocabulary).value == 21


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("1h", 1),
        ("4h", 4),
        ("48h", 48),
        ("2 hours", 2),
        ("within 30 minutes", 1),
        ("a day", 24),
        ("1 week", 168),
        ("২ ঘণ্টা", 2),
        ("১ ঘণ্টার মধ্যে", 1),
        ("2 ชั่วโมง", 2),
        ("ภายในหนึ่งวัน", 24),
        ("2 گھنٹے", 2),
        ("ایک دن کے اندر", 24),
        ("ek ghanta", 1),
    ],
)
def test_reply_time_in_hours(text: str, hours: int, vocabulary: Vocabulary) -> None:
    assert parse_hours(text, get_step("response_time"), vocabulary).value == hours


@pytest.mark.parametrize("text", ["0", "8 days", "200 hours"])
def test_reply_time_out_of_range(text: str, vocabulary: Vocabulary) -> None:
    parsed = parse_hours(text, get_step("response_time"), vocabulary)
    assert parsed.error == "campaign.error.hours_range" and parsed.params == {"min": 1, "max": 168}


# --- choices -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "platforms"),
    [
        ("fb, tiktok and youtube", ["facebook", "tiktok", "youtube"]),
        ("Facebook Messenger and WhatsApp", ["messenger", "whatsapp"]),
        ("twitter/x", ["x"]),
        ("ফেসবুক আর টিকটক", ["facebook", "tiktok"]),
        ("ফেসবুকে আর ইউটিউবে", ["facebook", "youtube"]),
        ("เฟซบุ๊กกับติ๊กต็อก", ["facebook", "tiktok"]),
        ("เฟซบุ๊ก ไลน์ และยูทูบ", ["facebook", "line", "youtube"]),
        ("فیس بک، واٹس ایپ اور یوٹیوب", ["facebook", "whatsapp", "youtube"]),
        ("fb aur tiktok", ["facebook", "tiktok"]),
        ("all of them", ["facebook", "instagram", "whatsapp", "messenger", "tiktok", "youtube", "x", "line", "viber", "imo", "telegram"]),
        ("সবগুলো", ["facebook", "instagram", "whatsapp", "messenger", "tiktok", "youtube", "x", "line", "viber", "imo", "telegram"]),
    ],
)
def test_platform_lists_in_several_languages(text: str, platforms: list[str], vocabulary: Vocabulary) -> None:
    assert parse_multi(text, get_step("platforms"), vocabulary).value == platforms


def test_multi_choice_accepts_button_values_and_refuses_nothing_found(vocabulary: Vocabulary) -> None:
    step = get_step("formats")
    assert parse_multi(["image", "live", "image"], step, vocabulary).value == ["image", "live"]
    assert parse_multi(["image", "hologram"], step, vocabulary).error == "campaign.error.none_formats"
    assert parse_multi("short_video", step, vocabulary).value == ["short_video"]
    assert parse_multi("ছোট ভিডিও আর ছবি", step, vocabulary).value == ["short_video", "image"]
    assert parse_multi("live video and a voice note", step, vocabulary).value == ["live", "voice_note"]
    assert parse_multi("we have not decided that yet", get_step("platforms"), vocabulary).error == "campaign.error.none_platforms"
    assert parse_multi("জনসংখ্যা", get_step("metrics"), vocabulary).error == "campaign.error.none_metrics"
    assert parse_multi("การเข้าถึงและการแชร์", get_step("metrics"), vocabulary).value == ["reach", "shares"]
    assert parse_multi("رسائی اور شیئرز", get_step("metrics"), vocabulary).value == ["reach", "shares"]


def test_a_button_label_typed_back_is_understood(vocabulary: Vocabulary) -> None:
    assert parse_multi("X (ทวิตเตอร์)", get_step("platforms"), vocabulary).value == ["x"]
    assert parse_problem("ধর্মীয় বা জাতিগত উত্তেজনা", get_step("problem"), vocabulary).value == "tension"


@pytest.mark.parametrize(
    ("text", "problem", "detail"),
    [
        ("misinformation", "misinformation", None),
        ("Violent extremism", "extremism", None),
        ("caste slurs on facebook", "hate_speech", "caste slurs on facebook"),
        ("other people spreading rumours", "misinformation", "other people spreading rumours"),
        ("বন্যার ত্রাণ নিয়ে গুজব", "misinformation", "বন্যার ত্রাণ নিয়ে গুজব"),
        ("ความขัดแย้งทางศาสนาในหมู่บ้าน", "tension", "ความขัดแย้งทางศาสนาในหมู่บ้าน"),
        ("شدت پسندی", "extremism", None),
        ("land disputes in the village", "other", "land disputes in the village"),
    ],
)
def test_problem_from_words_or_kept_as_text(
    text: str,
    problem: str,
    detail: str | None,
    vocabulary: Vocabulary,
) -> None:
    parsed = parse_problem(text, get_step("problem"), vocabulary)
    assert parsed.value == problem
    assert parsed.extra.get("problem_detail") == detail


def test_problem_too_short_to_describe(vocabulary: Vocabulary) -> None:
    assert parse_problem("ab", get_step("problem"), vocabulary).error == "campaign.error.choice_unknown"
    assert parse_problem("x" * 301, get_step("problem"), vocabulary).error == "campaign.error.too_long"


# --- free text ---------------------------------------------------------------------------------------------


def test_text_limits_and_cleanup() -> None:
    assert parse_text("  Neighbours \n  Together ", 2, 80).value == "Neighbours Together"
    assert (parse_text("A", 2, 80).error, parse_text("A", 2, 80).params) == ("campaign.error.too_short", {"min": 2})
    assert parse_text("🙂🙂🙂", 2, 80).error == "campaign.error.too_short"
    too_long = parse_text("x" * 81, 2, 80)
    assert (too_long.error, too_long.params) == ("campaign.error.too_long", {"max": 80, "length": 81})
    assert parse_text("", 2, 80).error == "campaign.error.empty"


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("students in Sylhet, 18-25", [18, 25]),
        ("young people 16 to 24 in Karachi", [16, 24]),
        ("১৮ থেকে ২৫ বছরের তরুণ", [18, 25]),
        ("นักศึกษาในเชียงใหม่ 18-25 ปี", [18, 25]),
        ("لاہور کے طلبہ، 18 سے 25", [18, 25]),
        ("parents 30+", [30, None]),
        ("mothers in Chiang Mai", None),
        ("2024 graduates, class of 120", None),
    ],
)
def test_optional_age_range_inside_audience(text: str, ages: list[int | None] | None, vocabulary: Vocabulary) -> None:
    assert parse_age_range(text, vocabulary) == ages
    parsed = parse_audience(text, get_step("audience"), vocabulary)
    assert parsed.value == text and parsed.extra.get("audience_age") == ages


def test_parse_answer_dispatches_by_step_and_refuses_lists_for_text(vocabulary: Vocabulary) -> None:
    assert parse_answer(get_step("duration_weeks"), "৬", WEDNESDAY, vocabulary).value == 6
    assert parse_answer(get_step("platforms"), ["x"], WEDNESDAY, vocabulary).value == ["x"]
    with pytest.raises(TypeError):
        parse_answer(get_step("name"), ["a", "b"], WEDNESDAY, vocabulary)


# --- control words -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("back", "back"),
        ("Back.", "back"),
        ("⬅️ Back", "back"),
        ("পিছনে", "back"),
        ("ফিরে যাও", "back"),
        ("ย้อนกลับ", "back"),
        ("واپس", "back"),
        ("pichay", "back"),
        ("piche", "back"),
        ("pichone", "back"),
        ("SKIP!", "skip"),
        ("বাদ দিন", "skip"),
        ("ข้าม", "skip"),
        ("چھوڑیں", "skip"),
        ("cancel", "cancel"),
        ("বাতিল", "cancel"),
        ("ยกเลิก", "cancel"),
        ("منسوخ کریں", "cancel"),
        ("help?", "help"),
        ("সাহায্য", "help"),
        ("ช่วยด้วย", "help"),
        ("مدد", "help"),
        ("madad", "help"),
    ],
)
def test_control_words_in_any_language(text: str, command: str, campaign_locales: Locales) -> None:
    assert control_word(text, campaign_locales) == command


NOT_COMMANDS = ["back to school", "skip the hate", "help each other", "Cancel culture", "পিছনে ফেলে আসা গ্রাম", "", "  "]


@pytest.mark.parametrize("text", NOT_COMMANDS)
def test_normal_answers_are_never_commands(text: str, campaign_locales: Locales) -> None:
    assert control_word(text, campaign_locales) is None


def test_normalize_unifies_spelling_variants() -> None:
    assert normalize("  Hello,   WORLD! ") == "hello world"
    assert normalize("كل") == normalize("کل")  # Arabic kaf and Urdu keheh
    assert normalize("پيري") == normalize("پیری")  # Arabic yeh and Farsi yeh
