"""Running scenarios from Python: determinism, agreement with the CLI, many runs, failures."""

import json
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import faultline


def test_same_seed_gives_the_same_report_and_another_seed_another(tiny):
    first = faultline.run(tiny, seed=3).to_json()
    assert faultline.run(tiny, seed=3).to_json() == first
    other = faultline.run(tiny, seed=4)
    assert other.to_json() != first
    assert other.seed == 4


def test_the_seed_defaults_to_the_scenarios(tiny):
    assert faultline.run(tiny).seed == 11
    assert faultline.run(tiny.set("scenario.seed", 99)).seed == 99


def test_same_seed_gives_the_same_report_in_another_process(tiny, tiny_path, python_env):
    code = (
        "import sys, faultline\n"
        "sys.stdout.write(faultline.run(faultline.load(sys.argv[1]), seed=8).to_json())\n"
    )
    other = subprocess.run([sys.executable, "-c", code, str(tiny_path)], env=python_env, capture_output=True,
                           text=True, check=True, timeout=120)
    assert other.stdout == faultline.run(tiny, seed=8).to_json()


def test_python_and_cli_reports_are_byte_identical(tiny, tiny_path, cli, tmp_path):
    out = tmp_path / "cli-out"
    printed = subprocess.run(
        [str(cli), "run", str(tiny_path), "--seed", "21", "--set", "traffic.rate=30", "--set", "scenario.duration=10m",
         "--format", "json", "--out", str(out), "--quiet"],
        capture_output=True, text=True, check=True, timeout=120)
    result = faultline.run(tiny.with_overrides({"traffic.rate": 30, "scenario.duration": "10m"}), seed=21)
    assert result.to_json() == printed.stdout
    assert (out / "report.json").read_text() == printed.stdout
    assert result.report == json.loads(printed.stdout)


def test_the_demo_matches_faultline_demo(cli, tmp_path):
    printed = subprocess.run([str(cli), "demo", "--set", "scenario.duration=65m", "--format", "json", "--out",
                              str(tmp_path), "--quiet"], capture_output=True, text=True, check=True, timeout=120)
    result = faultline.run(faultline.demo_scenario().set("scenario.duration", "65m"))
    assert result.to_json() == printed.stdout


def tiny_result_sessions(timeline_csv):
    """The sessions lost over the run, from the users' rows of a timeline.csv."""
    users = timeline_csv[timeline_csv.kind == "users"]
    return users.sessions_lost.astype(float).sum()


def test_timeline_matches_the_cli_timeline_csv(tiny, tiny_path, cli, tmp_path):
    import pandas as pd

    subprocess.run([str(cli), "run", str(tiny_path), "--seed", "2", "--out", str(tmp_path), "--quiet"],
                   capture_output=True, check=True, timeout=120)
    numeric = ("availability", "ejected", "circuit_open", "replicas", "p50", "p99", "p50_all", "p99_all", "queue",
               "served", "throughput", "wasted", "wasted_work", "sessions_lost")
    from_csv = pd.read_csv(tmp_path / "timeline.csv", keep_default_na=False, na_values={c: [""] for c in numeric})
    timeline = faultline.run(tiny, seed=2).timeline
    # Result.timeline holds the series rows; the file's extra groups (here the users' state, the tiny
    # scenario having sessions) come after its columns and are in Result.users, but for the sessions
    # each feature lost, which the timeline has too.
    assert list(from_csv.columns[:21]) == list(timeline.columns[:21])
    assert list(timeline.columns[21:]) == ["sessions_lost"]
    assert timeline[timeline.kind == "feature"].sessions_lost.sum() == pytest.approx(tiny_result_sessions(from_csv))
    series = from_csv[from_csv["kind"].isin(["feature", "segment", "region", "service"])]
    series = series[list(timeline.columns)].reset_index(drop=True)
    # The users' rows leave the count columns empty, so they were read as text.
    series = series.astype({c: "int64" for c in ("requests", "ok", "degraded", "failed")})
    pd.testing.assert_frame_equal(timeline, series, check_dtype=False, rtol=1e-8)


