"""Experiments: sweeps over parameter grids and comparisons of designs.

Both run the C++ experiment code the ``faultline sweep`` and ``faultline compare`` commands run, so a
sweep here and on the command line give the same numbers, and a comparison the same intervals and
verdicts. Every run is a forked child process; ``jobs`` of them go at once, or, with a Dask
``client``, one task per run on the cluster's workers.
"""

import html
import math

from . import _faultline
from .runs import _check_scenario, _check_seed
from .scenario import _override_text

__all__ = ["sweep", "compare", "Comparison"]

# What the verdicts mean, for people reading a table (the strings themselves come from C++).
VERDICTS = ("A better", "B better", "no significant difference", "no difference", "n/a")


def sweep(scenario, grid=None, runs=1, jobs=1, client=None, seed=None, force=False, event_budget=_faultline.default_event_budget):
    """Run ``runs`` replicates of every point of ``grid`` and return one row per run.

    ``grid`` maps override keys to the values to try, ``{"service.api.replicas": [1, 2, 3],
    "traffic.rate": [50, 100]}``: the points are every combination, numbered like nested loops with
    the last key innermost (``faultline sweep --param KEY=V1,V2`` in the same order numbers them the
    same). No grid: replicates of the scenario alone. Values are written as in :meth:`Scenario.set`.
    Run i of each point uses seed ``seed + i`` (default: the scenario's seed), as in :func:`replicate`,
    so every point sees the same random draws.

    Runs go ``jobs`` at a time here, or, with ``client`` (a ``dask.distributed.Client``), as one task
    per run on its workers (which must be able to import faultline; ``jobs`` is then unused): either
    way the rows are the same.

    Returns a pandas DataFrame in (point, run) order with the columns ``point``, ``run`` (replicate
    index within the point), one column per grid key (the values given), ``seed``, then the metrics:
    availability, ``feature.<name>.availability``, users_affected, user_minutes_lost, sessions_lost,
    ttd, tta, ttm, ttr, the incident stage times (NaN for a stage that never happened),
    service_calls, run_duration and wasted_work. Raises ScenarioError (every point's mistakes at once) before anything runs,
    also for points estimated over the event budget or the machine's memory, as :func:`run` does
    (``force=True`` runs them anyway).
    """
    _check_scenario(scenario)
    _check_count("runs", runs)
    _check_count("jobs", jobs)
    seed = None if seed is None else _check_seed(seed)
    grid = _check_grid(grid)
    grid_text = [(key, [_override_text(v) for v in values]) for key, values in grid.items()]
    text, origin, overrides = scenario._load_arguments()

    if client is None:
        swept = _faultline.sweep(text, origin, overrides, grid_text, runs, jobs, seed, bool(force), float(event_budget))
        labels, rows = swept["labels"], swept["runs"]
    else:
        swept = _faultline.plan_sweep(text, origin, overrides, grid_text, runs, seed, bool(force), float(event_budget))
        points = swept["points"]
        futures = [client.submit(_run_metrics_task, text, origin, points[point]["overrides"], run_seed)
                   for point, _, run_seed in swept["runs"]]
        results = client.gather(futures)
        labels = [p["labels"] for p in points]
        rows = [(point, run, run_seed, metrics) for (point, run, run_seed), metrics in zip(swept["runs"], results)]
    values = {key: dict(zip(texts, grid[key])) for key, texts in grid_text}
    return _sweep_table(list(grid), values, labels, swept["metric_columns"], rows)


def _run_metrics_task(text, origin, overrides, seed):
    """One run on a Dask worker: its metrics as [(name, value), ...], what the local sweep computes."""
    return _faultline.run_metrics(text, origin, overrides, seed)


