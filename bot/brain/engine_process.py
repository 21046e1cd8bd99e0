"""Rasa in a process of its own, behind the same Brain interface.

Why a process: Rasa's NLU, policies and tracker store are CPU-bound Python. In the bot's process they
held the GIL most of the time, so a button press that needs no engine still waited for it (button
p95 ~300 ms while 50 users typed) and the bot used one of the two cores. Here the engine has its own
interpreter; the bot's process only moves bytes, renders and talks to its database.

The parent sends `(request id, method, arguments)` down a pipe; the child runs each request as a
task on its loop (so many conversations are understood concurrently, as in-process) and sends back
`(request id, ok, value or error message)`. If the child dies, what was pending fails at once, the
death is logged once, and a new child is started straight away; requests that arrive meanwhile wait
for it (within their update's time budget).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import multiprocessing
import os
import signal
import threading
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bot.brain import BrainFailure, Understanding
from bot.brain.rasa_brain import BrainUnavailable, rasa_payload

log = logging.getLogger(__name__)

# Understanding a message is throughput work; a button press or a reply being sent is latency work.
# When the CPUs are busy, the kernel gives the bot's process the turn first.
NICENESS = 5
START_TIMEOUT = 300.0  # importing TensorFlow and loading the model takes 10–60 s on a slow machine
METHODS = frozenset({"respond", "understand", "forget", "purge"})


class EngineStopped(BrainFailure):
    """The engine's process ended while a request was pending, could not be started, or failed on one."""


@dataclass(frozen=True)
class EngineConfig:
    """What the child needs to load Rasa exactly as the bot would in-process."""

    model_path: Path
    tracker_store_url: str
    action_server_url: str
    redis_url: str | None = None
    log_level: str = "INFO"


class EngineProcess:
    """A Brain whose Rasa agent lives in a child process (spawned: no forked threads or sockets)."""

    def __init__(self, config: EngineConfig) -> None:
        self._config = config
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Future[Any]]] = {}
        self._guard = threading.Lock()  # pending, the connection, and sending
        self._starting = threading.Lock()  # one restart at a time, however many callers find it down
        self._connection: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self._closing = False

    @classmethod
    async def load(cls, config: EngineConfig) -> EngineProcess:
        """Start the child and wait until its model is loaded (a load error is raised here, as in-process)."""
        engine = cls(config)
        await asyncio.to_thread(engine._start)
        return engine

    @property
    def pid(self) -> int | None:
        """The engine's process id while it runs (for measurements and tests)."""
        process = self._process
        return process.pid if process is not None and self._connection is not None else None

    # --- the Brain interface ----------------------------------------------------------------------

    async def respond(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        return await self._call("respond", conversation_id, text, metadata)

    async def understand(self, text: str) -> Understanding:
        return await self._call("understand", text)

    async def forget(self, conversation_id: str) -> int:
        return await self._call("forget", conversation_id)

    async def purge(self, older_than: datetime) -> int:
        return await self._call("purge", older_than)

    def payload(self, intent: str, entities: dict[str, Any] | None = None) -> str:
        return rasa_payload(intent, entities)

    def close(self) -> None:
        """Stop the child: closing the pipe ends its loop; it is killed if it does not go in 5 s."""
        self._closing = True
        with self._guard:
            connection, process = self._connection, self._process
            self._connection = None
        if connection is not None:
            connection.close()
        if process is not None:
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join(5)

    # --- requests ---------------------------------------------------------------------------------

    async def _call(self, method: str, *args: Any) -> Any:
        if self._connection is None and not self._closing:
            await asyncio.to_thread(self._restart)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        request = next(self._ids)
        with self._guard:
            if self._connection is None:
                raise EngineStopped("the engine's process is not running")
            self._pending[request] = (loop, future)
            try:
                self._connection.send((request, method, args))
            except (OSError, ValueError) as error:
                self._pending.pop(request, None)
                raise EngineStopped(f"the engine's process did not take the request ({error})") from None
        try:
            return await future
        finally:
            with self._guard:
                self._pending.pop(request, None)

    def _start(self) -> None:
        """Spawn the child and block until it says it is ready (or why it is not)."""
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=serve, args=(theirs, self._config), name="rasa-engine", daemon=True)
        process.start()
        theirs.close()
        if not ours.poll(START_TIMEOUT):
            process.kill()
            raise EngineStopped(f"the engine's process did not load the model within {START_TIMEOUT:.0f} s")
        try:
            kind, detail = ours.recv()
        except EOFError:
            process.join(1)
            raise EngineStopped(f"the engine's process ended while loading (exit code {process.exitcode})") from None
        if kind != "ready":
            process.join(5)
            raise BrainUnavailable(detail)
        with self._guard:
            self._connection, self._process = ours, process
        threading.Thread(target=self._read, args=(ours, process), name="rasa-engine-replies", daemon=True).start()

    def _restart(self) -> None:
        with self._starting:
            if self._connection is not None or self._closing:
                return  # brought back meanwhile (a caller waited on this lock while it was), or shutting down
            self._start()

    def _read(self, connection: Connection, process: multiprocessing.process.BaseProcess) -> None:
        """Hand each answer to the loop that asked; when the child ends, fail whatever is still pending
        and start a new one (from this thread: no user's message carries the restart)."""
        while True:
            try:
                request, ok, value = connection.recv()
            except (EOFError, OSError):
                break
            self._settle(request, ok, value)
        with self._guard:
            if self._connection is connection:
                self._connection = None
            pending, self._pending = self._pending, {}
        if self._closing:
            return
        process.join(1)
        log.error(
            "The engine's process ended (exit code %s); %d pending requests failed; starting it again", process.exitcode, len(pending)
        )
        for loop, future in pending.values():
            _hand_over(loop, _fail, future, EngineStopped("the engine's process ended"))
        try:
            self._restart()
        except (EngineStopped, BrainUnavailable) as error:
            log.error("The engine's process did not start again (%s); the next message tries again", error)

    def _settle(self, request: int, ok: bool, value: Any) -> None:
        with self._guard:
            waiting = self._pending.get(request)
        if waiting is None:
            return  # its caller gave up (time budget) and went
        loop, future = waiting
        if ok:
            _hand_over(loop, _succeed, future, value)
        else:
            _hand_over(loop, _fail, future, EngineStopped(value))


