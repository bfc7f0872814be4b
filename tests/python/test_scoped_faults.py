"""Faults scoped to users from Python: a manifest configuration that breaks playback for smart TVs only."""

import pathlib

import numpy as np
import pytest

import faultline

SCENARIOS = pathlib.Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def tv():
    return faultline.run(faultline.load(SCENARIOS / "tv-manifest-rollout-hidden-by-averages.toml"))


def test_the_scoped_fault_frame_says_who_was_hit_and_when_they_recovered(tv):
    frame = tv.scoped_faults
    assert list(frame.index) == ["tv-manifest"]
    row = frame.loc["tv-manifest"]
    assert row.users_in_scope == pytest.approx(0.12, abs=0.005)
    assert row.others_failed == 0 and row.others_availability == 1
    assert 0 < row.availability < 1
    assert row.failed == tv.summary["failed"]
    assert row.began == 30 * 60
    assert row.recovered == pytest.approx(row.ended, abs=30)
    assert row.time_to_recover == pytest.approx(row.recovered - row.began)
    assert frame["requests"].dtype == np.int64


def test_the_scoped_fault_timeline_has_both_sides_per_bucket(tv):
    timeline = tv.scoped_fault_timeline
    assert set(timeline.users) == {"in scope", "others"}
    inside = timeline[timeline.users == "in scope"].set_index("t_start")
    others = timeline[timeline.users == "others"].set_index("t_start")
    assert len(inside) == len(others) == len(tv.timeline[tv.timeline.kind == "feature"])
    assert others.failed.sum() == 0
    assert inside.failed.sum() == tv.scoped_faults.loc["tv-manifest", "failed"]
    # From the fault's start on, every request of play is on one side or the other.
    play = tv.timeline[(tv.timeline.kind == "feature") & (tv.timeline.name == "play")].set_index("t_start")
    since = play.index >= 30 * 60
    np.testing.assert_array_equal((inside.requests + others.requests)[since], play.requests[since])
    assert (inside.requests + others.requests)[~since].sum() == 0


def test_a_scenario_without_a_scope_has_empty_frames():
    result = faultline.run(faultline.load(SCENARIOS / "bad-config-rollout.toml"))
    assert result.scoped_faults.empty
    assert result.scoped_fault_timeline.empty
