from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from bot.library.answering import best_article, suggestions
from bot.library.search import ngrams, normalise
from bot.library.store import LibraryStore


def test_normalise_drops_markup_and_punctuation() -> None:
    assert normalise("<b>Fake</b> NEWS?!") == "fake news"


def test_thai_without_spaces_still_gives_ngrams() -> None:
    assert len(ngrams("ตรวจสอบข่าวปลอมยังไง")) > 10


@pytest.mark.parametrize(
    ("question", "section", "expected"),
    [
        ("how do I check if a photo is fake", "misinformation", "mi-verify"),
        ("someone hacked our page, how to turn on two factor", "managing", "mg-security"),
        ("which platform should our ngo start with", "getting_started", "gs-platform"),
        ("what metrics should we track", "impact", "im-metrics"),
    ],
)
def test_best_article_within_the_section(library_store: LibraryStore, question: str, section: str, expected: str) -> None:
    assert best_article(library_store.index, question, section) == expected


def test_search_finds_in_other_languages(library_store: LibraryStore) -> None:
    hits = library_store.index.search("ตรวจสอบข่าวปลอมยังไง", limit=3)  # Thai, no spaces: how to check fake news
    assert hits and hits[0].section == "misinformation"


def test_nonsense_gets_no_suggestions(library_store: LibraryStore) -> None:
    assert suggestions(library_store.index, "qqqq zzzz") == []


def copy_locales(root: Path, tmp_path: Path) -> Path:
    target = tmp_path / "locales"
    shutil.copytree(root / "locales", target)
    return target


def test_edit_is_served_without_restart_and_broken_edit_is_refused(root: Path, tmp_path: Path) -> None:
    locales_dir = copy_locales(root, tmp_path)
    store = LibraryStore(locales_dir, ["en"], min_interval=0.0)
    path = locales_dir / "en" / "library" / "getting_started.yml"
    original = path.read_text(encoding="utf-8")
    old_title = store.library.article("gs-platform").texts["en"].title

    time.sleep(0.01)
    path.write_text(original.replace(old_title, "Pick the platform your audience uses", 1), encoding="utf-8")
    result = store.refresh()
    assert result.changed and result.ok and result.seconds < 5
    assert store.library.article("gs-platform").texts["en"].title == "Pick the platform your audience uses"

    path.write_text(original.replace("related: [", "related: [no-such-article, ", 1), encoding="utf-8")
    result = store.refresh()
    assert result.changed and not result.ok
    assert "no-such-article" in result.message and "getting_started.yml:" in result.message
    assert store.library.article("gs-platform").texts["en"].title == "Pick the platform your audience uses"
    assert store.last_error


def test_unchanged_files_are_not_reloaded(library_store: LibraryStore) -> None:
    assert library_store.refresh().changed is False
