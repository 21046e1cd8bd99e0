"""Consistency checks across languages, all warnings so a wording slip never takes the library offline.

- The glossary (`locales/<lang>/glossary.yml`): one word per idea; a variant it lists under `avoid:`
  is flagged in the library, `bot.yml`, `campaign.yml` and the language's other string files.
- Translations remember the English they translate: `translated_from:` in a translated article holds a
  short hash of each English field; when the English changes, the translation is reported out of date.
- No bare English words inside text in another script (Bengali, Thai, Urdu), except the glossary's
  `keep:` list (platform and feature names as the platform's own screens show them) and an English
  gloss in brackets right after a word in the language. `tags:`, `questions:` and `sources:` are not
  checked: users type and search English there.

After updating a translation, record it as up to date:

    python -m bot.library.consistency stamp bn mi-verify mg-moderation
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from bot.language.locales import NOT_STRINGS
from bot.library.loader import Finding
from bot.library.model import FALLBACK_LANGUAGE
from bot.library.yamllines import Lines, YamlFileError, load_with_lines

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: string files are read on every check

GLOSSARY = "glossary.yml"
STAMP_KEY = "translated_from"
STAMPED_FIELDS = ("title", "answer", "steps", "more")  # what a translator translates; tags and questions are written anew
CHECKED_FIELDS = ("title", "answer", "steps", "more")  # tags, questions (what users type) and sources are not checked
STAMP_COMMAND = "python -m bot.library.consistency stamp"

Parsed = dict[Path, tuple[Any, Lines]]  # a library file's data and the line of each value

_TAGS = re.compile(r"<code>.*?</code>|<[^>]*>", re.DOTALL)  # HTML tags, and literal text to type; <b>G</b>oal is one word
_NOT_WORDS = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][\w.+-]*@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|&#?\w+;"  # entities
    r"|https?://\S+"  # links
    r"|(?<![\w-])[A-Za-z0-9][\w-]*(?:\.[\w-]+)+(?:/\S*)?"  # bare addresses: accessnow.org, t.me/name
    r"|[@#]\w+"  # handles and hashtags
    r"|(?<![\w/])/\w+"  # commands: /start
    r"|\{[^}]*\}"  # placeholders: {name}
    r"|(?<!\w)[A-Za-z0-9]\w*_\w*"  # identifiers: ADMIN_TELEGRAM_IDS
)
_BRACKETS = re.compile(r"\(([^()]*)\)")
_QUOTES = "\"”'’"
_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’+-]*")


@dataclass(frozen=True)
class Term:
    """One idea (named in English) and the one word to use for it in a language."""

    concept: str
    use: str
    avoid: tuple[str, ...]


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()
    keep: tuple[str, ...] = ()  # English words and names left in English, written exactly like this

    @cached_property
    def keep_pattern(self) -> re.Pattern[str] | None:
        """Matches any keep-word or phrase as a whole word, longest first."""
        if not self.keep:
            return None
        words = "|".join(re.escape(word) for word in sorted(self.keep, key=len, reverse=True))
        return re.compile(rf"(?<![A-Za-z0-9])(?=[A-Za-z0-9])(?:{words})(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Text:
    """One checked piece of text: where it is, and what it says."""

    path: Path
    line: int  # the line where the value starts
    text: str


def check_consistency(locales_dir: Path, languages: list[str], parsed: Parsed) -> list[Finding]:
    """All consistency warnings for the library files in `parsed` and each language's string files."""
    findings: list[Finding] = []
    sources = _Sources()
    for lang in languages:
        glossary, problems = read_glossary(locales_dir / lang / GLOSSARY)
        findings += problems
        texts = list(_language_texts(locales_dir, lang, parsed))
        spaced = _language_setting(locales_dir / lang, "spaces", True)
        own_script = bool(_language_setting(locales_dir / lang, "script_ranges", []))  # English is not checked for English
        for text in texts:
            findings += glossary_findings(text, glossary, spaced, sources)
            if own_script:
                findings += english_word_findings(text, glossary, lang, sources)
    findings += stale_translation_findings(locales_dir, languages, parsed)
    return findings


