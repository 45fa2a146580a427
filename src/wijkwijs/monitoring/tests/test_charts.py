"""The inline SVG charts (pure): well-formed, labelled, escaped, and drawing the given values."""

import re
import xml.etree.ElementTree as ET

from wijkwijs.monitoring import charts

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_fmt_is_dutch():
    assert charts.fmt(10575) == "10.575"
    assert charts.fmt(12.5, 1) == "12,5"
    assert charts.fmt(None) == "–"
    assert charts.fmt(-1234.56, 2) == "-1.234,56"


def test_nice_ticks_cover_the_range_with_round_steps():
    ticks = charts.nice_ticks(9615, 10525)
    assert ticks[0] <= 9615 and ticks[-1] >= 10525
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() in (200, 250, 500)
    assert charts.nice_ticks(5, 5)[-1] > 5  # a flat series still gets a range


def test_line_chart_is_labelled_and_escapes_text():
    svg = charts.line_chart(
        [charts.Series("Schadewijk <script>", [("2019", 10.0), ("2020", 12.0), ("2021", None)]),
         charts.Series("Oss", [("2019", 11.0), ("2020", 11.5)], dashed=True)],
        ident="t1", title='Titel & "quote"', desc="Beschrijving", unit="%")
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "t1-t t1-d"
    assert root.find(f"{NS}title").text == 'Titel & "quote"'
    assert root.find(f"{NS}desc").text == "Beschrijving"
    assert "<script>" not in svg and "Schadewijk &lt;script&gt;" in svg
    paths = root.findall(f".//{NS}path")
    assert len(paths) == 2 and paths[1].get("stroke-dasharray")
    assert len(root.findall(f".//{NS}circle")) == 4  # missing values are not drawn
    # a higher value is drawn higher (smaller y)
    ys = [float(c.get("cy")) for c in root.findall(f".//{NS}circle")[:2]]
    assert ys[1] < ys[0]


def test_line_chart_without_values():
    root = parse(charts.line_chart([charts.Series("x", [("2020", None)])], ident="e", title="t", desc="d"))
    assert root.find(f"{NS}title").text == "t"


def test_pyramid_bar_widths_follow_the_shares():
    bands = [charts.Band("0-14", 0.10, 0.2), charts.Band("15-64", 0.40, 0.4), charts.Band("65+", 0.20, None)]
    root = parse(charts.pyramid(bands, ident="p", title="Leeftijd", desc="d", label="Wijk", reference_label="Oss"))
    filled = [r for r in root.findall(f".//{NS}rect") if r.get("fill") not in ("none",) and float(r.get("height")) > 20]
    widths = [round(float(r.get("width")) / float(filled[-1].get("width")), 3) for r in filled]
    assert widths == [2.0, 4.0, 1.0]  # oldest on top: 0.20 : 0.40 : 0.10
    assert "65+" in ET.tostring(root, encoding="unicode") and "40,0%" in ET.tostring(root, encoding="unicode")


def square(x: float, y: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]}


def test_choropleth_classes_highlight_and_no_data():
    areas = [charts.MapArea(f"A{i}", f"a{i}", square(5 + i, 51), float(i)) for i in range(5)]
    areas.append(charts.MapArea("N", "none", square(10, 51), None))
    areas[2].highlight = True
    root = parse(charts.choropleth(areas, ident="m", title="Kaart", desc="d"))
    fills = [p.get("fill") for p in root.findall(f".//{NS}path")]
    assert fills[:5] == list(charts.MAP_CLASSES)  # quantile classes light to dark
    assert fills[5] == charts.NO_DATA
    outlined = [p for p in root.findall(f".//{NS}path") if p.get("stroke") == charts.HIGHLIGHT]
    assert len(outlined) == 1
    legend = charts.legend([a.value for a in areas if a.value is not None])
    assert [c for c, _ in legend] == list(charts.MAP_CLASSES) and legend[0][1] == "≤ 0"
    assert re.match(r"^\d", legend[-1][1])


def test_choropleth_of_multipolygons_and_empty():
    geom = {"type": "MultiPolygon", "coordinates": [square(5, 51)["coordinates"], square(7, 51)["coordinates"]]}
    root = parse(charts.choropleth([charts.MapArea("X", "x", geom, 3.0)], ident="m2", title="t", desc="d"))
    assert root.findall(f".//{NS}path")[0].get("d").count("M") == 2
    assert parse(charts.choropleth([], ident="m3", title="t", desc="d")).find(f"{NS}title").text == "t"