def compare(a, b, runs=10, jobs=1, seed=None, client=None, force=False, event_budget=_faultline.default_event_budget):
    """Run designs ``a`` and ``b`` (two Scenarios) on the same ``runs`` seeds and compare them.

    Common random numbers: run i of each uses seed ``seed + i`` (default: a's seed), and every random
    stream derives from the seed and an entity's name, so both designs see the same traffic and the
    same fault selections, and a design change is not confused with luck. For each metric with a
    better direction (availability higher; users_affected, user_minutes_lost, sessions_lost, ttd, tta,
    ttm, ttr lower) the :class:`Comparison` has the mean paired difference B - A, its 95% Student t
    interval and a verdict, as ``faultline compare`` prints them. A design estimated over the budget
    is refused before anything runs, as by :func:`faultline.run` (``force=True`` runs it anyway).
    Runs go ``jobs`` at a time here, or, with ``client`` (a ``dask.distributed.Client``), as one task
    per design and seed on its workers: either way the comparison is the same.
    """
    _check_scenario(a)
    _check_scenario(b)
    _check_count("runs", runs)
    if runs < 2:
        raise ValueError("a comparison needs at least 2 runs for a confidence interval")
    _check_count("jobs", jobs)
    seed = None if seed is None else _check_seed(seed)
    if client is None:
        compared = _faultline.compare(a._load_arguments(), b._load_arguments(), runs, jobs, seed, bool(force),
                                      float(event_budget))
    else:
        seeds = _faultline.comparison_seeds(a._load_arguments(), b._load_arguments(), runs, seed, bool(force),
                                            float(event_budget))
        futures = {design: [client.submit(_run_metrics_task, *scenario._load_arguments(), run_seed) for run_seed in seeds]
                   for design, scenario in (("a", a), ("b", b))}
        rows = {design: list(zip(seeds, client.gather(f))) for design, f in futures.items()}
        compared = _faultline.compare_metrics(rows["a"], rows["b"])
    return Comparison(a, b, compared)