def test_timeline_latency_counts_failed_requests_only_in_the_all_columns(tiny_result):
    timeline = tiny_result.timeline
    play = timeline[(timeline.kind == "feature") & (timeline.name == "play")]
    # During the crash every request fails: there is no successful one to measure (NaN, not a fast
    # 0), while the latency of all requests says what users waited; before it the two agree.
    during_crash = play[(play.t_start >= 150) & (play.t_end <= 270)]
    assert during_crash.p99.isna().all()
    assert (during_crash.p99_all > 0).all()
    assert play.p99_all.iloc[0] == play.p99.iloc[0]
    storage = timeline[(timeline.kind == "service") & (timeline.name == "storage")]
    assert (storage.served >= 0).all() and storage.served.sum() > 0
    assert (storage.throughput * (storage.t_end - storage.t_start)).round().astype(int).tolist() == storage.served.tolist()
    assert (storage.queue >= 0).all()


def test_many_runs_in_one_interpreter(tiny):
    short = tiny.set("scenario.duration", "3m")
    reports = [faultline.run(short, seed=s % 3).to_json() for s in range(12)]
    assert reports[:3] * 4 == reports
    assert len(set(reports)) == 3


def test_summary_has_the_report_summary_and_each_features_availability(tiny_result):
    summary = tiny_result.summary
    report = tiny_result.report
    for key, value in report["summary"].items():
        assert summary[key] == value
    assert summary["feature.play.availability"] == report["features"][0]["availability"]
    assert summary["feature.search.availability"] == report["features"][1]["availability"]
    assert 0 < summary["availability"] < 1  # the crash cost requests
    assert summary["sessions_lost"] > 0  # UNAVAILABLE logs users out in this scenario


def test_incident_has_the_stages_and_none_for_what_never_happened(tiny_result, tiny):
    incident = tiny_result.incident
    assert incident["impact_start"] == 120.0  # the crash at 2m, in the first bucket after it
    assert incident["detected_by"] == "play-availability"
    assert incident["ttd"] == incident["detected"] - incident["impact_start"]
    assert incident["mitigated"] is None and incident["ttm"] is None  # no action in this scenario

    calm = faultline.run(tiny.set("fault[0].at", "14m").set("fault[0].duration", "30s"))
    assert calm.incident["detected"] is None and calm.incident["ttd"] is None


def test_incident_stages_split_the_ttr(tiny_result):
    incident = tiny_result.incident
    stages = incident["stages"]
    assert list(stages) == ["detection", "acknowledgement", "diagnosis", "mitigation", "recovery"]
    assert stages["detection"] == incident["ttd"]  # detected after impact, before recovery
    assert stages["mitigation"] is None  # no action in this scenario
    present = [span for span in stages.values() if span is not None]
    assert all(span >= 0 for span in present)
    if incident["ttr"] is None:
        assert stages["recovery"] is None
    else:
        assert sum(present) == pytest.approx(incident["ttr"])
    # A copy: editing it leaves the result alone.
    stages["detection"] = -1.0
    assert tiny_result.incident["stages"]["detection"] == incident["ttd"]


