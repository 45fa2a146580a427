"""Server-side inline SVG charts for the wijkfoto (pure, no Django).

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that it is labelled
by; the page puts a table with the same figures next to it, so the chart is never the only
way to read a number. Text in the charts is escaped here; callers pass plain strings.
Numbers are written the Dutch way (``10.575``, ``12,5``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

#: Okabe-Ito based, distinguishable with colour-vision deficiencies; 3:1 or more on white.
SERIES_COLOURS = ("#1d4f91", "#b35806", "#1e6b30", "#5b2a86")
MAP_CLASSES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#d9d9d9"
HIGHLIGHT = "#d4351c"
TEXT = "#1a1a1a"
MUTED = "#4d4d4d"
GRID = "#c9ced6"


def fmt(value: float | None, decimals: int = 0) -> str:
    """``10575`` -> ``10.575``; ``12.5`` (1 decimal) -> ``12,5``; None -> an en dash."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _decimals(values: Sequence[float]) -> int:
    if all(float(v).is_integer() for v in values):
        return 0
    return 1


def _attrs(**kw: Any) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(str(v))}"' for k, v in kw.items() if v is not None)


def _open(width: int, height: int, ident: str, title: str, desc: str, css_class: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'font-family="system-ui, DejaVu Sans, Arial, sans-serif" font-size="12">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
    ]


def nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round tick values covering ``lo..hi`` (about ``count`` steps)."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        hi = lo + (abs(lo) or 1)
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t < hi + step * 0.999:
        ticks.append(round(t, 10))
        t += step
    return ticks


@dataclass
class Series:
    label: str
    points: list[tuple[str, float | None]]
    dashed: bool = False
    colour: str = ""


def line_chart(
    series: Sequence[Series], *, ident: str, title: str, desc: str, unit: str = "", width: int = 520, height: int = 220
) -> str:
    """A line chart over the (sorted) union of the series' periods, with a legend."""
    periods = sorted({p for s in series for p, _ in s.points})
    values = [v for s in series for _, v in s.points if v is not None]
    out = _open(width, height, ident, title, desc, "ww-chart ww-chart--line")
    if not periods or not values:
        out.append(f'<text x="10" y="{height // 2}" fill="{MUTED}">–</text></svg>')
        return "\n".join(out)
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1
    ticks = nice_ticks(max(0.0, lo - pad) if lo >= 0 else lo - pad, hi + pad)
    y0, y1 = ticks[0], ticks[-1]
    left, right, top, bottom = 64, 24, 24, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    decimals = _decimals(ticks)

    def x(period: str) -> float:
        if len(periods) == 1:
            return left + plot_w / 2
        return left + plot_w * periods.index(period) / (len(periods) - 1)

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - y0) / (y1 - y0))

    out.append('<g aria-hidden="true">')
    for t in ticks:
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="{GRID}"/>')
        out.append(f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" fill="{MUTED}">{fmt(t, decimals)}</text>')
    for p in periods:
        out.append(f'<text x="{x(p):.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="{MUTED}">{escape(p)}</text>')
    if unit:
        out.append(f'<text x="4" y="12" fill="{MUTED}" font-size="11">{escape(unit)}</text>')
    legend_y = height - 12
    legend_x = left
    for i, s in enumerate(series):
        colour = s.colour or SERIES_COLOURS[i % len(SERIES_COLOURS)]
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        pts = [(x(p), y(v)) for p, v in sorted(s.points) if v is not None]
        if len(pts) > 1:
            path = " ".join(f"{'M' if j == 0 else 'L'}{px:.1f},{py:.1f}" for j, (px, py) in enumerate(pts))
            out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
        for px, py in pts:
            out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"/>')
        out.append(f'<line x1="{legend_x}" x2="{legend_x + 22}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{colour}" stroke-width="2.5"{dash}/>')
        out.append(f'<text x="{legend_x + 28}" y="{legend_y}" fill="{TEXT}">{escape(s.label)}</text>')
        legend_x += 40 + 7 * len(s.label)
    out.append("</g></svg>")
    return "\n".join(out)


@dataclass
class Band:
    label: str
    share: float | None
    reference: float | None = None


def pyramid(bands: Sequence[Band], *, ident: str, title: str, desc: str, label: str, reference_label: str,
            width: int = 520) -> str:
    """A population pyramid from CBS age bands: bars centred on the axis, youngest at the bottom,
    each as wide as the band's share; the reference (the municipality) as an outline."""
    row_h, gap, top = 30, 6, 8
    height = top + len(bands) * (row_h + gap) + 34
    centre, half = width / 2 + 20, (width - 200) / 2
    shares = [s for b in bands for s in (b.share, b.reference) if s is not None]
    scale = half / max(max(shares, default=0.0), 0.01)
    out = _open(width, height, ident, title, desc, "ww-chart ww-chart--pyramid")
    out.append('<g aria-hidden="true">')
    for i, band in enumerate(reversed(bands)):
        y = top + i * (row_h + gap)
        out.append(f'<text x="8" y="{y + row_h / 2 + 4:.1f}" fill="{TEXT}">{escape(band.label)}</text>')
        if band.share is not None:
            w = band.share * scale
            out.append(f'<rect x="{centre - w:.1f}" y="{y}" width="{2 * w:.1f}" height="{row_h}" fill="{SERIES_COLOURS[0]}"/>')
            text_x = centre + w + 6 if band.reference is None else centre + max(w, band.reference * scale) + 6
            out.append(f'<text x="{text_x:.1f}" y="{y + row_h / 2 + 4:.1f}" fill="{TEXT}">{fmt(band.share * 100, 1)}%</text>')
        if band.reference is not None:
            r = band.reference * scale
            out.append(
                f'<rect x="{centre - r:.1f}" y="{y - 2}" width="{2 * r:.1f}" height="{row_h + 4}" fill="none" '
                f'stroke="{SERIES_COLOURS[1]}" stroke-width="2" stroke-dasharray="5 3"/>'
            )
    ly = height - 12
    out.append(f'<rect x="8" y="{ly - 10}" width="14" height="12" fill="{SERIES_COLOURS[0]}"/>')
    out.append(f'<text x="28" y="{ly}" fill="{TEXT}">{escape(label)}</text>')
    lx = 40 + 7 * len(label)
    out.append(f'<rect x="{lx}" y="{ly - 10}" width="14" height="12" fill="none" stroke="{SERIES_COLOURS[1]}" stroke-width="2" stroke-dasharray="5 3"/>')
    out.append(f'<text x="{lx + 20}" y="{ly}" fill="{TEXT}">{escape(reference_label)}</text>')
    out.append("</g></svg>")
    return "\n".join(out)


@dataclass
class MapArea:
    code: str
    name: str
    geometry: dict[str, Any] | None
    value: float | None
    highlight: bool = False
    suppressed: bool = False


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for poly in coords for ring in poly]
    return []


