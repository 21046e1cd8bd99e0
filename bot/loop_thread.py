"""An event loop in a thread of its own, so slow work never holds up the loop that talks to Telegram.

The Telegram front end's loop only moves bytes: the conversation (database, library, rendering) runs
on one of these, and Rasa's engine on another. A coroutine handed to `run` executes on this thread's
loop; the caller awaits it from its own loop, and cancelling the caller cancels the work too.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class LoopThread:
    """A daemon thread running its own asyncio loop until `stop`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    async def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on this thread's loop and await its result from the caller's loop."""
        if self.inside():
            return await coroutine
        return await asyncio.wrap_future(self.submit(coroutine))

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedule `coroutine` from any thread; the future can be waited on without a loop."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def inside(self) -> bool:
        return threading.current_thread() is self._thread

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the loop after the work it already has; idempotent."""
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self.loop.close()
