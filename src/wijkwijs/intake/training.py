"""Writes on the category classifier: retrain it and store the model under WIJKWIJS_VAR_DIR.

The model is trained on the shipped labelled set plus the municipality's own handled items
(:func:`wijkwijs.intake.selectors.training_examples`). Evaluation on a held-out split is
optional because it trains a second model.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from wijkwijs.audit.services import record
from wijkwijs.core.errors import DomainError
from wijkwijs.intake import classifier, suggest, taxonomy
from wijkwijs.intake.selectors import training_examples


def classifier_retrain(
    *,
    actor: Any,
    now: datetime,
    shipped: bool = True,
    own: bool = True,
    evaluate: bool = True,
    output: Path | None = None,
) -> dict[str, Any]:
    """Train, store and (optionally) evaluate the classifier; returns a JSON-ready summary."""
    own_texts, own_labels = training_examples() if own else ([], [])
    texts, labels = classifier.load_training_data() if shipped else ([], [])
    texts, labels = texts + own_texts, labels + own_labels
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    keep = [i for i, label in enumerate(labels) if counts[label] >= 2]  # a stratified split needs two per class
    texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    if len(set(labels)) < 2:
        raise DomainError("not enough labelled examples to train the classifier (at least two categories)")
    summary: dict[str, Any] = {"examples": len(texts), "ownItems": len(own_texts), "classes": len(set(labels))}
    if evaluate:
        report = classifier.evaluate(texts, labels, groups=taxonomy.main_label_map(), threshold=suggest.threshold())
        summary.update({
            "heldOut": report["n_test"], "top1Accuracy": round(report["top1_accuracy"], 3),
            "top3Accuracy": round(report["top3_accuracy"], 3),
            "mainCategoryAccuracy": round(report.get("group_top1_accuracy", 0.0), 3),
            "shareAboveThreshold": round(report["share_above_threshold"], 3),
            "accuracyAboveThreshold": round(report["accuracy_above_threshold"] or 0.0, 3),
            "threshold": report["threshold"],
        })
    model = classifier.train(texts, labels)
    path = output or suggest.model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    suggest.reset()
    summary["model"] = str(path)
    record(actor=actor, action="intake.classifier_retrained", now=now, data={k: v for k, v in summary.items() if k != "model"})
    return summary