def quantile_breaks(values: Sequence[float], classes: int = 5) -> list[float]:
    """Upper bounds of up to ``classes`` quantile classes (duplicates dropped); as the map page."""
    ordered = sorted(values)
    if not ordered:
        return []
    k = max(1, min(classes, len(ordered)))
    breaks: list[float] = []
    for i in range(1, k + 1):
        b = ordered[min(len(ordered) - 1, math.ceil(i * len(ordered) / k) - 1)]
        if not breaks or b > breaks[-1]:
            breaks.append(b)
    return breaks


def class_of(value: float | None, breaks: Sequence[float]) -> int:
    if value is None:
        return -1
    return next((i for i, b in enumerate(breaks) if value <= b), len(breaks) - 1)


def legend(values: Sequence[float], decimals: int = 0) -> list[tuple[str, str]]:
    """(colour, label) per class of the choropleth, for a legend in HTML beside the map."""
    breaks = quantile_breaks(values)
    out, previous = [], None
    for i, b in enumerate(breaks):
        colour = MAP_CLASSES[min(i + (5 - len(breaks)), 4)]
        out.append((colour, f"≤ {fmt(b, decimals)}" if previous is None else f"{fmt(previous, decimals)} – {fmt(b, decimals)}"))
        previous = b
    return out


def choropleth(areas: Sequence[MapArea], *, ident: str, title: str, desc: str, width: int = 640,
               max_height: int = 480) -> str:
    """A choropleth of ``areas`` (GeoJSON WGS84 geometries) in quantile classes, the highlighted
    area outlined; the legend is left to the page (``legend``). Projection: equirectangular
    scaled by cos(latitude), enough at the scale of a municipality."""
    rings = [(a, _rings(a.geometry)) for a in areas if a.geometry]
    points = [pt for _, rs in rings for ring in rs for pt in ring]
    if not points:
        out = _open(width, 40, ident, title, desc, "ww-chart ww-chart--map")
        out.append(f'<text x="10" y="20" fill="{MUTED}">–</text></svg>')
        return "\n".join(out)
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x, span_y = (max(lons) - min(lons)) * kx or 1e-6, (max(lats) - min(lats)) or 1e-6
    scale = min((width - 8) / span_x, (max_height - 8) / span_y)
    height = int(span_y * scale + 8)
    ox = (width - span_x * scale) / 2
    oy = 4

    def proj(pt: list[float]) -> str:
        return f"{ox + (pt[0] - min(lons)) * kx * scale:.1f},{oy + (max(lats) - pt[1]) * scale:.1f}"

    breaks = quantile_breaks([a.value for a in areas if a.value is not None])
    out = _open(width, height, ident, title, desc, "ww-chart ww-chart--map")
    out.append('<g aria-hidden="true">')
    highlighted = []
    for area, rs in rings:
        d = " ".join("M" + " L".join(proj(pt) for pt in ring) + " Z" for ring in rs)
        cls = class_of(area.value, breaks)
        fill = MAP_CLASSES[min(cls + (5 - len(breaks)), 4)] if cls >= 0 else NO_DATA
        out.append(f'<path d="{d}" fill="{fill}" stroke="#4d4d4d" stroke-width="0.6" fill-rule="evenodd"/>')
        if area.highlight:
            highlighted.append(d)
    for d in highlighted:
        out.append(f'<path d="{d}" fill="none" stroke="{HIGHLIGHT}" stroke-width="3" fill-rule="evenodd"/>')
    out.append("</g></svg>")
    return "\n".join(out)


__all__ = ["Band", "MapArea", "Series", "choropleth", "fmt", "legend", "line_chart", "nice_ticks", "pyramid", "quantile_breaks"]