def _hand_over(loop: asyncio.AbstractEventLoop, settle: Any, future: asyncio.Future[Any], outcome: Any) -> None:
    """Settle `future` on its own loop; a loop already closed (shut down meanwhile) has no one waiting."""
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(settle, future, outcome)


def _succeed(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)


def _fail(future: asyncio.Future[Any], error: Exception) -> None:
    if not future.done():
        future.set_exception(error)


# --- the child --------------------------------------------------------------------------------------


def serve(connection: Connection, config: EngineConfig) -> None:
    """The child's entry point: load the engine, say so, then answer requests until the pipe closes.

    Ctrl-C in a terminal reaches the whole process group: the child leaves stopping to the parent,
    which closes the pipe (or dies, which closes it too)."""
    from bot.logs import configure_logging

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(NICENESS)
    configure_logging(config.log_level)
    asyncio.run(_serve(connection, config))


async def _serve(connection: Connection, config: EngineConfig) -> None:
    from bot.brain.rasa_brain import RasaBrain

    try:
        brain = await RasaBrain.load(config.model_path, config.tracker_store_url, config.action_server_url, config.redis_url)
    except BrainUnavailable as error:
        connection.send(("failed", str(error)))
        return
    connection.send(("ready", None))
    loop = asyncio.get_running_loop()
    tasks: set[asyncio.Task[None]] = set()
    while True:
        try:
            request = await loop.run_in_executor(None, connection.recv)
        except (EOFError, OSError):
            break  # the parent closed the pipe or died: nothing left to answer
        task = asyncio.create_task(_answer(brain, connection, request))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    brain.close()


async def _answer(brain: Any, connection: Connection, request: tuple[int, str, tuple[Any, ...]]) -> None:
    number, method, args = request
    try:
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}")
        value = await getattr(brain, method)(*args)
        reply = (number, True, value)
    except Exception as error:  # the parent's caller gets it as EngineStopped; the type is logged here
        log.error("The engine failed on a %s request (%s)", method, type(error).__name__, exc_info=log.isEnabledFor(logging.DEBUG))
        reply = (number, False, f"{type(error).__name__} in the engine")
    with contextlib.suppress(OSError, ValueError):  # the parent went away
        connection.send(reply)
