"""Detection by users' reports, from Python: the blind-monitoring example and its twin."""

import pathlib

import numpy as np
import pytest

import faultline

SCENARIOS = pathlib.Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def blind():
    return faultline.run(faultline.load(SCENARIOS / "blind-monitoring-user-reports.toml"))


def test_users_detect_what_the_blind_monitor_cannot(blind):
    incident = blind.incident
    assert incident["detected_by"] == "user_reports"
    assert 5 * 60 < incident["ttd"] < 30 * 60
    events = blind.events
    assert events.query("kind == 'alert'").empty
    crossed = events.query("kind == 'user_reports'")["time"]
    assert len(crossed) == 1
    # The hand-over from support comes after the threshold was met.
    assert incident["impact_start"] < crossed.iloc[0] <= incident["impact_start"] + incident["ttd"]


def test_the_report_frame_crosses_its_threshold_when_the_event_says(blind):
    reports = blind.user_reports
    assert list(reports.columns) == ["t_start", "t_end", "reports", "in_window"]
    assert reports["reports"].dtype == np.int64
    threshold, window = reports.attrs["threshold"], reports.attrs["window"]
    assert (threshold, window) == (100, 900)
    # Nobody reports before the crash at 20m; the window sum is that of the last 30 buckets.
    assert reports.loc[reports["t_end"] <= 20 * 60, "reports"].sum() == 0
    rolling = reports["reports"].rolling(30, min_periods=1).sum().to_numpy()
    assert (reports["in_window"].to_numpy() == rolling).all()
    first = reports.index[reports["in_window"] >= threshold][0]
    crossed = blind.events.query("kind == 'user_reports'")["time"].iloc[0]
    assert reports.loc[first, "t_end"] == pytest.approx(crossed)


def test_a_scenario_without_user_reports_has_an_empty_frame():
    twin = faultline.load(SCENARIOS / "blind-monitoring-independent-pipeline.toml")
    result = faultline.run(twin.set("scenario.duration", "40m"))
    assert result.incident["detected_by"] == "play-availability"
    assert not result.user_reports.empty  # the twin models users too, they are just slower
    plain = faultline.run(faultline.load(SCENARIOS / "metadata-cache-outlives-outage.toml"))
    assert plain.user_reports.empty
