"""Server-drawn trajectory charts: geometry for an SVG of one instrument's totals over time.

No JavaScript and no inline styles (the CSP forbids both): the template draws this
geometry with SVG presentation attributes and classes from app.css. Medication starts,
dose changes and stops arrive as dated markers on the same time axis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dosewise.clinical.instruments import Instrument

WIDTH, HEIGHT = 760, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 22, 36
MIN_SPAN_DAYS = 28
# Tints from "least" to "most" symptomatic; reversed for scales where higher is better.
BAND_FILLS = ("#e6f4ea", "#f1f6d8", "#fff4d1", "#fde3cc", "#fbd5d5")
MARKER_KINDS = ("start", "change", "stop")


@dataclass(frozen=True)
class ChartMarker:
    """A dated event drawn as a vertical line (e.g. "sertraline 50 mg started")."""

    day: date
    label: str
    kind: str  # one of MARKER_KINDS


@dataclass(frozen=True)
class Band:
    y: float
    height: float
    label: str
    fill: str
    css: str
    label_y: float


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: date
    total: float
    severity: str


@dataclass(frozen=True)
class Marker:
    x: float
    label: str
    kind: str
    label_y: float


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class TrajectoryChart:
    title: str
    description: str
    width: int
    height: int
    left: int
    right_edge: int
    plot_width: int
    top: int
    bottom_edge: int
    bands: tuple[Band, ...]
    points: tuple[Point, ...]
    polyline: str
    markers: tuple[Marker, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    first_day: date
    last_day: date


def _fmt(total: float) -> str:
    return f"{total:g}"


def trajectory_chart(instrument: Instrument, scores: Sequence[tuple[date, float, str]],
                     markers: Sequence[ChartMarker] = (), today: date | None = None) -> TrajectoryChart:
    """Return the geometry of a chart of dated totals with severity bands and event markers
    (with neither, an empty axis around `today`, the clinic's day)."""
    for marker in markers:
        if marker.kind not in MARKER_KINDS:
            raise ValueError(f"marker kind {marker.kind!r} is not one of {', '.join(MARKER_KINDS)}")
    days = [d for d, _, _ in scores] + [m.day for m in markers]
    if not days and today is None:
        raise ValueError("an empty chart needs the clinic's today to place its axis")
    first = min(days) if days else today
    last = max(days) if days else first
    if (last - first).days < MIN_SPAN_DAYS:
        pad = (MIN_SPAN_DAYS - (last - first).days) / 2
        first, last = first - timedelta(days=int(pad + 0.5)), last + timedelta(days=int(pad + 0.5))
    span = max((last - first).days, 1)
    right_edge, bottom_edge = WIDTH - RIGHT, HEIGHT - BOTTOM
    lo, hi = float(instrument.total_min), float(instrument.total_max)

    def x_of(day: date) -> float:
        return round(LEFT + (day - first).days / span * (right_edge - LEFT), 1)

    def y_of(value: float) -> float:
        return round(bottom_edge - (value - lo) / (hi - lo) * (bottom_edge - TOP), 1)

    bands = []
    count = len(instrument.bands)
    for index, (band_lo, band_hi, label) in enumerate(instrument.bands):
        rank = round(index * (len(BAND_FILLS) - 1) / max(count - 1, 1))
        if instrument.higher_is_better:
            rank = len(BAND_FILLS) - 1 - rank
        # A band covers its whole-number range: from lo - 0.5 to hi + 0.5, clipped to the axis.
        top_value, bottom_value = min(band_hi + 0.5, hi), max(band_lo - 0.5, lo)
        y_top, y_bottom = y_of(top_value), y_of(bottom_value)
        bands.append(Band(y=y_top, height=round(y_bottom - y_top, 1), label=label, fill=BAND_FILLS[rank],
                          css=f"band band-{rank}", label_y=round(y_top + 12, 1)))

    points = tuple(Point(x=x_of(d), y=y_of(t), day=d, total=t, severity=s) for d, t, s in sorted(scores))
    polyline = " ".join(f"{p.x},{p.y}" for p in points)
    drawn_markers = tuple(
        Marker(x=x_of(m.day), label=f"{m.day.isoformat()}: {m.label}", kind=m.kind,
               label_y=TOP + 10 + (i % 3) * 12)
        for i, m in enumerate(sorted(markers, key=lambda m: m.day))
    )
    tick_count = 5
    x_ticks = tuple(
        Tick(at=x_of(first + timedelta(days=round(span * i / tick_count))),
             label=(first + timedelta(days=round(span * i / tick_count))).strftime("%b %-d, %Y"))
        for i in range(tick_count + 1)
    )
    y_values = sorted({lo, hi} | {float(b_lo) for b_lo, _, _ in instrument.bands})
    y_ticks = tuple(Tick(at=y_of(v), label=_fmt(v)) for v in y_values)
    if points:
        latest = points[-1]
        description = (f"{len(points)} score{'s' if len(points) != 1 else ''} from {points[0].day.isoformat()} to "
                       f"{latest.day.isoformat()}; first {_fmt(points[0].total)}, latest {_fmt(latest.total)}"
                       f"{f' ({latest.severity})' if latest.severity else ''}. "
                       f"{len(drawn_markers)} medication event{'s' if len(drawn_markers) != 1 else ''} marked.")
    else:
        description = "No scores yet."
    return TrajectoryChart(
        title=f"{instrument.short_name} {instrument.total_label} over time",
        description=description, width=WIDTH, height=HEIGHT, left=LEFT, right_edge=right_edge,
        plot_width=right_edge - LEFT, top=TOP,
        bottom_edge=bottom_edge, bands=tuple(bands), points=points, polyline=polyline, markers=drawn_markers,
        x_ticks=x_ticks, y_ticks=y_ticks, first_day=first, last_day=last,
    )


# Side-effect burden drawn under the trajectory, on the same time axis.
BURDEN_HEIGHT = 170
BURDEN_MAX = 10
# Dark enough for 4.5:1 on white; each series also has its own dash so colour is not the only cue.
BURDEN_STROKES = ("#6929c4", "#a2191f", "#005d5d", "#8a3800", "#0f62fe", "#4d5358")
BURDEN_DASHES = ("none", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")


@dataclass(frozen=True)
class BurdenSeries:
    name: str
    stroke: str
    dash: str
    points: tuple[Point, ...]
    polyline: str
    latest: int


@dataclass(frozen=True)
class BurdenChart:
    title: str
    description: str
    width: int
    height: int
    left: int
    right_edge: int
    top: int
    bottom_edge: int
    series: tuple[BurdenSeries, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]


def burden_chart(trajectory: TrajectoryChart,
                 series: Mapping[str, Sequence[tuple[date, int]]]) -> BurdenChart | None:
    """Return side-effect burden (0-10) per effect on the trajectory's time axis, or None.

    Reports outside the trajectory's dates are left off, as the markers are, so the two
    charts line up day for day; an effect with no report in range is not drawn.
    """
    first, last = trajectory.first_day, trajectory.last_day
    span = max((last - first).days, 1)
    right_edge, bottom_edge = WIDTH - RIGHT, BURDEN_HEIGHT - BOTTOM

    def x_of(day: date) -> float:
        return round(LEFT + (day - first).days / span * (right_edge - LEFT), 1)

    def y_of(value: float) -> float:
        return round(bottom_edge - value / BURDEN_MAX * (bottom_edge - TOP), 1)

    drawn = []
    for name, reports in series.items():
        in_range = sorted((d, b) for d, b in reports if first <= d <= last)
        if not in_range:
            continue
        n = len(drawn) % len(BURDEN_STROKES)
        points = tuple(Point(x=x_of(d), y=y_of(b), day=d, total=b, severity="") for d, b in in_range)
        drawn.append(BurdenSeries(name=name, stroke=BURDEN_STROKES[n], dash=BURDEN_DASHES[n], points=points,
                                  polyline=" ".join(f"{p.x},{p.y}" for p in points), latest=in_range[-1][1]))
    if not drawn:
        return None
    x_ticks = tuple(Tick(at=t.at, label=t.label) for t in trajectory.x_ticks)
    y_ticks = tuple(Tick(at=y_of(v), label=_fmt(v)) for v in (0, 5, 10))
    description = "; ".join(
        f"{s.name}: " + ", ".join(f"{p.day.isoformat()} {p.total:g}" for p in s.points) for s in drawn)
    return BurdenChart(title="Side-effect burden on daily life (0 none to 10 unbearable)",
                       description=description, width=WIDTH, height=BURDEN_HEIGHT, left=LEFT,
                       right_edge=right_edge, top=TOP, bottom_edge=bottom_edge, series=tuple(drawn),
                       x_ticks=x_ticks, y_ticks=y_ticks)
