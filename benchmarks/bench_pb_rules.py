"""Benchmark of the PB rules engine against pabutools 1.2.3 (not a test).

For every shared instance and rule it prints our seconds, pabutools' seconds for the same
call, the ratio, and for iterated MES also ours / our parse time (the Lodz target is <= 3x).
pabutools is **measured in this run** (``run``) when its recorded time in
/work/shared/data/pabulib/pabutools_outcomes.json is at most ``--limit`` seconds (parse time
excluded, as recorded); slower calls use the recorded seconds (``rec``; ``rec>`` = pabutools
timed out at 300 s, so the ratio is a lower bound; ``--run-timeouts`` runs those too, with no
time limit but an address-space cap (``--memory-gib``, in a forked child): a finished run gives a
measured ratio, one that runs out of memory is reported and keeps the lower bound). The official rules have no pabutools
counterpart; they are compared with the closest pabutools call (``greedy-no-skip`` and
``greedy-threshold`` with greedy, ``equalshares`` and ``equalshares-comparison`` with MES,
``equalshares/add1`` and ``equalshares/add1-comparison`` with iterated MES). Our seconds are the
best of ``--repeat`` runs. Times are CPU seconds of this process (``time.process_time``, both for
ours and for pabutools measured here; ``--wall`` for wall-clock), since other jobs share the
cores; the recorded pabutools seconds are wall-clock on a 2-vCPU machine. ``target`` is "ok" when the ratio is >= 100, "-" when pabutools needs
less than a second (no target). ``--markdown`` also prints the summary table for the docs.
Before the first timing one small ``mes-add1`` call warms up the compiled (Numba) kernels; its
seconds are printed separately (compile time on a cold cache, cache loading otherwise).

Usage: python benchmarks/bench_pb_rules.py [--quick] [--limit 20] [--repeat 3]
       [--rules mes-add1,greedy] [--instances Poland_Lodz_2022.pb,...] [--markdown]
       [--run-timeouts [--memory-gib 16]]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from wijkwijs.budgeting.rules import RULES, read_pb  # noqa: E402

DATA = Path("/work/shared/data/pabulib")
MAP = {
    "greedy": "greedy_votes", "greedy-cost": "greedy_cost", "mes": "mes",
    "mes-greedy": "mes_greedy", "mes-add1": "mes_add1", "mes-add1-greedy": "mes_add1_greedy",
    "greedy-no-skip": "greedy_votes", "greedy-threshold": "greedy_votes",
    "equalshares": "mes", "equalshares-comparison": "mes",
    "equalshares/add1": "mes_add1", "equalshares/add1-comparison": "mes_add1",
}
WARMUP = "Netherlands_Amsterdam_643.pb"  # smallest shared instance
QUICK = ["Netherlands_Assen_2024.pb", "Netherlands_Amsterdam_179.pb", "Poland_Swiecie_2023.pb",
         "Poland_Lodz_2022.pb"]


def _pabutools_calls(path: Path, vote_type: str, length: int) -> dict[str, Any] | None:
    """pabutools calls of pabutools_outcomes.json's _meta, ready to time (None if missing)."""
    try:
        from pabutools.election import Cardinality_Sat, Cost_Sat
        from pabutools.election.pabulib import parse_pabulib
        from pabutools.election.satisfaction import AdditiveSatisfaction
        from pabutools.rules import (
            completion_by_rule_combination,
            greedy_utilitarian_welfare,
            method_of_equal_shares,
        )
    except ImportError:
        return None
    instance, profile = parse_pabulib(str(path))

    def weight(ballot: Any, project: Any) -> Any:
        if vote_type == "ordinal":
            ranked = list(ballot)
            return length - ranked.index(project) if project in ranked else 0
        return ballot.get(project, 0)

    class PointsCost(AdditiveSatisfaction):  # type: ignore[misc]
        def __init__(self, inst: Any, prof: Any, ballot: Any) -> None:
            super().__init__(inst, prof, ballot,
                             lambda i, p, b, proj, pre: weight(b, proj) * proj.cost)

    class Points(AdditiveSatisfaction):  # type: ignore[misc]
        def __init__(self, inst: Any, prof: Any, ballot: Any) -> None:
            super().__init__(inst, prof, ballot, lambda i, p, b, proj, pre: weight(b, proj))

    plain, aware = (Cost_Sat, Cardinality_Sat) if vote_type in ("approval", "choose-1") else (
        PointsCost, Points)
    mes, greedy = method_of_equal_shares, greedy_utilitarian_welfare
    return {
        "greedy_votes": lambda: greedy(instance, profile, sat_class=plain),
        "greedy_cost": lambda: greedy(instance, profile, sat_class=aware),
        "mes": lambda: mes(instance, profile, sat_class=plain),
        "mes_greedy": lambda: completion_by_rule_combination(
            instance, profile, [mes, greedy], [{"sat_class": plain}, {"sat_class": plain}]),
        "mes_add1": lambda: mes(instance, profile, sat_class=plain, voter_budget_increment=1),
        "mes_add1_greedy": lambda: completion_by_rule_combination(
            instance, profile, [mes, greedy],
            [{"sat_class": plain, "voter_budget_increment": 1}, {"sat_class": plain}]),
    }


CLOCK = time.process_time  # CPU seconds: robust when other jobs share the cores


