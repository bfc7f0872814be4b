"""The picture of an outage: what users saw of each feature over time, against its SLO, with the
incident stages marked (``Result.plot``), and how long they waited (``Result.plot_latency``). Drawn on a new pyplot figure when the caller uses pyplot (so ``plt.show()``
shows it), else on a bare matplotlib Figure, so a script or a notebook that never imports pyplot and
makes plots in a loop leaves nothing behind in pyplot's global list of open figures.
"""

import sys

import numpy as np

from .result import INCIDENT_STAGES

__all__ = ["plot_availability", "plot_latency"]

_STAGE_LABELS = {
    "impact_start": "impact",
    "detected": "detected",
    "acknowledged": "acknowledged",
    "diagnosed": "diagnosed",
    "mitigated": "mitigated",
    "recovered": "recovered",
}


def _figure_and_axes(ax):
    if ax is not None:
        return ax.figure, ax
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        figure = pyplot.figure(figsize=(10, 4.5), layout="constrained")
    else:
        from matplotlib.figure import Figure

        figure = Figure(figsize=(10, 4.5), layout="constrained")
    return figure, figure.subplots()


def _time_unit(duration):
    """The unit of the time axis: minutes, hours for runs of 3 h or more, days from 3 days."""
    if duration >= 3 * 86400:
        return "d", 86400.0
    if duration >= 3 * 3600:
        return "h", 3600.0
    return "min", 60.0


def _mark_stages(ax, report, scale, height):
    """The incident stages as dotted lines, their names running down from `height` (axes fraction)."""
    for time, names in _stage_groups(report["incident"], report["duration"]):
        ax.axvline(time / scale, color="0.35", linestyle=":", linewidth=1)
        ax.text(time / scale, height, " / ".join(names) + " ", rotation=90, fontsize=8, color="0.25",
                ha="right", va="top", transform=ax.get_xaxis_transform())


def _per_feature(result, scale):
    """Each feature with its colour, its timeline rows and the edges of its buckets (in the time unit):
    steps over whole buckets, the value is the bucket's from its start to its end, NaN a gap."""
    timeline = result.timeline
    for index, feature in enumerate(result.report["features"]):
        rows = timeline[(timeline.kind == "feature") & (timeline.name == feature["name"])]
        edges = np.append(rows.t_start.to_numpy(), rows.t_end.to_numpy()[-1:]) / scale
        yield feature, f"C{index % 10}", rows, edges


def _finish(ax, report, unit, scale, title, ylabel):
    provenance = report["provenance"]
    ax.set_title(f"{provenance['scenario_name']} (seed {provenance['seed']}){title}", fontsize=10)
    ax.set_xlabel(f"time ({unit})")
    ax.set_ylabel(ylabel)
    ax.set_xlim(0, report["duration"] / scale)
    if report["features"]:
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)


def plot_availability(result, ax=None):
    """Draw a Result's feature availability into ``ax`` (a new Figure when None); return the Figure."""
    figure, ax = _figure_and_axes(ax)
    report = result.report
    unit, scale = _time_unit(report["duration"])
    for feature, colour, rows, edges in _per_feature(result, scale):
        ax.stairs(rows.availability.to_numpy(), edges, color=colour, linewidth=1.4, label=feature["name"],
                  baseline=None)
        ax.axhline(feature["slo"], color=colour, linestyle="--", linewidth=0.8, alpha=0.8)
    # Stage names run down the left of their marker from just under availability 1: while users are
    # fine the curves sit at the top, and during the incident there is room below them.
    _mark_stages(ax, report, scale, 0.94)
    _finish(ax, report, unit, scale, "", "availability (dashed: SLO)")
    ax.set_ylim(-0.02, 1.04)
    return figure


def plot_latency(result, ax=None):
    """Draw each feature's p99 latency per bucket into ``ax`` (a new Figure when None), of its
    successful requests (solid) and of all of them (dashed: failed ones counted when the user saw them
    fail), on a logarithmic axis with the incident stages; return the Figure."""
    figure, ax = _figure_and_axes(ax)
    report = result.report
    unit, scale = _time_unit(report["duration"])
    for feature, colour, rows, edges in _per_feature(result, scale):
        ax.stairs(rows.p99.to_numpy(), edges, color=colour, linewidth=1.4, label=f"{feature['name']} p99",
                  baseline=None)
        ax.stairs(rows.p99_all.to_numpy(), edges, color=colour, linewidth=1.0, linestyle="--",
                  label=f"{feature['name']} p99, all requests", baseline=None)
    ax.set_yscale("log")
    _mark_stages(ax, report, scale, 0.97)
    _finish(ax, report, unit, scale, ": latency", "p99 latency (s; dashed: all requests)")
    return figure


def _stage_groups(incident, duration):
    """Stages that happened, grouped when their labels would run into each other (closer than 2% of
    the run), as (time of the first, [labels])."""
    # Stable sort by time: stages at the same moment keep their logical order.
    happened = sorted(((incident[s], s) for s in INCIDENT_STAGES if incident.get(s) is not None),
                      key=lambda stage: stage[0])
    groups = []
    for time, stage in happened:
        if groups and time - groups[-1][0] < 0.02 * duration:
            groups[-1][1].append(_STAGE_LABELS[stage])
        else:
            groups.append((time, [_STAGE_LABELS[stage]]))
    return groups
