"""Backlogs from Python: an outbox replayed too fast for the recovered service, and its paced twin."""

import pathlib

import numpy as np
import pytest

import faultline

SCENARIOS = pathlib.Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def fast():
    return faultline.run(faultline.load(SCENARIOS / "backlog-replay-overloads.toml"))


@pytest.fixture(scope="module")
def paced():
    return faultline.run(faultline.load(SCENARIOS / "backlog-replay-paced.toml"))


def test_the_backlog_frame_says_what_was_kept_and_when_it_drained(fast, paced):
    for result in (fast, paced):
        frame = result.backlogs
        assert list(frame.index) == ["checkout->orders"]
        row = frame.loc["checkout->orders"]
        assert frame["kept"].dtype == np.int64
        assert row["replayed"] == row["kept"]
        assert row["dropped"] == 0
        assert row["first_kept"] == pytest.approx(20 * 60, abs=1)
        assert row["drained_at"] > 50 * 60
    assert fast.backlogs.loc["checkout->orders", "replay_rate"] == 5000
    assert paced.backlogs.loc["checkout->orders", "replay_rate"] == 800


def test_the_timeline_rises_during_the_crash_and_falls_at_the_replay_rate(paced):
    timeline = paced.backlog_timeline
    assert list(timeline.columns) == ["t_start", "t_end", "dependency", "kept", "replayed", "length"]
    row = paced.backlogs.loc["checkout->orders"]
    assert timeline["kept"].sum() == row["kept"]
    assert timeline["replayed"].sum() == row["replayed"]
    # Sampled at each bucket's end: at most the most waiting at any moment, and close to it.
    assert row["max_length"] * 0.99 <= timeline["length"].max() <= row["max_length"]
    draining = timeline[(timeline["t_start"] >= 52 * 60) & (timeline["t_end"] <= row["drained_at"] - 60)]
    # 800 a second: 24,000 a bucket of 30 s.
    assert draining["replayed"].to_numpy() == pytest.approx(800 * 30, rel=0.02)
    assert (np.diff(draining["length"].to_numpy()) < 0).all()
    assert timeline["length"].iloc[-1] == 0


def test_the_fast_replay_brings_a_second_outage_the_paced_one_avoids(fast, paced):
    assert fast.incident["ttr"] > paced.incident["ttr"] + 3 * 60
    assert fast.backlogs.loc["checkout->orders", "failed_replays"] > 100 * paced.backlogs.loc["checkout->orders", "failed_replays"]


def test_a_scenario_without_a_backlog_has_empty_frames():
    plain = faultline.run(faultline.load(SCENARIOS / "metadata-cache-outlives-outage.toml"))
    assert plain.backlogs.empty
    assert plain.backlog_timeline.empty
