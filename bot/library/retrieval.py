"""Rank library articles for a question: sentence meaning (any language, any script) plus shared words.

Every article is embedded once per language as short units (its title, each of its `questions:`, its
tags, the start of its answer, and the extra example questions in `data/articles/`). A small logistic
regression over those embeddings gives each article a probability; two spelling signals are added to
it: the TF-IDF score of the article's own text (bot.library.search), which rescues rare names and
platform words the encoder blurs, and the closest single unit or example question by character
n-grams (`ExampleNeighbours`), which carries romanized Bengali and Urdu: the encoder reads "amader
page hack hoye geche" poorly, but its spelling is close to an example someone wrote the same way.
Measured on held-out questions (make evaluate-articles) the mix beats each signal alone. Where the
encoder cannot load, the spelling signals are all there is.

Whether the library lacks the answer is judged twice: by the classifier's `none` class, and by
meaning alone, the question's nearest unit: when the closest example in `none` (a question someone
wrote on a topic the library does not cover) is nearer than every article's closest unit, the
library most likely does not cover it either (`Ranking.gap_lead`).
"""

from __future__ import annotations

import copy
import hashlib
import re
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.library.model import Article, Library
from bot.library.search import SearchIndex
from bot.understanding.encoder import Encoder

LEXICAL_WEIGHT = 1.0  # TF-IDF cosine added to the article's probability (chosen on the development set)
NEIGHBOUR_WEIGHT = 1.0  # closest example's character n-gram cosine, added too (chosen on the development set)
REGULARISATION = 10.0  # logistic regression's C (chosen on the development set)
ANSWER_PREFIX = 240  # characters of the answer that describe what an article is about
_TAGS = re.compile(r"<[^>]+>")


