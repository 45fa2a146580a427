"""Fill the project-level Dutch catalogue from locale/nl_translations.py and compile every
.po under src/wijkwijs to .mo with polib (no GNU gettext needed). Run by `make messages`."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import polib

SRC = Path(__file__).resolve().parents[1] / "src" / "wijkwijs"


def fill_project_catalogue() -> list[str]:
    spec = importlib.util.spec_from_file_location("nl_translations", SRC / "locale" / "nl_translations.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    table = module.NL
    po = polib.pofile(str(SRC / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    missing = []
    for entry in po:
        if entry.msgid_plural:
            value = table.get((entry.msgid, entry.msgid_plural))
            if value:
                entry.msgstr_plural = {0: value[0], 1: value[1]}
        else:
            value = table.get(entry.msgid)
            if value:
                entry.msgstr = value
        if not value:
            missing.append(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Language"] = "nl"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    return missing


def compile_all() -> None:
    for path in sorted(SRC.rglob("locale/*/LC_MESSAGES/django.po")):
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
        print(f"compiled {path.relative_to(SRC)}")


if __name__ == "__main__":
    missing = fill_project_catalogue()
    compile_all()
    if missing:
        print("untranslated in the project catalogue:", *missing, sep="\n  ", file=sys.stderr)
        sys.exit(1)
