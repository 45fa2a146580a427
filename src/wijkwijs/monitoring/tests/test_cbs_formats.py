import csv
import json
from pathlib import Path

import pytest

from wijkwijs.areas.codes import parent_code
from wijkwijs.monitoring.catalogue_data import (
    PROPERTIES_PATH,
    build_properties,
    load_dictionary,
    strip_suffix,
)
from wijkwijs.monitoring.cbs_formats import (
    MISSING,
    NIL,
    NOT_APPLICABLE,
    SECRET,
    ParseError,
    RejectedRowsError,
    detect_format,
    level_of,
    parse_cell,
    read_cbs,
)

DATA = Path(__file__).parent / "data"
OSS_CSV = DATA / "kwb_2024_oss.csv"
OSS_STATLINE = DATA / "kwb2024_statline_bevolking_oss.csv"
OSS_JSON = DATA / "kwb2024_85984NED_oss_subset.json"
TYPED_JSON = DATA / "kwb2024_85984NED_typeddataset_sample.json"
SHARED = Path("/work/shared/data/cbs")
LEVELS = {"Gemeente": "GM", "Wijk": "WK", "Buurt": "BU", "Land": "NL"}


def test_odata_csv_equals_the_source_file_for_every_row() -> None:
    with OSS_CSV.open(encoding="utf-8") as f:
        source = list(csv.DictReader(f))
    result = read_cbs(OSS_CSV)
    assert result.ok and result.format == "odata_csv" and not result.unmapped_columns
    assert len(result.rows) == len(source) == 130
    text_cols = {
        "jaar",
        "Codering_3",
        "WijkenEnBuurten",
        "Gemeentenaam_1",
        "SoortRegio_2",
        "IndelingswijzigingGemeenteWijkBuurt_4",
    }
    for row, src in zip(result.rows, source, strict=True):
        assert row.code == src["Codering_3"].strip()
        assert row.name == src["WijkenEnBuurten"].strip()
        assert row.level == LEVELS[src["SoortRegio_2"]]
        assert row.period == src["jaar"]
        assert row.attributes["Gemeentenaam"] == "Oss"
        for col, cell in src.items():
            if col in text_cols:
                continue
            expected = None if cell.strip() in ("", ".") else int(cell)
            assert row.values[strip_suffix(col)] == expected, (row.code, col)
    oss = result.rows[0]
    assert (oss.code, oss.values["AantalInwoners"], oss.values["BuitenEuropa"]) == ("GM0828", 94634, 12671)


def test_parents_are_derived_from_codes() -> None:
    rows = {r.code: r for r in read_cbs(OSS_CSV).rows}
    assert rows["BU08280101"].parent_code == "WK082801"
    assert rows["WK082801"].parent_code == "GM0828"
    assert rows["GM0828"].parent_code is None
    assert parent_code("BU0363AA01") == "WK0363AA" and level_of("WK0363AA") == "WK"
    assert level_of("WK08281") is None and level_of("XX0828") is None


def test_empty_and_dot_are_none_never_zero() -> None:
    rows = {r.code: r for r in read_cbs(OSS_CSV).rows}
    buurt = rows["BU08280000"]
    assert buurt.values["Woningvoorraad"] is None
    assert buurt.flags["Woningvoorraad"] == NOT_APPLICABLE
    assert rows["BU08280501"].values["AantalInwoners"] == 0  # a real zero stays 0
    assert parse_cell(".") == (None, MISSING)
    assert parse_cell("  x ") == (None, SECRET)
    assert parse_cell("-") == (0, NIL)
    assert parse_cell("") == (None, NOT_APPLICABLE)
    assert parse_cell("12,5", comma_decimal=True) == (12.5, None)
    for bad in ("abc", "nan", "1_000", "inf"):
        with pytest.raises(ValueError):
            parse_cell(bad)


def test_statline_export_gives_the_same_values_as_the_odata_csv() -> None:
    statline = read_cbs(OSS_STATLINE)
    assert statline.format == "statline_csv" and statline.ok and not statline.unmapped_columns
    odata = {r.code: r for r in read_cbs(OSS_CSV).rows}
    assert len(statline.rows) == 130
    for row in statline.rows:
        other = odata[row.code]
        assert (row.name, row.level, row.parent_code, row.period) == (
            other.name,
            other.level,
            other.parent_code,
            other.period,
        )
        assert len(row.values) == 8
        for key, value in row.values.items():
            assert value == other.values[key], (row.code, key)


