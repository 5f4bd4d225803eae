"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, no inline style attributes (the
Content-Security-Policy allows styles only from our stylesheet and nonced blocks), so the colours
are SVG presentation attributes, with classes for the stylesheet to override.

A chart is an image (`role="img"`) whose `aria-label` and `<title>` say in one sentence what it
shows; the page puts the same numbers in a table next to it, which is the accessible alternative.
Every text that goes in is escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Protocol

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 16, 40  # margins: y labels on the left, x labels below
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_X_LABELS = 6
X_LABEL_SPACING = 120  # between the centres of two dates below the axis (a date is ~70 wide)

BAR_FILL = "#8a1c2b"  # the portal's brand colour: contrast 8.6:1 on white
AXIS_STROKE = "#4a4a4a"
GRID_STROKE = "#d6d6d6"
TEXT_FILL = "#1b1b1b"


class DayValue(Protocol):
    day: date
    views: int


def _num(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _nice_step(raw: float) -> int:
    """The smallest of 1, 2, 5 × 10^k (an integer, at least 1) not below `raw`."""
    if raw <= 1:
        return 1
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= raw:
            return int(multiple * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def y_ticks(maximum: int) -> list[int]:
    """Integer gridline values from 0 to a round top at or above `maximum` (at most 5 steps)."""
    step = _nice_step(max(maximum, 1) / 4)
    top = step * max(1, math.ceil(maximum / step))
    return list(range(0, top + 1, step))


def x_label_indexes(count: int) -> list[int]:
    """Which days get a date below the axis: the first, the last and evenly spaced ones between,
    never closer than X_LABEL_SPACING (a date is about 70 units wide at this font size)."""
    if count <= 0:
        return []
    slot = PLOT_WIDTH / count
    every = max(1, math.ceil(count / MAX_X_LABELS), math.ceil(X_LABEL_SPACING / slot))
    indexes = list(range(0, count, every))
    last = count - 1
    if indexes[-1] != last:
        # the last date is drawn flush right: the one before it must end well before it begins
        while len(indexes) > 1 and (last - indexes[-1]) * slot < X_LABEL_SPACING + slot:
            indexes.pop()
        indexes.append(last)
    return indexes


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def daily_views_summary(days: Sequence[DayValue]) -> str:
    """One sentence of what the chart shows (its accessible name)."""
    if not days:
        return _("No days to show.")
    total = sum(d.views for d in days)
    start, end = _day(days[0].day), _day(days[-1].day)
    if not total:
        return _("Views per day from %(start)s to %(end)s: no views.") % {"start": start, "end": end}
    busiest = max(days, key=lambda d: d.views)  # the first of equal days
    return ngettext(
        "Views per day from %(start)s to %(end)s: %(total)s view in all; the busiest day, "
        "%(most_day)s, had %(most)s.",
        "Views per day from %(start)s to %(end)s: %(total)s views in all; the busiest day, "
        "%(most_day)s, had %(most)s.",
        total,
    ) % {"start": start, "end": end, "total": total, "most": busiest.views, "most_day": _day(busiest.day)}


def daily_views_bar_chart(days: Sequence[DayValue], *, chart_id: str = "chart") -> SafeString:
    """A bar per day (`days`: objects with `day` and `views`, in order, one per day) as an inline
    `<svg>`: well-formed XML, every text escaped, `chart_id` prefixing the ids inside."""
    summary = daily_views_summary(days)
    ticks = y_ticks(max((d.views for d in days), default=0))
    top = ticks[-1]
    slot = PLOT_WIDTH / max(len(days), 1)
    bar_width = max(slot * 0.8, 0.5)
    base = TOP + PLOT_HEIGHT

    def y_of(value: int) -> float:
        return base - PLOT_HEIGHT * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(summary)}" font-size="12">',
        f'<title id="{escape(chart_id)}-title">{escape(summary)}</title>',
        '<g class="chart-grid" aria-hidden="true">',
    ]
    for tick in ticks:
        y = _num(y_of(tick))
        stroke = AXIS_STROKE if tick == 0 else GRID_STROKE
        parts.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="{stroke}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y}" text-anchor="end" dominant-baseline="middle" '
            f'fill="{TEXT_FILL}">{tick}</text>'
        )
    parts.append("</g>")
    parts.append('<g class="chart-bars">')
    for index, point in enumerate(days):
        x = LEFT + index * slot + (slot - bar_width) / 2
        y = y_of(point.views)
        label = _("%(day)s: %(views)s") % {"day": _day(point.day), "views": point.views}
        parts.append(
            f'<rect class="chart-bar" data-day="{point.day.isoformat()}" data-views="{point.views}" '
            f'x="{_num(x)}" y="{_num(y)}" width="{_num(bar_width)}" height="{_num(base - y)}" '
            f'fill="{BAR_FILL}"><title>{escape(label)}</title></rect>'
        )
    parts.append("</g>")
    parts.append('<g class="chart-x-labels" aria-hidden="true">')
    last = len(days) - 1
    for index in x_label_indexes(len(days)):
        center = LEFT + index * slot + slot / 2
        anchor = "start" if index == 0 and last > 0 else "end" if index == last and last > 0 else "middle"
        x = LEFT if anchor == "start" else WIDTH - RIGHT if anchor == "end" else center
        parts.append(
            f'<line x1="{_num(center)}" y1="{base}" x2="{_num(center)}" y2="{base + 4}" '
            f'stroke="{AXIS_STROKE}" stroke-width="1"/>'
            f'<text x="{_num(x)}" y="{base + 20}" text-anchor="{anchor}" fill="{TEXT_FILL}">'
            f"{escape(_day(days[index].day))}</text>"
        )
    parts.append("</g></svg>")
    # every text and attribute value above went through escape(); the rest is our own markup
    return SafeString("".join(parts))  # nosec B703
