"""Rasa graph components around the multilingual sentence encoder: its vector as a dense feature for
DIET, and intent classifiers on that vector and on the message's letters, blended with DIET's ranking.

DIET learns from word and character n-grams; on their own those only know the spellings in the
training data. The encoder (bot.understanding.encoder) has seen every launch language and script,
so "fb page hack hoye geche" and the same words in Bengali script land near each other even when the training data
has only one of them. Measured in README, "Matching".

Lives in bot.brain because it imports rasa; the encoder itself is plain Python.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.settings import PROJECT_ROOT
from bot.understanding.encoder import DIMENSIONS, Encoder, load_encoder

log = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one sentence-level feature vector per message text (no per-token features)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config()}

    def __init__(self, config: dict[str, Any], name: str, encoder: Encoder | None) -> None:
        super().__init__(name, config)
        self._encoder = encoder

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> SentenceEncoderFeaturizer:
        return cls(config, execution_context.node_name, load_encoder(PROJECT_ROOT / "var" / "embeddings.sqlite"))

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to check: the component has no settings of its own."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._add([m for m in training_data.training_examples if m.get(TEXT)], remember=True)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        self._add([m for m in messages if m.get(TEXT)], remember=False)  # users' messages: never cached
        return messages

    def _add(self, messages: list[Message], remember: bool) -> None:
        if not messages:
            return
        texts = [str(m.get(TEXT)) for m in messages]
        if self._encoder is None:
            vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        else:
            vectors = self._encoder.encode(texts, remember=remember)
        for message, vector in zip(messages, vectors, strict=True):
            self.add_features_to_message(sequence=None, sentence=vector[None, :], attribute=TEXT, message=message)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceIntentBlender(GraphComponent):
    """Blends DIET's intent ranking with two plain classifiers: a logistic regression on the sentence
    encoder's vector (meaning) and one on character n-grams (spelling).

    DIET over-trusts the exact spellings of its training data and is unsure past them; the encoder knows
    every script but little romanized Urdu or Bengali; character n-grams read "kese", "kaise" and "kesy"
    alike. Their weighted mean was measured better on unseen messages than any of them alone (README,
    "Matching"). `weight` is the meaning's share, `spelling` the letters', DIET gets the rest. Runs after
    DIET and before the FallbackClassifier.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"weight": 0.4, "spelling": 0.4, "regularisation": 10.0, "spelling_regularisation": 30.0}

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, classifier: Any = None, speller: Any = None
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._classifier = classifier
        self._speller = speller

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> SentenceIntentBlender:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SentenceIntentBlender:
        import joblib

        try:
            with model_storage.read_from(resource) as directory:
                classifier = joblib.load(directory / "classifier.joblib")
                speller = joblib.load(directory / "spelling.joblib")
        except (ValueError, FileNotFoundError):
            log.warning("No intent classifiers beside DIET in the model: using DIET alone (run `make train`)")
            classifier = speller = None
        return cls(config, model_storage, resource, classifier, speller)

    def train(self, training_data: TrainingData) -> Resource:
        import joblib
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        pairs = [(vector, m.get(INTENT)) for m in examples if (vector := _sentence_vector(m)) is not None]
        if len({intent for _, intent in pairs}) < 2:
            return self._resource
        vectors = np.stack([vector for vector, _ in pairs])
        self._classifier = LogisticRegression(C=self._config["regularisation"], max_iter=3000)
        self._classifier.fit(vectors, [intent for _, intent in pairs])
        self._speller = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            LogisticRegression(C=self._config["spelling_regularisation"], max_iter=3000),
        )
        self._speller.fit([str(m.get(TEXT)) for m in examples], [m.get(INTENT) for m in examples])
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self._classifier, directory / "classifier.joblib")
            joblib.dump(self._speller, directory / "spelling.joblib")
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._blend(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def _blend(self, message: Message) -> None:
        vector = _sentence_vector(message)
        if self._classifier is None or self._speller is None or vector is None or not message.get(INTENT):
            return
        meaning_share, spelling_share = float(self._config["weight"]), float(self._config["spelling"])
        diet = {r["name"]: float(r["confidence"]) for r in message.get(INTENT_RANKING_KEY) or []}
        meaning = dict(zip(self._classifier.classes_, self._classifier.predict_proba(vector[None, :])[0], strict=True))
        spelling = dict(zip(self._speller.classes_, self._speller.predict_proba([str(message.get(TEXT))])[0], strict=True))
        blended = {
            name: (1 - meaning_share - spelling_share) * diet.get(name, 0.0)
            + meaning_share * float(meaning.get(name, 0.0))
            + spelling_share * float(spelling.get(name, 0.0))
            for name in {*diet, *meaning}
        }
        ranking = sorted(blended.items(), key=lambda item: -item[1])[:10]
        message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": score} for name, score in ranking], add_to_output=True)


def _sentence_vector(message: Message) -> np.ndarray | None:
    """This module's sentence feature on a message, if the featurizer ran."""
    for feature in message.features:
        origin = feature.origin if isinstance(feature.origin, str) else " ".join(feature.origin)
        if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE and "SentenceEncoderFeaturizer" in origin:
            return np.asarray(feature.features, dtype=np.float32).reshape(-1)
    return None
