from wijkwijs.areas.codes import level_of, normalise, parent_code


def test_levels_of_cbs_codes():
    assert level_of("GM0828") == "GM"
    assert level_of("WK082801") == "WK"
    assert level_of("BU08280101") == "BU"
    assert level_of(" wk082801 ") == "WK"
    assert level_of("WK08280") is None
    assert level_of("XX0828") is None
    assert level_of("") is None
    assert level_of("WK0363AA") == "WK"  # letters allowed since 2023 (Amsterdam)
    assert level_of("BU0363AA01") == "BU"


def test_parents_follow_from_the_code():
    assert parent_code("BU08280101") == "WK082801"
    assert parent_code("WK082801") == "GM0828"
    assert parent_code("GM0828") is None
    assert normalise(" bu08280101") == "BU08280101"
