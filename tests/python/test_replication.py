"""Replicated state from Python: the divergent-writes failover example and its twin with a longer hold-down."""

import pathlib

import numpy as np
import pytest

import faultline

SCENARIOS = pathlib.Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def short():
    return faultline.run(faultline.load(SCENARIOS / "partition-failover-divergent-writes.toml"))


@pytest.fixture(scope="module")
def longer():
    return faultline.run(faultline.load(SCENARIOS / "partition-failover-divergent-writes-longer-hold-down.toml"))


def test_the_replication_frame_says_what_the_failover_lost_and_how_it_was_reconciled(short):
    frame = short.replication
    assert list(frame.index) == ["mysql"]
    row = frame.loc["mysql"]
    assert row["mode"] == "async"
    assert frame["writes_lost"].dtype == np.int64
    # About 30 s of the east primaries' writes (90 a second) never reached the west copy.
    assert row["writes_lost"] == pytest.approx(90 * 31, rel=0.1)
    assert row["failed_over_at"] == pytest.approx(3600 + 90, abs=5)
    assert row["read_only"] == pytest.approx(60, abs=1)
    assert row["writes_reconciled"] == row["writes_lost"]
    assert row["writes_awaiting"] == 0
    assert row["reconciled_at"] - row["reconciliation_started"] == pytest.approx(row["writes_lost"] / 0.5)
    assert row["failback_waited"] > 30 * 60
    assert short.incident["mitigated"] == pytest.approx(row["reconciled_at"])


def test_the_replication_timeline_shows_the_writes_awaiting_reconciliation_fall(short):
    timeline = short.replication_timeline
    assert list(timeline.columns) == ["t_start", "t_end", "service", "writes", "writes_lost", "writes_refused",
                                      "writes_awaiting", "read_only"]
    assert len(timeline) == 4 * 60 * 2
    row = short.replication.loc["mysql"]
    assert timeline["writes"].sum() == row["writes"]
    assert timeline["writes_lost"].sum() == row["writes_lost"]
    assert timeline["read_only"].sum() == pytest.approx(row["read_only"])
    awaiting = timeline.set_index("t_start")["writes_awaiting"]
    during = awaiting[(awaiting.index >= row["reconciliation_started"]) & (awaiting.index < row["reconciled_at"])]
    assert (np.diff(during.to_numpy()) <= 0).all()
    assert during.iloc[0] > 0.9 * row["writes_lost"]
    assert (awaiting[awaiting.index > row["reconciled_at"]] == 0).all()


def test_the_longer_hold_down_loses_nothing(longer):
    row = longer.replication.loc["mysql"]
    assert row["writes_lost"] == 0
    assert np.isnan(row["failed_over_at"])
    assert row["read_only"] == 0
    assert longer.replication_timeline["writes_awaiting"].sum() == 0


def test_compare_says_the_longer_hold_down_loses_no_write():
    a = faultline.load(SCENARIOS / "partition-failover-divergent-writes.toml")
    b = faultline.load(SCENARIOS / "partition-failover-divergent-writes-longer-hold-down.toml")
    comparison = faultline.compare(a, b, runs=3, jobs=2)
    for metric in ("writes_lost", "read_only", "availability"):
        assert comparison.verdict(metric) == "B better"


def test_a_scenario_without_replicated_state_has_empty_frames():
    plain = faultline.run(faultline.load(SCENARIOS / "metadata-cache-outlives-outage.toml"))
    assert plain.replication.empty
    assert plain.replication_timeline.empty