def test_incidents_table_has_one_row_per_incident(tiny):
    # storage down 2m-4m and again 10m-12m, healthy for longer than stable_for in between: two incidents.
    twice = (tiny.set("scenario.duration", "18m").set("fault[0].duration", "2m").set("fault[0].every", "8m")
             .set("incident.stable_for", "2m"))
    result = faultline.run(twice, seed=5)
    incidents = result.incidents
    assert list(incidents.columns) == ["impact_start", "detected", "acknowledged", "diagnosed", "mitigated",
                                       "recovered", "ttr", "detected_by", "mitigated_by", "detection",
                                       "acknowledgement", "diagnosis", "mitigation", "recovery"]
    assert len(incidents) == len(result.report["incidents"]) == 2
    assert incidents.loc[0, "impact_start"] == result.incident["impact_start"] == 120.0
    assert incidents.loc[1, "impact_start"] >= 600.0  # the second crash, at 10m
    assert (incidents.recovered - incidents.impact_start).equals(incidents.ttr)
    # Null in the report, NaN in the table: no action mitigates either incident.
    assert incidents.mitigated.isna().all() and incidents.mitigation.isna().all()
    assert list(incidents.detected_by) == ["play-availability"] * 2
    # The notebook summary shows the first incident and says there were two.
    assert "2 incidents in the run" in result._repr_html_()
    assert "incidents in the run" not in faultline.run(tiny, seed=5)._repr_html_()

    # A run without incident: an empty table with the same columns.
    calm = faultline.Result(json.dumps({**result.report, "incidents": []}))
    assert calm.incidents.empty and list(calm.incidents.columns) == list(incidents.columns)


def test_status_updates_table(tiny_result):
    assert list(tiny_result.status_updates.columns) == ["time", "state", "message", "eta", "channel"]
    report = json.loads(tiny_result.to_json())
    report["status_updates"] = [
        {"time": 150.0, "state": "investigating", "message": "Playback is failing", "eta": 600.0,
         "channel": "status_page"},
        {"time": 400.0, "state": "resolved", "message": "All good", "eta": None, "channel": "fallback"}]
    updates = faultline.Result(json.dumps(report)).status_updates
    assert list(updates.columns) == ["time", "state", "message", "eta", "channel"]
    assert list(updates.state) == ["investigating", "resolved"]
    assert updates.eta[0] == 600.0 and updates.eta.isna()[1]
    assert list(updates.channel) == ["status_page", "fallback"]
    assert updates.time.dtype == float


def test_timeline_has_one_row_per_bucket_per_series(tiny_result):
    timeline = tiny_result.timeline
    assert list(timeline.columns) == ["t_start", "t_end", "kind", "name", "requests", "ok", "degraded", "failed",
                                      "availability", "ejected", "circuit_open", "replicas", "p50", "p99", "p50_all",
                                      "p99_all", "queue", "served", "throughput", "wasted", "wasted_work",
                                      "sessions_lost"]
    # Counts are integers: the service-only ones nullable (<NA> on feature rows), not floats.
    for column in ("requests", "ok", "degraded", "failed"):
        assert timeline[column].dtype == "int64", column
    for column in ("ejected", "circuit_open", "replicas", "served", "wasted"):
        assert str(timeline[column].dtype) == "Int64", column
    buckets = 900 // 30
    kinds = set(map(tuple, timeline[["kind", "name"]].drop_duplicates().to_numpy()))
    assert {k for k, _ in kinds} <= {"feature", "segment", "region", "service"}
    assert {("feature", "play"), ("feature", "search"), ("service", "frontend"), ("service", "storage")} <= kinds
    assert len(timeline) == buckets * len(kinds)
    play = timeline[(timeline.kind == "feature") & (timeline.name == "play")]
    assert list(play.t_start) == [30.0 * i for i in range(buckets)]
    assert list(play.t_end) == [30.0 * (i + 1) for i in range(buckets)]
    assert play.requests.sum() == tiny_result.report["features"][0]["requests"]
    assert (play.ok + play.failed == play.requests).all()
    during_crash = play[(play.t_start >= 150) & (play.t_end <= 270)]
    assert (during_crash.availability < 0.5).all()
    assert play.availability.iloc[0] == 1.0
    assert play.replicas.isna().all()  # a service's column
    assert play.queue.isna().all()
    storage = timeline[(timeline.kind == "service") & (timeline.name == "storage")]
    assert storage.replicas.iloc[0] == 2
    assert (storage[(storage.t_start >= 150) & (storage.t_end <= 270)].replicas == 0).all()  # both crashed


