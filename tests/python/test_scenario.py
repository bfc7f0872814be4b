"""Scenario objects: validated on creation, immutable, overrides with the CLI's --set meaning."""

import pickle

import faultline


def test_load_reads_what_the_file_says(tiny, tiny_path):
    assert tiny.name == "python-tiny"
    assert tiny.duration == 900.0
    assert tiny.seed == 11
    assert tiny.bucket == 30.0
    assert tiny.origin == str(tiny_path)
    assert tiny.overrides == {}


def test_set_returns_a_new_scenario_and_leaves_the_original_alone(tiny):
    changed = tiny.set("scenario.duration", "20m")
    assert changed.duration == 1200.0
    assert tiny.duration == 900.0
    assert changed is not tiny and changed != tiny
    assert changed.overrides == {"scenario.duration": "20m"}


def test_with_overrides_applies_in_order_and_later_ones_win(tiny):
    changed = tiny.with_overrides([("scenario.seed", 3), ("scenario.seed", 4)])
    assert changed.seed == 4
    chained = tiny.set("scenario.seed", 3).set("scenario.seed", 4)
    assert chained.seed == 4


def test_python_values_become_toml_values(tiny):
    changed = tiny.with_overrides({
        "scenario.seed": 42,
        "feature.play.slo": 0.9,
        "service.storage.zones": ["zone-a"],
        "dependency[0].retry_policy": {"num_retries": 2, "retry_on": ["5xx"]},
    })
    assert changed.seed == 42
    assert changed.overrides == {
        "scenario.seed": "42",
        "feature.play.slo": "0.9",
        "service.storage.zones": '["zone-a"]',
        "dependency[0].retry_policy": '{num_retries = 2, retry_on = ["5xx"]}',
    }


def test_overrides_are_recorded_in_the_report_provenance(tiny):
    result = faultline.run(tiny.with_overrides({"scenario.duration": "3m", "traffic.rate": 5}))
    assert result.report["provenance"]["overrides"] == {"scenario.duration": "3m", "traffic.rate": "5"}
    assert result.report["duration"] == 180.0


def test_equal_scenarios_compare_and_hash_equal(tiny, tiny_path):
    again = faultline.load(tiny_path)
    assert again == tiny and hash(again) == hash(tiny)
    assert tiny.set("traffic.rate", 5) == tiny.set("traffic.rate", 5)
    assert tiny.set("traffic.rate", 5) != tiny.set("traffic.rate", 6)


def test_scenarios_survive_pickling(tiny):
    changed = tiny.set("traffic.rate", 5)
    assert pickle.loads(pickle.dumps(changed)) == changed


def test_load_text_names_its_origin(tiny_text):
    sc = faultline.load_text(tiny_text, origin="inline.toml")
    assert sc.origin == "inline.toml" and sc.name == "python-tiny"
    assert sc.text == tiny_text


def test_demo_scenario_is_the_bundled_reference_outage(repo_root):
    demo = faultline.demo_scenario()
    assert demo.name == "spotify-2022-03-08"
    assert demo.origin == "<embedded>/spotify-2022-03-08.toml"
    assert demo.text == (repo_root / "scenarios" / "spotify-2022-03-08.toml").read_text()
