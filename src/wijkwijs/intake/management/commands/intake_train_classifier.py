import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wijkwijs.core.clock import now
from wijkwijs.core.errors import DomainError
from wijkwijs.intake.training import classifier_retrain


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
        try:
            summary = classifier_retrain(actor=None, now=now(), shipped=not o["no_shipped"], output=o["output"])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        if o["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"trained on {summary['examples']} examples ({summary['ownItems']} own items), {summary['classes']} categories\n"
                f"held-out accuracy: {summary['top1Accuracy']:.1%} (top 3: {summary['top3Accuracy']:.1%}, "
                f"main category: {summary['mainCategoryAccuracy']:.1%}); "
                f"{summary['shareAboveThreshold']:.0%} above the threshold {summary['threshold']} with "
                f"{summary['accuracyAboveThreshold']:.1%} accuracy\nmodel stored in {summary['model']}"
            )
