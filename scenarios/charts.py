"""Charts drawn on the server as SVG shapes: no script, no inline style, colours from CSS classes.

Each builder returns geometry only (rectangles, lines, text positions); the template
templates/scenarios/dashboard/_chart.html writes the SVG, and static/boundaries/css/app.css
colours `chart-series-<n>`. Pure Python, so the numbers can be checked without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

# Colours are classes chart-series-0 .. chart-series-7 in app.css; a ninth series reuses the first.
PALETTE_SIZE = 8
WIDTH = 640
PLOT_LEFT = 44
PLOT_RIGHT = 12
PLOT_TOP = 12
COLUMN_HEIGHT = 220
AXIS_BAND = 28
BAR_HEIGHT = 18
BAR_GAP = 8
LABEL_WIDTH = 210


def series_class(index: int) -> str:
    return f"chart-series-{index % PALETTE_SIZE}"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    tip: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Svg:
    width: int
    height: int
    rects: tuple[Rect, ...]
    texts: tuple[Text, ...]
    lines: tuple[Line, ...]


def _nice_top(highest: int) -> int:
    """An axis top at or above `highest` that halves into whole numbers (at least 2)."""
    top = max(highest, 2)
    return top + (top % 2)


def stacked_columns(*, buckets: list[str], series: list[tuple[str, list[int]]]) -> Svg:
    """One column per bucket (a month), each stacked from its series' counts."""
    totals = [sum(values[i] for _, values in series) for i in range(len(buckets))]
    top = _nice_top(max(totals, default=0))
    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    slot = plot_width / max(len(buckets), 1)
    bar = max(min(slot * 0.7, 48), 2)
    base = PLOT_TOP + COLUMN_HEIGHT
    rects: list[Rect] = []
    texts: list[Text] = []
    for i, bucket in enumerate(buckets):
        x = PLOT_LEFT + i * slot + (slot - bar) / 2
        y = base
        for index, (label, values) in enumerate(series):
            if not values[i]:
                continue
            height = values[i] / top * COLUMN_HEIGHT
            y -= height
            rects.append(Rect(round(x, 1), round(y, 1), round(bar, 1), round(height, 1), series_class(index),
                              f"{bucket}, {label}: {values[i]}"))
        # Crowded axes label every other (or every third...) bucket, always the first.
        step = max(1, round(len(buckets) / 12))
        if i % step == 0:
            texts.append(Text(round(PLOT_LEFT + i * slot + slot / 2, 1), base + 18, bucket))
    lines = [Line(PLOT_LEFT, base - share * COLUMN_HEIGHT, WIDTH - PLOT_RIGHT, base - share * COLUMN_HEIGHT)
             for share in (0, 0.5, 1)]
    texts += [Text(PLOT_LEFT - 6, round(base - share * COLUMN_HEIGHT + 4, 1), str(int(top * share)), "end")
              for share in (0, 0.5, 1)]
    return Svg(WIDTH, PLOT_TOP + COLUMN_HEIGHT + AXIS_BAND, tuple(rects), tuple(texts), tuple(lines))


def horizontal_bars(*, bars: list[tuple[str, int, int]], top: int, suffix: str = "") -> Svg:
    """One bar per (label, value, series index), scaled so `top` fills the width."""
    top = max(top, 1)
    plot_width = WIDTH - LABEL_WIDTH - PLOT_RIGHT - 40
    rects: list[Rect] = []
    texts: list[Text] = []
    for i, (label, value, index) in enumerate(bars):
        y = PLOT_TOP + i * (BAR_HEIGHT + BAR_GAP)
        width = value / top * plot_width
        rects.append(Rect(LABEL_WIDTH, y, round(width, 1), BAR_HEIGHT, series_class(index),
                          f"{label}: {value}{suffix}"))
        texts.append(Text(LABEL_WIDTH - 8, y + 13, label, "end"))
        texts.append(Text(round(LABEL_WIDTH + width + 6, 1), y + 13, f"{value}{suffix}", "start"))
    height = PLOT_TOP * 2 + max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP)
    return Svg(WIDTH, height, tuple(rects), tuple(texts), (Line(LABEL_WIDTH, PLOT_TOP / 2, LABEL_WIDTH,
                                                                 height - PLOT_TOP / 2),))
