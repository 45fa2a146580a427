"""Dutch text classifier that suggests an intake category (pure, no Django).

The approach of Amsterdam Signalen (``Amsterdam/classification``): TF-IDF on
lowercased, accent-free, Dutch-stemmed words (Snowball 'dutch', a short stop
word list) plus character n-grams that survive spelling mistakes, and a
multinomial logistic regression whose probabilities serve as the confidence.
Labels are subcategory slugs of :mod:`wijkwijs.intake.taxonomy`. Below a
threshold (default 0.4, as in Amsterdam) a person decides. See
``docs/intake-classifier.md`` for the measured accuracy and its limits.

Model files are joblib pickles: load only files you made yourself.
"""

from __future__ import annotations

import csv
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
import snowballstemmer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline

DEFAULT_THRESHOLD = 0.4
TRAINING_DATA = Path(__file__).resolve().parent / "data" / "training_nl.csv"
_FORMAT = "wijkwijs-intake-classifier"
_FORMAT_VERSION = 1

# Function words only. Negations ("niet", "geen") and words like "weer" or
# "nog" are kept on purpose: "niet geleegd", "geen licht" carry the meaning.
STOP_WORDS: frozenset[str] = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "in",
        "op",
        "te",
        "dat",
        "die",
        "is",
        "was",
        "zijn",
        "er",
        "aan",
        "met",
        "voor",
        "als",
        "bij",
        "door",
        "om",
        "of",
        "dan",
        "ook",
        "maar",
        "tot",
        "uit",
        "naar",
        "over",
        "onder",
        "tegen",
        "tussen",
        "na",
        "al",
        "heb",
        "hebben",
        "heeft",
        "had",
        "hadden",
        "ben",
        "bent",
        "wordt",
        "worden",
        "werd",
        "zal",
        "zou",
        "zullen",
        "kan",
        "kunnen",
        "moet",
        "moeten",
        "mag",
        "mogen",
        "wil",
        "willen",
        "ik",
        "je",
        "jij",
        "u",
        "we",
        "wij",
        "ze",
        "zij",
        "hij",
        "zij",
        "hem",
        "haar",
        "hun",
        "mijn",
        "mij",
        "me",
        "jouw",
        "jullie",
        "ons",
        "onze",
        "uw",
        "dit",
        "deze",
        "daar",
        "hier",
        "wat",
        "wie",
        "waar",
        "hoe",
        "zo",
        "dus",
        "toch",
        "wel",
        "nu",
        "dan",
        "erg",
        "heel",
        "veel",
        "meer",
        "zeer",
    ]
)

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """Lowercase, strip accents and punctuation, collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", ascii_text).strip()


_STEMMER = snowballstemmer.stemmer("dutch")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def tokens(text: str) -> list[str]:
    """Stemmed content words of ``text``."""
    return [
        stem(word)
        for word in normalize(text).split()
        if word not in STOP_WORDS and len(word) > 1 and not word.isdigit()
    ]


class DutchAnalyzer:
    """Word analyzer for TfidfVectorizer: stemmed unigrams and bigrams."""

    def __init__(self, ngrams: int = 2) -> None:
        self.ngrams = ngrams

    def __call__(self, text: str) -> list[str]:
        words = tokens(text)
        grams = list(words)
        for n in range(2, self.ngrams + 1):
            grams += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
        return grams


def build_pipeline(*, char_ngrams: bool = True, c: float = 10.0) -> Pipeline:
    features: list[tuple[str, Any]] = [
        ("words", TfidfVectorizer(analyzer=DutchAnalyzer(), sublinear_tf=True)),
    ]
    if char_ngrams:
        features.append(
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    preprocessor=normalize,
                    ngram_range=(3, 5),
                    min_df=2,
                    sublinear_tf=True,
                ),
            )
        )
    return Pipeline(
        [
            ("features", FeatureUnion(features)),
            ("model", LogisticRegression(C=c, max_iter=5000, random_state=0)),
        ]
    )


@dataclass
class Model:
    """A trained classifier. ``predict`` gives the top labels with probabilities."""

    pipeline: Pipeline
    sklearn_version: str = sklearn.__version__

    @property
    def labels(self) -> list[str]:
        return [str(label) for label in self.pipeline.classes_]

    def predict(self, text: str, *, top: int = 3) -> list[tuple[str, float]]:
        """The ``top`` most likely labels, most likely first."""
        return self.predict_many([text], top=top)[0]

    def predict_many(self, texts: Sequence[str], *, top: int = 3) -> list[list[tuple[str, float]]]:
        probabilities = self.pipeline.predict_proba(list(texts))
        labels = self.labels
        results = []
        for row in probabilities:
            order = np.argsort(-row, kind="stable")[:top]
            results.append([(labels[i], float(row[i])) for i in order])
        return results

    def save(self, path: str | Path) -> None:
        payload = {
            "format": _FORMAT,
            "format_version": _FORMAT_VERSION,
            "sklearn_version": self.sklearn_version,
            "labels": self.labels,
            "pipeline": self.pipeline,
        }
        joblib.dump(payload, Path(path), compress=3)

    @classmethod
    def load(cls, path: str | Path) -> Model:
        """Load a model saved by :meth:`save` (a pickle: trusted files only)."""
        payload = joblib.load(Path(path))
        if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
            raise ValueError(f"{path} is not a wijkwijs intake classifier")
        if payload.get("format_version") != _FORMAT_VERSION:
            raise ValueError(f"{path}: unsupported format version {payload.get('format_version')}")
        saved_with = str(payload["sklearn_version"])
        if saved_with != sklearn.__version__:
            warnings.warn(
                f"classifier saved with scikit-learn {saved_with}, running "
                f"{sklearn.__version__}: retrain if predictions look wrong",
                stacklevel=2,
            )
        return cls(pipeline=payload["pipeline"], sklearn_version=saved_with)


def train(texts: Sequence[str], labels: Sequence[str], *, char_ngrams: bool = True, c: float = 10.0) -> Model:
    """Fit a model on ``texts`` with subcategory ``labels``. Deterministic."""
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    if len(set(labels)) < 2:
        raise ValueError("need at least two distinct labels")
    pipeline = build_pipeline(char_ngrams=char_ngrams, c=c)
    pipeline.fit(list(texts), list(labels))
    return Model(pipeline=pipeline)


def evaluate(
    texts: Sequence[str],
    labels: Sequence[str],
    test_size: float = 0.2,
    seed: int = 42,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    groups: Mapping[str, str] | None = None,
    char_ngrams: bool = True,
    c: float = 10.0,
) -> dict[str, Any]:
    """Train on a stratified split and score the held-out part.

    ``groups`` maps a label to a coarser one (subcategory -> main category)
    to also report accuracy at that level.
    """
    train_x, test_x, train_y, test_y = train_test_split(
        list(texts), list(labels), test_size=test_size, random_state=seed, stratify=list(labels)
    )
    model = train(train_x, train_y, char_ngrams=char_ngrams, c=c)
    ranked = model.predict_many(test_x, top=3)
    predicted = [r[0][0] for r in ranked]
    confidence = np.array([r[0][1] for r in ranked])
    correct = np.array([p == t for p, t in zip(predicted, test_y, strict=True)])
    top3 = np.array([t in {label for label, _ in r} for r, t in zip(ranked, test_y, strict=True)])
    above = confidence >= threshold

    classes = sorted(set(labels))
    precision, recall, f1, support = precision_recall_fscore_support(test_y, predicted, labels=classes, zero_division=0)
    result: dict[str, Any] = {
        "n_train": len(train_x),
        "n_test": len(test_x),
        "n_classes": len(classes),
        "top1_accuracy": float(correct.mean()),
        "top3_accuracy": float(top3.mean()),
        "macro_precision": float(np.mean(precision)),
        "macro_recall": float(np.mean(recall)),
        "threshold": threshold,
        "share_above_threshold": float(above.mean()),
        "accuracy_above_threshold": float(correct[above].mean()) if above.any() else None,
        "accuracy_below_threshold": float(correct[~above].mean()) if (~above).any() else None,
        "per_class": {
            label: {
                "precision": float(p),
                "recall": float(r),
                "f1": float(f),
                "support": int(s),
            }
            for label, p, r, f, s in zip(classes, precision, recall, f1, support, strict=True)
        },
        "confusions": Counter((t, p) for t, p in zip(test_y, predicted, strict=True) if t != p).most_common(15),
    }
    if groups is not None:
        group_hits = [groups.get(p, p) == groups.get(t, t) for p, t in zip(predicted, test_y, strict=True)]
        result["group_top1_accuracy"] = float(np.mean(group_hits))
    return result


def load_training_data(path: str | Path = TRAINING_DATA) -> tuple[list[str], list[str]]:
    """Read a ``text,category`` CSV (UTF-8, with header)."""
    texts: list[str] = []
    labels: list[str] = []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            texts.append(row["text"])
            labels.append(row["category"])
    return texts, labels