def test_services_and_propagation_tables(tiny_result):
    services = tiny_result.services
    assert list(services.index) == ["frontend", "storage"]
    for column in ["availability", "requests", "errors_timeout", "errors_host_down", "errors_dependency", "p50",
                   "p95", "p99", "time_unhealthy", "unhealthy_spells", "ttr"]:
        assert column in services.columns, column
    # A spell per time a service became unhealthy; its ttr is the longest recovered one.
    spells = tiny_result.unhealthy_spells
    assert list(spells.columns) == ["service", "start", "recovered", "ttr"]
    storage_spells = spells[spells.service == "storage"]
    assert len(storage_spells) == services.loc["storage", "unhealthy_spells"] >= 1
    if storage_spells.recovered.notna().all():
        assert services.loc["storage", "ttr"] == storage_spells.ttr.max()
    assert services.loc["storage", "errors_host_down"] > 0
    assert services.loc["frontend", "errors_dependency"] > 0
    # Both storage replicas crash for 3 minutes (plus their restart) of the 15: one outage.
    assert services.loc["storage", "outages"] == 1
    assert 0.6 < services.loc["storage", "uptime"] < 0.85
    assert services.loc["frontend", "uptime"] == 1.0
    assert services.loc["storage", "downtime"] == pytest.approx((1 - services.loc["storage", "uptime"]) * 900)
    assert services.loc["frontend", "downtime"] == 0
    assert services.loc["storage", "restarts"] >= 2  # both replicas came back
    assert services.loc["frontend", "restarts"] == 0
    assert services.loc["frontend", "crashes"] == 0

    propagation = tiny_result.propagation
    assert list(propagation.columns) == ["time", "service", "via", "cause"]
    assert list(propagation.service[:2]) == ["storage", "frontend"]
    assert list(propagation.via[:2]) == ["fault:storage-crash", "edge:frontend->storage"]
    assert propagation.time.is_monotonic_increasing


def test_plot_returns_a_figure_with_each_feature_and_its_slo(tiny_result, tmp_path):
    from matplotlib.figure import Figure

    figure = tiny_result.plot()
    assert isinstance(figure, Figure)
    (ax,) = figure.axes
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["play", "search"]
    slo_lines = [line for line in ax.get_lines() if list(line.get_ydata()) == [0.99, 0.99]]
    assert len(slo_lines) == 2
    stage_labels = " ".join(t.get_text() for t in ax.texts)
    assert "impact" in stage_labels and "detected" in stage_labels
    figure.savefig(tmp_path / "plot.png")
    assert (tmp_path / "plot.png").stat().st_size > 0


def test_plot_latency_draws_both_p99s_of_each_feature_on_a_log_axis(tiny_result, tmp_path):
    from matplotlib.figure import Figure

    figure = tiny_result.plot_latency()
    assert isinstance(figure, Figure)
    (ax,) = figure.axes
    assert ax.get_yscale() == "log"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["play p99", "play p99, all requests", "search p99", "search p99, all requests"]
    # During the crash play's successful requests are gone (a gap), while all of them still have a p99.
    stairs = {p.get_label(): p for p in ax.patches}
    values = stairs["play p99, all requests"].get_data().values
    assert np.isfinite(values).sum() > np.isfinite(stairs["play p99"].get_data().values).sum()
    assert "impact" in " ".join(t.get_text() for t in ax.texts)
    figure.savefig(tmp_path / "latency.png")
    assert (tmp_path / "latency.png").stat().st_size > 0


def test_plot_is_a_pyplot_figure_when_pyplot_is_in_use(tiny_result):
    # A pyplot user calls plt.show() after res.plot(): the figure must be one pyplot knows.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = tiny_result.plot()
    try:
        assert figure.number in plt.get_fignums()
        assert plt.gcf() is figure
    finally:
        plt.close(figure)


def test_long_runs_read_in_days():
    from faultline.result import _clock

    assert _clock(125) == "02:05"
    assert _clock(3725) == "1:02:05"
    assert _clock(12 * 86400 + 3 * 3600 + 20 * 60) == "12d 03:20:00"
    assert _clock(-90) == "-01:30"
    assert _clock(None) == "never"