def test_odata_json_dict_variant_and_typed_dataset() -> None:
    result = read_cbs(OSS_JSON, period="2024")
    assert detect_format(OSS_JSON) == "odata_json" and result.ok
    odata = {r.code: r for r in read_cbs(OSS_CSV).rows}
    assert len(result.rows) == 24
    for row in result.rows:
        for key, value in row.values.items():
            assert value == odata[row.code].values[key], (row.code, key)
    typed = read_cbs(TYPED_JSON, period="2024")
    assert typed.ok, typed.rejects
    codes = [r.code for r in typed.rows]
    assert codes == ["GM0828", "WK082800", "BU08280000"]
    buurt = typed.rows[2]
    assert buurt.values["Woningvoorraad"] is None and buurt.flags["Woningvoorraad"] == MISSING
    assert buurt.values["GemiddeldeHuishoudensgrootte"] is None
    assert typed.rows[0].name == "Oss" and typed.rows[1].values["AantalInwoners"] == 6245


def test_bad_rows_are_all_reported_with_line_and_reason(tmp_path: Path) -> None:
    f = tmp_path / "kwb_2024_bad.csv"
    f.write_text(
        "jaar,Codering_3,WijkenEnBuurten,SoortRegio_2,AantalInwoners_5,Mannen_6\n"
        "2024,GM0828,Oss,Gemeente,94634,47703\n"  # line 2 ok
        "2024,WK082800,Centrum,Wijk,6245\n"  # line 3 too few columns
        "2024,WK082801,Schadewijk,Wijk,veel,5000\n"  # line 4 non-numeric
        "2024,WK08280,Kapot,Wijk,10,5\n"  # line 5 bad code
        "2024,WK082802,Zuid,Buurt,330,.\n"  # line 6 SoortRegio does not match
        "2024,GM0828,Oss,Gemeente,1,1\n"  # line 7 duplicate
        "2024,WK082803,Oss-Zuid,Wijk,6545,.\n",  # line 8 ok
        encoding="utf-8",
    )
    result = read_cbs(f)
    assert [r.code for r in result.rows] == ["GM0828", "WK082803"]
    assert result.rows[1].values["Mannen"] is None
    lines = {e.line: e.message for e in result.rejects}
    assert sorted(lines) == [3, 4, 5, 6, 7]
    assert "expected 6 columns, got 5" in lines[3]
    assert "AantalInwoners_5" in lines[4] and "veel" in lines[4]
    assert "unknown code shape" in lines[5]
    assert "SoortRegio" in lines[6]
    assert "duplicate" in lines[7]
    assert all(e.path == str(f) for e in result.rejects)
    with pytest.raises(RejectedRowsError) as info:
        result.raise_for_rejects()
    assert len(info.value.errors) == 5 and f"{f}:4:" in str(info.value)


def test_file_level_errors(tmp_path: Path) -> None:
    nocode = tmp_path / "nocode.csv"
    nocode.write_text("jaar,WijkenEnBuurten,AantalInwoners_5\n2024,Oss,1\n", encoding="utf-8")
    with pytest.raises(ParseError, match="no area code column"):
        read_cbs(nocode)
    noperiod = tmp_path / "noperiod.csv"
    noperiod.write_text("Codering_3,AantalInwoners_5\nGM0828,1\n", encoding="utf-8")
    with pytest.raises(ParseError, match="no period"):
        read_cbs(noperiod)
    assert read_cbs(noperiod, period="2023").rows[0].period == "2023"
    junk = tmp_path / "junk.txt"
    junk.write_text("hello world\n", encoding="utf-8")
    with pytest.raises(ParseError, match="unrecognised format"):
        detect_format(junk)
    conflict = read_cbs(OSS_CSV, period="2023")
    assert not conflict.rows and len(conflict.rejects) == 130
    assert "differs from the requested" in conflict.rejects[0].message


