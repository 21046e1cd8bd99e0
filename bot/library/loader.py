"""Read and check the library files under `locales/<lang>/library/`.

Every problem becomes a `Finding` with file, line and the fix, so staff can correct content themselves.
Errors stop the content from being served; warnings (e.g. a missing translation, or a word the glossary
says not to use: see `consistency.py`) do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.library.markup import markup_problem
from bot.library.model import FALLBACK_LANGUAGE, SECTIONS, Article, ArticleText, Library, Section, Source
from bot.library.yamllines import Lines, YamlFileError, load_with_lines

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,23}$")
ANSWER_LIMIT = 700  # characters that fit a phone screen
MESSAGE_LIMIT = 4096  # Telegram's limit for one message
COUNTRIES = (
    "Bangladesh", "India", "Indonesia", "Malaysia", "Maldives", "Myanmar",
    "Nepal", "Sri Lanka", "Thailand", "Pakistan", "Philippines",
)  # fmt: skip
BASES = ("composite", "documented")
TEXT_FIELDS = ("title", "answer", "more")
SHARED_FIELDS = ("related", "sources", "reviewed", "country", "basis")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    message: str
    severity: str = "error"  # error | warning
    syntax: bool = False  # the file is not valid YAML

    def __str__(self) -> str:
        return f"{self.severity.upper()} {self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """The library has errors; the message lists each with file, line and fix."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = findings


@dataclass
class _Draft:
    """What one language's files say, before the languages are merged."""

    sections: dict[str, str]
    articles: dict[str, tuple[str, dict[str, Any], Path, Lines, tuple[Any, ...]]]
    files: dict[Path, tuple[Any, Lines]] = field(default_factory=dict)  # each file as parsed, for the consistency check


def load_library(locales_dir: Path, languages: list[str]) -> tuple[Library, list[Finding]]:
    """Load every language's library files; raise ContentError if any error is found."""
    findings: list[Finding] = []
    drafts = {lang: _read_language(locales_dir / lang / "library", lang, findings) for lang in languages}
    syntax = [f for f in findings if f.syntax]
    if syntax:  # a file that does not parse makes every later check misleading: report only the cause
        raise ContentError(syntax)
    library = _merge(drafts, findings)
    from bot.library.consistency import check_consistency  # it imports Finding from here

    findings += check_consistency(locales_dir, languages, {path: file for draft in drafts.values() for path, file in draft.files.items()})
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise ContentError(errors)
    return library, findings


def library_files(locales_dir: Path) -> list[Path]:
    return sorted(locales_dir.glob("*/library/*.yml"))


def _read_language(folder: Path, lang: str, findings: list[Finding]) -> _Draft:
    draft = _Draft(sections={}, articles={})
    for path in sorted(folder.glob("*.yml")):
        try:
            data, lines = load_with_lines(path)
        except YamlFileError as error:
            findings.append(Finding(error.path, error.line, error.message, syntax=True))
            continue
        draft.files[path] = (data, lines)
        _read_section_file(path, data, lines, lang, draft, findings)
    return draft


def _read_section_file(path: Path, data: Any, lines: Lines, lang: str, draft: _Draft, findings: list[Finding]) -> None:
    if not isinstance(data, dict):
        findings.append(Finding(path, 1, "the file must start with `section:`, `title:` and `articles:`"))
        return
    section = data.get("section")
    if section != path.stem or section not in SECTIONS:
        findings.append(
            Finding(
                path,
                lines.get(("section",), 1),
                f"`section:` must be {path.stem!r}, one of {', '.join(SECTIONS)}; rename the file or fix the value",
            )
        )
        return
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        findings.append(Finding(path, lines.get(("title",), 1), "add the section's `title:` (shown in menus)"))
    draft.sections[section] = str(data.get("title") or section)
    articles = data.get("articles")
    if not isinstance(articles, list) or not articles:
        findings.append(Finding(path, lines.get(("articles",), 1), "add `articles:` with at least one article"))
        return
    for index, raw in enumerate(articles):
        key = ("articles", index)
        line = lines.get(key, 1)
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            findings.append(Finding(path, line, "each article needs an `id:`"))
            continue
        article_id = raw["id"]
        if not ID_PATTERN.match(article_id):
            findings.append(Finding(path, line, f"id {article_id!r}: use 2-24 lowercase letters, digits and '-'"))
        if article_id in draft.articles:
            other = draft.articles[article_id]
            findings.append(
                Finding(path, line, f"duplicate id {article_id!r}, also at {other[2]}:{other[3].get(other[4], 1)}; give one a new id")
            )
            continue
        draft.articles[article_id] = (section, raw, path, lines, key)
        _check_text_fields(path, lines, key, raw, lang, findings)


