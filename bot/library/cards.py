"""Turn library content into replies: article cards, section lists, search results."""

from __future__ import annotations

import html
import math

from bot import callbacks
from bot.language.locales import Locales
from bot.library.model import SECTIONS, Article, Library
from bot.replies import Button, Reply, rows, short_label

PAGE_SIZE = 6


class Cards:
    """Renders library content in one language, always with a way back to the menu."""

    def __init__(self, locales: Locales, library: Library) -> None:
        self.locales = locales
        self.library = library

    def t(self, lang: str, key: str, **params: object) -> str:
        return self.locales.text(lang, key, **params)

    def back(self, lang: str) -> Button:
        return Button(self.t(lang, "menu.back"), callbacks.menu())

    def topics(self, lang: str) -> Reply:
        buttons = [
            Button(self.t(lang, f"menu.{section}"), callbacks.section(section)) for section in SECTIONS if section in self.library.sections
        ]
        return Reply(self.t(lang, "library.topics"), rows(buttons, 2))

    def section(self, lang: str, section_id: str, page: int = 0) -> Reply:
        section = self.library.sections.get(section_id)
        if section is None:
            return self.topics(lang)
        articles = self.library.section_articles(section_id)
        pages = max(1, math.ceil(len(articles) / PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        shown = articles[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        buttons = [(Button(short_label(article.text(lang)[0].title), callbacks.article(article.id)),) for article in shown]
        paging = []
        if page > 0:
            paging.append(Button(self.t(lang, "library.previous"), callbacks.section(section_id, page - 1)))
        if page < pages - 1:
            paging.append(Button(self.t(lang, "library.next"), callbacks.section(section_id, page + 1)))
        text = self.t(lang, "library.section", title=html.escape(section.title(lang)))
        if pages > 1:
            text += "\n" + self.t(lang, "library.page", page=page + 1, pages=pages)
        return Reply(text, (*buttons, *((tuple(paging),) if paging else ()), (self.back(lang),)))

    def article(self, lang: str, article_id: str, also: tuple[str, ...] = ()) -> Reply:
        """One article; `also` are close runners-up, offered first among the buttons ("or did you mean")."""
        article = self.library.article(article_id)
        if article is None:
            return Reply(self.t(lang, "library.unknown_article"), self.topics(lang).buttons)
        text, fell_back = article.text(lang)
        parts = []
        if fell_back:
            parts.append(self.t(lang, "library.not_translated"))
        parts.append(f"<b>{html.escape(text.title)}</b>")
        if article.basis:
            parts.append(self.t(lang, f"library.{article.basis}"))
        parts.append(text.answer)
        if text.steps:
            parts.append(self.t(lang, "library.steps") + "\n" + "\n".join(f"{i}. {step}" for i, step in enumerate(text.steps, 1)))
        if article.sources:
            links = " · ".join(f'<a href="{html.escape(s.url)}">{html.escape(s.title)}</a>' for s in article.sources)
            parts.append(f"{self.t(lang, 'library.sources')}: {links}")
        return Reply("\n\n".join(parts), self._article_buttons(lang, article, also=also))

    def more(self, lang: str, article_id: str) -> Reply:
        article = self.library.article(article_id)
        if article is None:
            return Reply(self.t(lang, "library.unknown_article"), self.topics(lang).buttons)
        text, fell_back = article.text(lang)
        body = text.more or self.t(lang, "library.no_more")
        note = self.t(lang, "library.not_translated") + "\n\n" if fell_back else ""
        footer = ""
        if article.reviewed:
            footer = "\n\n<i>" + self.t(lang, "library.reviewed", date=article.reviewed.isoformat()) + "</i>"
        return Reply(f"{note}<b>{html.escape(text.title)}</b>\n\n{body}{footer}", self._article_buttons(lang, article, with_more=False))

    def suggestions(self, lang: str, article_ids: list[str], key: str = "library.did_you_mean") -> Reply:
        buttons = [
            (Button(short_label(self.library.articles[a].text(lang)[0].title), callbacks.article(a)),)
            for a in article_ids
            if a in self.library.articles
        ]
        return Reply(self.t(lang, key), (*buttons, (self.back(lang),)))

    def _article_buttons(
        self, lang: str, article: Article, with_more: bool = True, also: tuple[str, ...] = ()
    ) -> tuple[tuple[Button, ...], ...]:
        def link(key: str, other: str) -> tuple[Button, ...]:
            title = short_label(self.library.articles[other].text(lang)[0].title, 40)
            return (Button(self.t(lang, key, title=title), callbacks.article(other)),)

        alternatives = [link("library.also", a) for a in also if a in self.library.articles and a != article.id]
        related = [link("library.related", r) for r in article.related if r in self.library.articles and r not in also]
        text, _ = article.text(lang)
        first_row = [Button(self.t(lang, "library.more"), callbacks.more(article.id))] if with_more and text.more else []
        feedback = (
            Button(self.t(lang, "library.helpful_yes"), callbacks.vote(article.id, up=True)),
            Button(self.t(lang, "library.helpful_no"), callbacks.vote(article.id, up=False)),
        )
        return (*((tuple(first_row),) if first_row else ()), *alternatives, *related, feedback, (self.back(lang),))
