import json

from django.core.management.base import BaseCommand

from wijkwijs.core.clock import now
from wijkwijs.intake.escalation import contacts_anonymise_expired, items_escalate_overdue


class Command(BaseCommand):
    help = "Run the escalation ladder on overdue items (idempotent) and remove expired submitter contact data."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")
        parser.add_argument("--no-retention", action="store_true", help="Do not anonymise expired contact data.")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        moment = now()
        summary = items_escalate_overdue(now=moment, actor=None)
        summary["anonymised"] = 0 if o["no_retention"] else contacts_anonymise_expired(now=moment, actor=None)
        if o["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(f"escalated {summary['escalated']} step(s) on {summary['items']} item(s); "
                              f"anonymised {summary['anonymised']} contact(s)")
