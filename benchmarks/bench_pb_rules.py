"""Benchmark of the PB rules engine against pabutools 1.2.3 (not a test).

Prints: instance, rule, ours s, pabutools s, ratio. pabutools seconds come from
/work/shared/data/pabulib/pabutools_outcomes.json (recorded, marked "rec"; "rec>" = timed out,
so the ratio is a lower bound), or are measured in this run with --measure (greedy and mes on
approval instances, marked "run"). ``equalshares/add1`` has no pabutools counterpart; it is
compared with pabutools' iterated MES (``mes_add1``), the closest call. For iterated MES the
line also shows ours / parse time (the Lodz target is <= 3x). Exits 0.
Usage: python benchmarks/bench_pb_rules.py [--quick] [--measure] [--rules mes-add1,greedy]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from wijkwijs.budgeting.rules import RULES, read_pb  # noqa: E402

DATA = Path("/work/shared/data/pabulib")
MAP = {"greedy": "greedy_votes", "greedy-cost": "greedy_cost", "mes": "mes",
       "mes-greedy": "mes_greedy", "mes-add1": "mes_add1", "mes-add1-greedy": "mes_add1_greedy",
       "equalshares/add1": "mes_add1"}
QUICK = ["Netherlands_Assen_2024.pb", "Netherlands_Amsterdam_179.pb", "Poland_Swiecie_2023.pb",
         "Poland_Lodz_2022.pb"]


def measure_pabutools(path: Path, rule: str) -> float | None:
    try:
        from pabutools.election import Cost_Sat
        from pabutools.election.pabulib import parse_pabulib
        from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
    except ImportError:
        return None
    instance, profile = parse_pabulib(str(path))
    if instance.meta.get("vote_type") not in ("approval", "choose-1"):
        return None
    start = time.perf_counter()
    if rule == "greedy":
        greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    elif rule == "mes":
        method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    else:
        return None
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--rules", default=",".join(MAP))
    args = parser.parse_args(argv)
    recorded = json.loads((DATA / "pabutools_outcomes.json").read_text(encoding="utf-8"))
    names = QUICK if args.quick else sorted(k for k in recorded if k != "_meta")
    print(f"{'instance':<42} {'rule':<16} {'ours s':>9} {'pabutools s':>14} {'ratio':>8}")
    for name in names:
        start = time.perf_counter()
        inst = read_pb(DATA / name)
        parse = time.perf_counter() - start
        print(f"{name:<42} {'(parse)':<16} {parse:>9.3f}")
        for rule in args.rules.split(","):
            start = time.perf_counter()
            RULES[rule](inst)
            ours = time.perf_counter() - start
            entry = recorded[name].get(MAP[rule], {})
            theirs, src = entry.get("seconds"), "rec"
            if entry.get("timeout"):
                src = "rec>"
            if args.measure and rule in ("greedy", "mes"):
                measured = measure_pabutools(DATA / name, rule)
                if measured is not None:
                    theirs, src = measured, "run"
            ratio = f"{theirs / ours:8.1f}" if theirs else "       -"
            shown = f"{theirs:.3f} {src}" if theirs else "-"
            extra = f"  {ours / parse:5.1f}x parse" if "add1" in rule else ""
            print(f"{name:<42} {rule:<16} {ours:>9.3f} {shown:>14} {ratio}{extra}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
