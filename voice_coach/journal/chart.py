"""The pain chart: before vs after per day for one client, as a PNG.

Drawn with matplotlib's object API on an Agg canvas (no pyplot, no display,
no global backend switch).  The function returns what the lines actually
hold, read back from the ``Line2D`` objects, so callers and tests see the
plotted points rather than what we meant to plot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from voice_coach.errors import JournalError
from voice_coach.journal.queries import PainDay

BEFORE_STYLE = {"color": "#c0392b", "marker": "o", "linestyle": "-", "label": "before session"}
AFTER_STYLE = {"color": "#1e8449", "marker": "s", "linestyle": "--", "label": "after session"}


@dataclass(frozen=True)
class PainChart:
    path: Path
    before: tuple[tuple[date, float], ...]
    after: tuple[tuple[date, float], ...]
    first_day: date
    last_day: date


def _points(days: list[PainDay], attr: str) -> tuple[list[date], list[float]]:
    kept = [(d.day, getattr(d, attr)) for d in days if getattr(d, attr) is not None]
    return [k[0] for k in kept], [k[1] for k in kept]


def _read_back(line) -> tuple[tuple[date, float], ...]:
    from matplotlib.dates import num2date

    xs, ys = line.get_xdata(orig=True), line.get_ydata(orig=True)
    return tuple((x if isinstance(x, date) else num2date(x).date(), float(y)) for x, y in zip(xs, ys))


def plot_pain(days: list[PainDay], out: Path, who: str, first_day: date, last_day: date) -> PainChart:
    """Write the chart of ``days`` (already limited to [first_day, last_day]) to ``out``.

    ``who`` names the client in the title ("client C07").
    """
    if not any(d.before is not None or d.after is not None for d in days):
        raise JournalError(f"no pain scores for {who} between {first_day} and {last_day}",
                           "try more --weeks, another --client, or answer the pain question in sessions")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 4.8), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    lines = []
    for attr, style in (("before", BEFORE_STYLE), ("after", AFTER_STYLE)):
        xs, ys = _points(days, attr)
        (line,) = ax.plot(xs, ys, linewidth=2, markersize=7, **style)
        lines.append(line)
        for x, y in zip(xs, ys):  # the number itself, so no one has to read it off the grid
            ax.annotate(f"{y:g}", (x, y), textcoords="offset points", xytext=(0, 8 if attr == "before" else -15),
                        ha="center", fontsize=8, color=style["color"])
    ax.set_ylim(-0.5, 10.5)
    ax.set_yticks(range(0, 11))
    ax.set_ylabel("pain (0 = none, 10 = worst)")
    # Half a day of margin (as datetimes: date + timedelta drops fractions) so edge points show whole.
    ax.set_xlim(datetime.combine(first_day, time()) - timedelta(hours=12),
                datetime.combine(last_day, time()) + timedelta(hours=12))
    locator = AutoDateLocator(maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best")
    several = any(d.sessions > 1 for d in days)
    ax.set_title(f"Pain before and after sessions — {who}, {first_day:%d %b %Y} to {last_day:%d %b %Y}"
                 + ("\n(days with several sessions show their mean)" if several else ""))
    fig.tight_layout()
    before, after = (_read_back(line) for line in lines)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        fig.savefig(out, format="png")
    except OSError as exc:
        raise JournalError(f"cannot write the chart {out}: {exc.strerror}", "choose a writable path for --plot") from None
    return PainChart(out, before, after, first_day, last_day)
