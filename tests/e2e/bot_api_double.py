"""A small Telegram Bot API double, served over real HTTP on 127.0.0.1 for end-to-end tests.

It queues updates for getUpdates, records every method the bot calls, and answers the way the
real Bot API does for the methods this bot uses.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 999, "is_bot": True, "first_name": "Resiliency Guide", "username": "resiliency_test_bot"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)


class BotApiDouble:
    def __init__(self, token: str = "123:TEST") -> None:
        self.token = token
        self.calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._new_update = asyncio.Event()
        self._new_call = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    # --- what a user does -------------------------------------------------------------------
    def user(self, user_id: int = 42, language_code: str | None = "en") -> dict[str, Any]:
        user = {"id": user_id, "is_bot": False, "first_name": "Test"}
        if language_code:
            user["language_code"] = language_code
        return user

    def send_text(self, text: str, user_id: int = 42, language_code: str | None = "en") -> None:
        entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else None
        message = self._message(user_id, language_code, text=text)
        if entities:
            message["entities"] = entities
        self._push({"message": message})

    def send_sticker(self, user_id: int = 42) -> None:
        sticker = {
            "file_id": "s1",
            "file_unique_id": "u1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        self._push({"message": self._message(user_id, "en", sticker=sticker)})

    def edit_text(self, text: str, user_id: int = 42) -> None:
        message = self._message(user_id, "en", text=text)
        message["edit_date"] = int(time.time())
        self._push({"edited_message": message})

    def press(self, data: str, user_id: int = 42, language_code: str | None = "en") -> str:
        query_id = f"q{next(self._update_ids)}"
        message = {"message_id": 1, "date": int(time.time()), "chat": {"id": user_id, "type": "private"}, "from": BOT_USER, "text": "…"}
        self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.user(user_id, language_code),
                    "chat_instance": "ci",
                    "data": data,
                    "message": message,
                }
            }
        )
        return query_id

    def deliver_again(self) -> None:
        """Telegram's retry: the last update once more, with the same update_id."""
        self._updates.append(dict(self._updates[-1]))
        self._new_update.set()

    # --- what the bot did -------------------------------------------------------------------
    def sent(self, method: str = "sendMessage") -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int, timeout: float = 30.0) -> list[Call]:
        """Wait until the bot has called `method` at least `count` times in all."""
        deadline = time.monotonic() + timeout
        while len(self.sent(method)) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{method}: expected {count} calls, got {len(self.sent(method))}: {[c.params for c in self.calls[-5:]]}")
            self._new_call.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._new_call.wait(), remaining)
        return self.sent(method)

    # --- the HTTP side ----------------------------------------------------------------------
    def _message(self, user_id: int, language_code: str | None, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Test"},
            "from": self.user(user_id, language_code),
            **content,
        }

    def _push(self, update: dict[str, Any]) -> None:
        self._updates.append({"update_id": next(self._update_ids), **update})
        self._new_update.set()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params, files = await _params(request)
        if method.lower() == "getupdates":
            return web.json_response({"ok": True, "result": await self._get_updates(params)})
        self.calls.append(Call(method, params, files))
        self._new_call.set()
        return web.json_response({"ok": True, "result": self._result(method, params)})

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), float(params.get("timeout") or 0) or 0.1)
            except asyncio.TimeoutError:
                return []
        return list(self._updates)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        name = method.lower()
        if name == "getme":
            return {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
        if name in ("sendmessage", "senddocument", "editmessagetext"):
            chat_id = int(params["chat_id"])
            message: dict[str, Any] = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": BOT_USER,
            }
            if name == "senddocument":
                message["document"] = {"file_id": "d1", "file_unique_id": "du1", "file_name": "plan"}
            else:
                message["text"] = params.get("text", "")
            return message
        if name == "getwebhookinfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True


async def _params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    params: dict[str, Any] = dict(request.query)
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if part.filename:
                files[part.name] = await part.read()
            else:
                params[part.name] = await part.text()
    elif request.can_read_body:
        params.update(await request.post())
    for key in ("reply_markup",):
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params, files