def read_glossary(path: Path) -> tuple[Glossary, list[Finding]]:
    """The glossary in `path` (empty when there is none), and warnings for entries it cannot use."""
    if not path.is_file():
        return Glossary(), []
    try:
        data, lines = load_with_lines(path)
    except YamlFileError as error:
        return Glossary(), [Finding(error.path, error.line, f"{error.message}; the glossary is not checked until fixed", "warning")]
    data = data if isinstance(data, dict) else {}
    entries, keep = data.get("terms") or {}, data.get("keep") or []
    if not isinstance(entries, dict) or not isinstance(keep, list):
        return Glossary(), [Finding(path, 1, "the glossary needs `terms:` (idea: use/avoid) and `keep:` (a list)", "warning")]
    problems, terms = [], []
    for concept, entry in entries.items():
        avoid = entry.get("avoid") if isinstance(entry, dict) else None
        avoid = [avoid] if isinstance(avoid, str) else avoid
        if not isinstance(entry, dict) or not isinstance(entry.get("use"), str) or not isinstance(avoid, list):
            line = lines.get(("terms", concept), 1)
            problems.append(Finding(path, line, f"term {concept!r}: give `use:` (the word to use) and `avoid:` (a list)", "warning"))
            continue
        terms.append(Term(str(concept), entry["use"], tuple(str(word) for word in avoid if str(word).strip())))
    return Glossary(tuple(terms), tuple(str(word) for word in keep if str(word).strip())), problems


def glossary_findings(text: Text, glossary: Glossary, spaced: bool, sources: _Sources) -> list[Finding]:
    """A warning for each avoided variant in `text`; in spaced scripts a variant must start a word."""
    findings = []
    for term in glossary.terms:
        masked = text.text.replace(term.use, " " * len(term.use))  # a variant inside the right word is fine
        for variant in term.avoid:
            if _find_variant(masked, variant, spaced) < 0:
                continue
            line = sources.line_of(text, variant)
            findings.append(Finding(text.path, line, f"“{term.concept}”: use {term.use}, not {variant} (glossary.yml)", "warning"))
    return findings


def english_word_findings(text: Text, glossary: Glossary, lang: str, sources: _Sources) -> list[Finding]:
    """A warning for each English word in `text` that is not a keep-word, once per word."""
    findings = []
    for word in dict.fromkeys(bare_english_words(text.text, glossary.keep_pattern)):
        same = [kept for kept in glossary.keep if kept.lower() == word.lower()]
        fix = (
            f"write it as the glossary does: {same[0]}"
            if same
            else f"write it in {lang}, or add it to `keep:` in glossary.yml if the platform's own screens show it in English"
        )
        findings.append(Finding(text.path, sources.line_of(text, word), f"English word “{word}” in {lang} text: {fix}", "warning"))
    return findings


def bare_english_words(text: str, keep: re.Pattern[str] | None = None) -> list[str]:
    """Latin-script words in `text`, leaving out markup, links, handles, commands, numbers and keep-words."""
    if not _LATIN_WORD.search(text):
        return []
    text = _BRACKETS.sub(_drop_gloss, _NOT_WORDS.sub(" ", _TAGS.sub("", text)))
    if keep is not None:
        text = keep.sub(" ", text)
    words = (word.rstrip("'’+-") for word in _LATIN_WORD.findall(text))
    return [word for word in words if any(char.isalpha() for char in word)]


def _drop_gloss(match: re.Match[str]) -> str:
    """An English gloss in brackets right after a word in the language's own script, as in
    পরোক্ষ ট্রমা (vicarious trauma), is not a bare English word: leave it out."""
    before = match.string[: match.start()].rstrip(" ").rstrip(_QUOTES)[-1:]  # the word before, past a space or quote
    native = bool(before) and not before.isascii() and unicodedata.category(before)[0] in "LM"
    return "" if native and match.group(1).isascii() else match.group(0)


