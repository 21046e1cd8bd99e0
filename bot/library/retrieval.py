"""Rank library articles for a question: sentence meaning (any language, any script) plus shared words.

Every article is embedded once per language as short units (its title, each of its `questions:`, its
tags, the start of its answer, and the extra example questions in `data/articles/`). A small logistic
regression over those embeddings gives each article a probability; the lexical TF-IDF score
(bot.library.search) is added to it, because it rescues rare names and platform words the encoder
blurs. Measured on held-out questions (make evaluate-articles) the mix beats either signal alone.
Where the encoder cannot load, the lexical score is all there is.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.library.model import Article, Library
from bot.library.search import SearchIndex
from bot.understanding.encoder import Encoder

LEXICAL_WEIGHT = 1.0  # TF-IDF cosine added to the article's probability (chosen on the development set)
REGULARISATION = 10.0  # logistic regression's C (chosen on the development set)
ANSWER_PREFIX = 240  # characters of the answer that describe what an article is about
_TAGS = re.compile(r"<[^>]+>")


UNCOVERED = "none"  # the pseudo-article id of example questions the library does not answer


@dataclass(frozen=True)
class Candidate:
    article_id: str
    section: str
    score: float  # what articles are ranked by
    lexical: float


@dataclass(frozen=True)
class Ranking:
    candidates: list[Candidate]
    uncovered: float = 0.0  # the classifier's probability that no article answers the question


class ArticleRetriever:
    """Hybrid ranking over one library; built again (cheaply, from the encoder's cache) on reload."""

    def __init__(
        self,
        library: Library,
        index: SearchIndex,
        encoder: Encoder | None,
        examples: dict[str, list[str]] | None = None,
        previous: ArticleRetriever | None = None,
    ) -> None:
        self.library = library
        self._index = index
        self._encoder = encoder
        self._sections = {article.id: article.section for article in library.articles.values()}
        self._ids: list[str] = list(library.articles)
        self._classifier: Any = None
        if encoder is not None and len(self._ids) > 1:
            self._embed(library, encoder, examples or {}, previous)

    @property
    def semantic(self) -> bool:
        return self._encoder is not None

    def rank(self, text: str, limit: int = 5) -> list[Candidate]:
        """The best `limit` articles for `text`, best first."""
        return self.assess(text, limit).candidates

    def assess(self, text: str, limit: int = 5) -> Ranking:
        """The best articles, and how likely it is that no article covers the question at all."""
        lexical = {hit.article_id: hit.score for hit in self._index.search(text, limit=len(self._ids) or 1)}
        uncovered = 0.0
        if self._classifier is None or self._encoder is None or not text.strip():
            scored = [Candidate(a, self._sections[a], score, score) for a, score in lexical.items()]
        else:
            query = self._encoder.encode([text], remember=False)[0]
            probability = self._classifier.predict_proba(query[None, :])[0]
            scored = [
                Candidate(a, self._sections[a], float(p) + LEXICAL_WEIGHT * lexical.get(a, 0.0), lexical.get(a, 0.0))
                for a, p in zip(self._ids, probability, strict=False)
            ]
            uncovered = float(probability[len(self._ids)]) if len(probability) > len(self._ids) else 0.0
        scored.sort(key=lambda c: (-c.score, c.article_id))
        return Ranking([c for c in scored[:limit] if c.score > 0], uncovered)

    def _embed(self, library: Library, encoder: Encoder, examples: dict[str, list[str]], previous: ArticleRetriever | None) -> None:
        """Embed every unit and fit the classifier; examples under `none` (questions the library does not
        cover) become one more class, whose probability says "nothing here answers this". After an edit
        that kept the same articles, the fit starts from the previous classifier (a few iterations)."""
        from sklearn.linear_model import LogisticRegression

        groups = [[*article_units(article), *examples.get(article.id, [])] for article in library.articles.values()]
        groups.append(examples.get(UNCOVERED, []))
        texts, owners = [], []
        for number, group in enumerate(groups):
            for unit in dict.fromkeys(group):
                texts.append(unit)
                owners.append(number)
        units, owner = encoder.encode(texts), np.asarray(owners, dtype=np.int64)
        if previous is not None and previous._classifier is not None and previous._ids == self._ids:
            classifier = copy.deepcopy(previous._classifier)
            classifier.set_params(warm_start=True)
        else:
            classifier = LogisticRegression(C=REGULARISATION, max_iter=2000)
        self._classifier = classifier.fit(units, owner)


def article_units(article: Article) -> list[str]:
    """The short texts that say what an article answers, in every language it has (no duplicates)."""
    units: list[str] = []
    for text in article.texts.values():
        units.append(text.title)
        units.extend(text.questions)
        if text.tags:
            units.append(", ".join(text.tags))
        answer = " ".join(_TAGS.sub(" ", text.answer).split())
        if answer:
            units.append(answer[:ANSWER_PREFIX])
    return list(dict.fromkeys(unit for unit in units if unit.strip()))
