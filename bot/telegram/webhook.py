"""The webhook receiver: checks every request before an update reaches the application.

PTB's built-in webhook server answers 500 to a body it cannot parse; Telegram then re-sends it for
hours. Here (the shape of PTB's "custom webhook" example): 403 without the secret token, 413 for a
body over the size limit, 400 for anything that is not a valid update, 200 once the update is
queued. GET /healthcheck answers 200 for load balancers and monitors.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.telegram.coordination import Coordination, LocalCoordination

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # bytes; a real update is a few kilobytes
PATH = "/telegram"


def read_update(body: bytes) -> dict[str, Any] | None:
    """The update in `body`, or None when it is not UTF-8 JSON for an object with an integer update_id."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool) or update_id < 0:
        return None
    return data


class WebhookReceiver:
    """An aiohttp site that validates webhook requests and queues the updates for `application`."""

    def __init__(self, application: Application, secret: str, listen: str, port: int, coordination: Coordination | None = None) -> None:
        self.application = application
        self.coordination = coordination or LocalCoordination()
        self.secret = secret.encode("utf-8")
        self.listen, self.port = listen, port
        self._runner: web.AppRunner | None = None

    def web_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(PATH, self.receive)
        app.router.add_get("/healthcheck", self.healthcheck)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def receive(self, request: web.Request) -> web.Response:
        """One update from Telegram: secret, size and shape checked, then queued."""
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8")
        if not hmac.compare_digest(given, self.secret):
            return web.Response(status=403, text="forbidden")
        if (request.content_length or 0) > MAX_BODY:
            return web.Response(status=413, text="too large")
        body = await request.content.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            return web.Response(status=413, text="too large")
        data = read_update(body)
        if data is None:
            log.warning("Webhook: refused a request that is not a valid update (%d bytes)", len(body))
            return web.Response(status=400, text="not an update")
        try:
            update = Update.de_json(data, self.application.bot)
        except Exception as error:  # a well-formed update_id around fields PTB cannot read
            log.warning("Webhook: refused update %s (%s)", data["update_id"], type(error).__name__)
            return web.Response(status=400, text="not an update")
        chat_id = chat_of(update)
        if chat_id is not None:
            await self.coordination.arrived(chat_id, update.update_id)  # before the 200: Telegram's next update waits
        await self.application.update_queue.put(update)
        return web.Response(text="ok")

    async def healthcheck(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")


def chat_of(update: Update) -> int | None:
    """The chat whose turn an update takes: the chat, or the user where there is no chat."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None
