"""Render a `Reply` as Telegram messages: HTML text, inline keyboards, documents."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.replies import Reply

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
RLM = "\u200f"  # right-to-left mark: keeps Urdu lines right-aligned even when they start with Latin or emoji
SEND_ATTEMPTS = 5  # per message, for Telegram's 5xx answers, network errors and flood waits
FIRST_BACKOFF = 0.5  # seconds; doubled after each failed attempt
LONGEST_WAIT = 30.0  # seconds: a longer flood wait is not waited out by this user's reply


async def send_reply(bot: Bot, chat_id: int, reply: Reply, pressed_message_id: int | None = None) -> None:
    """Send text in as many messages as it needs; the buttons go with the last one.

    A reply marked `edit` replaces the message whose button was pressed, when there is one.
    """
    markup = keyboard(reply)
    text = rtl(reply.text) if reply.rtl else reply.text
    editable = reply.edit and pressed_message_id is not None and len(text) <= MESSAGE_LIMIT and reply.document is None
    if editable and await _edit(bot, chat_id, pressed_message_id, text, markup):
        return
    if reply.photo is not None:
        photo, caption = reply.photo, text if len(text) <= CAPTION_LIMIT else None
        picture = InputFile(photo, filename="chart.png")
        await deliver(
            lambda: bot.send_photo(chat_id, picture, caption=caption, parse_mode=ParseMode.HTML, reply_markup=markup if caption else None)
        )
        if caption is not None:
            return
    chunks = split_text(text) if text else []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        await deliver(
            lambda chunk=chunk, last=last: bot.send_message(
                chat_id, chunk, parse_mode=ParseMode.HTML, reply_markup=markup if last else None, disable_web_page_preview=True
            )
        )
    if reply.document is not None:
        document, caption = reply.document, reply.document.caption[:CAPTION_LIMIT] or None
        await deliver(
            lambda: bot.send_document(
                chat_id,
                InputFile(document.content, filename=document.filename),
                caption=caption,
                parse_mode=ParseMode.HTML if caption else None,
                reply_markup=markup if not chunks else None,
            )
        )


async def _edit(bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    """Replace the pressed message; False when it cannot be edited (too old, deleted), so the caller
    sends the reply as a new message instead of leaving the user with nothing."""
    try:
        await deliver(lambda: bot.edit_message_text(text, chat_id, message_id, parse_mode=ParseMode.HTML, reply_markup=markup))
    except BadRequest as error:
        if "not modified" in str(error).lower():  # the same text and buttons: nothing to do
            return True
        log.info("Could not edit a message (%s); sent a new one", error)
        return False
    return True


async def deliver(call: Callable[[], Awaitable[Any]]) -> Any:
    """One Bot API call, retried on flood waits (after `retry_after`), 5xx answers and network errors,
    with backoff. A timeout is not retried: the message may have arrived, and must not arrive twice."""
    delay = FIRST_BACKOFF
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await call()
        except (BadRequest, TimedOut):
            raise
        except RetryAfter as error:
            wait = error.retry_after.total_seconds() if hasattr(error.retry_after, "total_seconds") else float(error.retry_after)
            if attempt == SEND_ATTEMPTS or wait > LONGEST_WAIT:
                raise
            log.warning("Telegram asked to wait %.0f s before sending; waiting", wait)
            await asyncio.sleep(wait)
        except NetworkError as error:
            if attempt == SEND_ATTEMPTS:
                raise
            log.warning("Sending failed (%s); retry %d of %d in %.1f s", error, attempt, SEND_ATTEMPTS - 1, delay)
            await asyncio.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in reply.buttons])


def rtl(text: str) -> str:
    return "\n".join(RLM + line if line else line for line in text.split("\n"))


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split at paragraph, then line, breaks so HTML tags (which never span paragraphs here) stay whole."""
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for separator, pieces in (("\n\n", text.split("\n\n")),):
        for piece in pieces:
            for part in _hard_split(piece, limit):
                candidate = f"{current}{separator}{part}" if current else part
                if len(candidate) <= limit:
                    current = candidate
                else:
                    chunks.append(current)
                    current = part
    if current:
        chunks.append(current)
    return chunks


def _hard_split(piece: str, limit: int) -> list[str]:
    """A single paragraph longer than the limit is cut at line breaks, then at spaces."""
    if len(piece) <= limit:
        return [piece]
    parts, current = [], ""
    for word in piece.replace("\n", "\n ").split(" "):
        candidate = f"{current} {word}" if current else word
        if len(candidate) > limit and current:
            parts.append(current)
            current = word
        else:
            current = candidate
    parts.append(current)
    return [p[i : i + limit] for p in parts for i in range(0, len(p), limit)]
