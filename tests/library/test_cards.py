from __future__ import annotations

from bot.language.locales import Locales
from bot.library.cards import Cards
from bot.library.store import LibraryStore


def buttons(reply) -> list[str]:
    return [b.data for row in reply.buttons for b in row]


def test_article_card_has_more_related_feedback_and_back(locales: Locales, library_store: LibraryStore) -> None:
    cards = Cards(locales, library_store.library)
    article = library_store.library.article("mi-verify")
    reply = cards.article("en", "mi-verify")
    assert article.texts["en"].title in reply.text
    data = buttons(reply)
    assert "m:mi-verify" in data and "f:mi-verify:u" in data and "f:mi-verify:d" in data and data[-1] == "menu"
    assert [d for d in data if d.startswith("a:")] == [f"a:{r}" for r in article.related]


def test_missing_translation_falls_back_to_english_and_says_so(locales: Locales, library_store: LibraryStore) -> None:
    cards = Cards(locales, library_store.library)
    missing = [a for a in library_store.library.articles.values() if "ur" not in a.texts]
    if not missing:
        return  # every article is translated: nothing falls back
    reply = cards.article("ur", missing[0].id)
    assert locales.text("ur", "library.not_translated") in reply.text
    assert missing[0].texts["en"].title in reply.text


def test_case_study_says_it_is_a_composite(locales: Locales, library_store: LibraryStore) -> None:
    cards = Cards(locales, library_store.library)
    composite = next(a for a in library_store.library.section_articles("case_studies") if a.basis == "composite")
    assert locales.text("en", "library.composite") in cards.article("en", composite.id).text


def test_section_list_pages_long_lists(locales: Locales, library_store: LibraryStore) -> None:
    cards = Cards(locales, library_store.library)
    first = cards.section("en", "case_studies", 0)
    data = buttons(first)
    assert "s:case_studies:1" in data and data[-1] == "menu"
    second = buttons(cards.section("en", "case_studies", 1))
    assert "s:case_studies:0" in second
    assert not set(d for d in data if d.startswith("a:")) & set(d for d in second if d.startswith("a:"))


def test_every_callback_fits_telegrams_64_bytes(locales: Locales, library_store: LibraryStore) -> None:
    cards = Cards(locales, library_store.library)
    for lang in locales.codes:
        for article_id in library_store.library.articles:
            for reply in (cards.article(lang, article_id), cards.more(lang, article_id)):
                assert all(len(d.encode()) <= 64 for d in buttons(reply))
                assert len(reply.text) <= 4096


def test_unknown_article_offers_the_topics(locales: Locales, library_store: LibraryStore) -> None:
    reply = Cards(locales, library_store.library).article("th", "gone-article")
    assert "s:getting_started:0" in buttons(reply)
