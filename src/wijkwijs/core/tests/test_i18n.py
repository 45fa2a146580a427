"""Everything a user reads is in Dutch: every catalogue entry is translated and compiled."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.utils import translation

SRC = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(SRC.rglob("locale/nl/LC_MESSAGES/django.po"))


def test_there_is_a_dutch_catalogue():
    assert SRC / "locale/nl/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_every_entry_is_translated_and_compiled(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run `make messages`"
    compiled = {(e.msgid, e.msgstr) for e in polib.mofile(str(mo)) if not e.msgid_plural}
    for entry in po.translated_entries():
        if not entry.msgid_plural:
            assert (entry.msgid, entry.msgstr) in compiled, f"{mo} is stale: run `make messages`"


def test_dutch_is_the_default_and_english_available(client, db):
    html = client.get("/").content.decode()
    assert '<html lang="nl">' in html and "Gebieden in Oss" in html
    with translation.override("en"):
        assert translation.gettext("Areas") == "Areas"
