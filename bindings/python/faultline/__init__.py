"""faultline: chaos and outage simulation of a service platform, from Python.

    import faultline
    sc = faultline.load("scenarios/spotify-2022-03-08.toml")    # or faultline.demo_scenario()
    res = faultline.run(sc.set("traffic.rate", 50), seed=7)
    res.summary, res.incident, res.timeline, res.plot()
    faultline.replicate(sc, runs=5, jobs=2)
    faultline.sweep(sc, {"service.auth.replicas": [3, 6, 9]}, runs=3, jobs=2)   # a DataFrame, a row per run
    faultline.compare(sc, sc.set("dependency[13].fail_static", True), runs=5)  # paired CIs and verdicts
    sc.services, sc.dependency("auth", "service-discovery").timeout     # the scenario as objects
    faultline.ScenarioBuilder("tiny", duration="30m").service("api").feature("play", entry="api").build()

The same engine as the ``faultline`` command line: a run here and ``faultline run`` with the same
scenario, overrides and seed produce byte-identical report.json text (``Result.to_json()``).
"""

# errors first: the C++ extension looks its exception classes up there when it is imported.
from .errors import ScenarioError, ScenarioFileNotFoundError, ScenarioWarning, SimulationError
from ._faultline import Diagnostic, __version__
from .scenario import DEMO_SCENARIO, Scenario, demo_scenario, load, load_text
from .scenario_model import Entry, ScenarioBuilder
from .result import Result
from .runs import replicate, replicate_seeds, run
from .experiments import Comparison, compare, sweep

__all__ = [
    "Comparison",
    "DEMO_SCENARIO",
    "Diagnostic",
    "Entry",
    "Result",
    "Scenario",
    "ScenarioError",
    "ScenarioBuilder",
    "ScenarioFileNotFoundError",
    "ScenarioWarning",
    "SimulationError",
    "compare",
    "demo_scenario",
    "load",
    "load_text",
    "replicate",
    "replicate_seeds",
    "run",
    "sweep",
]
