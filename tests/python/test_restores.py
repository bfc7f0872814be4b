"""Restores of tenants' lost data, from Python: the tenant-deletion example and its twin with more streams."""

import pathlib

import numpy as np
import pytest

import faultline

SCENARIOS = pathlib.Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def four():
    return faultline.run(faultline.load(SCENARIOS / "tenant-deletion-restore.toml"))


@pytest.fixture(scope="module")
def sixteen():
    return faultline.run(faultline.load(SCENARIOS / "tenant-deletion-restore-parallel.toml"))


def test_the_restore_frame_says_what_was_lost_and_how_long_it_took(four):
    restores = four.restores
    assert list(restores.index) == ["restore-sites"]
    row = restores.loc["restore-sites"]
    assert row["fault"] == "cleanup-script-deletes-sites"
    assert row["service"] == "sites"
    assert row["tenants"] == 400
    assert row["lost_at"] == 30 * 60
    assert row["started"] > four.incident["impact_start"] + four.incident["ttd"]
    # 4 streams of 0.05 GB/s: W / (r p), the streams busy to nearly the end.
    assert row["restore_time"] == pytest.approx(row["size"] / (0.05 * 4), rel=0.03)
    assert row["finished"] == pytest.approx(row["started"] + row["restore_time"])
    assert row["requests"] == row["ok"] + row["failed"]
    assert 0 < row["availability"] < 1


def test_each_tenant_waits_until_its_own_copy_is_done(four):
    tenants = four.restore_tenants
    assert list(tenants.columns) == ["action", "tenant", "restored_at", "time_to_restore"]
    assert len(tenants) == 400
    assert tenants["tenant"].dtype == np.int64
    assert tenants["tenant"].is_unique
    assert tenants["tenant"].between(0, 7999).all()
    row = four.restores.loc["restore-sites"]
    assert (tenants["restored_at"] > row["started"]).all()
    assert tenants["restored_at"].max() == pytest.approx(row["finished"])
    assert (tenants["time_to_restore"] == tenants["restored_at"] - 30 * 60).all()
    # Tenant by tenant, not all at once: the first back within the first hour of the restore, the last hours later.
    assert tenants["restored_at"].min() < row["started"] + 3600
    assert tenants["time_to_restore"].quantile(0.5) > 2 * 3600


def test_the_restore_timeline_rises_while_the_hit_users_recover(four):
    timeline = four.restore_timeline
    assert list(timeline.columns) == ["t_start", "t_end", "action", "share_done", "requests", "ok", "degraded",
                                      "failed", "availability"]
    assert len(timeline) == 8 * 60
    share = timeline["share_done"].to_numpy()
    assert (np.diff(share) >= 0).all()
    assert share[0] == 0 and share[-1] == 1
    # While nothing is back, every request of the hit tenants' users fails; after the restore, none does.
    row = four.restores.loc["restore-sites"]
    before = timeline[(timeline["t_start"] >= 31 * 60) & (timeline["t_end"] <= row["started"])]
    assert (before["failed"] == before["requests"]).all() and before["requests"].sum() > 0
    after = timeline[timeline["t_start"] >= row["finished"]]
    assert (after["failed"] == 0).all()
    # The rows are those of timeline.csv.
    assert timeline["failed"].sum() == row["failed"]


def test_more_streams_halve_the_time_because_they_share_the_store(four, sixteen):
    a, b = four.restores.loc["restore-sites"], sixteen.restores.loc["restore-sites"]
    assert b["restore_time"] / a["restore_time"] == pytest.approx(0.5, abs=0.03)
    assert sixteen.incident["ttr"] < four.incident["ttr"] - 2 * 3600
    assert (four.restore_tenants["tenant"] == sixteen.restore_tenants["tenant"]).all()


def test_compare_says_the_parallel_restore_recovers_sooner():
    a = faultline.load(SCENARIOS / "tenant-deletion-restore.toml")
    b = faultline.load(SCENARIOS / "tenant-deletion-restore-parallel.toml")
    comparison = faultline.compare(a, b, runs=3, jobs=2)
    for metric in ("ttr", "user_minutes_lost", "availability"):
        assert comparison.verdict(metric) == "B better"
    assert comparison.verdict("ttd") == "no difference"


def test_a_scenario_without_a_restore_has_empty_frames():
    plain = faultline.run(faultline.load(SCENARIOS / "metadata-cache-outlives-outage.toml"))
    assert plain.restores.empty
    assert plain.restore_tenants.empty
    assert plain.restore_timeline.empty
