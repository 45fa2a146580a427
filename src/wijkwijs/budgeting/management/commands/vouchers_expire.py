import json

from django.core.management.base import BaseCommand

from wijkwijs.budgeting.voucher_services import vouchers_expire
from wijkwijs.core.clock import now


class Command(BaseCommand):
    help = "Expire the unused neighbourhood cheques of every period that has ended (idempotent: safe to run every night)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        summary = vouchers_expire(now=now(), actor=None)
        if o["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(f"expired {summary['expired']} cheque(s) in {summary['periods']} period(s)")
