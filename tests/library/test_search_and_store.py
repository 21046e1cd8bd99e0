from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from bot.library.answering import answer_question
from bot.library.decision import NOT_COVERED
from bot.library.search import ngrams, normalise
from bot.library.store import LibraryStore


def test_normalise_drops_markup_and_punctuation() -> None:
    assert normalise("<b>Fake</b> NEWS?!") == "fake news"


def test_thai_without_spaces_still_gives_ngrams() -> None:
    assert len(ngrams("ตรวจสอบข่าวปลอมยังไง")) > 10


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how do I check if a photo is fake", "mi-verify"),
        ("which platform should our ngo start with", "gs-platform"),
        ("what metrics should we track", "im-metrics"),
        ("হোয়াটসঅ্যাপ গ্রুপে গুজব ছড়াচ্ছে কী করি", "mi-whatsapp"),  # Bengali: rumours spreading in WhatsApp groups
        ("hamare page pe gande comments aa rahe hain", "mg-hateful-comments"),  # romanized Urdu: abusive comments on our page
    ],
)
def test_meaning_finds_the_article_in_any_language(semantic_store: LibraryStore, question: str, expected: str) -> None:
    assert semantic_store.retriever.rank(question, limit=3)[0].article_id == expected


def test_search_finds_in_other_languages(library_store: LibraryStore) -> None:
    hits = library_store.index.search("ตรวจสอบข่าวปลอมยังไง", limit=3)  # Thai, no spaces: how to check fake news
    assert hits and hits[0].section == "misinformation"


@pytest.mark.parametrize("question", ["qqqq zzzz", "how do I get the blue verified tick for my personal instagram"])
def test_what_the_library_lacks_is_not_covered(semantic_store: LibraryStore, question: str) -> None:
    assert answer_question(semantic_store.retriever, question).kind == NOT_COVERED


def test_a_question_nearest_a_topic_the_library_lacks_leads_towards_a_gap(root: Path, semantic_store: LibraryStore) -> None:
    """`gap_lead` > 0: the nearest unit in meaning is a question on a topic the library lacks."""
    from bot.library.store import read_examples

    gaps = read_examples(root / "data" / "articles")["none"]
    retriever = semantic_store.retriever
    assert retriever.assess(gaps[0]).gap_lead > 0
    title = semantic_store.library.articles["mi-verify"].texts["en"].title
    assert retriever.assess(title).gap_lead < 0
    assert retriever.assess("   ").gap_lead == -1.0  # nothing typed, nothing to compare


def test_without_the_encoder_words_still_rank_articles(library_store: LibraryStore) -> None:
    assert not library_store.retriever.semantic
    assert library_store.retriever.rank("reverse image search for a fake photo", limit=3)[0].section == "misinformation"
    assert answer_question(library_store.retriever, "qqqq zzzz").kind == NOT_COVERED


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


def test_the_bot_process_browses_the_library_without_a_matcher(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot's own process renders articles, keyword-searches and reloads edits, but never loads the
    sentence encoder or builds a second matcher: typed questions are matched in the action server."""
    from bot import services
    from bot.settings import load_settings

    def refuse(config: object) -> None:
        raise AssertionError("the browsing library loaded the sentence encoder")

    monkeypatch.setattr(services, "encoder_for", refuse)
    locales_dir = copy_locales(root, tmp_path)
    config = load_settings(environ={"LOCALES_DIR": str(locales_dir)}, dotenv=tmp_path / "none.env")
    store = services.browsing_library_for(config)
    assert store.index.search("reverse image search for a fake photo", limit=3)[0].section == "misinformation"
    with pytest.raises(RuntimeError, match="browsing only"):
        store.retriever  # noqa: B018 - the property is what is tested

    path = locales_dir / "en" / "library" / "getting_started.yml"
    old_title = store.library.article("gs-platform").texts["en"].title
    path.write_text(path.read_text(encoding="utf-8").replace(old_title, "Pick where your audience is", 1), encoding="utf-8")
    result = store.refresh(force=True)
    assert result.changed and result.ok
    assert store.library.article("gs-platform").texts["en"].title == "Pick where your audience is"


def test_unchanged_files_are_not_reloaded(library_store: LibraryStore) -> None:
    assert library_store.refresh().changed is False


def test_the_same_library_built_again_reuses_its_fitted_classifier(semantic_store: LibraryStore) -> None:
    from bot.library.retrieval import ArticleRetriever, fit_key

    first = semantic_store.retriever
    again = ArticleRetriever(first.library, first._index, first._encoder, examples={"none": ["cricket score"]})
    assert again._classifier is not first._classifier  # other examples: fitted anew
    assert (
        ArticleRetriever(first.library, first._index, first._encoder, examples={"none": ["cricket score"]})._classifier is again._classifier
    )
    assert fit_key(["a"], ["x", "y"], [0, 1]) != fit_key(["a"], ["x", "y"], [0, 0]) != fit_key(["a"], ["x", "z"], [0, 0])
