"""The scenario as objects (issue 13, item 6): entries by name with every key and its default, edits
by name that make new scenarios, DataFrames of each kind, and scenarios built without TOML text."""

import pandas as pd
import pytest

import faultline


def test_services_are_a_dataframe_with_every_schema_key_and_defaults_in_seconds(tiny):
    services = tiny.services
    assert list(services.index) == ["frontend", "storage"]
    assert services.loc["storage", "replicas"] == 2
    # Not written in the file: the schema's defaults, as SCHEMA.md documents them.
    assert services.loc["storage", "workers"] == 8
    assert services.loc["storage", "restart_time"] == 30.0  # "30s"
    assert services.loc["storage", "service_time"] == {"dist": "exponential", "mean": 0.003, "stddev": None,
                                                         "min": None, "max": None, "shape": None, "scale": None}
    assert services.loc["frontend", "failover"] is None  # a table whose presence switches it on


def test_a_dependency_is_found_by_its_ends_and_reads_in_seconds(tiny):
    edge = tiny.dependency("frontend", "storage")
    assert edge is not None and edge.path == "dependency.frontend->storage"
    assert edge.timeout == 1.0
    assert edge["kind"] == "hard"
    assert tiny.dependency("frontend->storage") == edge
    assert list(tiny.dependencies.index) == ["frontend->storage"]
    with pytest.raises(KeyError, match="no dependency named 'frontend->db'; known: frontend->storage"):
        tiny.dependency("frontend", "db")
    with pytest.raises(AttributeError, match="has no key 'timeot'"):
        edge.timeot


def test_edits_by_name_make_a_new_scenario_and_leave_the_old_one(tiny):
    edge = tiny.dependency("frontend", "storage")
    with pytest.raises(AttributeError, match="immutable"):
        edge.timeout = "2s"
    changed = edge.set("timeout", "2s")
    assert changed.dependency("frontend", "storage").timeout == 2.0
    assert changed.overrides == {"dependency.frontend->storage.timeout": "2s"}
    assert tiny.dependency("frontend", "storage").timeout == 1.0
    # The same path through set and get.
    assert tiny.set("dependency.frontend->storage.timeout", "2s") == changed
    assert changed.get("dependency.frontend->storage.timeout") == 2.0
    assert tiny.get("service.storage.replicas") == 2
    assert tiny.get("fault[0].at") == 120.0
    assert tiny.fault("storage-crash").duration == 180.0
    assert tiny.section("traffic").rate == 20.0
    with pytest.raises(KeyError, match="no 'servce'"):
        tiny.get("servce.storage.replicas")


def test_a_bad_value_set_through_an_entry_is_reported_by_name(tiny):
    with pytest.raises(faultline.ScenarioError) as caught:
        tiny.service("storage").set("replicas", 0)
    assert caught.value.key == "service.storage.replicas"
    assert caught.value.file == "<--set>"


def test_every_kind_has_its_frame(tiny):
    assert list(tiny.features.index) == ["play", "search"]
    assert tiny.features.loc["play", "slo"] == 0.99
    assert list(tiny.faults.index) == ["storage-crash"]
    assert tiny.monitors.loc["play-availability", "for"] == 60.0
    assert tiny.actions.empty
    assert list(tiny.zones.index) == ["zone-a"]


def test_a_scenario_built_in_python_runs_like_its_text(tiny):
    built = (faultline.ScenarioBuilder("python-tiny", duration="15m", seed=11, bucket="30s")
             .zone("zone-a", region="eu", hosts=2)
             .service("frontend", replicas=2, service_time={"dist": "exponential", "mean": "5ms"})
             .service("storage", replicas=2, service_time={"dist": "exponential", "mean": "3ms"})
             .dependency("frontend", "storage", timeout="1s")
             .feature("play", entry="frontend", share=0.8, slo=0.99)
             .feature("search", entry="frontend", share=0.2, slo=0.99)
             .section("traffic", rate=20)
             .section("client", on_status={"UNAVAILABLE": "logout"})
             .fault("storage-crash", kind="service_crash", target="storage", at="2m", duration="3m")
             .monitor("play-availability", metric="feature.play.availability", below=0.95, for_="1m")
             .build())
    assert built.tables == tiny.tables
    a, b = faultline.run(built, seed=3), faultline.run(tiny, seed=3)
    assert a.summary == b.summary
    assert a.incident == b.incident


def test_a_mistake_in_a_built_scenario_names_the_key_in_the_users_terms():
    builder = (faultline.ScenarioBuilder("broken", duration="10m")
               .zone("z", region="r", hosts=1)
               .service("api", workers=0)
               .feature("play", entry="api", share=1))
    with pytest.raises(faultline.ScenarioError) as caught:
        builder.build()
    assert caught.value.key == "service.api.workers"
    assert caught.value.file == "<builder>"
    assert "[[service]]" in builder.text()


def test_from_dict_takes_the_files_shape():
    sc = faultline.Scenario.from_dict({
        "scenario": {"name": "from-dict", "duration": "5m"},
        "zone": [{"name": "z", "region": "r", "hosts": 1}],
        "service": [{"name": "api"}],
        "feature": [{"name": "play", "entry": "api", "share": 1}],
    })
    assert sc.name == "from-dict"
    assert sc.duration == 300
    assert sc.service("api").replicas == 1
    assert isinstance(sc.services, pd.DataFrame)
