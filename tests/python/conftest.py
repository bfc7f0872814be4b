"""Shared fixtures for the Python bindings' tests.

Run as tools/bootstrap.sh does:
    PYTHONPATH=$BUILD/bindings/python FAULTLINE_BUILD_DIR=$BUILD /usr/bin/python3 -m pytest -q tests/python
Nothing is skipped: a missing build is an error, not a reason to pass.
"""

import os
import pathlib

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot: tests run without a display

import pytest

import faultline  # noqa: E402  (an ImportError here means PYTHONPATH does not reach the build)

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]

# A small, fast scenario (a run takes well under a second) that still has everything the tests look
# at: two features with SLOs, a fault that propagates along an edge, a monitor that detects it,
# randomness for seeds to matter, and a status clients answer by logging out.
TINY_SCENARIO = """\
schema_version = 1

[scenario]
name = "python-tiny"
duration = "15m"
seed = 11
bucket = "30s"

[[zone]]
name = "zone-a"
region = "eu"
hosts = 2

[[service]]
name = "frontend"
replicas = 2
service_time = { dist = "exponential", mean = "5ms" }

[[service]]
name = "storage"
replicas = 2
service_time = { dist = "exponential", mean = "3ms" }

[[dependency]]
from = "frontend"
to = "storage"
timeout = "1s"

[[feature]]
name = "play"
entry = "frontend"
share = 0.8
slo = 0.99

[[feature]]
name = "search"
entry = "frontend"
share = 0.2
slo = 0.99

[traffic]
rate = 20

[client]
on_status = { UNAVAILABLE = "logout" }

[[fault]]
name = "storage-crash"
kind = "service_crash"
target = "storage"
at = "2m"
duration = "3m"

[[monitor]]
name = "play-availability"
metric = "feature.play.availability"
below = 0.95
for = "1m"
"""


@pytest.fixture(scope="session")
def build_dir():
    value = os.environ.get("FAULTLINE_BUILD_DIR")
    if not value:
        pytest.fail("FAULTLINE_BUILD_DIR is not set: point it at the CMake build directory")
    path = pathlib.Path(value)
    if not path.is_dir():
        pytest.fail(f"FAULTLINE_BUILD_DIR={value} is not a directory")
    return path


@pytest.fixture(scope="session")
def cli(build_dir):
    path = build_dir / "faultline"
    if not os.access(path, os.X_OK):
        pytest.fail(f"no faultline executable at {path}: build the 'faultline' target")
    return path


@pytest.fixture(scope="session")
def repo_root():
    return REPO_ROOT


@pytest.fixture(scope="session")
def tiny_text():
    return TINY_SCENARIO


@pytest.fixture
def tiny_path(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_SCENARIO)
    return path


@pytest.fixture
def tiny(tiny_path):
    return faultline.load(tiny_path)


@pytest.fixture(scope="session")
def tiny_result():
    """One run of the tiny scenario, shared by tests that only read it."""
    return faultline.run(faultline.load_text(TINY_SCENARIO, "tiny.toml"), seed=5)


@pytest.fixture(scope="session")
def python_env():
    """This process's environment, with PYTHONPATH reaching the faultline package under test."""
    package_parent = str(pathlib.Path(faultline.__file__).resolve().parents[1])
    env = dict(os.environ)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([package_parent] + [p for p in paths if p != package_parent])
    return env
