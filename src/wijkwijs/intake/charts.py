"""Inline SVG bar charts (no JavaScript). Each chart has a title and a table next to it."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def bars(
    items: Sequence[tuple[str, float | None]], *, title: str, unit: str = "", width: int = 900, bar_height: int = 26,
    label_width: int = 330, chart_id: str = "chart",
) -> SafeString:
    """Horizontal bars: one (label, value) per row; None is drawn as "–"."""
    values = [v for _, v in items if v is not None]
    top = max(values) if values else 1.0
    top = top or 1.0
    plot = width - label_width - 70
    height = bar_height * len(items) + 10
    parts = [
        f'<svg class="ww-chart" role="img" aria-labelledby="{chart_id}-title" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for i, (label, value) in enumerate(items):
        y = 5 + i * bar_height
        parts.append(f'<text x="{label_width - 8}" y="{y + bar_height * 0.65:.1f}" text-anchor="end" font-size="13" fill="currentColor">{escape(label[:44])}</text>')
        if value is None:
            parts.append(f'<text x="{label_width + 4}" y="{y + bar_height * 0.65:.1f}" font-size="13" fill="currentColor">–</text>')
            continue
        w = max(1.0, plot * value / top)
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{bar_height - 6}" fill="var(--ww-color-primary, #1d4f91)"></rect>')
        shown = number_format(value, decimal_pos=1) if isinstance(value, float) else str(value)
        parts.append(f'<text x="{label_width + w + 6:.1f}" y="{y + bar_height * 0.65:.1f}" font-size="13" fill="currentColor">{escape(shown)}{escape(unit)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text is escaped above)


def columns(items: Sequence[tuple[str, int, int]], *, title: str, legend: tuple[str, str], width: int = 900, height: int = 260,
            chart_id: str = "months") -> SafeString:
    """Vertical paired columns per period: (label, first value, second value), e.g. received and overdue."""
    top = max([max(a, b) for _, a, b in items] or [1]) or 1
    n = max(len(items), 1)
    slot = (width - 40) / n
    plot_h = height - 50
    parts = [
        f'<svg class="ww-chart" role="img" aria-labelledby="{chart_id}-title" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<line x1="30" y1="{plot_h + 10}" x2="{width - 10}" y2="{plot_h + 10}" stroke="currentColor" stroke-width="1"></line>',
    ]
    for i, (label, a, b) in enumerate(items):
        x = 35 + i * slot
        bw = max(2.0, slot * 0.38)
        for j, (value, fill) in enumerate(((a, "var(--ww-color-primary, #1d4f91)"), (b, "var(--ww-color-error, #b3261e)"))):
            h = plot_h * value / top
            parts.append(f'<rect x="{x + j * bw:.1f}" y="{plot_h + 10 - h:.1f}" width="{bw:.1f}" height="{h:.1f}" fill="{fill}"><title>{escape(label)}: {value}</title></rect>')
        parts.append(f'<text x="{x + bw:.1f}" y="{plot_h + 26}" text-anchor="middle" font-size="13" fill="currentColor">{escape(label[-5:])}</text>')
    lx = 35
    for text, fill in ((legend[0], "var(--ww-color-primary, #1d4f91)"), (legend[1], "var(--ww-color-error, #b3261e)")):
        parts.append(f'<rect x="{lx}" y="{height - 14}" width="12" height="12" fill="{fill}"></rect>')
        parts.append(f'<text x="{lx + 16}" y="{height - 4}" font-size="13" fill="currentColor">{escape(text)}</text>')
        lx += 16 + 8 * len(text) + 20
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text is escaped above)
