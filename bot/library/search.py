"""Find articles by what users type: character n-grams, so it works without spaces (Thai) and with typos."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from bot.library.model import Article, Library

_NOISE = re.compile(r"[^\w\s]+", re.UNICODE)
NGRAM = 3


@dataclass(frozen=True)
class Hit:
    article_id: str
    section: str
    score: float


def normalise(text: str) -> str:
    """Lowercase, drop markup and punctuation, fold spaces: what matching should compare."""
    text = re.sub(r"<[^>]+>", " ", unicodedata.normalize("NFC", text)).lower()
    return " ".join(_NOISE.sub(" ", text).split())


def ngrams(text: str) -> Counter[str]:
    """Character trigrams of each word, padded, so short words and Thai runs both count."""
    grams: Counter[str] = Counter()
    for word in normalise(text).split():
        padded = f" {word} "
        if len(padded) <= NGRAM:
            grams[padded] += 1
            continue
        grams.update(padded[i : i + NGRAM] for i in range(len(padded) - NGRAM + 1))
    return grams


class SearchIndex:
    """TF-IDF over each article's title, tags, questions and answer, in every language it has."""

    def __init__(self, library: Library) -> None:
        self._docs: dict[tuple[str, str], dict[str, float]] = {}
        self._sections = {article.id: article.section for article in library.articles.values()}
        raw = {(article.id, lang): _document(article, lang) for article in library.articles.values() for lang in article.texts}
        frequency: Counter[str] = Counter()
        for grams in raw.values():
            frequency.update(grams.keys())
        total = max(len(raw), 1)
        self._idf = {gram: math.log(1 + total / count) for gram, count in frequency.items()}
        self._docs = {key: _unit(grams, self._idf) for key, grams in raw.items()}

    def search(self, text: str, *, languages: list[str] | None = None, section: str | None = None, limit: int = 5) -> list[Hit]:
        """Best articles for `text`; each article scores by its best-matching language version."""
        query = _unit(ngrams(text), self._idf)
        if not query:
            return []
        best: dict[str, float] = {}
        for (article_id, lang), doc in self._docs.items():
            if languages and lang not in languages:
                continue
            if section and self._sections[article_id] != section:
                continue
            score = sum(weight * doc.get(gram, 0.0) for gram, weight in query.items())
            best[article_id] = max(score, best.get(article_id, 0.0))
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return [Hit(article_id, self._sections[article_id], score) for article_id, score in ranked[:limit] if score > 0]


def _document(article: Article, lang: str) -> Counter[str]:
    text = article.texts[lang]
    weighted = [(text.title, 3), (" ".join(text.tags), 3), (" ".join(text.questions), 2), (text.answer, 1)]
    grams: Counter[str] = Counter()
    for part, weight in weighted:
        for gram, count in ngrams(part).items():
            grams[gram] += count * weight
    return grams


def _unit(grams: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    weights = {gram: (1 + math.log(count)) * idf[gram] for gram, count in grams.items() if gram in idf}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {gram: w / norm for gram, w in weights.items()} if norm else {}
