"""Inline SVG chart of the register: stacked bars per wijk by source (no JavaScript).

The SVG has a title and a description and is hidden from nobody, but the page always carries
the same figures as a table: the chart is the picture, the table the text alternative."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from wijkwijs.budgeting.money import format_short

#: One colour per source, each at least 3:1 against white (WCAG 1.4.11) and told apart in the
#: legend by name as well; the table carries the exact amounts.
SOURCE_COLOURS = {
    "own": "#1d4f91",
    "province": "#b35900",
    "national": "#1e6b30",
    "eu": "#5b2a86",
    "partner": "#8a6d00",
    "other": "#4d4d4d",
}


def stacked_bars(
    rows: Sequence[tuple[str, dict[str, Decimal]]], *, sources: Sequence[tuple[str, str]], title: str, description: str,
    chart_id: str = "register-chart", width: int = 900, bar_height: int = 24, label_width: int = 250,
) -> SafeString:
    """``rows``: (label, {source: amount}). ``sources``: (key, label) in stacking order."""
    totals = [sum(parts.values(), Decimal(0)) for _, parts in rows]
    top = max(totals, default=Decimal(0)) or Decimal(1)
    plot = width - label_width - 110
    legend_h = 28
    height = legend_h + bar_height * len(rows) + 10
    out = [
        f'<svg class="ww-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    lx = label_width
    for key, label in sources:
        out.append(f'<rect x="{lx}" y="6" width="14" height="14" fill="{SOURCE_COLOURS.get(key, "#4d4d4d")}"></rect>')
        out.append(f'<text x="{lx + 19}" y="18" font-size="13" fill="currentColor">{escape(label)}</text>')
        lx += 19 + int(7.2 * len(label)) + 18
    for i, ((label, parts), total) in enumerate(zip(rows, totals, strict=True)):
        y = legend_h + i * bar_height
        text_y = y + bar_height * 0.68
        out.append(f'<text x="{label_width - 8}" y="{text_y:.1f}" text-anchor="end" font-size="13" fill="currentColor">{escape(label[:34])}</text>')
        x = float(label_width)
        for key, source_label in sources:
            value = parts.get(key, Decimal(0))
            if not value:
                continue
            w = max(1.0, plot * float(value / top))
            out.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{bar_height - 6}" fill="{SOURCE_COLOURS.get(key, "#4d4d4d")}">'
                f"<title>{escape(label)}, {escape(source_label)}: {escape(format_short(value))}</title></rect>"
            )
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{text_y:.1f}" font-size="13" fill="currentColor">{escape(format_short(total))}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308  (every text is escaped above)