def stale_translation_findings(locales_dir: Path, languages: list[str], parsed: Parsed) -> list[Finding]:
    """Translated articles whose English changed since `translated_from:` was recorded, or never recorded."""
    english = english_fields(locales_dir, parsed)
    findings = []
    for lang in languages:
        if lang == FALLBACK_LANGUAGE:
            continue
        for path, article, lines, key in _articles(locales_dir / lang / "library", parsed):
            fields = english.get(article["id"])
            if fields is None:
                continue  # the loader already reports a translation without English
            stamp = article.get(STAMP_KEY)
            line = lines.get((*key, STAMP_KEY), lines.get(key, 1))
            command = f"{STAMP_COMMAND} {lang} {article['id']}"
            if not isinstance(stamp, dict):
                message = f"article {article['id']!r} does not say which English it translates; when it matches the English, run: {command}"
                findings.append(Finding(path, line, message, "warning"))
                continue
            changed = ", ".join(f"`{name}`" for name in STAMPED_FIELDS if _text_or_none(stamp.get(name)) != fields.get(name))
            if changed:
                message = f"article {article['id']!r} is out of date: the English {changed} changed; update the translation, then run"
                findings.append(Finding(path, line, f"{message}: {command}", "warning"))
    return findings


def english_fields(locales_dir: Path, parsed: Parsed) -> dict[str, dict[str, str]]:
    """Each English article's hash per translated field (only the fields it has)."""
    return {
        article["id"]: {name: field_hash(article[name]) for name in STAMPED_FIELDS if article.get(name) not in (None, "", [])}
        for _, article, _, _ in _articles(locales_dir / FALLBACK_LANGUAGE / "library", parsed)
    }


def field_hash(value: Any) -> str:
    """8 hex characters that change whenever the text changes (not its trailing spaces)."""
    text = "\n".join(str(item) for item in value) if isinstance(value, list) else str(value)
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def stamp(locales_dir: Path, lang: str, article_ids: list[str] | None = None) -> list[str]:
    """Record in `lang`'s library files that these translations (all when None) match today's English.

    Only the `translated_from:` line of each article is written; the rest of the file stays as it is.
    Returns the ids stamped."""
    parsed: Parsed = {}
    for path in [*(locales_dir / FALLBACK_LANGUAGE / "library").glob("*.yml"), *(locales_dir / lang / "library").glob("*.yml")]:
        parsed[path] = load_with_lines(path)
    english = english_fields(locales_dir, parsed)
    wanted = None if article_ids is None else set(article_ids)
    done = []
    for path in sorted((locales_dir / lang / "library").glob("*.yml")):
        data, lines = parsed[path]
        text = path.read_text(encoding="utf-8").split("\n")
        edits = []
        for index, article in enumerate(data.get("articles") or [] if isinstance(data, dict) else []):
            if not isinstance(article, dict) or article.get("id") not in english or (wanted is not None and article["id"] not in wanted):
                continue
            key = ("articles", index)
            edits.append((lines[key], lines.get((*key, STAMP_KEY)), english[article["id"]]))
            done.append(article["id"])
        for id_line, stamp_line, fields in sorted(edits, reverse=True):  # bottom up, so line numbers stay right
            _write_stamp(text, id_line, stamp_line, fields)
        if edits:
            path.write_text("\n".join(text), encoding="utf-8")
    return done


def _write_stamp(text: list[str], id_line: int, stamp_line: int | None, fields: dict[str, str]) -> None:
    """Replace the `translated_from:` line, or add one under the article's `- id:` line."""
    values = ", ".join(f"{name}: {_yaml_text(fields[name])}" for name in STAMPED_FIELDS if name in fields)
    first = text[id_line - 1]
    indent = " " * (len(first) - len(first.lstrip(" -")))
    line = f"{indent}{STAMP_KEY}: {{{values}}}"
    if stamp_line is not None:
        text[stamp_line - 1] = line
    else:
        text.insert(id_line, line)


def _yaml_text(value: str) -> str:
    """The hash as YAML that reads back as text (a hash of digits only would read as a number)."""
    return value if isinstance(yaml.safe_load(value), str) else f'"{value}"'


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _find_variant(text: str, variant: str, spaced: bool) -> int:
    """Where `variant` starts a word in `text` (any position when the script has no spaces), or -1."""
    start = text.find(variant)
    while start >= 0 and spaced and start > 0 and unicodedata.category(text[start - 1])[0] in "LM":
        start = text.find(variant, start + 1)
    return start


