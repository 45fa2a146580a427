"""Comparing two clusterings of the same units (A3). Pure: no Django.

The overlap matrix counts the units that cluster ``a`` of the first and cluster ``b`` of the
second have in common. Clusters are matched one-to-one so that the matched pairs share as many
units as possible (the Hungarian method); a unit *disagrees* when its cluster in the second
clustering is not the partner of its cluster in the first. The agreement score is the adjusted
Rand index (1 = identical partitions, about 0 = no better than chance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score


@dataclass(frozen=True)
class Comparison:
    rows: list[str]  # cluster names of the first clustering
    cols: list[str]  # cluster names of the second clustering
    matrix: list[list[int]]  # matrix[i][j]: units in rows[i] and cols[j]
    matching: dict[str, str | None]  # first cluster -> matched second cluster
    disagreements: list[tuple[str, str, str]]  # (unit, cluster in first, cluster in second)
    only_in_first: list[str]
    only_in_second: list[str]
    common_units: int
    adjusted_rand_index: float | None

    @property
    def agreement_share(self) -> float | None:
        if not self.common_units:
            return None
        return 1 - len(self.disagreements) / self.common_units


def natural_key(text: str) -> list[object]:
    """Sort "2 Schadewijk" before "10 Lith"."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def compare(first: dict[str, str], second: dict[str, str]) -> Comparison:
    """Compare two assignments ``unit -> cluster name``."""
    common = sorted(set(first) & set(second))
    rows = sorted({first[u] for u in common}, key=natural_key)
    cols = sorted({second[u] for u in common}, key=natural_key)
    r_index = {name: i for i, name in enumerate(rows)}
    c_index = {name: j for j, name in enumerate(cols)}
    matrix = np.zeros((len(rows), len(cols)), dtype=int)
    for unit in common:
        matrix[r_index[first[unit]], c_index[second[unit]]] += 1

    matching: dict[str, str | None] = dict.fromkeys(rows)
    if matrix.size:
        ri, ci = linear_sum_assignment(matrix, maximize=True)
        for i, j in zip(ri, ci):
            if matrix[i, j] > 0:
                matching[rows[i]] = cols[j]

    disagreements = [
        (unit, first[unit], second[unit])
        for unit in common
        if matching.get(first[unit]) != second[unit]
    ]
    ari = (
        float(adjusted_rand_score([first[u] for u in common], [second[u] for u in common]))
        if len(common) >= 2
        else None
    )
    return Comparison(
        rows=rows,
        cols=cols,
        matrix=matrix.tolist(),
        matching=matching,
        disagreements=disagreements,
        only_in_first=sorted(set(first) - set(second)),
        only_in_second=sorted(set(second) - set(first)),
        common_units=len(common),
        adjusted_rand_index=ari,
    )
