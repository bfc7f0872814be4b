"""Shared resources from Python: the noisy-neighbour pair compared, the resources tables."""

import faultline


def _pair(repo_root):
    scenarios = repo_root / "scenarios"
    # 15 minutes: the batch job starts at 10m, so five minutes of it are enough to tell the designs apart.
    failing = faultline.load(scenarios / "noisy-neighbour.toml").set("scenario.duration", "15m")
    isolated = faultline.load(scenarios / "noisy-neighbour-isolated.toml").set("scenario.duration", "15m")
    return failing, isolated


def test_the_isolated_batch_job_is_better_for_search(repo_root):
    failing, isolated = _pair(repo_root)
    comparison = faultline.compare(failing, isolated, runs=3, jobs=2)
    assert comparison.verdict("feature.search.availability") == "B better"
    assert comparison.verdict("feature.browse.availability") == "no difference"


def test_resources_tables_show_the_saturated_hosts(repo_root, tiny_result):
    failing, isolated = _pair(repo_root)
    result = faultline.run(failing)
    resources = result.resources
    assert list(resources.index) == ["a-h0.cpu", "a-h1.cpu", "b-h0.cpu", "b-h1.cpu"]
    assert (resources["kind"] == "cpu").all()
    assert (resources["capacity"] == 8).all()
    # Saturated from 10m to the end of the run, search's hosts only.
    assert resources.loc["a-h0.cpu", "saturated_time"] >= 299
    assert resources.loc["b-h0.cpu", "saturated_time"] < 30
    timeline = result.resource_timeline
    assert len(timeline) == 4 * 90
    during = timeline[(timeline["name"] == "a-h0.cpu") & (timeline["t_start"] >= 600)]
    assert (during["utilisation"] > 0.999).all()
    assert (during["backlog"] > 10).all()
    assert result.propagation.iloc[0]["via"].startswith("resource:a-h")
    # A scenario without CPU work has no resources, and empty tables with the same columns.
    assert tiny_result.resources.empty
    assert list(tiny_result.resources.columns) == list(resources.columns)
    assert tiny_result.resource_timeline.empty


def test_cells_keep_the_fleet_under_its_thread_limit(repo_root):
    scenarios = repo_root / "scenarios"
    # 20 minutes: the new machines join at 12m, the fleet of the failing twin is down from then on.
    failing = faultline.load(scenarios / "thread-limit-scale-out.toml").set("scenario.duration", "20m")
    cells = faultline.load(scenarios / "thread-limit-scale-out-cells.toml").set("scenario.duration", "20m")
    comparison = faultline.compare(failing, cells, runs=3, jobs=2)
    assert comparison.verdict("feature.put.availability") == "B better"
    assert comparison.verdict("feature.get.availability") == "B better"
    threads = faultline.run(failing).resources.loc["frontend.threads"]
    assert threads["kind"] == "threads"
    assert threads["limit_hits"] > 20
    assert threads["peak_utilisation"] > 1


def test_paced_restarts_warm_up_where_a_restart_of_everything_cannot(repo_root):
    scenarios = repo_root / "scenarios"
    # 14 minutes: the fleet is restarted at 10m; the failing twin's rounds of warm-ups fail from 10:47 on.
    storm = faultline.load(scenarios / "restart-storm.toml").set("scenario.duration", "14m")
    paced = faultline.load(scenarios / "restart-storm-paced.toml").set("scenario.duration", "14m")
    comparison = faultline.compare(storm, paced, runs=3, jobs=2)
    assert comparison.verdict("feature.home.availability") == "B better"
    result = faultline.run(storm)
    cpus = result.resources[result.resources["kind"] == "cpu"]
    assert len(cpus) == 8
    assert (cpus["saturated_time"] > 100).all()
    assert result.features.loc["home", "availability"] < 0.8
    assert faultline.run(paced).features.loc["home", "availability"] > 0.999


def test_backing_off_keeps_the_gateway_disks_and_play_healthy(repo_root):
    scenarios = repo_root / "scenarios"
    # 14 minutes: personalisation crashes at 10m; four minutes of tight retries saturate the disks.
    failing = faultline.load(scenarios / "error-logging-saturates-gateway.toml").set("scenario.duration", "14m")
    backoff = faultline.load(scenarios / "error-logging-saturates-gateway-backoff.toml").set("scenario.duration", "14m")
    comparison = faultline.compare(failing, backoff, runs=3, jobs=2)
    assert comparison.verdict("feature.play.availability") == "B better"
    assert comparison.verdict("feature.login.availability") == "B better"
    result = faultline.run(failing)
    disks = result.resources[result.resources["kind"] == "disk"]
    assert len(disks) == 4
    assert (disks["saturated_time"] > 200).all()
    timeline = result.resource_timeline
    during = timeline[(timeline["name"] == "gw-h0.disk") & (timeline["t_start"] >= 620)]
    assert (during["backlog"] > 100).all()


def test_priority_keeps_play_through_a_halved_link(repo_root):
    scenarios = repo_root / "scenarios"
    # 14 minutes: the link is halved from 10m on.
    failing = faultline.load(scenarios / "network-capacity-halved.toml").set("scenario.duration", "14m")
    priority = faultline.load(scenarios / "network-capacity-halved-priority.toml").set("scenario.duration", "14m")
    comparison = faultline.compare(failing, priority, runs=3, jobs=2)
    assert comparison.verdict("feature.play.availability") == "B better"
    assert comparison.verdict("feature.upload.availability") == "A better"
    link = faultline.run(failing).resources.loc["eu<->us"]
    assert link["kind"] == "link"
    assert link["limit_hits"] > 1000