def _timed_capped(func: Any, gib: float) -> float | str:
    """``_timed(func, 1)`` in a forked child whose address space is capped at ``gib`` GiB, so
    a pabutools run that outgrows the machine ends as "out of memory" instead of taking the
    benchmark (or the machine) down."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        cap = int(gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        try:
            text = repr(_timed(func, 1))
        except MemoryError:
            text = "'out of memory'"
        os.write(write, text.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    return float(text) if text and text[0].isdigit() else f"out of memory at {gib:g} GiB"


def _timed(func: Any, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = CLOCK()
        func()
        best = min(best, CLOCK() - start)
        if best > 1.0:  # long runs: one is enough
            break
    return best


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="four instances only")
    parser.add_argument("--limit", type=float, default=20.0,
                        help="measure pabutools when its recorded seconds are at most this")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rules", default=",".join(MAP))
    parser.add_argument("--instances", default="")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--run-timeouts", action="store_true",
                        help="also run pabutools where its recorded run timed out at 300 s, with no "
                             "time limit, in a child process capped at --memory-gib (Budapest "
                             "mes_add1 grew to 23.5 GB in about 17 minutes and was killed)")
    parser.add_argument("--memory-gib", type=float, default=16.0,
                        help="address-space cap of those pabutools runs (default 16)")
    parser.add_argument("--wall", action="store_true", help="wall-clock instead of CPU time")
    args = parser.parse_args(argv)
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter
    recorded = json.loads((DATA / "pabutools_outcomes.json").read_text(encoding="utf-8"))
    names = sorted(k for k in recorded if k != "_meta")
    if args.quick:
        names = QUICK
    if args.instances:
        names = args.instances.split(",")
    rules = args.rules.split(",")
    rows: list[dict[str, Any]] = []
    # warm-up: the compiled kernels of iterated MES are compiled on their first call (or
    # loaded from Numba's on-disk cache, see mes_kernels.py); keep that out of the timings
    start = CLOCK()
    RULES["mes-add1"](read_pb(DATA / WARMUP))
    print(f"warm-up (one mes-add1 on {WARMUP}: Numba kernels compiled or loaded from cache, "
          f"not in the timings below): {CLOCK() - start:.3f} s", flush=True)
    print(f"{'instance':<40} {'rule':<28} {'ours s':>8} {'pabutools s':>13} {'ratio':>8} target")
    for name in names:
        parse = _timed(lambda n=name: read_pb(DATA / n), args.repeat)
        inst = read_pb(DATA / name)
        print(f"{name:<40} {'(parse)':<28} {parse:>8.3f}", flush=True)
        raw = inst.meta.get("max_length", "").strip()
        length = int(raw) if raw and raw.lower() != "none" else inst.num_projects
        calls = None
        measured: dict[str, float | str] = {}
        for rule in rules:
            ours = _timed(lambda r=rule, i=inst: RULES[r](i), args.repeat)
            key = MAP[rule]
            entry = recorded[name].get(key, {})
            theirs, src = entry.get("seconds"), "rec"
            timed_out = bool(entry.get("timeout"))
            if timed_out and not args.run_timeouts:
                src = "rec>"
            elif theirs is not None and (theirs <= args.limit or timed_out):
                if key not in measured:
                    if calls is None:
                        calls = _pabutools_calls(DATA / name, inst.vote_type, length) or {}
                    if key in calls:
                        measured[key] = (_timed_capped(calls[key], args.memory_gib) if timed_out
                                         else _timed(calls[key], 1))
                got = measured.get(key)
                if isinstance(got, str):  # ran out of memory: still a lower bound
                    src = "rec>"
                    print(f"{name:<40} {'pabutools ' + key:<28} {got}", flush=True)
                elif got is not None:
                    theirs, src = got, "run"
            ratio = theirs / ours if theirs else None
            target = "-" if not theirs or theirs < 1.0 else ("ok" if ratio >= 100 else "MISSED")
            shown = f"{theirs:.3f} {src}" if theirs else "-"
            extra = f"  {ours / parse:5.1f}x parse" if "add1" in rule else ""
            text = f"{ratio:8.1f}" if ratio else "       -"
            print(f"{name:<40} {rule:<28} {ours:>8.3f} {shown:>13} {text} {target}{extra}",
                  flush=True)
            rows.append({"name": name, "rule": rule, "ours": ours, "theirs": theirs, "src": src,
                         "ratio": ratio, "parse": parse, "target": target})
    if args.markdown:
        _markdown(rows, names, rules)
    return 0


def _short(name: str) -> str:
    return name.removesuffix(".pb").replace("US_Stanford_Dataset_", "").replace(
        "Canada_Stanford_Dataset_", "").replace("_", " ")


def _markdown(rows: list[dict[str, Any]], names: list[str], rules: list[str]) -> None:
    print("\n| instance | parse s | " + " | ".join(rules) + " |")
    print("|---|---:|" + "---:|" * len(rules))
    for name in names:
        cells = []
        parse = 0.0
        for rule in rules:
            row = next(r for r in rows if r["name"] == name and r["rule"] == rule)
            parse = row["parse"]
            if row["ratio"] is None:
                cells.append(f"{row['ours']:.3f} / -")
                continue
            mark = "" if row["target"] != "MISSED" else " **x**"
            gt = ">" if row["src"] == "rec>" else ""
            rec = "r" if row["src"].startswith("rec") else ""
            cells.append(f"{row['ours']:.3f} / {gt}{row['ratio']:.0f}{rec}{mark}")
        print(f"| {_short(name)} | {parse:.3f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
