"""The live library: serves the last good content and swaps in edits that pass the check."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bot.library.loader import ContentError, Finding, library_files, load_library
from bot.library.model import Library
from bot.library.search import SearchIndex

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadResult:
    changed: bool
    ok: bool
    seconds: float
    message: str = ""


class LibraryStore:
    """Holds the current library and its search index; `refresh()` picks up edited files."""

    def __init__(self, locales_dir: Path, languages: list[str], min_interval: float = 1.0) -> None:
        self._locales_dir = locales_dir
        self._languages = languages
        self._min_interval = min_interval
        self._lock = threading.Lock()
        self._checked_at = 0.0
        self._stamp = self._file_stamp()
        library, self.warnings = load_library(locales_dir, languages)  # start-up: errors are fatal
        self._library, self._index = library, SearchIndex(library)
        self.last_error: str | None = None

    @property
    def library(self) -> Library:
        return self._library

    @property
    def index(self) -> SearchIndex:
        return self._index

    def refresh(self, force: bool = False) -> ReloadResult:
        """Reload when a library file changed; a broken edit is refused and the old content stays."""
        now = time.monotonic()
        if not force and now - self._checked_at < self._min_interval:
            return ReloadResult(changed=False, ok=True, seconds=0.0)
        with self._lock:
            self._checked_at = now
            stamp = self._file_stamp()
            if not force and stamp == self._stamp:
                return ReloadResult(changed=False, ok=True, seconds=0.0)
            started = time.perf_counter()
            self._stamp = stamp
            try:
                library, warnings = load_library(self._locales_dir, self._languages)
            except ContentError as error:
                self.last_error = str(error)
                log.error("Library edit refused; still serving the previous content:\n%s", error)
                return ReloadResult(changed=True, ok=False, seconds=time.perf_counter() - started, message=str(error))
            self._library, self._index, self.warnings = library, SearchIndex(library), warnings
            self.last_error = None
            seconds = time.perf_counter() - started
            log.info("Library reloaded: %d articles in %.3f s", len(library.articles), seconds)
            return ReloadResult(changed=True, ok=True, seconds=seconds, message=_summary(warnings))

    def _file_stamp(self) -> tuple[tuple[str, int, int], ...]:
        stamp = []
        for path in library_files(self._locales_dir):
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            stamp.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(stamp)


def _summary(warnings: list[Finding]) -> str:
    return f"{len(warnings)} warning(s)" if warnings else ""


async def watch(store: LibraryStore, every: float = 1.0) -> None:
    """Pick up edited library files while the bot runs (well within the 5 s promised to staff)."""
    while True:
        await asyncio.sleep(every)
        store.refresh()
