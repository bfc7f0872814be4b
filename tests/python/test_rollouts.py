"""Gradual actions seen from Python: the reference outage's switch back to DNS rolls out in batches."""

import pathlib

import pytest

import faultline

SCENARIOS = pathlib.Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def reference():
    return faultline.run(faultline.load(SCENARIOS / "spotify-2022-03-08.toml"))


def test_the_switch_reaches_every_caller_step_by_step(reference):
    rollouts = reference.rollouts
    assert list(rollouts.index) == ["switch-to-dns"]
    switch = rollouts.loc["switch-to-dns"]
    assert switch["unit"] == "callers"
    assert switch["steps"] == 6  # 12 caller replicas (auth and sessions), 2 at a time
    assert not switch["reverted"]
    assert switch["finished"] - switch["started"] == pytest.approx(5 * 15 * 60)
    timeline = reference.rollout_timeline
    share = timeline["share_done"].to_numpy()
    assert (share[1:] >= share[:-1]).all()
    assert sorted(set(round(x, 6) for x in share)) == [round(k / 6, 6) for k in range(7)]


def test_recovery_follows_the_rollout_instead_of_a_step(reference):
    incident = reference.incident
    ttr = incident["ttr"]
    assert 40 * 60 <= ttr <= 2.5 * 3600
    # Recovered only after the last step reached its callers, before the control plane's own fix.
    finished = reference.rollouts.loc["switch-to-dns", "finished"]
    assert finished <= incident["impact_start"] + ttr < 3.5 * 3600
    # While the push is under way, login is neither down nor back: several buckets in between.
    login = reference.timeline.query("kind == 'feature' and name == 'login'")
    started = reference.rollouts.loc["switch-to-dns", "started"]
    during = login[(login.t_start >= started) & (login.t_end <= finished)]
    assert ((during.availability > 0.2) & (during.availability < 0.9)).sum() >= 10
