"""The category suggestion at submission: the classifier model from VAR_DIR, trained on first use."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from wijkwijs.intake import classifier

log = logging.getLogger(__name__)
_lock = threading.Lock()
_cache: dict[str, object] = {"key": None, "model": None}


@dataclass(frozen=True)
class Suggestion:
    category: str
    confidence: float
    threshold: float

    @property
    def confident(self) -> bool:
        return self.confidence >= self.threshold


def threshold() -> float:
    return float(getattr(settings, "INTAKE_CLASSIFIER_THRESHOLD", classifier.DEFAULT_THRESHOLD))


def model_path() -> Path:
    return Path(settings.VAR_DIR) / "intake" / "classifier.joblib"


def _model() -> classifier.Model | None:
    path = model_path()
    key = path.stat().st_mtime_ns if path.exists() else "shipped"
    with _lock:
        if _cache["key"] != key:
            model: classifier.Model | None
            try:
                if path.exists():
                    model = classifier.Model.load(path)
                else:
                    texts, labels = classifier.load_training_data()
                    model = classifier.train(texts, labels)
            except Exception:  # a broken model file must not stop the intake
                log.exception("intake classifier unavailable")
                model = None
            _cache["key"], _cache["model"] = key, model
        return _cache["model"]  # type: ignore[return-value]


def reset() -> None:
    with _lock:
        _cache["key"] = None
        _cache["model"] = None


def suggest(text: str) -> Suggestion | None:
    """The most likely category of ``text`` with its probability; None without a model."""
    if getattr(settings, "INTAKE_CLASSIFIER_ENABLED", True) is False or not text.strip():
        return None
    model = _model()
    if model is None:
        return None
    label, confidence = model.predict(text, top=1)[0]
    return Suggestion(category=label, confidence=round(confidence, 4), threshold=threshold())