def test_plot_draws_into_given_axes(tiny_result):
    from matplotlib.figure import Figure

    figure = Figure()
    left, right = figure.subplots(1, 2)
    assert tiny_result.plot(ax=right) is figure
    assert not left.get_lines() and right.get_lines()


def test_parallel_replicate_equals_sequential(tiny):
    short = tiny.set("scenario.duration", "6m")
    sequential = faultline.replicate(short, runs=4, jobs=1)
    parallel = faultline.replicate(short, runs=4, jobs=3)
    import pandas as pd

    pd.testing.assert_frame_equal(sequential, parallel)
    assert list(sequential.seed) == [11, 12, 13, 14]
    assert sequential.index.name == "run" and list(sequential.index) == [0, 1, 2, 3]
    assert list(sequential.columns[:3]) == ["seed", "availability", "feature.play.availability"]
    for column in ("users_affected", "sessions_lost", "ttd", "ttr", "incidents", "worst_ttr", "service_calls"):
        assert column in sequential.columns
    # The seeds differ, so the runs do; run i is `run(seed=11 + i)`.
    assert sequential.users_affected.nunique() > 1
    assert sequential.loc[2, "availability"] == faultline.run(short, seed=13).summary["availability"]


def test_fail_static_twin_loses_no_sessions(repo_root):
    # Both scenarios break the control plane at 1h; 70 minutes is enough to see the difference.
    scenarios = repo_root / "scenarios"
    original = faultline.load(scenarios / "spotify-2022-03-08.toml").set("scenario.duration", "70m")
    twin = faultline.load(scenarios / "spotify-2022-03-08-fail-static.toml").set("scenario.duration", "70m")
    assert faultline.run(original).summary["sessions_lost"] > 0
    assert faultline.run(twin).summary["sessions_lost"] == 0


def _simulation_children():
    """PIDs of this process's children (the forked simulation runs)."""
    children = []
    for task in pathlib.Path(f"/proc/{os.getpid()}/task").iterdir():
        children += [int(p) for p in (task / "children").read_text().split()]
    return children


def test_a_child_that_dies_is_a_simulation_error_and_the_interpreter_survives(tiny):
    before = set(_simulation_children())
    long_run = faultline.demo_scenario()
    outcome = {}

    def run_demo():
        try:
            faultline.run(long_run)
        except BaseException as error:  # noqa: B902 (the test inspects whatever happened)
            outcome["error"] = error

    worker = threading.Thread(target=run_demo)
    worker.start()
    deadline = time.monotonic() + 30
    victims = []
    while not victims and time.monotonic() < deadline:
        victims = [pid for pid in _simulation_children() if pid not in before]
        time.sleep(0.02)
    assert victims, "the run never forked a child"
    os.kill(victims[0], signal.SIGKILL)
    worker.join(timeout=60)
    assert not worker.is_alive()
    error = outcome.get("error")
    assert isinstance(error, faultline.SimulationError), repr(error)
    assert isinstance(error, RuntimeError)
    assert "signal 9" in str(error)
    # Nothing left behind, and the next run works.
    assert not [pid for pid in _simulation_children() if pid not in before]
    assert faultline.run(tiny.set("scenario.duration", "3m")).summary["requests"] > 0


