"""Render a `Reply` as Telegram messages: HTML text, inline keyboards, documents."""

from __future__ import annotations

import contextlib

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.replies import Reply

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
RLM = "\u200f"  # right-to-left mark: keeps Urdu lines right-aligned even when they start with Latin or emoji


async def send_reply(bot: Bot, chat_id: int, reply: Reply, pressed_message_id: int | None = None) -> None:
    """Send text in as many messages as it needs; the buttons go with the last one.

    A reply marked `edit` replaces the message whose button was pressed, when there is one.
    """
    markup = keyboard(reply)
    text = rtl(reply.text) if reply.rtl else reply.text
    if reply.edit and pressed_message_id is not None and len(text) <= MESSAGE_LIMIT and reply.document is None:
        with contextlib.suppress(BadRequest):  # "message is not modified" and the like: nothing to do
            await bot.edit_message_text(text, chat_id, pressed_message_id, parse_mode=ParseMode.HTML, reply_markup=markup)
        return
    chunks = split_text(text) if text else []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        await bot.send_message(
            chat_id, chunk, parse_mode=ParseMode.HTML, reply_markup=markup if last else None, disable_web_page_preview=True
        )
    if reply.document is not None:
        caption = reply.document.caption[:CAPTION_LIMIT] or None
        await bot.send_document(
            chat_id,
            InputFile(reply.document.content, filename=reply.document.filename),
            caption=caption,
            parse_mode=ParseMode.HTML if caption else None,
            reply_markup=markup if not chunks else None,
        )


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