def _articles(folder: Path, parsed: Parsed) -> Iterator[tuple[Path, dict[str, Any], Lines, tuple[Any, ...]]]:
    for path in sorted(p for p in parsed if p.parent == folder):
        data, lines = parsed[path]
        for index, article in enumerate(data.get("articles") or [] if isinstance(data, dict) else []):
            if isinstance(article, dict) and isinstance(article.get("id"), str):
                yield path, article, lines, ("articles", index)


def _language_texts(locales_dir: Path, lang: str, parsed: Parsed) -> Iterator[Text]:
    """Every checked text of one language: library titles, answers, steps and more, and each string
    in the language's string files, `bot.yml`, `campaign.yml` and the rest (not word lists, which hold
    what users type)."""
    for path, article, lines, key in _articles(locales_dir / lang / "library", parsed):
        for name in CHECKED_FIELDS:
            value = article.get(name)
            items = enumerate(value) if isinstance(value, list) else [(None, value)]
            for index, item in items:
                if isinstance(item, str):
                    at = (*key, name) if index is None else (*key, name, index)
                    yield Text(path, lines.get(at, lines.get(key, 1)), item)
    for path in sorted(p for p in parsed if p.parent == locales_dir / lang / "library"):
        data, lines = parsed[path]
        if isinstance(data, dict) and isinstance(data.get("title"), str):
            yield Text(path, lines.get(("title",), 1), data["title"])
    for path in sorted((locales_dir / lang).glob("*.yml")):
        if path.name in NOT_STRINGS:
            continue
        try:
            data, lines = _load_quickly(path)
        except (OSError, yaml.YAMLError):
            continue  # the bot's own locale check reports it
        yield from _strings(path, data, lines, ())


def _load_quickly(path: Path) -> tuple[Any, Lines]:
    """Like `load_with_lines`, with the C parser when there is one (no friendly error: others report those)."""
    text = path.read_text(encoding="utf-8")
    lines: Lines = {}
    node = yaml.compose(text, Loader=_LOADER)
    if node is not None:
        _note_lines(node, (), lines)
    return yaml.load(text, Loader=_LOADER), lines


def _note_lines(node: yaml.Node, at: tuple[Any, ...], lines: Lines) -> None:
    lines[at] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _note_lines(value, (*at, key.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _note_lines(item, (*at, index), lines)


def _strings(path: Path, data: Any, lines: Lines, at: tuple[Any, ...]) -> Iterator[Text]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(path, value, lines, (*at, key))
    elif isinstance(data, str):
        yield Text(path, lines.get(at, 1), data)


def _language_setting(folder: Path, name: str, default: Any) -> Any:
    try:
        meta = yaml.safe_load((folder / "meta.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return default
    return meta.get(name, default) if isinstance(meta, dict) else default


class _Sources:
    """File lines, read once each, to find the exact line of a word inside a multi-line value."""

    def __init__(self) -> None:
        self._files: dict[Path, list[str]] = {}

    def line_of(self, text: Text, needle: str) -> int:
        if text.path not in self._files:
            self._files[text.path] = text.path.read_text(encoding="utf-8").split("\n")
        lines = self._files[text.path]
        for number in range(text.line, len(lines) + 1):
            if needle in lines[number - 1]:
                return number
        return text.line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.library.consistency", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("stamp", help="record that translations match today's English")
    command.add_argument("lang", help="language folder, e.g. bn")
    command.add_argument("ids", nargs="*", help="article ids; give --all instead to stamp every article")
    command.add_argument("--all", action="store_true", help="every article in the language (only after checking them all)")
    command.add_argument("--locales", type=Path, help="the locales/ folder; default: LOCALES_DIR, as for the bot")
    args = parser.parse_args(argv)
    if not args.ids and not args.all:
        parser.error("name the articles to stamp, or give --all")
    from bot.settings import ConfigError, load_settings  # only the command line needs LOCALES_DIR

    try:
        done = stamp(args.locales or load_settings().locales_dir, args.lang, None if args.all else args.ids)
    except (ConfigError, YamlFileError) as error:
        print(error)
        return 1
    missing = sorted(set(args.ids) - set(done))
    for article_id in missing:
        print(f"no {args.lang} translation of {article_id!r} with an English original; check the id")
    print(f"stamped {len(done)} {args.lang} article(s) as translating today's English")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
