"""Running scenarios: one run, or replicates of one scenario under different seeds.

Each run is simulated in a forked child process (SimGrid allows one engine per process), with the
GIL released while it runs, so runs can go in parallel from plain threads.
"""

import math

from . import _faultline
from .result import INCIDENT_DURATIONS, INCIDENT_STAGES, Result
from .scenario import Scenario

__all__ = ["run", "replicate", "replicate_seeds"]

_SEED_LIMIT = 2**64


def run(scenario, seed=None):
    """Simulate the scenario once; ``seed`` defaults to the scenario's own. Returns a :class:`Result`.

    Raises ScenarioError for a scenario that does not load and SimulationError when the run fails.
    """
    _check_scenario(scenario)
    seed = scenario.seed if seed is None else _check_seed(seed)
    text, origin, overrides = scenario._load_arguments()
    return Result(_faultline.simulate(text, origin, overrides, seed))


def replicate_seeds(scenario, runs, seed=None):
    """The seeds :func:`replicate` uses: ``seed`` (default: the scenario's), then seed + 1, seed + 2, ...
    (modulo 2**64). Run i of a replicate is therefore ``faultline run --seed <seed + i>``."""
    _check_scenario(scenario)
    base = scenario.seed if seed is None else _check_seed(seed)
    return [(base + i) % _SEED_LIMIT for i in range(runs)]


def replicate(scenario, runs=10, jobs=1, seed=None):
    """Run the scenario ``runs`` times with the seeds of :func:`replicate_seeds`, ``jobs`` at a time.

    Returns a pandas DataFrame with one row per run (index ``run``): seed, availability,
    users_affected, user_minutes_lost, sessions_lost, ttd, tta, ttm, ttr (NaN when the stage never
    happened), the incident stage times, then the rest of the summary, including
    ``feature.<name>.availability``. The rows do not depend on ``jobs``.
    """
    import pandas as pd

    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise ValueError(f"runs must be a positive integer, got {runs!r}")
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer, got {jobs!r}")
    seeds = replicate_seeds(scenario, runs, seed)

    if jobs == 1:
        results = [run(scenario, s) for s in seeds]
    else:
        # Forked from this thread, jobs at a time; on a failure or Ctrl-C the runs under way are killed.
        text, origin, overrides = scenario._load_arguments()
        results = [Result(report) for report in _faultline.simulate_many(text, origin, overrides, seeds, jobs)]

    table = pd.DataFrame([_replicate_row(r) for r in results])
    table.index.name = "run"
    table["seed"] = table["seed"].astype("uint64")
    return table


# The headline columns first; everything else in the summary follows.
_LEADING_SUMMARY = ("availability", "users_affected", "user_minutes_lost", "sessions_lost")


def _replicate_row(result):
    summary, incident = result.summary, result.incident
    row = {"seed": result.seed}
    row.update({k: summary.pop(k) for k in _LEADING_SUMMARY if k in summary})
    for key in INCIDENT_DURATIONS + INCIDENT_STAGES:
        row[key] = math.nan if incident[key] is None else incident[key]
    row.update(summary)
    row["detected_by"] = incident["detected_by"]
    row["mitigated_by"] = incident["mitigated_by"]
    return row


def _check_scenario(scenario):
    if not isinstance(scenario, Scenario):
        raise TypeError(
            f"expected a faultline.Scenario (from faultline.load or faultline.demo_scenario), "
            f"got {type(scenario).__name__}"
        )


def _check_seed(seed):
    if isinstance(seed, bool) or not hasattr(seed, "__index__"):
        raise TypeError(f"a seed is an integer, not {type(seed).__name__}")
    seed = seed.__index__()
    if not 0 <= seed < _SEED_LIMIT:
        raise ValueError(f"a seed is an integer from 0 to {_SEED_LIMIT - 1}, got {seed}")
    return seed