def test_statline_unknown_headers_are_reported_not_guessed(tmp_path: Path) -> None:
    lines = OSS_STATLINE.read_text(encoding="utf-8").splitlines()
    lines[0] += ";Bevolking/Iets nieuws (aantal)"
    lines[1:] = [ln + ";7" for ln in lines[1:]]
    f = tmp_path / "kwb2024_extra.csv"
    f.write_text("\n".join(lines), encoding="utf-8")
    result = read_cbs(f)
    assert result.unmapped_columns == ["Bevolking/Iets nieuws (aantal)"]
    assert result.ok and len(result.rows) == 130
    assert set(result.rows[0].values) == set(read_cbs(OSS_STATLINE).rows[0].values)


def test_statline_without_codes_can_be_aligned_by_row_order(tmp_path: Path) -> None:
    coded = read_cbs(OSS_STATLINE).rows
    rows = [ln.split(";") for ln in OSS_STATLINE.read_text(encoding="utf-8").splitlines()]
    f = tmp_path / "kwb2024_nocodes.csv"
    f.write_text("\n".join(";".join(r[:3] + r[4:]) for r in rows), encoding="utf-8")
    aligned = read_cbs(f, align_with=coded)
    assert aligned.ok and [r.code for r in aligned.rows] == [r.code for r in coded]
    shifted = read_cbs(f, align_with=coded[1:] + coded[:1])
    assert shifted.rejects and "differs from" in shifted.rejects[0].message


def test_ambiguous_name_parts_are_qualified(tmp_path: Path) -> None:
    f = tmp_path / "kwb_2024_herkomst.csv"
    f.write_text(
        "jaar,Codering_3,Nederland_17,Nederland_20,Appartement_54,Appartement_62\n2024,GM0828,10,8,2000,900\n",
        encoding="utf-8",
    )
    values = read_cbs(f).rows[0].values
    assert values == {
        "Nederland": 10,
        "GeborenInNederland_Nederland": 8,
        "Appartement": 2000,
        "GemiddeldAardgasverbruik_Appartement": 900,
    }
    other_year = tmp_path / "kwb_2030.csv"
    other_year.write_text(
        "jaar,Codering_3,AantalInwoners_7,Nederland_19,Nederland_22\n2030,GM0828,5,3,2\n", encoding="utf-8"
    )
    result = read_cbs(other_year)
    assert result.rows[0].values == {"AantalInwoners": 5, "Nederland": 3, "GeborenInNederland_Nederland": 2}
    assert any("column order" in w for w in result.warnings)


def test_shipped_dictionary_is_derived_from_cbs_metadata() -> None:
    raw = SHARED / "raw" / "85984NED_DataProperties.json"
    if not raw.exists():
        pytest.skip("CBS DataProperties not available outside the development machine")
    shipped = json.loads(PROPERTIES_PATH.read_text(encoding="utf-8"))
    english = {p["key"]: p["title_en"] for p in shipped["properties"]}
    rebuilt = build_properties(json.loads(raw.read_text(encoding="utf-8")), english)
    assert rebuilt == shipped
    d = load_dictionary()
    assert d.by_odata_key["AantalInwoners_5"].key == "AantalInwoners"
    assert "85984NED" in d.credit and "CC BY 4.0" in d.credit


@pytest.mark.slow
def test_national_size_file_parses_completely(tmp_path: Path) -> None:
    national = SHARED / "kwb_2024_nl_bevolking_herkomst.csv"
    if not national.exists():  # outside the dev machine: synthesise 18k rows from the Oss rows
        lines = OSS_CSV.read_text(encoding="utf-8").splitlines()
        out = [lines[0]]
        for m in range(140):
            for ln in lines[1:]:
                cells = ln.split(",")
                cells[1] = cells[1][:2] + f"{m:04d}" + cells[1][6:]
                out.append(",".join(cells))
        national = tmp_path / "kwb_2024_synthetic.csv"
        national.write_text("\n".join(out), encoding="utf-8")
    # Speed is measured by benchmarks/bench_monitor_import.py (no timed assertions in tests).
    result = read_cbs(national)
    assert len(result.rows) >= 18_000 and result.ok
