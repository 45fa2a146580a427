"""Boundaries: reading GeoJSON (WGS84 or RD New), validating, and point look-ups.

Pure module (shapely and pyproj, no Django). Coordinates are stored as GeoJSON in WGS84
(lon, lat), rounded to 6 decimals (about 0.1 m).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely import STRtree
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from wijkwijs.core.errors import Problem

#: Property names that carry the area code and name, as CBS/PDOK and cartomap publish them.
CODE_PROPERTIES = ("statcode", "code", "buurtcode", "wijkcode", "gemeentecode", "CBS_CODE")
NAME_PROPERTIES = ("statnaam", "name", "naam", "buurtnaam", "wijknaam", "gemeentenaam")

# RD New covers the Netherlands with x in about 0..300 km and y in about 289..629 km.
_RD_X = (-7_000.0, 300_000.0)
_RD_Y = (289_000.0, 629_000.0)


@dataclass
class Feature:
    code: str
    name: str
    geometry: dict[str, Any]
    properties: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _rd_to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def rd_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """RD New (EPSG:28992) metres to (lon, lat)."""
    lon, lat = _rd_to_wgs84().transform(x, y)
    return float(lon), float(lat)


def _transform_rd(coords: np.ndarray) -> np.ndarray:
    lon, lat = _rd_to_wgs84().transform(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def _declared_crs(doc: dict[str, Any]) -> str | None:
    crs = doc.get("crs")
    if not isinstance(crs, dict):
        return None
    name = str((crs.get("properties") or {}).get("name", ""))
    if "28992" in name:
        return "EPSG:28992"
    if "4326" in name or "CRS84" in name:
        return "EPSG:4326"
    return name or None


def _looks_like_rd(geom: BaseGeometry) -> bool:
    minx, miny, maxx, maxy = geom.bounds
    return _RD_X[0] <= minx and maxx <= _RD_X[1] and _RD_Y[0] <= miny and maxy <= _RD_Y[1]


def _looks_like_wgs84(geom: BaseGeometry) -> bool:
    minx, miny, maxx, maxy = geom.bounds
    return minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90


def _round(geom: BaseGeometry, digits: int = 6) -> dict[str, Any]:
    def rnd(coords: Any) -> Any:
        if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
            return [round(float(c), digits) for c in coords]
        return [rnd(c) for c in coords]

    gj = mapping(geom)
    return {"type": gj["type"], "coordinates": rnd(gj["coordinates"])}


def _first(props: dict[str, Any], names: Iterable[str]) -> str:
    for name in names:
        value = props.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def read_features(raw: bytes | str, source: str) -> tuple[list[Feature], list[Problem]]:
    """Parse a GeoJSON FeatureCollection with area boundaries.

    Accepts WGS84 (CRS84/EPSG:4326) and RD New (EPSG:28992, declared in ``crs`` or recognised by
    its coordinate range). Returns the features in WGS84 and every problem found; the caller
    decides to store nothing when there is any problem.
    """
    problems: list[Problem] = []
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        return [], [Problem(source=source, reason=f"geen geldige JSON ({exc})")]
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return [], [Problem(source=source, reason="verwacht een GeoJSON FeatureCollection")]
    raw_features = doc.get("features")
    if not isinstance(raw_features, list) or not raw_features:
        return [], [Problem(source=source, reason="de FeatureCollection bevat geen features")]
    declared = _declared_crs(doc)
    if declared not in (None, "EPSG:4326", "EPSG:28992"):
        return [], [Problem(source=source, reason=f"coördinatenstelsel {declared} wordt niet ondersteund (gebruik WGS84 of RD New, EPSG:28992)")]

    features: list[Feature] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw_features, start=1):
        if not isinstance(item, dict) or item.get("type") != "Feature":
            problems.append(Problem(source=source, row=i, reason="geen GeoJSON Feature"))
            continue
        props = item.get("properties") or {}
        code = _first(props, CODE_PROPERTIES).upper()
        if not code:
            problems.append(Problem(source=source, row=i, reason=f"geen gebiedscode (verwacht een van: {', '.join(CODE_PROPERTIES)})"))
            continue
        if code in seen:
            problems.append(Problem(source=source, row=i, reason=f"code {code} komt al voor in feature {seen[code]}"))
            continue
        seen[code] = i
        try:
            geom = shape(item.get("geometry") or {})
        except Exception as exc:  # shapely raises several types for malformed input
            problems.append(Problem(source=source, row=i, reason=f"{code}: ongeldige geometrie ({exc})"))
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
            problems.append(Problem(source=source, row=i, reason=f"{code}: verwacht een (Multi)Polygon, niet {geom.geom_type}"))
            continue
        crs = declared
        if crs is None:
            if _looks_like_rd(geom):
                crs = "EPSG:28992"
            elif _looks_like_wgs84(geom):
                crs = "EPSG:4326"
            else:
                problems.append(Problem(source=source, row=i, reason=f"{code}: coördinaten zijn geen WGS84 en geen RD New"))
                continue
        if crs == "EPSG:28992":
            geom = shapely.transform(geom, _transform_rd)
        if not geom.is_valid:
            problems.append(Problem(source=source, row=i, reason=f"{code}: ongeldige vorm ({explain_validity(geom)})"))
            continue
        features.append(Feature(code=code, name=_first(props, NAME_PROPERTIES), geometry=_round(geom), properties=props))
    return features, problems


def bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    return tuple(shape(geometry).bounds)  # type: ignore[return-value]


class PointIndex:
    """Point-in-polygon look-up over many areas with an STR-tree."""

    def __init__(self, areas: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
        self._codes: list[tuple[str, str]] = []
        geoms: list[BaseGeometry] = []
        for code, level, geometry in areas:
            self._codes.append((code, level))
            geoms.append(shape(geometry))
        self._tree = STRtree(geoms)

    def lookup(self, lon: float, lat: float) -> dict[str, str]:
        """The code per level ('GM', 'WK', 'BU') of the areas containing the point."""
        point = Point(lon, lat)
        found: dict[str, str] = {}
        for idx in self._tree.query(point, predicate="intersects"):
            code, level = self._codes[int(idx)]
            found.setdefault(level, code)
        return found
