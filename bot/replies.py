"""What the bot says back, independent of Telegram or the console."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CALLBACK_LIMIT = 64  # bytes Telegram allows in callback_data


@dataclass(frozen=True)
class Button:
    label: str
    data: str  # short callback id, e.g. "a:gs-platform"; never the (multi-byte) label

    def __post_init__(self) -> None:
        if len(self.data.encode("utf-8")) > CALLBACK_LIMIT:
            raise ValueError(f"callback data over {CALLBACK_LIMIT} bytes: {self.data!r}")


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True)
class Reply:
    """One outgoing message: HTML text, optional rows of buttons, optional file."""

    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    document: Document | None = None
    photo: bytes | None = None  # a PNG sent as a picture, the text as its caption (e.g. the /stats chart)
    rtl: bool = False
    edit: bool = False  # replace the message whose button was pressed (e.g. ticking a choice)


Spec = dict[str, Any]  # a language-neutral reply description from the brain: see bot.render


@dataclass
class Incoming:
    """One thing the user did, as the conversation layer sees it."""

    user_id: int
    chat_id: int
    text: str = ""
    button: str | None = None  # callback data when a button was pressed
    command: str | None = None  # "start", "help", ... without the slash
    language_code: str | None = None  # Telegram's hint
    kind: str = "text"  # text | button | command | unsupported | edited
    extra: dict[str, Any] = field(default_factory=dict)


def short_label(text: str, limit: int = 56) -> str:
    """Telegram clients cut long button labels mid-word; cut them ourselves, with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def rows(buttons: list[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    """Lay buttons out in rows of `per_row`."""
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
