"""Voting and receipt codes: generation, normalisation and the keyed hash that is stored.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 60 bits,
printed as ``XXXX-XXXX-XXXX``. Only ``salted_hmac(SECRET_KEY)`` of the normalised code is
stored, so a copy of the database alone does not reveal or let anyone test codes offline.
"""

from __future__ import annotations

import random
import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12


def generate(rng: random.Random | None = None) -> str:
    chars = [rng.choice(ALPHABET) if rng else secrets.choice(ALPHABET) for _ in range(LENGTH)]
    raw = "".join(chars)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def sequence(count: int, rng: random.Random | None = None) -> list[str]:
    """``count`` distinct codes; with a seeded ``rng`` always the same ones."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < count:
        code = generate(rng)
        if code not in seen:
            seen.add(code)
            out.append(code)
    return out


def demo_rng(slug: str) -> random.Random:
    """The generator of a demo round's first batch of codes, so the demo can show unused ones."""
    return random.Random(f"wijkwijs-demo-codes:{slug}")


def normalise(text: str) -> str:
    """Upper case, without spaces or dashes (a code typed as ``abcd efgh jkmn`` is accepted)."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned


def is_well_formed(text: str) -> bool:
    code = normalise(text)
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def voting_hash(text: str) -> str:
    return salted_hmac("wijkwijs.budgeting.voting-code", normalise(text), algorithm="sha256").hexdigest()


def receipt_hash(text: str) -> str:
    return salted_hmac("wijkwijs.budgeting.receipt", normalise(text), algorithm="sha256").hexdigest()
