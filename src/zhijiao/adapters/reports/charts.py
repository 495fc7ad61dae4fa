"""Charts as SVG, drawn on the server: bar (grouped, stacked, horizontal) and line charts.

One module for every page and every PDF report (the overview pages today; the quality annual
reports and bulletins later). Pure rendering: data in, an SVG string out; no JavaScript, no network,
no fonts of its own — text is drawn in the page's font (`font_family=None` lets the SVG inherit
it in a browser; PDFs pass the embedded face, `pdf.FONT_FAMILY`).

Accessible: the `<svg>` has `role="img"` and is labelled by its `<title>` and `<desc>`; every
mark has a `<title>` with its value (a tooltip); and `figure()` puts the same numbers beside the
chart in a real `<table>`, the fallback for screen readers, copying and print. All text passed in
is escaped; pass it already translated.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from markupsafe import Markup, escape

Number = int | float | Decimal

# Okabe–Ito colours: told apart with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_ids = count(1)


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[Number]


def thousands(value: Number) -> str:
    """1344275.5 → 1,344,275.5; 12.0 → 12."""
    d = Decimal(str(round(value, 9) if isinstance(value, float) else value)).normalize()
    text = format(d, ",f")
    return "0" if text == "-0" else text


def nice_ticks(top: float, n: int = 5, *, whole: bool = False) -> list[float]:
    """0 … a round number ≥ `top`, in about `n` round steps (1, 2, 2.5 or 5 × 10^k); `whole`: counts,
    so no step below 1."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    if whole:
        step = max(1, math.ceil(step))
    return [round(i * step, 9) for i in range(math.ceil(top / step - 1e-9) + 1)]


def _text_width(text: str, size: float) -> float:
    """Rough width: CJK and full-width characters one em, others about 0.6 em."""
    return sum(size if ord(c) > 0x2E7F else size * 0.6 for c in text)


@dataclass(frozen=True, slots=True)
class _Frame:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float


def _open(
    title: str, description: str, width: int, height: int, font_family: str | None
) -> tuple[str, list[str]]:
    n = next(_ids)
    tid, did = f"chart{n}-title", f"chart{n}-desc"
    font = f' font-family="{escape(font_family)}"' if font_family else ""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" aria-labelledby="{tid} {did}" font-size="12"{font}>'
        f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(description)}</desc>'
    )
    return head, []


def _legend_height(series: Sequence[Series], left: float, width: int) -> float:
    return _legend(series, left, width, [])


def _legend(series: Sequence[Series], left: float, width: int, parts: list[str]) -> float:
    """Draw the legend from `left`, wrapping onto new rows; return the height it takes."""
    if len(series) < 2:
        return 8
    x, y = left, 6.0
    for k, s in enumerate(series):
        item = 14 + _text_width(s.name, 12) + 16
        if x + item > width and x > left:
            x, y = left, y + 16
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="10" height="10" fill="{PALETTE[k % len(PALETTE)]}"/>'
            f'<text x="{x + 14:.1f}" y="{y + 9:.1f}">{escape(s.name)}</text>'
        )
        x += item
    return y + 18


def _totals(series: Sequence[Series], n: int, stacked: bool) -> float:
    if not n:
        return 0.0
    if stacked:
        return max(sum(float(s.values[i]) for s in series) for i in range(n))  # the tallest stack
    return max((float(v) for s in series for v in s.values), default=0.0)


def _whole(series: Sequence[Series]) -> bool:
    return all(isinstance(v, int) for s in series for v in s.values)


def bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    stacked: bool = False,
    horizontal: bool = False,
    width: int = 640,
    height: int | None = None,
    number: Callable[[Number], str] = thousands,
    colon: str = "：",
    font_family: str | None = None,
) -> Markup:
    """Bars per category: one bar per series side by side, or stacked; vertical or horizontal."""
    n = len(categories)
    top_value = _totals(series, n, stacked)
    ticks = nice_ticks(top_value, whole=_whole(series))
    scale_max = ticks[-1]
    legend_h = _legend_height(series, 8, width)
    if horizontal:
        label_w = max((_text_width(c, 12) for c in categories), default=0) + 10
        band = 28 if stacked or len(series) == 1 else 14 * len(series) + 8
        height = height or int(legend_h + n * band + 36)
        frame = _Frame(width, height, label_w, 24, legend_h, 28)
    else:
        height = height or 300
        label_w = _text_width(number(scale_max), 12) + 12
        frame = _Frame(width, height, label_w, 12, legend_h, 36)
    head, parts = _open(title, description, width, height, font_family)
    plot_w = frame.width - frame.left - frame.right
    plot_h = frame.height - frame.top - frame.bottom
    _legend(series, 8, width, parts)
    # value axis with grid lines
    for t in ticks:
        f = t / scale_max if scale_max else 0
        if horizontal:
            x = frame.left + f * plot_w
            parts.append(
                f'<line x1="{x:.1f}" y1="{frame.top}" x2="{x:.1f}" y2="{frame.height - frame.bottom}" stroke="#ddd"/>'
                f'<text x="{x:.1f}" y="{frame.height - frame.bottom + 16}" text-anchor="middle" fill="#555">'
                f"{escape(number(t))}</text>"
            )
        else:
            y = frame.height - frame.bottom - f * plot_h
            parts.append(
                f'<line x1="{frame.left}" y1="{y:.1f}" x2="{frame.width - frame.right}" y2="{y:.1f}" stroke="#ddd"/>'
                f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{escape(number(t))}</text>'
            )
    band_len = (plot_h if horizontal else plot_w) / max(n, 1)
    groups = 1 if stacked else max(len(series), 1)
    bar = band_len * 0.7 / groups
    widest = max((_text_width(c, 12) for c in categories), default=0) + 6
    every = max(1, math.ceil(widest / band_len)) if not horizontal else 1  # crowded axis: every k-th label
    for i, cat in enumerate(categories):
        start = (frame.top if horizontal else frame.left) + i * band_len + band_len * 0.15
        base = 0.0
        for k, s in enumerate(series):
            v = float(s.values[i])
            length = (v / scale_max if scale_max else 0) * (plot_w if horizontal else plot_h)
            offset = start + (0 if stacked else k * bar)
            origin = (base / scale_max if scale_max else 0) * (plot_w if horizontal else plot_h)
            tip = f"<title>{escape(cat)} · {escape(s.name)}{colon}{escape(number(s.values[i]))}</title>"
            colour = PALETTE[k % len(PALETTE)]
            if horizontal:
                parts.append(
                    f'<rect x="{frame.left + origin:.1f}" y="{offset:.1f}" width="{length:.1f}" height="{bar:.1f}" '
                    f'fill="{colour}">{tip}</rect>'
                )
            else:
                y = frame.height - frame.bottom - origin - length
                parts.append(
                    f'<rect x="{offset:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{length:.1f}" '
                    f'fill="{colour}">{tip}</rect>'
                )
            if stacked:
                base += v
        middle = start + band_len * 0.35
        if horizontal:
            parts.append(
                f'<text x="{frame.left - 6}" y="{middle + 4:.1f}" text-anchor="end">{escape(cat)}</text>'
            )
        elif i % every == 0 or (i == n - 1 and n % every == 1):
            parts.append(
                f'<text x="{middle:.1f}" y="{frame.height - frame.bottom + 16}" text-anchor="middle">{escape(cat)}</text>'
            )
    axis = (
        f'<line x1="{frame.left}" y1="{frame.top}" x2="{frame.left}" y2="{frame.height - frame.bottom}" stroke="#333"/>'
        if horizontal
        else f'<line x1="{frame.left}" y1="{frame.height - frame.bottom}" x2="{frame.width - frame.right}" '
        f'y2="{frame.height - frame.bottom}" stroke="#333"/>'
    )
    return Markup(head + "".join(parts) + axis + "</svg>")


def line_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    width: int = 640,
    height: int = 280,
    number: Callable[[Number], str] = thousands,
    colon: str = "：",
    font_family: str | None = None,
) -> Markup:
    """One line per series over the categories (years, for instance), with a marker at each value."""
    n = len(categories)
    ticks = nice_ticks(_totals(series, n, False), whole=_whole(series))
    scale_max = ticks[-1]
    legend_h = _legend_height(series, 8, width)
    frame = _Frame(width, height, _text_width(number(scale_max), 12) + 12, 16, legend_h, 36)
    head, parts = _open(title, description, width, height, font_family)
    plot_w = frame.width - frame.left - frame.right
    plot_h = frame.height - frame.top - frame.bottom
    _legend(series, 8, width, parts)
    for t in ticks:
        y = frame.height - frame.bottom - (t / scale_max if scale_max else 0) * plot_h
        parts.append(
            f'<line x1="{frame.left}" y1="{y:.1f}" x2="{frame.width - frame.right}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{escape(number(t))}</text>'
        )
    step = plot_w / max(n - 1, 1)

    def x_of(i: int) -> float:
        return frame.left + (i * step if n > 1 else plot_w / 2)

    for i, cat in enumerate(categories):
        parts.append(
            f'<text x="{x_of(i):.1f}" y="{frame.height - frame.bottom + 16}" text-anchor="middle">{escape(cat)}</text>'
        )
    for k, s in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        points = [
            (x_of(i), frame.height - frame.bottom - (float(v) / scale_max if scale_max else 0) * plot_h)
            for i, v in enumerate(s.values)
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for (x, y), cat, v in zip(points, categories, s.values, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(cat)} · {escape(s.name)}{colon}{escape(number(v))}</title></circle>"
            )
    parts.append(
        f'<line x1="{frame.left}" y1="{frame.height - frame.bottom}" x2="{frame.width - frame.right}" '
        f'y2="{frame.height - frame.bottom}" stroke="#333"/>'
    )
    return Markup(head + "".join(parts) + "</svg>")


def data_table(
    *,
    caption: str,
    category_label: str,
    categories: Sequence[str],
    series: Sequence[Series],
    number: Callable[[Number], str] = thousands,
) -> Markup:
    """The chart's numbers as a table: one row per category, one column per series."""
    head = "".join(f'<th scope="col">{escape(s.name)}</th>' for s in series)
    rows = "".join(
        f'<tr><th scope="row">{escape(c)}</th>'
        + "".join(f'<td class="num">{escape(number(s.values[i]))}</td>' for s in series)
        + "</tr>"
        for i, c in enumerate(categories)
    )
    return Markup(
        f'<table class="compact chart-data"><caption>{escape(caption)}</caption>'
        f'<thead><tr><th scope="col">{escape(category_label)}</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def figure(chart: Markup, table: Markup, *, table_summary: str, open_table: bool = False) -> Markup:
    """The chart with its data table beside it, folded (`<details>`) unless `open_table` (print/PDF)."""
    opened = " open" if open_table else ""
    return Markup(
        f'<figure class="chart-figure">{chart}'
        f"<details{opened}><summary>{escape(table_summary)}</summary>{table}</details></figure>"
    )
