"""The users over time, from Python: the reference outage logs users out, and they count as
recovered only once they have logged in again; the fail-static twin loses no session."""

import pathlib

import numpy as np
import pytest

import faultline

SCENARIOS = pathlib.Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def reference():
    return faultline.run(faultline.load(SCENARIOS / "spotify-2022-03-08.toml"))


def test_sessions_lost_per_bucket_add_up_to_the_summary(reference):
    users = reference.users
    assert list(users.columns) == ["t_start", "t_end", "sessions_lost", "logged_out", "affected", "impaired",
                                   "share_recovered"]
    assert users["sessions_lost"].sum() == pytest.approx(reference.summary["sessions_lost"])
    assert users["affected"].iloc[-1] == pytest.approx(reference.summary["users_affected"])
    assert (np.diff(users["affected"].to_numpy()) >= 0).all()
    assert (users["logged_out"] <= users["impaired"]).all() and (users["impaired"] <= users["affected"]).all()
    # Nobody is affected before the impact: the share recovered is undefined there, not 100%.
    before = users[users["t_end"] <= reference.incident["impact_start"]]
    assert before["share_recovered"].isna().all()


def test_users_recover_after_the_fix_as_they_log_in_again(reference):
    users = reference.users
    recovered_at = reference.incident["impact_start"] + reference.incident["ttr"]
    at_recovery = users[users["t_end"] >= recovered_at].iloc[0]
    # When the features are back many users are still logged out: they recover at their next login.
    assert at_recovery["logged_out"] > 0.1 * at_recovery["affected"]
    assert at_recovery["share_recovered"] < 0.9
    assert users["share_recovered"].iloc[-1] > 0.95
    assert users["logged_out"].iloc[-1] < at_recovery["logged_out"]


def test_the_fail_static_twin_loses_no_session():
    twin = faultline.run(faultline.load(SCENARIOS / "spotify-2022-03-08-fail-static.toml"))
    assert twin.users["sessions_lost"].sum() == 0
    assert (twin.users["logged_out"] == 0).all()


def test_a_scenario_without_sessions_has_an_empty_frame():
    plain = faultline.run(faultline.load(SCENARIOS / "metadata-cache-outlives-outage.toml"))
    assert plain.users.empty
