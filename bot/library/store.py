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
from bot.library.retrieval import ArticleRetriever
from bot.library.search import SearchIndex
from bot.understanding.encoder import Encoder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadResult:
    changed: bool
    ok: bool
    seconds: float
    message: str = ""


class LibraryStore:
    """Holds the current library, its search index and retriever; `refresh()` picks up edited files.

    With an encoder, articles are matched by meaning as well as words (bot.library.retrieval); the
    encoder's cache means a reload embeds only the texts that changed. With `matching=False` there is
    no retriever at all: the bot's own process only browses, renders and keyword-searches the library
    (questions are matched in the action server), so it does not hold a second matcher in memory.
    """

    def __init__(
        self,
        locales_dir: Path,
        languages: list[str],
        min_interval: float = 1.0,
        encoder: Encoder | None = None,
        examples_dir: Path | None = None,
        matching: bool = True,
    ) -> None:
        self._locales_dir = locales_dir
        self._matching = matching
        self._languages = languages
        self._min_interval = min_interval
        self._encoder = encoder
        self._examples_dir = examples_dir
        self._lock = threading.Lock()
        self._generation = 0
        self._checked_at = 0.0
        self._stamp = self._file_stamp()
        library, self.warnings = load_library(locales_dir, languages)  # start-up: errors are fatal
        self._library, self._index, self._retriever = library, *self._build(library)
        self.last_error: str | None = None

    @property
    def library(self) -> Library:
        return self._library

    @property
    def index(self) -> SearchIndex:
        return self._index

    @property
    def retriever(self) -> ArticleRetriever:
        if self._retriever is None:
            raise RuntimeError("This library was loaded for browsing only (matching=False): it has no retriever")
        return self._retriever

    def _build(self, library: Library) -> tuple[SearchIndex, ArticleRetriever | None]:
        index = SearchIndex(library)
        if not self._matching:
            return index, None
        return index, ArticleRetriever(library, index, self._encoder, read_examples(self._examples_dir))

    def _retrain(self, library: Library, index: SearchIndex) -> None:
        """Rebuild the retriever for edited content. With the encoder this takes seconds (new texts are
        embedded, the classifier refitted from the previous one), so it runs in a thread and the old
        retriever keeps ranking meanwhile: the edited text itself is served at once."""
        if not self._matching:
            return
        self._generation += 1
        generation, previous = self._generation, self._retriever

        def rebuild() -> None:
            try:
                retriever = ArticleRetriever(library, index, self._encoder, read_examples(self._examples_dir), previous=previous)
            except Exception:
                log.exception("Rebuilding the article matcher failed; the previous one stays")
                return
            if generation == self._generation:
                self._retriever = retriever
                log.info("Article matcher rebuilt for the edited library")

        if self._encoder is None:
            rebuild()
        else:
            threading.Thread(target=rebuild, name="retriever-rebuild", daemon=True).start()

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
            index = SearchIndex(library)
            self._library, self._index, self.warnings = library, index, warnings
            self._retrain(library, index)
            self.last_error = None
            seconds = time.perf_counter() - started
            log.info("Library reloaded: %d articles in %.3f s", len(library.articles), seconds)
            return ReloadResult(changed=True, ok=True, seconds=seconds, message=_summary(warnings))

    def _file_stamp(self) -> tuple[tuple[str, int, int], ...]:
        stamp = []
        for path in [*library_files(self._locales_dir), *example_files(self._examples_dir)]:
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            stamp.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(stamp)


def example_files(folder: Path | None) -> list[Path]:
    return sorted(folder.glob("*.tsv")) if folder is not None else []


def read_examples(folder: Path | None) -> dict[str, list[str]]:
    """Extra ways users ask for each article: `data/articles/<language>.tsv`, lines `article-id<TAB>question`.

    Training data for article matching, kept apart from the articles so they stay phone-sized (and
    out of Rasa's way: it reads only the YAML under data/). A malformed line is logged and skipped.
    """
    examples: dict[str, list[str]] = {}
    for path in example_files(folder):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            log.warning("Skipping %s: %s", path, error)
            continue
        for number, line in enumerate(lines, start=1):
            article_id, tab, text = line.partition("\t")
            if not line.strip() or line.startswith("#") or (number == 1 and article_id == "article"):
                continue
            if not tab or not text.strip():
                log.warning("%s:%d: expected article-id<TAB>question; line skipped", path, number)
                continue
            examples.setdefault(article_id.strip(), []).append(text.strip())
    return examples


def _summary(warnings: list[Finding]) -> str:
    return f"{len(warnings)} warning(s)" if warnings else ""


async def watch(store: LibraryStore, every: float = 1.0) -> None:
    """Pick up edited library files while the bot runs (well within the 5 s promised to staff).

    The check and any reload run in a thread: re-embedding and refitting must not stall the chat."""
    while True:
        await asyncio.sleep(every)
        await asyncio.to_thread(store.refresh)
