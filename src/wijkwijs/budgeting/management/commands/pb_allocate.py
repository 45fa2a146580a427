"""``wijkwijs pb_allocate FILE.pb --rule RULE --json``: run an allocation rule on a pabulib file.

Needs no database: the command only reads the file and runs the pure rules engine."""

import sys

from django.core.management.base import BaseCommand, CommandError

from wijkwijs.budgeting.rules.cli import main


class Command(BaseCommand):
    help = "Allocate a participatory budget from a pabulib .pb file with a named rule (no database needed)."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def run_from_argv(self, argv: list[str]) -> None:
        # argv = [prog, "pb_allocate", ...]; the pure CLI parses the rest itself.
        code = main(argv[2:])
        if code:
            sys.exit(code)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        raise CommandError("use: wijkwijs pb_allocate FILE.pb --rule RULE [--json]")
