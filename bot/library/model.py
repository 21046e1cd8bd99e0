"""The resource library's data: sections and articles, each with its text in several languages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SECTIONS = ("urgent", "getting_started", "content", "managing", "impact", "misinformation", "case_studies")
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class ArticleText:
    """The parts of an article that are written in one language."""

    title: str
    answer: str
    steps: tuple[str, ...] = ()
    more: str = ""
    tags: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """One answer. Language-independent fields come from the English file."""

    id: str
    section: str
    texts: dict[str, ArticleText]
    related: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    reviewed: date | None = None
    country: str | None = None
    basis: str | None = None  # case studies: composite | documented

    def text(self, lang: str) -> tuple[ArticleText, bool]:
        """The text in `lang`, or English with `True` to say it fell back."""
        if lang in self.texts:
            return self.texts[lang], False
        return self.texts[FALLBACK_LANGUAGE], True


@dataclass(frozen=True)
class Section:
    id: str
    titles: dict[str, str]
    article_ids: tuple[str, ...]

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles.get(FALLBACK_LANGUAGE, self.id)


@dataclass(frozen=True)
class Library:
    """All sections and articles; immutable, replaced whole on reload."""

    sections: dict[str, Section] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)

    def article(self, article_id: str) -> Article | None:
        return self.articles.get(article_id)

    def section_articles(self, section_id: str) -> list[Article]:
        section = self.sections.get(section_id)
        return [self.articles[a] for a in section.article_ids] if section else []

    def count(self, section_id: str, lang: str) -> int:
        return sum(1 for article in self.section_articles(section_id) if lang in article.texts)
