import pytest

from wijkwijs.areas.comparison import compare


def test_identical_clusterings_agree_fully():
    a = {"u1": "A", "u2": "A", "u3": "B", "u4": "B"}
    b = {"u1": "x", "u2": "x", "u3": "y", "u4": "y"}  # other names, same partition
    r = compare(a, b)
    assert r.adjusted_rand_index == pytest.approx(1.0)
    assert r.disagreements == []
    assert r.matching == {"A": "x", "B": "y"}
    assert r.matrix == [[2, 0], [0, 2]]


def test_hand_computed_adjusted_rand_index_and_disagreement():
    # Six units; the second clustering moves u3 from A to B.
    a = {"u1": "A", "u2": "A", "u3": "A", "u4": "B", "u5": "B", "u6": "B"}
    b = {"u1": "P", "u2": "P", "u3": "Q", "u4": "Q", "u5": "Q", "u6": "Q"}
    r = compare(a, b)
    # Contingency [[2,1],[0,3]]: sum C(n_ij,2) = 1 + 0 + 0 + 3 = 4; rows: C(3,2)*2 = 6;
    # cols: C(2,2) + C(4,2) = 7; expected = 6*7/15 = 2.8; max = (6+7)/2 = 6.5
    # ARI = (4 - 2.8) / (6.5 - 2.8) = 1.2 / 3.7
    assert r.adjusted_rand_index == pytest.approx(1.2 / 3.7)
    assert r.rows == ["A", "B"] and r.cols == ["P", "Q"]
    assert r.matrix == [[2, 1], [0, 3]]
    assert r.disagreements == [("u3", "A", "Q")]
    assert r.agreement_share == pytest.approx(5 / 6)


def test_units_in_only_one_clustering_are_reported_not_compared():
    r = compare({"u1": "A", "u2": "A", "u9": "A"}, {"u1": "P", "u2": "P", "u7": "Q"})
    assert r.only_in_first == ["u9"]
    assert r.only_in_second == ["u7"]
    assert r.common_units == 2


def test_more_clusters_on_one_side_leaves_a_cluster_unmatched():
    r = compare({"u1": "A", "u2": "B", "u3": "C"}, {"u1": "P", "u2": "P", "u3": "P"})
    assert sum(1 for v in r.matching.values() if v) == 1
    assert len(r.disagreements) == 2
