"""``wijkwijs pb_allocate FILE.pb --rule RULE [--json]`` as a pure function (no Django)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TextIO

from wijkwijs.budgeting.rules import RULES, PabulibFormatError, read_pb


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pb_allocate", description="Allocate a PB budget.")
    parser.add_argument("file", help="pabulib .pb file")
    parser.add_argument("--rule", required=True, help="one of: " + ", ".join(sorted(RULES)))
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: list[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    rule = RULES.get(args.rule)
    if rule is None:
        print(f"unknown rule {args.rule!r}; known: {', '.join(sorted(RULES))}", file=err)
        return 2
    start = time.perf_counter()
    try:
        instance = read_pb(args.file)
    except PabulibFormatError as exc:
        print(f"{args.file}: {exc}", file=err)
        return 2
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{args.file}: {exc}", file=err)
        return 2
    parse_seconds = time.perf_counter() - start
    start = time.perf_counter()
    result = rule(instance)
    seconds = time.perf_counter() - start
    if args.json:
        payload = result.as_dict()
        payload["seconds"] = round(seconds, 6)
        payload["parse_seconds"] = round(parse_seconds, 6)
        print(json.dumps(payload), file=out)
        return 0
    print(f"Regel / rule: {result.rule}   Budget: {instance.meta.get('budget')}", file=out)
    print(f"{'project':<14} {'gekozen/selected':<17} reden / reason", file=out)
    for pid in instance.project_ids:
        expl = result.explanations.get(pid)
        mark = "ja / yes" if pid in result.selected else "nee / no"
        print(f"{pid:<14} {mark:<17} {expl.reason if expl else ''}", file=out)
    print(
        f"Totaal / total: {result.as_dict()['total_cost']}  ({seconds:.3f} s, "
        f"inlezen / parse {parse_seconds:.3f} s)",
        file=out,
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