UNCOVERED = "none"  # the pseudo-article id of example questions the library does not answer
_FITTED: dict[str, Any] = {}  # classifiers already fitted in this process, by what they were fitted on
_FITTED_KEEP = 4
_FITTED_LOCK = threading.Lock()


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
    gap_lead: float = -1.0  # how much nearer in meaning its closest `none` example is than any article's unit


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
        self._units: np.ndarray | None = None  # every unit's embedding, grouped by class (the last is `none`)
        self._starts: np.ndarray | None = None  # where each class's units begin...
        self._classes: np.ndarray | None = None  # ...and which class that is (a class may have no units)
        groups = [[*article_units(article), *(examples or {}).get(article.id, [])] for article in library.articles.values()]
        self._neighbours: ExampleNeighbours | None = None
        if encoder is not None and len(self._ids) > 1:
            self._neighbours = ExampleNeighbours(groups)
            self._embed(groups, encoder, examples or {}, previous)

    @property
    def semantic(self) -> bool:
        return self._encoder is not None

    def rank(self, text: str, limit: int = 5) -> list[Candidate]:
        """The best `limit` articles for `text`, best first."""
        return self.assess(text, limit).candidates

    def assess(self, text: str, limit: int = 5) -> Ranking:
        """The best articles, and how likely it is that no article covers the question at all."""
        lexical = {hit.article_id: hit.score for hit in self._index.search(text, limit=len(self._ids) or 1)}
        uncovered, gap_lead = 0.0, -1.0
        if self._classifier is None or self._encoder is None or not text.strip():
            scored = [Candidate(a, self._sections[a], score, score) for a, score in lexical.items()]
        else:
            query = self._encoder.encode([text], remember=False)[0]
            probability = self._classifier.predict_proba(query[None, :])[0]
            neighbours = self._neighbours.closest(text) if self._neighbours is not None else np.zeros(len(self._ids))
            scored = [
                Candidate(
                    a,
                    self._sections[a],
                    float(p) + LEXICAL_WEIGHT * lexical.get(a, 0.0) + NEIGHBOUR_WEIGHT * float(near),
                    lexical.get(a, 0.0),
                )
                for a, p, near in zip(self._ids, probability, neighbours, strict=False)
            ]
            uncovered = float(probability[len(self._ids)]) if len(probability) > len(self._ids) else 0.0
            gap_lead = self._gap_lead(query)
        scored.sort(key=lambda c: (-c.score, c.article_id))
        return Ranking([c for c in scored[:limit] if c.score > 0], uncovered, gap_lead)

    def _gap_lead(self, query: np.ndarray) -> float:
        """The cosine of the question's nearest `none` example minus that of its nearest article unit
        (-1 when there are no `none` examples): above 0, a question on a topic the library lacks."""
        if self._units is None or self._starts is None or self._classes is None or self._classes[-1] != len(self._ids):
            return -1.0
        nearest = np.full(len(self._ids) + 1, -1.0)
        nearest[self._classes] = np.maximum.reduceat(self._units @ query, self._starts)
        return float(nearest[-1] - nearest[:-1].max())

    def _embed(self, groups: list[list[str]], encoder: Encoder, examples: dict[str, list[str]], previous: ArticleRetriever | None) -> None:
        """Embed every unit and fit the classifier; examples under `none` (questions the library does not
        cover) become one more class, whose probability says "nothing here answers this". After an edit
        that kept the same articles, the fit starts from the previous classifier (a few iterations)."""
        from sklearn.linear_model import LogisticRegression

        groups = [*groups, examples.get(UNCOVERED, [])]
        texts, owners = [], []
        for number, group in enumerate(groups):
            for unit in dict.fromkeys(group):
                texts.append(unit)
                owners.append(number)
        key = fit_key(self._ids, texts, owners)
        owner = np.asarray(owners, dtype=np.int64)  # non-decreasing: units were listed class by class
        self._units, self._starts = encoder.encode(texts), np.flatnonzero(np.r_[True, np.diff(owner) != 0])
        self._classes = owner[self._starts]
        with _FITTED_LOCK:
            self._classifier = _FITTED.get(key)  # the same library built again in this process: 10+ s saved
        if self._classifier is not None:
            return
        if previous is not None and previous._classifier is not None and previous._ids == self._ids:
            classifier = copy.deepcopy(previous._classifier)
            classifier.set_params(warm_start=True)
        else:
            classifier = LogisticRegression(C=REGULARISATION, max_iter=2000)
        self._classifier = classifier.fit(self._units, owner)
        with _FITTED_LOCK:
            while len(_FITTED) >= _FITTED_KEEP:
                _FITTED.pop(next(iter(_FITTED)))
            _FITTED[key] = self._classifier


def fit_key(ids: list[str], texts: list[str], owners: list[int]) -> str:
    """What a classifier was fitted on: the articles, every unit and its class, the regularisation."""
    digest = hashlib.sha256(f"{REGULARISATION}\x1d{'|'.join(ids)}".encode())
    for text, owner in zip(texts, owners, strict=True):
        digest.update(f"\x1e{owner}\x1f{text}".encode())
    return digest.hexdigest()


class ExampleNeighbours:
    """For each article, how close the question's spelling is to the closest of its units and example
    questions: the cosine of character 2-4-grams (TF-IDF, within words). One sparse product per question."""

    def __init__(self, groups: list[list[str]]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts, owners = [], []
        for number, group in enumerate(groups):
            for unit in dict.fromkeys(group):
                texts.append(unit)
                owners.append(number)
        self._articles = len(groups)
        self._owner = np.asarray(owners, dtype=np.int64)
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, lowercase=True)
        self._units = self._vectorizer.fit_transform(texts).T.tocsr() if texts else None

    def closest(self, text: str) -> np.ndarray:
        """One cosine per article (in the order of the groups), 0 where nothing is alike."""
        best = np.zeros(self._articles)
        if self._units is None or not text.strip():
            return best
        similarity = np.asarray((self._vectorizer.transform([text]) @ self._units).todense()).ravel()
        np.maximum.at(best, self._owner, similarity)
        return best


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
