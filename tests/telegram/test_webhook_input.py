"""What the webhook receiver accepts as an update."""

from __future__ import annotations

import json

import pytest

from bot.telegram.webhook import read_update


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b'{"update_id": 1',
        b"\xff\xfe{}",
        b"[]",
        b'"a string"',
        b"{}",
        b'{"update_id": "7"}',
        b'{"update_id": -1}',
        b'{"update_id": true}',
        b'{"update_id": 1.5}',
    ],
)
def test_what_is_not_an_update_is_refused(body: bytes) -> None:
    assert read_update(body) is None


def test_a_real_update_is_read() -> None:
    body = json.dumps({"update_id": 12, "message": {"text": "হ্যালো"}}, ensure_ascii=False).encode("utf-8")
    assert read_update(body) == {"update_id": 12, "message": {"text": "হ্যালো"}}
