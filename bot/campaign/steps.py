"""The campaign planner's questions, in the order they are asked.

Every other module reads step facts (kind, choices, limits, tip article) from here, so changing the
conversation is editing this table plus the matching `campaign.*` keys in `locales/<lang>/campaign.yml`.
The platforms are not listed here: they live in `campaign.order.platforms` of each language (see choices.py).
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT = "text"
CHOICE = "choice"
MULTI = "multi"
DATE = "date"
INT = "int"

PROBLEMS = ("hate_speech", "misinformation", "tension", "extremism", "other")
FORMATS = ("short_video", "image", "carousel", "text_post", "live", "voice_note", "other")
METRICS = ("reach", "engagement", "shares", "sentiment", "message_recall", "offline_action", "followers")
RESPONSE_TIMES = ("1h", "4h", "24h", "48h")


@dataclass(frozen=True)
class Step:
    """One question: how its reply is parsed, what it may be, and which library article helps with it."""

    name: str
    kind: str  # text, choice, multi, date or int: what kind of input widget the UI should offer
    parser: str  # which function in parsing.py reads the reply
    tip: str  # library article id shown as "read more" for this question
    choices: tuple[str, ...] = ()
    optional: bool = False
    minimum: int | None = None  # characters for text steps, the value for numeric steps
    maximum: int | None = None
    extra_keys: tuple[str, ...] = ()  # further answer keys this step writes (e.g. the audience age range)
    choices_key: str | None = None  # locale list of the choice ids, when they live in locale data (see choices.py)
    named: bool = False  # a typed choice it does not know is kept by the user's own name for it


_PROBLEM_EXTRA = ("problem_detail",)  # free-text description kept next to the matched problem
_AUDIENCE_EXTRA = ("audience_age",)  # [min, max] ages, max None for "18+"; absent when not given

STEPS: tuple[Step, ...] = (
    Step("name", TEXT, "text", "gs-goals", minimum=2, maximum=80),
    Step(
        "problem",
        CHOICE,
        "problem",
        "cc-counter-narrative",
        PROBLEMS,
        minimum=3,
        maximum=300,
        extra_keys=_PROBLEM_EXTRA,
    ),
    Step("audience", TEXT, "audience", "gs-audience", minimum=3, maximum=300, extra_keys=_AUDIENCE_EXTRA),
    Step("platforms", MULTI, "multi", "gs-platform", choices_key="campaign.order.platforms", named=True),
    Step("message", TEXT, "text", "cc-counter-narrative", minimum=5, maximum=500),
    Step("formats", MULTI, "multi", "cc-formats", FORMATS),
    Step("start_date", DATE, "date", "mg-rhythm"),
    Step("duration_weeks", INT, "weeks", "gs-first-month", minimum=1, maximum=52),
    Step("posts_per_week", INT, "posts", "mg-rhythm", minimum=1, maximum=21),
    Step("metrics", MULTI, "multi", "im-metrics", METRICS),
    Step("moderator", TEXT, "text", "mg-moderation", optional=True, minimum=2, maximum=120),
    Step("response_time", CHOICE, "hours", "mg-hateful-comments", RESPONSE_TIMES, minimum=1, maximum=168),
)

STEP_NAMES: tuple[str, ...] = tuple(step.name for step in STEPS)
FIRST_STEP = STEP_NAMES[0]
_BY_NAME = {step.name: step for step in STEPS}


def get_step(name: str) -> Step:
    """The step called `name`; a typo in calling code should fail loudly, not silently skip a question."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown campaign step {name!r}; expected one of {', '.join(STEP_NAMES)}") from None


def step_index(name: str) -> int:
    """Position of the step, 0-based, for "question 3 of 12" and for moving back and forth."""
    return STEP_NAMES.index(get_step(name).name)


def next_step_name(name: str) -> str | None:
    """The question after `name`, or None when it was the last one (time for the summary)."""
    index = step_index(name) + 1
    return STEP_NAMES[index] if index < len(STEP_NAMES) else None


def previous_step_name(name: str) -> str | None:
    """The question before `name`, or None on the first one."""
    index = step_index(name)
    return STEP_NAMES[index - 1] if index > 0 else None


def answer_keys() -> tuple[str, ...]:
    """Every key a finished draft's `answers` may hold, for validating stored drafts."""
    return STEP_NAMES + tuple(key for step in STEPS for key in step.extra_keys)
