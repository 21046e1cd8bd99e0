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

REPLY_METHODS = ("sendMessage", "sendDocument", "editMessageText", "copyMessage")
BOT_USER = {"id": 999, "is_bot": True, "first_name": "Resiliency Guide", "username": "resiliency_test_bot"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None and str(value).lstrip("-").isdigit() else None


@dataclass(frozen=True)
class Fault:
    status: int
    retry_after: int | None = None
    delay: float = 0.0

    def response(self) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": f"Injected error {self.status}"}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
            body["description"] = f"Too Many Requests: retry after {self.retry_after}"
        return web.json_response(body, status=self.status)


class BotApiDouble:
    def __init__(self, token: str = "123:TEST") -> None:
        self.token = token
        self.calls: list[Call] = []
        self.failed: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._new_update = asyncio.Event()
        self._new_call = asyncio.Event()
        self._chat_waiters: dict[int, asyncio.Event] = {}
        self.queued: dict[int, float] = {}  # update_id -> when the user sent it (monotonic)
        self.delivered: dict[int, float] = {}  # update_id -> when getUpdates first handed it to the bot
        self._faults: dict[str, list[Fault]] = {}
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

    def send_text(self, text: str, user_id: int = 42, language_code: str | None = "en") -> int:
        update = self.text_update(text, user_id, language_code)
        self.queue(update)
        return update["update_id"]

    def text_update(self, text: str, user_id: int = 42, language_code: str | None = "en") -> dict[str, Any]:
        """A new update with a typed message, not queued (for posting to a webhook)."""
        entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else None
        message = self._message(user_id, language_code, text=text)
        if entities:
            message["entities"] = entities
        return {"update_id": next(self._update_ids), "message": message}

    def send_photo(self, user_id: int = 42, caption: str | None = None) -> None:
        photo = [{"file_id": "p1", "file_unique_id": "pu1", "width": 90, "height": 90}]
        content: dict[str, Any] = {"photo": photo, **({"caption": caption} if caption else {})}
        self._push({"message": self._message(user_id, "en", **content)})

    def staff_writes(self, text: str, chat_id: int, topic_id: int, staff_id: int = 77, first_name: str = "Rina") -> None:
        """A staff member writes in a forum topic of the staff supergroup."""
        staff = {"id": staff_id, "is_bot": False, "first_name": first_name}
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "supergroup", "title": "Staff", "is_forum": True},
            "from": staff,
            "message_thread_id": topic_id,
            "is_topic_message": True,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
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
        update = self.press_update(data, user_id, language_code)
        self.queue(update)
        return update["callback_query"]["id"]

    def press_update(self, data: str, user_id: int = 42, language_code: str | None = "en") -> dict[str, Any]:
        """A new update with a pressed button, not queued (for posting to a webhook)."""
        update_id = next(self._update_ids)
        message = {"message_id": 1, "date": int(time.time()), "chat": {"id": user_id, "type": "private"}, "from": BOT_USER, "text": "…"}
        query = {"id": f"q{update_id}", "from": self.user(user_id, language_code), "chat_instance": "ci", "data": data, "message": message}
        return {"update_id": update_id, "callback_query": query}

    def deliver_again(self) -> None:
        """Telegram's retry: the last update once more, with the same update_id."""
        self.queue(dict(self._updates[-1]))

    # --- what goes wrong --------------------------------------------------------------------
    def fail_next(self, method: str, status: int, times: int = 1, retry_after: int | None = None, delay: float = 0.0) -> None:
        """The next `times` calls of `method` get `status` (429 with retry_after, 500, 502...) after `delay` s;
        status 200 with a delay is a slow success. Failed calls are recorded in `failed`, not `calls`."""
        self._faults.setdefault(method.lower(), []).extend([Fault(status, retry_after, delay)] * times)

    # --- what the bot did -------------------------------------------------------------------
    def sent(self, method: str = "sendMessage") -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def replies_to(self, chat_id: int) -> list[Call]:
        """Messages the bot sent or edited in one chat."""
        return [c for c in self.calls if c.method in REPLY_METHODS and c.chat_id == chat_id]

    async def wait_for_replies(self, chat_id: int, count: int, timeout: float = 60.0) -> list[Call]:
        """Wait until the bot has sent `count` messages to `chat_id` in all."""
        deadline = time.monotonic() + timeout
        while len(self.replies_to(chat_id)) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"chat {chat_id}: expected {count} replies, got {len(self.replies_to(chat_id))}")
            waiter = self._chat_waiters.setdefault(chat_id, asyncio.Event())
            waiter.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(waiter.wait(), remaining)
        return self.replies_to(chat_id)

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
        self.queue({"update_id": next(self._update_ids), **update})

    def queue(self, update: dict[str, Any]) -> None:
        """Hand an update (built by text_update or press_update) to the bot's next getUpdates."""
        self.queued.setdefault(update["update_id"], time.monotonic())
        self._updates.append(update)
        self._new_update.set()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params, files = await _params(request)
        if method.lower() == "getupdates":
            return web.json_response({"ok": True, "result": await self._get_updates(params)})
        faults = self._faults.get(method.lower())
        if faults:
            fault = faults.pop(0)
            await asyncio.sleep(fault.delay)
            if fault.status != 200:
                self.failed.append(Call(method, params, files))
                return fault.response()
        call = Call(method, params, files)
        self.calls.append(call)
        self._new_call.set()
        if call.chat_id in self._chat_waiters:
            self._chat_waiters[call.chat_id].set()
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
        now = time.monotonic()
        for update in self._updates:
            self.delivered.setdefault(update["update_id"], now)
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
        if name == "createforumtopic":
            return {"message_thread_id": next(self._message_ids), "name": params.get("name", ""), "icon_color": 7322096}
        if name == "copymessage":
            return {"message_id": next(self._message_ids)}
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
