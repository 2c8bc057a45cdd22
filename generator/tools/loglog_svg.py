"""Line charts on log-log axes as SVG text, side by side in panels: no plotting library, and the same
input gives the same bytes (every coordinate is rounded to one decimal, nothing depends on the clock).

    svg = render(Chart(title, desc, x_label, panels, legend))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

PANEL_WIDTH, PANEL_HEIGHT = 340, 230
# Room around a panel's plot area: its title above, tick labels and the axis labels left and below.
TOP, LEFT, BOTTOM, RIGHT = 30, 62, 42, 26
LEGEND_ROW, LEGEND_COLUMN = 18, 220
FONT = 'font-family="sans-serif" font-size="11"'


@dataclass(frozen=True)
class Series:
    label: str
    color: str
    dashed: bool
    points: tuple[tuple[float, float], ...]  # (x, y), x ascending; both > 0


@dataclass(frozen=True)
class Panel:
    title: str
    y_label: str
    series: tuple[Series, ...]


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str
    dashed: bool


@dataclass(frozen=True)
class Chart:
    title: str
    desc: str
    x_label: str
    panels: tuple[Panel, ...]
    legend: tuple[LegendEntry, ...]


def decades(values: list[float]) -> tuple[float, float]:
    """The powers of ten around the values, at least one decade apart."""
    low = 10 ** math.floor(math.log10(min(values)))
    high = 10 ** math.ceil(math.log10(max(values)))
    return (low, high * 10) if high == low else (low, high)


def ticks(low: float, high: float, fine_within: int) -> list[float]:
    """1, 2 and 5 times each power of ten in [low, high] when the axis spans fine_within decades or
    fewer (more would crowd the labels), the powers of ten alone otherwise."""
    steps = (1, 2, 5) if math.log10(high / low) <= fine_within else (1,)
    first = math.floor(math.log10(low))
    found = [m * 10.0**e for e in range(first, round(math.log10(high)) + 1) for m in steps]
    return [t for t in found if low * 0.999 <= t <= high * 1.001]


def tick_label(value: float) -> str:
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


def _n(value: float) -> str:
    """A coordinate: one decimal is finer than a pixel, and keeps the text short and stable."""
    return f"{value:.1f}".removesuffix(".0")


class _Scale:
    def __init__(self, low: float, high: float, start: float, length: float) -> None:
        self.low, self.span, self.start, self.length = math.log10(low), math.log10(high / low), start, length

    def __call__(self, value: float) -> float:
        return self.start + self.length * (math.log10(value) - self.low) / self.span


def _line(x1: float, y1: float, x2: float, y2: float, style: str) -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" {style}/>'


def _text(x: float, y: float, text: str, anchor: str = "middle", extra: str = "") -> str:
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _stroke(color: str, dashed: bool) -> str:
    return f'stroke="{color}" stroke-width="2" fill="none"' + (' stroke-dasharray="6 3"' if dashed else "")


def _panel(panel: Panel, x_range: tuple[float, float], left: float, x_label: str) -> list[str]:
    plot_left, plot_top = left + LEFT, TOP
    plot_width, plot_height = PANEL_WIDTH - LEFT - RIGHT, PANEL_HEIGHT - TOP - BOTTOM
    plot_bottom = plot_top + plot_height
    x = _Scale(*x_range, plot_left, plot_width)
    y_range = decades([v for s in panel.series for _, v in s.points] or [1.0])
    y = _Scale(*y_range, plot_bottom, -plot_height)
    grid = 'stroke="#ddd" stroke-width="1"'
    out = ["<g>", _text(left + PANEL_WIDTH / 2, 16, panel.title, extra=' font-weight="bold"')]
    for t in ticks(*x_range, fine_within=1):  # "10,000" is wide: a decade holds three such labels
        out += [_line(x(t), plot_top, x(t), plot_bottom, grid), _text(x(t), plot_bottom + 14, tick_label(t))]
    for t in ticks(*y_range, fine_within=2):
        out += [_line(plot_left, y(t), plot_left + plot_width, y(t), grid), _text(plot_left - 5, y(t) + 4, tick_label(t), "end")]
    out.append(f'<rect x="{plot_left}" y="{plot_top}" width="{plot_width}" height="{plot_height}" fill="none" stroke="#444"/>')
    out.append(_text(plot_left + plot_width / 2, plot_bottom + 32, x_label))
    mid = plot_top + plot_height / 2
    out.append(_text(left + 14, mid, panel.y_label, extra=f' transform="rotate(-90 {_n(left + 14)} {_n(mid)})"'))
    for s in panel.series:
        coords = [(x(a), y(b)) for a, b in s.points]
        points = " ".join(f"{_n(a)},{_n(b)}" for a, b in coords)
        out.append(
            f"<polyline {_stroke(s.color, s.dashed)} points={quoteattr(points)}><title>{escape(s.label)}</title></polyline>"
        )
        out += [f'<circle cx="{_n(a)}" cy="{_n(b)}" r="3" fill="{s.color}"/>' for a, b in coords]
    out.append("</g>")
    return out


def _legend(entries: tuple[LegendEntry, ...], top: float, width: float) -> list[str]:
    """Entries in rows across the chart's width, a short line sample before each label."""
    out, per_row = [], _legend_columns(width)
    for i, entry in enumerate(entries):
        left, y = 20 + LEGEND_COLUMN * (i % per_row), top + LEGEND_ROW * (i // per_row)
        out.append(_line(left, y - 4, left + 26, y - 4, _stroke(entry.color, entry.dashed)))
        out.append(_text(left + 32, y, entry.label, "start"))
    return out


def _legend_columns(width: float) -> int:
    return max(1, int((width - 20) // LEGEND_COLUMN))


def render(chart: Chart) -> str:
    points = [x for p in chart.panels for s in p.series for x, _ in s.points]
    x_range = decades(points or [1.0])
    width = PANEL_WIDTH * len(chart.panels)
    rows = -(-len(chart.legend) // _legend_columns(width))
    height = PANEL_HEIGHT + 10 + LEGEND_ROW * rows
    body = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' role="img" aria-labelledby="chart-title chart-desc" {FONT}>',
        f'<title id="chart-title">{escape(chart.title)}</title>',
        f'<desc id="chart-desc">{escape(chart.desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
    ]
    for i, panel in enumerate(chart.panels):
        body += _panel(panel, x_range, PANEL_WIDTH * i, chart.x_label)
    body += _legend(chart.legend, PANEL_HEIGHT + 14, width)
    body.append("</svg>")
    return "\n".join(body) + "\n"