def test_ctrl_c_during_a_run_is_a_keyboard_interrupt(python_env):
    # In a separate interpreter: the SIGINT goes to that interpreter only (not its simulation child),
    # as when someone runs `kill -INT`; the run must stop promptly and take its child down with it.
    code = (
        "import os, signal, threading, time, faultline\n"
        "threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        "started = time.monotonic()\n"
        "try:\n"
        "    faultline.run(faultline.demo_scenario())\n"
        "    print('finished')\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', round(time.monotonic() - started, 1))\n"
        "print('children', open(f'/proc/{os.getpid()}/task/{os.getpid()}/children').read().split())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=python_env, capture_output=True, text=True, timeout=120)
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr
    assert lines[0].startswith("interrupted"), done.stdout
    assert float(lines[0].split()[1]) < 2.5  # a full demo run takes ~3 s
    assert lines[1] == "children []"


def test_ctrl_c_to_the_process_group_during_a_sweep_is_a_keyboard_interrupt(python_env):
    # Ctrl-C at a terminal reaches the interpreter and every simulation child at once (one process
    # group); the children die of it, and the user must see KeyboardInterrupt, not a failed run.
    code = (
        "import os, signal, threading, time, faultline\n"
        "threading.Timer(1.0, os.killpg, (os.getpgrp(), signal.SIGINT)).start()\n"
        "try:\n"
        "    faultline.sweep(faultline.demo_scenario(), runs=6, jobs=2)\n"
        "    print('finished')\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted')\n"
        "except Exception as e:\n"
        "    print('failed', type(e).__name__, e)\n"
        "print('children', open(f'/proc/{os.getpid()}/task/{os.getpid()}/children').read().split())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=python_env, capture_output=True, text=True, timeout=120,
                          start_new_session=True)
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr
    assert lines[0] == "interrupted", done.stdout
    assert lines[1] == "children []"


def test_ctrl_c_during_a_cli_run_exits_130(cli, tmp_path, repo_root):
    # `faultline run` simulates in its own process: SimGrid's SIGINT handler must not turn Ctrl-C into
    # a silent exit 1.
    command = [str(cli), "run", str(repo_root / "bench" / "scenarios" / "large-platform.toml"),
               "--set", "scenario.duration=2h", "--out", str(tmp_path / "out")]
    running = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    # Into the simulation: a second of CPU (the whole run takes tens of seconds).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _cpu_seconds(running.pid) < 1.0:
        time.sleep(0.05)
    os.killpg(running.pid, signal.SIGINT)
    _, stderr = running.communicate(timeout=60)
    assert running.returncode == 130
    assert "faultline: interrupted" in stderr
    assert not (tmp_path / "out" / "report.json").exists()


def _cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_expectations_are_checked_in_every_result(tiny_text):
    stated = faultline.load_text(tiny_text + """
[[expect]]
metric = "ttr"
at_most = "1s"

[[expect]]
metric = "incidents"
at_most = 5
""", "stated.toml")
    checks = faultline.run(stated).expectations
    assert list(checks.columns) == ["metric", "kind", "at_least", "at_most", "value", "met", "line"]
    assert list(checks.kind) == ["slo", "slo", "expect", "expect"]  # the two features' SLOs first
    ttr = checks[checks.metric == "ttr"].iloc[0]
    assert ttr.at_most == 1.0 and ttr.line > 0
    assert not ttr.met  # the tiny scenario's outage takes minutes
    assert checks[checks.metric == "incidents"].iloc[0].met


def test_a_run_over_the_event_budget_is_refused_unless_forced(tiny, repo_root):
    with pytest.raises(faultline.ScenarioError) as error:
        faultline.run(tiny, event_budget=10)
    assert "refused before simulating" in error.value.message
    assert any(d.key == "traffic.rate" for d in error.value.diagnostics)
    assert faultline.run(tiny, event_budget=10, force=True).seed == tiny.seed
    # The four runaway scenarios the issue names are refused at the default budget, before anything runs.
    for name in ("fault-every-1us.toml", "fault-mttf-1us.toml", "traffic-rate-1e12.toml"):
        with pytest.raises(faultline.ScenarioError) as error:
            faultline.run(faultline.load(repo_root / "tests" / "data" / "runaway" / name))
        assert "refused before simulating" in error.value.message
    with pytest.raises(faultline.ScenarioError):
        faultline.replicate(tiny, runs=2, event_budget=10)
    assert len(faultline.replicate(tiny, runs=2, event_budget=10, force=True)) == 2