def _check_text_fields(path: Path, lines: Lines, key: tuple[Any, ...], raw: dict[str, Any], lang: str, findings: list[Finding]) -> None:
    at = lambda name: lines.get((*key, name), lines.get(key, 1))
    for name in ("title", "answer"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            findings.append(Finding(path, at(name), f"article {raw['id']!r}: add `{name}:`"))
    for name in TEXT_FIELDS:
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            findings.append(Finding(path, at(name), f"`{name}:` must be text"))
        elif value and (problem := markup_problem(value)):
            findings.append(Finding(path, at(name), f"`{name}:` {problem}"))
    for name in ("steps", "tags", "questions"):
        value = raw.get(name, [])
        if not isinstance(value, list):
            findings.append(Finding(path, at(name), f"`{name}:` must be a list of lines, each starting with '- '"))
            value = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                findings.append(
                    Finding(
                        path,
                        lines.get((*key, name, index), at(name)),
                        f"`{name}:` line {index + 1} has ': ' in it, which YAML reads as a key; put the whole line in double quotes",
                    )
                )
            elif not isinstance(item, (str, int)):
                findings.append(Finding(path, lines.get((*key, name, index), at(name)), f"`{name}:` line {index + 1} must be plain text"))
        for index, item in enumerate(value if isinstance(value, list) else []):
            if name == "steps" and (problem := markup_problem(str(item))):
                findings.append(Finding(path, lines.get((*key, name, index), at(name)), f"step {index + 1}: {problem}"))
    answer = raw.get("answer") or ""
    if isinstance(answer, str) and len(answer) > ANSWER_LIMIT:
        findings.append(
            Finding(
                path,
                at("answer"),
                f"`answer:` is {len(answer)} characters; keep it under {ANSWER_LIMIT} so it fits a phone screen (move detail to `more:`)",
                "warning",
            )
        )
    card = sum(len(str(raw.get(name) or "")) for name in ("title", "answer")) + sum(len(str(s)) + 4 for s in raw.get("steps") or [])
    if card > MESSAGE_LIMIT - 200:
        findings.append(
            Finding(
                path,
                at("answer"),
                f"title, answer and steps add up to {card} characters, too long for one Telegram message ({MESSAGE_LIMIT}); shorten them",
            )
        )
    if len(str(raw.get("more") or "")) > MESSAGE_LIMIT - 200:
        findings.append(Finding(path, at("more"), f"`more:` is too long for one Telegram message ({MESSAGE_LIMIT} characters); shorten it"))
    if lang != FALLBACK_LANGUAGE:
        for name in SHARED_FIELDS:
            if name in raw:
                findings.append(Finding(path, at(name), f"`{name}:` is taken from the English file; remove it here", "warning"))


def _merge(drafts: dict[str, _Draft], findings: list[Finding]) -> Library:
    english = drafts.get(FALLBACK_LANGUAGE)
    if english is None:
        return Library()
    for lang, draft in drafts.items():
        for article_id, (_, _, path, lines, key) in draft.articles.items():
            if lang != FALLBACK_LANGUAGE and article_id not in english.articles:
                findings.append(
                    Finding(
                        path,
                        lines.get(key, 1),
                        f"article {article_id!r} has no English version; add it to locales/en/library first or fix the id",
                    )
                )
    articles: dict[str, Article] = {}
    section_ids: dict[str, list[str]] = {section: [] for section in SECTIONS}
    for article_id, (section, raw, path, lines, key) in english.articles.items():
        texts = {}
        for lang, draft in drafts.items():
            entry = draft.articles.get(article_id)
            if entry is None:
                findings.append(
                    Finding(
                        path,
                        lines.get(key, 1),
                        f"article {article_id!r} has no {lang} translation yet; users get English with a note",
                        "warning",
                    )
                )
                continue
            texts[lang] = _text(entry[1])
        articles[article_id] = _article(article_id, section, raw, texts, path, lines, key, findings)
        section_ids[section].append(article_id)
    _check_related(articles, english, findings)
    sections = {
        section: Section(section, {lang: d.sections[section] for lang, d in drafts.items() if section in d.sections}, tuple(ids))
        for section, ids in section_ids.items()
        if ids
    }
    return Library(sections=sections, articles=articles)


def _text(raw: dict[str, Any]) -> ArticleText:
    return ArticleText(
        title=str(raw.get("title") or "").strip(),
        answer=str(raw.get("answer") or "").strip(),
        steps=tuple(str(s).strip() for s in raw.get("steps") or []),
        more=str(raw.get("more") or "").strip(),
        tags=tuple(str(t).strip() for t in raw.get("tags") or []),
        questions=tuple(str(q).strip() for q in raw.get("questions") or []),
    )


def _article(
    article_id: str,
    section: str,
    raw: dict[str, Any],
    texts: dict[str, ArticleText],
    path: Path,
    lines: Lines,
    key: tuple[Any, ...],
    findings: list[Finding],
) -> Article:
    at = lambda name: lines.get((*key, name), lines.get(key, 1))
    reviewed = raw.get("reviewed")
    if not isinstance(reviewed, date):
        findings.append(Finding(path, at("reviewed"), f"article {article_id!r}: add `reviewed: YYYY-MM-DD` (the date it was last checked)"))
        reviewed = None
    sources = []
    for index, source in enumerate(raw.get("sources") or []):
        url = source.get("url", "") if isinstance(source, dict) else ""
        if not isinstance(source, dict) or not str(url).startswith("https://") or not source.get("title"):
            findings.append(
                Finding(path, lines.get((*key, "sources", index), at("sources")), "each source needs `title:` and an https:// `url:`")
            )
            continue
        sources.append(Source(str(source["title"]), str(url)))
    country, basis = raw.get("country"), raw.get("basis")
    if section == "case_studies" and (country is not None or basis is not None):  # a case, not the overview
        if basis not in BASES:
            findings.append(
                Finding(
                    path,
                    at("basis"),
                    f"case study {article_id!r}: set `basis:` to composite (illustrative) or documented (a public campaign, with sources)",
                )
            )
        if basis == "documented" and not sources:
            findings.append(
                Finding(path, at("sources"), f"documented case study {article_id!r} needs `sources:` showing the public record")
            )
        if country is not None and country not in COUNTRIES:
            findings.append(Finding(path, at("country"), f"country {country!r} is not one of: {', '.join(COUNTRIES)}"))
    related = raw.get("related") or []
    if not isinstance(related, list):
        findings.append(Finding(path, at("related"), "`related:` must be a list of article ids, like [gs-platform, mi-verify]"))
        related = []
    return Article(article_id, section, texts, tuple(str(r) for r in related), tuple(sources), reviewed, country, basis)


def _check_related(articles: dict[str, Article], english: _Draft, findings: list[Finding]) -> None:
    for article in articles.values():
        _, _, path, lines, key = english.articles[article.id]
        for index, related in enumerate(article.related):
            if related not in articles:
                findings.append(
                    Finding(
                        path,
                        lines.get((*key, "related", index), lines.get(key, 1)),
                        f"article {article.id!r}: related id {related!r} does not exist; fix or remove it",
                    )
                )
            elif related == article.id:
                findings.append(
                    Finding(path, lines.get((*key, "related", index), 1), f"article {article.id!r} lists itself as related; remove it")
                )
