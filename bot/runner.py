"""Start everything the bot needs, in order, and stop it all cleanly on Ctrl-C or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator

from bot import services
from bot.brain.engine_process import NICENESS, EngineConfig, EngineProcess
from bot.brain.training import model_path
from bot.conversation import Conversation, Services
from bot.settings import Settings
from bot.views import Operator, StaffSettings

log = logging.getLogger(__name__)
ACTION_SERVER_START_TIMEOUT = 90.0
ACTION_SERVER_WARM_UP_TIMEOUT = 900.0  # the first start embeds the whole library: minutes on a small server
PR_SET_PDEATHSIG = 1
PROGRESS_EVERY = 5.0  # seconds between "still loading" lines


class StartupError(Exception):
    """A step of start-up failed; the message says which and how to fix it."""


@contextlib.contextmanager
def action_server(settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    """Run Rasa's action server (our `actions` package) as a child process while the bot runs."""
    env = {
        **os.environ,
        "PYTHONPATH": str(settings.project_root),
        "DATABASE_URL": settings.database_url,  # the actions log questions to the same database
        "LOCALES_DIR": str(settings.locales_dir),  # ...and read the same library
        "LOG_LEVEL": settings.log_level,
        "SANIC_HOST": "127.0.0.1",  # only this machine may call the actions
        "PYTHONWARNINGS": os.environ.get("PYTHONWARNINGS", "ignore"),
    }
    _check_port_free(settings.action_server_port)
    command = [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(settings.action_server_port)]
    if settings.log_level in ("WARNING", "ERROR"):
        command.append("--quiet")
    process = subprocess.Popen(command, cwd=settings.project_root, env=env, start_new_session=True, preexec_fn=_as_background_child)
    try:
        _wait_healthy(process, f"http://127.0.0.1:{settings.action_server_port}/health")
        _warm_up(settings.action_server_url)
        yield process
    finally:
        _stop(process)


def _check_port_free(port: int) -> None:
    """The action server, given a taken port, says it is up, prints a traceback and exits 0: say it plainly first."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: a port in TIME_WAIT is free
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise StartupError(
                f"ACTION_SERVER_PORT {port} is already in use (another copy of the bot, or another program): "
                "stop it, or set ACTION_SERVER_PORT in .env to a free port"
            ) from None


def _as_background_child() -> None:
    """Linux: the action server gets SIGTERM if the bot dies, even by SIGKILL, so none is orphaned; and,
    like the engine, it runs at a lower priority: its work (the library's answers) is throughput, while
    the bot's own process (buttons, sending replies) is latency."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    with contextlib.suppress(OSError):
        os.nice(NICENESS)


def _wait_healthy(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + ACTION_SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StartupError(
                f"the action server exited with code {process.returncode}; if its port is taken, set ACTION_SERVER_PORT to a free one"
            )
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as response:
            if response.status == 200:
                return
        time.sleep(0.3)
    raise StartupError(f"the action server did not answer at {url} within {ACTION_SERVER_START_TIMEOUT:.0f} s")


WARM_UP_REQUEST = {
    "next_action": "action_warm_up",
    "sender_id": "warm-up",
    "tracker": {"sender_id": "warm-up", "slots": {}, "latest_message": {}, "events": [], "paused": False, "active_loop": {}},
    "domain": {},
    "version": "3.6",
}


def _warm_up(url: str) -> None:
    """Have the action server load the library now, before any user asks (it builds it on first use).
    A failure here is not fatal: the first question then loads it instead."""
    request = urllib.request.Request(url, json.dumps(WARM_UP_REQUEST).encode(), {"Content-Type": "application/json"})
    with progress("Loading the library for the actions", "Actions ready"):
        try:
            with urllib.request.urlopen(request, timeout=ACTION_SERVER_WARM_UP_TIMEOUT):
                pass
        except OSError as error:
            log.warning("The action server could not load the library ahead (%s); the first question will", error)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def progress(
    doing: str,
    done: str,
    every: float = PROGRESS_EVERY,
    say: Callable[[str], None] = log.info,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[None]:
    """Say that slow work started, that it is still going every `every` s, and how long it took, so
    a silent 20–40 s start does not look like a hang. The ticker is a thread, not a task: importing
    Rasa blocks the event loop, and must not silence it. Nothing is said after a failure but the error."""
    started = clock()
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(every):
            say(f"{doing}… {clock() - started:.0f} s")

    say(f"{doing}…")
    ticker = threading.Thread(target=tick, name="progress", daemon=True)
    ticker.start()
    try:
        yield
    finally:
        stop.set()
        ticker.join()
    say(f"{done} in {clock() - started:.0f} s")


def engine_config(settings: Settings) -> EngineConfig:
    return EngineConfig(
        model_path(settings.models_dir), settings.tracker_store_url, settings.action_server_url, settings.redis_url, settings.log_level
    )


async def build_conversation(settings: Settings) -> Conversation:
    """Load content, language detection, storage and the trained model into one Conversation."""
    users, questions = services.repositories_for(settings)
    with progress("Loading the language model", "Language model loaded"):
        brain = await EngineProcess.load(engine_config(settings))
    with progress("Loading the library", "Library loaded"):
        library = services.browsing_library_for(settings)
    return Conversation(
        Services(
            brain=brain,
            locales=services.locales_for(settings),
            library=library,
            users=users,
            questions=questions,
            detector=services.detector_for(settings),
            campaigns=services.campaigns_for(settings),
            personal=services.personal_data_for(settings),
            admin_ids=settings.admin_telegram_ids,
            operator=Operator(settings.operator_name, settings.contact, settings.retention_days),
            handoffs=services.handoffs_for(settings),
            stats=services.stats_for(settings),
            reminders=services.reminders_for(settings),
            staff=StaffSettings(settings.staff_hours, settings.staff_reply_minutes),
        )
    )


def run_console(settings: Settings) -> None:
    from bot.console import chat

    loop = asyncio.new_event_loop()
    conversation = None
    try:
        conversation = loop.run_until_complete(build_conversation(settings))
        chat(conversation, loop)
    finally:
        if conversation is not None:
            conversation.s.brain.close()
        loop.close()


def run_telegram(settings: Settings) -> None:
    from bot.telegram.app import TokenRejected, build_application, serve, verify_token

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(verify_token(settings))
    except TokenRejected as error:
        raise StartupError(str(error)) from None
    conversation = loop.run_until_complete(build_conversation(settings))
    serve(build_application(settings, conversation), settings, loop)
