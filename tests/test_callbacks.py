"""The callback codec: every button the bot builds decodes; nothing a client could forge gets past it."""

from __future__ import annotations

import random

import pytest

from bot import callbacks

BUILT = [
    callbacks.menu(),
    callbacks.language("bn"),
    callbacks.intent("human"),
    callbacks.section("getting_started", 2),
    callbacks.article("mi-verify"),
    callbacks.more("ug-hacked"),
    callbacks.vote("mi-verify", up=False),
    callbacks.plan("xx", 12),
    callbacks.planner("confirm"),
    callbacks.planner("continue", 7),
    callbacks.planner("e", "start_date"),
    callbacks.planner("v", "problem", "hate_speech"),
    callbacks.planner("t", "platforms", 255, 7),
    callbacks.planner("m", "formats", 3),
]

FORGED = [
    "",
    ":",
    "menu:",
    "zz:whatever",
    "a:",
    "a:../../etc/passwd",
    "a:MI-VERIFY",
    "a:mi verify",
    "a:mi-verify:extra",
    "s:getting_started",
    "s:getting_started:-1",
    "s:getting_started:1000",
    "s:getting_started:1e3",
    "f:mi-verify:x",
    "p:o:99999999999999999999999",
    "p:o:0",
    "p:o:-5",
    "p:o:abc",
    "p:q:5",
    "p:o:5:6",
    "c:",
    "c:restart",
    "c:continue:",
    "c:continue:99999999999999999999",
    "c:v:problem",
    "c:v::hate",
    "c:t:platforms:9999999999:0",
    "c:t:platforms:3:20",
    "c:t:platforms:3",
    "c:m:formats:-1",
    'c:v:problem:{"slot":1}',
    "i:/restart",
    "i:greet{}",
    "l:english-language",
    "l:",
    "a:" + "x" * 70,
    "a:আর্টিকেল",
    "\x00",
    "a:mi-verify\n",
]


@pytest.mark.parametrize("data", BUILT)
def test_every_button_the_bot_builds_decodes_and_fits(data: str) -> None:
    decoded = callbacks.decode(data)
    assert decoded is not None and len(data.encode("utf-8")) <= callbacks.LIMIT


@pytest.mark.parametrize("data", FORGED)
def test_forged_data_is_refused(data: str) -> None:
    assert callbacks.decode(data) is None


def test_random_bytes_never_raise() -> None:
    rng = random.Random(7)
    alphabet = "ac:mpsfilv-_0123456789xyz \u200f\u202e😀আ"
    for _ in range(5000):
        data = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 70)))
        decoded = callbacks.decode(data)
        assert decoded is None or decoded.kind in {"menu", "l", "i", "s", "a", "m", "f", "p", "c"}


def test_an_encoder_refuses_what_it_could_not_decode() -> None:
    with pytest.raises(ValueError):
        callbacks.article("Not An Id")
    with pytest.raises(ValueError):
        callbacks.plan("o", 2**60)


def test_planner_values_keep_their_step() -> None:
    decoded = callbacks.decode("c:v:problem:hate_speech")
    assert decoded is not None and decoded.value == "v:problem:hate_speech"