class Comparison:
    """Two designs run on the same seeds, made by :func:`compare`.

    ``table``: one row per metric, with columns metric, a_mean, b_mean (each design's mean over its runs
    that have the metric: a stage that never happened has none), diff (mean of B - A over the pairs in
    which both runs have it), ci_low, ci_high (its 95% confidence interval),
    verdict ("A better", "B better", "no significant difference", "no difference" when identical in
    every pair, "n/a" when no pair has it), pairs, better ("higher" or "lower"), ranked, no_incident_a,
    no_incident_b, not_recovered_a, not_recovered_b. An incident time (ttd, tta, ttm, ttr, a stage's
    span) that a run of one design lacks is ranked: no incident is better than any time, and an
    incident not recovered by the end of the run has a ttr longer than any shorter one the other had;
    when a pair differs so, ``ranked`` is True and the verdict comes from the mean rank difference
    over every pair (no_incident_* and not_recovered_* count the runs of each without an incident, and
    whose incident had not recovered).
    ``runs``: every run of both, with columns design ("A" or "B"), run, seed and the metrics.
    """

    def __init__(self, a, b, compared):
        import pandas as pd

        self.a, self.b = a, b
        columns = ["metric", "a_mean", "b_mean", "diff", "ci_low", "ci_high", "verdict", "pairs", "better", "ranked",
                   "no_incident_a", "no_incident_b", "not_recovered_a", "not_recovered_b"]
        self.table = pd.DataFrame(compared["table"], columns=columns)
        rows = []
        for design, runs in (("A", compared["a"]), ("B", compared["b"])):
            for run, seed, metrics in runs:
                rows.append({"design": design, "run": run, "seed": seed, **dict(metrics)})
        self.runs = pd.DataFrame(rows)
        if len(self.runs):
            self.runs["seed"] = self.runs["seed"].astype("uint64")

    @property
    def seeds(self):
        """The seeds both designs ran with, in run order."""
        return [int(s) for s in self.runs.loc[self.runs.design == "A", "seed"]]

    def verdict(self, metric):
        """The verdict for one metric, e.g. ``comparison.verdict("availability") == "B better"``."""
        rows = self.table[self.table.metric == metric]
        if rows.empty:
            raise KeyError(f"no metric {metric!r} in the comparison; known: {', '.join(self.table.metric)}")
        return rows.verdict.iloc[0]

    def __repr__(self):
        lines = [f"<Comparison A={self.a.name!r} B={self.b.name!r}, {len(self.seeds)} runs each>"]
        for row in self.table.itertuples():
            lines.append(f"  {row.metric}: {_number(row.a_mean)} vs {_number(row.b_mean)}, "
                         f"B - A {_interval(row)}: {row.verdict}")
        return "\n".join(lines)

    def _repr_html_(self):
        header = ("<p><b>A</b> {a} &nbsp; <b>B</b> {b} &nbsp; {n} runs of each on the same seeds; "
                  "difference B &minus; A with its 95% confidence interval</p>").format(
                      a=html.escape(self.a.name), b=html.escape(self.b.name), n=len(self.seeds))
        cells = ["<tr><th style='text-align:left'>metric</th><th>A mean</th><th>B mean</th>"
                 "<th>B &minus; A [95% CI]</th><th style='text-align:left'>verdict</th></tr>"]
        colours = {"A better": "#2b7bba", "B better": "#2b7bba", "no significant difference": "#777",
                   "no difference": "#777", "n/a": "#aaa"}
        for row in self.table.itertuples():
            if row.ranked and row.not_recovered_a + row.not_recovered_b > 0:
                pairs = f" (ranked: not recovered in {row.not_recovered_a} of A's runs, {row.not_recovered_b} of B's)"
            elif row.ranked:
                pairs = f" (ranked: no incident in {row.no_incident_a} of A's runs, {row.no_incident_b} of B's)"
            else:
                pairs = "" if row.pairs == len(self.seeds) else f" ({row.pairs} of {len(self.seeds)} pairs)"
            cells.append(
                f"<tr><td style='text-align:left'>{html.escape(row.metric)}</td><td>{_number(row.a_mean)}</td>"
                f"<td>{_number(row.b_mean)}</td><td>{_interval(row)}</td>"
                f"<td style='text-align:left;color:{colours.get(row.verdict, '#000')}'>"
                f"<b>{html.escape(row.verdict)}</b>{pairs}</td></tr>")
        return header + "<table>" + "".join(cells) + "</table>"


# --- helpers ----------------------------------------------------------------------------------------


def _sweep_table(keys, values, labels, metric_columns, rows):
    import pandas as pd

    records = []
    for point, run, seed, metrics in rows:
        record = {"point": point, "run": run}
        record.update({key: values[key][text] for key, text in zip(keys, labels[point])})
        record["seed"] = seed
        measured = dict(metrics)
        record.update({name: measured.get(name, math.nan) for name in metric_columns})
        records.append(record)
    table = pd.DataFrame(records, columns=["point", "run", *keys, "seed", *metric_columns])
    table["seed"] = table["seed"].astype("uint64")
    if "service_calls" in table and not table["service_calls"].isna().any():
        table["service_calls"] = table["service_calls"].astype("int64")
    return table


def _check_count(name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _check_grid(grid):
    if grid is None:
        return {}
    if not hasattr(grid, "items"):
        raise TypeError(f"a grid maps keys to lists of values, like {{'traffic.rate': [50, 100]}}; got {grid!r}")
    checked = {}
    for key, values in grid.items():
        if not isinstance(key, str):
            raise TypeError(f"a grid key is a str like 'traffic.rate', not {type(key).__name__}")
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise TypeError(f"grid[{key!r}] is a list of values to try, got {values!r}")
        values = list(values)
        if not values:
            raise ValueError(f"grid[{key!r}] has no values")
        checked[key] = values
    return checked


def _number(value):
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.6g}"


def _interval(row):
    if math.isnan(row.diff):
        return "n/a"
    if math.isnan(row.ci_low):
        return f"{row.diff:+.4g}"
    return f"{row.diff:+.4g} [{row.ci_low:+.4g}, {row.ci_high:+.4g}]"
