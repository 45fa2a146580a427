import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wijkwijs.intake import classifier, suggest, taxonomy
from wijkwijs.intake.selectors import training_examples


class Command(BaseCommand):
    help = (
        "Retrain the category classifier from the municipality's own handled items plus the shipped labelled set, "
        "store it under WIJKWIJS_VAR_DIR/intake/classifier.joblib and print the held-out accuracy."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--json", action="store_true", help="Print the evaluation as JSON.")
        parser.add_argument("--no-shipped", action="store_true", help="Use only the municipality's own items.")
        parser.add_argument("--output", type=Path, help="Where to store the model (default: under WIJKWIJS_VAR_DIR).")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        own_texts, own_labels = training_examples()
        texts, labels = ([], []) if o["no_shipped"] else classifier.load_training_data()
        texts, labels = texts + own_texts, labels + own_labels
        counts: dict[str, int] = {}
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
        keep = [i for i, label in enumerate(labels) if counts[label] >= 2]  # a stratified split needs two per class
        texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
        if len(set(labels)) < 2:
            raise CommandError("not enough labelled examples to train")
        report = classifier.evaluate(texts, labels, groups=taxonomy.main_label_map(), threshold=suggest.threshold())
        model = classifier.train(texts, labels)
        path = o["output"] or suggest.model_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        model.save(path)
        suggest.reset()
        summary = {
            "examples": len(texts), "ownItems": len(own_texts), "classes": report["n_classes"],
            "heldOut": report["n_test"], "top1Accuracy": round(report["top1_accuracy"], 3),
            "top3Accuracy": round(report["top3_accuracy"], 3),
            "mainCategoryAccuracy": round(report.get("group_top1_accuracy", 0.0), 3),
            "shareAboveThreshold": round(report["share_above_threshold"], 3),
            "accuracyAboveThreshold": round(report["accuracy_above_threshold"] or 0.0, 3),
            "threshold": report["threshold"], "model": str(path),
        }
        if o["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"trained on {summary['examples']} examples ({summary['ownItems']} own items), {summary['classes']} categories\n"
                f"held-out accuracy: {summary['top1Accuracy']:.1%} (top 3: {summary['top3Accuracy']:.1%}, "
                f"main category: {summary['mainCategoryAccuracy']:.1%}); "
                f"{summary['shareAboveThreshold']:.0%} above the threshold {summary['threshold']} with "
                f"{summary['accuracyAboveThreshold']:.1%} accuracy\nmodel stored in {path}"
            )
