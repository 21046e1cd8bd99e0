"""Every button's `callback_data`, encoded and decoded in one place.

Telegram sends back whatever a client puts in `callback_data` (at most 64 bytes): a forged or stale
value must never reach a database call or the planner unchecked. Each kind of button has one
encoder here and one grammar; `decode` returns None for anything outside it, and the router then
answers "this button has expired" with the menu.

    menu                      the main menu
    l:<language>              choose a language
    i:<intent>                ask the engine for an intent (a section, the planner, help, a person)
    s:<section>:<page>        a library section, one page of it
    a:<article> / m:<article> an article / the rest of it ("More")
    f:<article>:<u|d>         thumbs up or down on an article
    p:<o|e|d|x|xx>:<plan id>  open, edit, duplicate, delete, delete for sure: one of the user's plans
    g:<yes|no>                /forget confirmed, or not
    h:end                     back to the bot from a chat with a person
    r:<on|no>:<plan id>       reminders for a confirmed plan: yes or no
    r:z:<plan id>:<zone>      reminders on, in this time zone (e.g. Asia/Dhaka)
    r:<d|k|n>:<job id>        a reminder answered: done, skipped, no numbers this week
    r:<p|r|x|tz>:<id>         /reminders: pause, resume, stop, choose another time zone
    r:c:<id>:<zone>           /reminders: that time zone chosen
    c:<value>                 a planner button, passed to the planner as its value:
        c:<control>                 yes, no, new, later, back, skip, help, cancel, confirm, edit
        c:continue:<plan id>        make that plan the active one
        c:e:<step>                  edit one answer
        c:v:<step>:<choice>         a single choice at <step>
        c:t:<step>:<mask>:<index>   tick or untick choice <index> of a multi-choice question
        c:m:<step>:<mask>           "Done" on a multi-choice question
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LIMIT = 64  # bytes
ARTICLE = "a:"
MAX_ID = 2**53  # larger numbers are not ids we ever handed out
MAX_PAGE = 999
MAX_MASK = 2**20
MAX_CHOICES = 20

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z]{2,4})?")
_NUMBER = re.compile(r"[0-9]{1,16}")
PLAN_ACTIONS = ("o", "e", "d", "x", "xx")
CONTROLS = ("yes", "no", "new", "later", "back", "skip", "help", "cancel", "confirm", "edit")
VOTES = ("u", "d")
REMINDER_PLAN_ACTIONS = ("on", "no")
REMINDER_JOB_ACTIONS = ("d", "k", "n")
REMINDER_MANAGE_ACTIONS = ("p", "r", "x", "tz")
_ZONE = re.compile(r"[A-Z][A-Za-z]{1,14}/[A-Z][A-Za-z_]{1,29}")


@dataclass(frozen=True)
class Callback:
    """A decoded button: its kind (the first field) and the checked fields after it."""

    kind: str
    args: tuple[str, ...] = ()

    def number(self, index: int) -> int:
        return int(self.args[index])

    @property
    def value(self) -> str:
        """A planner button's value, as the planner reads it ("v:goal:awareness")."""
        return ":".join(self.args)


# --- encoders: every button in the bot is built with one of these ------------------------------


def menu() -> str:
    return "menu"


def language(code: str) -> str:
    return _checked(f"l:{code}")


def intent(name: str) -> str:
    return _checked(f"i:{name}")


def section(section_id: str, page: int = 0) -> str:
    return _checked(f"s:{section_id}:{page}")


def article(article_id: str) -> str:
    return _checked(f"a:{article_id}")


def more(article_id: str) -> str:
    return _checked(f"m:{article_id}")


def vote(article_id: str, up: bool) -> str:
    return _checked(f"f:{article_id}:{'u' if up else 'd'}")


def plan(action: str, plan_id: int) -> str:
    return _checked(f"p:{action}:{plan_id}")


def forget(confirmed: bool) -> str:
    return _checked(f"g:{'yes' if confirmed else 'no'}")


def handoff_end() -> str:
    return _checked("h:end")


def reminders(*parts: str | int) -> str:
    """A reminders button: r:on:<plan id>, r:z:<plan id>:<zone>, r:d:<job id>, ..."""
    return _checked("r:" + ":".join(str(part) for part in parts))


def is_zone(name: str) -> bool:
    """A time zone name a button may carry ("Asia/Dhaka")."""
    return bool(_ZONE.fullmatch(name))


def planner(*parts: str | int) -> str:
    """A planner button: c:<control>, c:continue:<id>, c:e:<step>, c:v:<step>:<choice>, ..."""
    return _checked("c:" + ":".join(str(part) for part in parts))


def _checked(data: str) -> str:
    if decode(data) is None:
        raise ValueError(f"not valid callback data: {data!r}")
    return data


# --- the decoder --------------------------------------------------------------------------------


def decode(data: str | None) -> Callback | None:
    """The button `data` stands for, or None when it is not one the bot could have sent."""
    if not data or len(data.encode("utf-8")) > LIMIT:
        return None
    if data == "menu":
        return Callback("menu")
    kind, _, rest = data.partition(":")
    parts = tuple(rest.split(":")) if rest else ()
    valid = _GRAMMAR.get(kind)
    return Callback(kind, parts) if valid is not None and valid(parts) else None


def _name(text: str) -> bool:
    return bool(_NAME.fullmatch(text))


def _number(text: str, low: int = 0, high: int = MAX_ID) -> bool:
    return bool(_NUMBER.fullmatch(text)) and low <= int(text) <= high


def _planner(parts: tuple[str, ...]) -> bool:
    match parts:
        case (control,):
            return control in CONTROLS
        case ("continue", plan_id):
            return _number(plan_id, 1)
        case ("e", step):
            return _name(step)
        case ("v", step, choice):
            return _name(step) and _name(choice)
        case ("t", step, mask, index):
            return _name(step) and _number(mask, 0, MAX_MASK) and _number(index, 0, MAX_CHOICES - 1)
        case ("m", step, mask):
            return _name(step) and _number(mask, 0, MAX_MASK)
    return False


def _reminders(parts: tuple[str, ...]) -> bool:
    match parts:
        case (action, number) if action in REMINDER_PLAN_ACTIONS + REMINDER_JOB_ACTIONS + REMINDER_MANAGE_ACTIONS:
            return _number(number, 1)
        case ("z" | "c", number, zone):
            return _number(number, 1) and is_zone(zone)
    return False


_GRAMMAR = {
    "l": lambda p: len(p) == 1 and bool(_LANGUAGE.fullmatch(p[0])),
    "i": lambda p: len(p) == 1 and _name(p[0]),
    "s": lambda p: len(p) == 2 and _name(p[0]) and _number(p[1], 0, MAX_PAGE),
    "a": lambda p: len(p) == 1 and _name(p[0]),
    "m": lambda p: len(p) == 1 and _name(p[0]),
    "f": lambda p: len(p) == 2 and _name(p[0]) and p[1] in VOTES,
    "p": lambda p: len(p) == 2 and p[0] in PLAN_ACTIONS and _number(p[1], 1),
    "c": _planner,
    "g": lambda p: p in (("yes",), ("no",)),
    "h": lambda p: p == ("end",),
    "r": _reminders,
}
