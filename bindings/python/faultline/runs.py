"""Running scenarios: one run, or replicates of one scenario under different seeds.

Each run is simulated in a forked child process (SimGrid allows one engine per process), with the
GIL released while it runs, so runs can go in parallel from plain threads.
"""

from . import _faultline
from .result import Result
from .scenario import Scenario

__all__ = ["run", "replicate", "replicate_seeds"]

_SEED_LIMIT = 2**64


def run(scenario, seed=None, force=False, event_budget=_faultline.default_event_budget):
    """Simulate the scenario once; ``seed`` defaults to the scenario's own. Returns a :class:`Result`.

    Raises ScenarioError for a scenario that does not load, or that is estimated, before anything is
    simulated, to need more than 2e9 model events or more memory than the machine has (the
    diagnostics give the estimate and the keys that drive it; ``force=True`` runs it anyway, as
    ``faultline run --force`` does), and SimulationError when the run fails.
    """
    _check_scenario(scenario)
    seed = scenario.seed if seed is None else _check_seed(seed)
    text, origin, overrides = scenario._load_arguments()
    return Result(_faultline.simulate(text, origin, overrides, seed, bool(force), float(event_budget)))


def replicate_seeds(scenario, runs, seed=None):
    """The seeds :func:`replicate` uses: ``seed`` (default: the scenario's), then seed + 1, seed + 2, ...
    (modulo 2**64). Run i of a replicate is therefore ``faultline run --seed <seed + i>``."""
    _check_scenario(scenario)
    base = scenario.seed if seed is None else _check_seed(seed)
    return [(base + i) % _SEED_LIMIT for i in range(runs)]


def replicate(scenario, runs=10, jobs=1, seed=None, client=None, force=False, event_budget=_faultline.default_event_budget):
    """Run the scenario ``runs`` times with the seeds of :func:`replicate_seeds`, ``jobs`` at a time (or,
    with ``client``, a ``dask.distributed.Client``, one task per run on its workers).

    Returns a pandas DataFrame with one row per run (index ``run``): seed, then the per-run metrics
    that :func:`faultline.sweep`, :func:`faultline.compare` and ``faultline sweep`` give, in the same
    order and with the same values: availability, ``feature.<name>.availability``, degraded,
    ``feature.<name>.degraded``, requests, users_affected, user_minutes_lost, sessions_lost, ttd, tta,
    ttm, ttr (NaN when the stage never happened), the incident stage times and spans, incidents,
    worst_ttr, mean_ttr, service_calls, run_duration and wasted_work (then writes_lost and read_only with replicated state). It
    is ``sweep(scenario, runs=runs, seed=seed)`` without the ``point`` column. The rows do not depend
    on ``jobs`` or ``client``. A scenario estimated over the budget is refused as by :func:`run`
    (``force=True`` runs it anyway).
    """
    from .experiments import sweep

    table = sweep(scenario, runs=runs, jobs=jobs, client=client, seed=seed, force=force, event_budget=event_budget)
    return table.drop(columns="point").set_index("run")


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
