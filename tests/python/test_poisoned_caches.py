"""Caches that keep a bad answer after the fix, from Python: the poisoned-cache example and its flushed twin."""

import pathlib

import numpy as np
import pytest

import faultline

SCENARIOS = pathlib.Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def kept():
    return faultline.run(faultline.load(SCENARIOS / "poisoned-cache-outlives-rollback.toml"))


@pytest.fixture(scope="module")
def flushed():
    return faultline.run(faultline.load(SCENARIOS / "poisoned-cache-outlives-rollback-flushed.toml"))


def test_the_frame_gives_the_share_of_calls_answered_from_bad_entries(kept):
    frame = kept.poisoned_caches
    assert list(frame.index) == ["web->catalog"]
    row = frame.loc["web->catalog"]
    assert frame["poisoned_hits"].dtype == np.int64
    assert 0 < row["poisoned_hits"] <= row["cache_hits"] <= row["requests"]
    assert row["poisoned_share"] == pytest.approx(row["poisoned_hits"] / row["requests"])


def test_bad_entries_outlive_the_rollback_and_expire_within_their_ttl(kept):
    timeline = kept.poisoned_cache_timeline
    assert list(timeline.columns) == ["t_start", "t_end", "dependency", "requests", "poisoned_hits", "poisoned_share"]
    fixed = kept.incident["mitigated"]
    after_fix = timeline[(timeline["t_start"] >= fixed) & (timeline["t_end"] <= fixed + 20 * 60)]
    # The catalog answers correctly again, but the cached bad answers still serve most calls.
    assert (after_fix["poisoned_share"] > 0.8).all()
    # Filled from 30m to 40m (plus a minute of refresh), kept an hour: gone by 1h42m.
    assert timeline[timeline["t_start"] >= 102 * 60]["poisoned_hits"].sum() == 0
    assert timeline["poisoned_hits"].sum() == kept.poisoned_caches.loc["web->catalog", "poisoned_hits"]


def test_a_flush_ends_the_bad_answers_at_once(kept, flushed):
    timeline = flushed.poisoned_cache_timeline
    events = flushed.events
    flush = events[(events["kind"] == "action") & (events["name"] == "flush-web-cache")]["time"].iloc[0]
    assert timeline[timeline["t_start"] >= flush]["poisoned_hits"].sum() == 0
    assert flushed.incident["ttr"] < kept.incident["ttr"] - 30 * 60


def test_a_scenario_without_poisoning_has_empty_frames():
    plain = faultline.run(faultline.load(SCENARIOS / "metadata-cache-outlives-outage.toml"))
    assert plain.poisoned_caches.empty
    assert plain.poisoned_cache_timeline.empty
