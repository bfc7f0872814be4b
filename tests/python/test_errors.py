"""Bad input raises faultline.ScenarioError (a ValueError) that points at the mistake."""

import errno
import pickle

import pytest

import faultline


def line_of(text, fragment):
    """1-based line number of the only line containing fragment."""
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(lines) == 1, fragment
    return lines[0]


def test_bad_file_reports_every_mistake_with_line_column_and_key(tmp_path, tiny_text):
    text = tiny_text.replace('name = "storage"\nreplicas = 2', 'name = "storage"\nreplicaz = 2')
    text = text.replace('to = "storage"', 'to = "storag"')
    path = tmp_path / "two-mistakes.toml"
    path.write_text(text)

    with pytest.raises(faultline.ScenarioError) as caught:
        faultline.load(path)
    error = caught.value
    assert isinstance(error, ValueError)
    where = [(d.file, d.line, d.column, d.key) for d in error.diagnostics]
    assert where == [
        (str(path), line_of(text, "replicaz"), 1, "service.storage.replicaz"),
        (str(path), line_of(text, 'to = "storag"'), 6, "dependency.frontend->storag.to"),
    ]
    assert "storag" in error.diagnostics[1].message and "known: frontend, storage" in error.diagnostics[1].message
    # The error itself carries the first diagnostic's position.
    assert (error.file, error.line, error.column, error.key) == where[0]
    assert error.message == error.diagnostics[0].message
    # str() is every diagnostic as the CLI prints them.
    assert str(error).splitlines() == [str(d) for d in error.diagnostics]
    assert str(error).splitlines()[0].startswith(f"{path}:{where[0][1]}:1: error: service.storage.replicaz: ")


def test_toml_syntax_error_points_at_the_line(tmp_path, tiny_text):
    text = tiny_text.replace("rate = 20", "rate = ")
    path = tmp_path / "broken.toml"
    path.write_text(text)
    with pytest.raises(faultline.ScenarioError) as caught:
        faultline.load(path)
    assert caught.value.file == str(path)
    assert caught.value.line == line_of(text, "rate = ")
    assert caught.value.column > 0


def test_unreadable_file_is_a_scenario_error_like_the_cli_reports_it(tmp_path):
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(faultline.ScenarioError) as caught:
        faultline.load(missing)
    assert str(caught.value) == f"{missing}: error: cannot read file: No such file or directory"
    assert (caught.value.line, caught.value.column, caught.value.key) == (0, 0, "")


def test_a_missing_file_is_also_a_file_not_found_error(tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(FileNotFoundError) as caught:
        faultline.load(missing)
    assert isinstance(caught.value, faultline.ScenarioError)  # as it always was
    assert caught.value.filename == str(missing)
    assert caught.value.errno == errno.ENOENT
    # It survives the trip back from a worker process.
    again = pickle.loads(pickle.dumps(caught.value))
    assert isinstance(again, FileNotFoundError) and again.diagnostics == caught.value.diagnostics


def test_warnings_are_issued_and_listed(tiny_text):
    risky = tiny_text + """
[[monitor]]
name = "nonsense"
metric = "feature.play.availability"
below = 1.5
"""
    with pytest.warns(faultline.ScenarioWarning, match=r"monitor\.nonsense\.below.*always true"):
        sc = faultline.load_text(risky, "risky.toml")
    (w,) = sc.warnings
    assert w.warning and w.key.endswith(".below") and w.line > 0 and w.file == "risky.toml"
    assert ": warning: " in str(w)
    assert faultline.load_text(tiny_text).warnings == []


def test_bad_override_is_reported_against_set(tiny):
    with pytest.raises(faultline.ScenarioError) as caught:
        tiny.set("traffic.rat", 5)
    error = caught.value
    assert (error.file, error.line, error.column, error.key) == ("<--set>", 0, 0, "traffic.rat")
    assert "unknown key 'rat'" in error.message and "rate" in error.message


def test_override_with_an_invalid_value_is_reported_against_set(tiny):
    with pytest.raises(faultline.ScenarioError) as caught:
        tiny.with_overrides({"service.storage.replicas": "many"})
    error = caught.value
    assert (error.file, error.line, error.column, error.key) == ("<--set>", 0, 0, "service.storage.replicas")
    assert "many" in error.message


def test_override_naming_an_unknown_element_lists_the_known_ones(tiny):
    with pytest.raises(faultline.ScenarioError) as caught:
        tiny.set("service.paymnt.replicas", 3)
    assert caught.value.file == "<--set>"
    assert "paymnt" in caught.value.message and "frontend, storage" in caught.value.message


def test_a_failed_override_leaves_the_scenario_usable(tiny):
    with pytest.raises(faultline.ScenarioError):
        tiny.set("traffic.rate", -1)
    assert tiny.overrides == {}
    assert faultline.run(tiny.set("scenario.duration", "3m")).summary["requests"] > 0


def test_python_values_that_are_not_scenario_values_are_type_errors(tiny):
    with pytest.raises(TypeError):
        tiny.set("traffic.rate", object())
    with pytest.raises(TypeError):
        tiny.set(3, 5)


def test_scenario_error_survives_pickling(tiny):
    with pytest.raises(faultline.ScenarioError) as caught:
        tiny.set("traffic.rat", 5)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is faultline.ScenarioError
    assert str(copy) == str(caught.value)
    assert copy.diagnostics == caught.value.diagnostics


def test_bad_seeds_and_arguments_are_rejected_before_running(tiny):
    with pytest.raises(ValueError):
        faultline.run(tiny, seed=-1)
    with pytest.raises(ValueError):
        faultline.run(tiny, seed=2**64)
    with pytest.raises(TypeError):
        faultline.run(tiny, seed=1.5)
    with pytest.raises(TypeError):
        faultline.run("scenarios/spotify-2022-03-08.toml")
    with pytest.raises(ValueError):
        faultline.replicate(tiny, runs=0)
    with pytest.raises(ValueError):
        faultline.replicate(tiny, runs=2, jobs=0)

