"""Write .env.example and the table in docs/configuration.md from the settings registry."""

from pathlib import Path

from django.core.management.base import BaseCommand

from wijkwijs.core.env import documented

BEGIN = "<!-- settings:begin -->"
END = "<!-- settings:end -->"


def env_example() -> str:
    lines = ["# Wijkwijs settings: every variable the app reads, with its default.", ""]
    for s in documented():
        lines.append(f"# {s.doc}")
        lines.append(f"{s.name}={s.default}")
        lines.append("")
    return "\n".join(lines)


def markdown_table() -> str:
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for s in documented():
        default = f"`{s.default}`" if s.default else "(empty)"
        rows.append(f"| `{s.name}` | {default} | {s.doc} |")
    return "\n".join(rows)


class Command(BaseCommand):
    help = "Regenerate .env.example and the settings table in docs/configuration.md."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--root", type=Path, default=Path.cwd())

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        root: Path = o["root"]
        (root / ".env.example").write_text(env_example(), encoding="utf-8")
        doc = root / "docs" / "configuration.md"
        text = doc.read_text(encoding="utf-8")
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        doc.write_text(text[:start] + "\n" + markdown_table() + "\n" + text[end:], encoding="utf-8")
        self.stdout.write("written .env.example and docs/configuration.md")
