"""The embedding cache: library texts are embedded once across restarts; users' messages never stored."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.understanding.encoder import DIMENSIONS, CachedEncoder, load_encoder


class CountingEncoder:
    model_id = "fake-1"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str], remember: bool = True) -> np.ndarray:
        self.seen.extend(texts)
        return np.stack([np.full(DIMENSIONS, float(len(text)), dtype=np.float32) for text in texts])


def test_texts_are_embedded_once_even_across_restarts(tmp_path: Path) -> None:
    inner = CountingEncoder()
    first = CachedEncoder(inner, tmp_path / "cache.sqlite")
    vectors = first.encode(["verify a photo", "report a page", "verify a photo"])
    assert vectors.shape == (3, DIMENSIONS) and inner.seen == ["verify a photo", "report a page"]
    again = CachedEncoder(inner, tmp_path / "cache.sqlite")  # a restart reads the file
    assert np.array_equal(again.encode(["report a page"])[0], vectors[1])
    assert inner.seen == ["verify a photo", "report a page"]


def test_users_messages_are_never_written_to_the_cache(tmp_path: Path) -> None:
    cached = CachedEncoder(CountingEncoder(), tmp_path / "cache.sqlite")
    cached.encode(["a private question from a user"], remember=False)
    with sqlite3.connect(tmp_path / "cache.sqlite") as db:
        assert db.execute("select count(*) from vectors").fetchone()[0] == 0


def test_an_unusable_cache_file_only_costs_speed(tmp_path: Path) -> None:
    broken = tmp_path / "cache.sqlite"
    broken.write_bytes(b"not a database")
    assert CachedEncoder(CountingEncoder(), broken).encode(["x"]).shape == (1, DIMENSIONS)


def test_the_real_encoder_puts_languages_of_one_meaning_together(tmp_path: Path) -> None:
    encoder = load_encoder(tmp_path / "cache.sqlite")
    assert encoder is not None
    english, bengali, thai, unrelated = encoder.encode(
        ["our facebook page was hacked", "আমাদের ফেসবুক পেজ হ্যাক হয়েছে", "เพจเฟซบุ๊กของเราโดนแฮก", "a recipe for mango chutney"]
    )
    assert english @ bengali > english @ unrelated and english @ thai > english @ unrelated
    assert abs(float(np.linalg.norm(english)) - 1.0) < 1e-3


def test_vectors_are_read_from_the_file_when_asked_for_not_held(tmp_path: Path) -> None:
    """Three processes open the cache; none holds all of it in memory."""
    inner = CountingEncoder()
    CachedEncoder(inner, tmp_path / "cache.sqlite").encode([f"text {n}" for n in range(1200)])  # more keys than one query takes
    again = CachedEncoder(inner, tmp_path / "cache.sqlite")
    assert again._memory == {}
    vectors = again.encode(["text 7", "text 1199", "something new"])
    assert vectors[0][0] == len("text 7") and vectors[1][0] == len("text 1199")
    assert inner.seen[1200:] == ["something new"] and again._memory == {}


def test_without_a_usable_file_vectors_stay_in_memory(tmp_path: Path) -> None:
    broken = tmp_path / "cache.sqlite"
    broken.write_bytes(b"not a database")
    inner = CountingEncoder()
    cached = CachedEncoder(inner, broken)
    cached.encode(["verify a photo"])
    cached.encode(["verify a photo"])
    assert inner.seen == ["verify a photo"]
