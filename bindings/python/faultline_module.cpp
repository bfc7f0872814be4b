// faultline._faultline: the C++ side of `import faultline`. Deliberately thin: it validates scenario
// text, runs one simulation in a forked child and hands back the report JSON. Everything users touch
// (Scenario, Result, DataFrames, plots) is the pure-Python package beside it, which keeps the text of
// a scenario and re-loads it here for each run.
#include "experiment/comparison.hpp"
#include "experiment/parameter_grid.hpp"
#include "experiment/run_budget.hpp"
#include "experiment/sweep.hpp"
#include "io/loader.hpp"
#include "io/scenario_tables.hpp"
#include "report/json.hpp"
#include "scenario/errors.hpp"
#include "simulation/simulation.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace py = pybind11;
using namespace faultline;

namespace {

// The exception classes live in faultline/errors.py (so they are ordinary, picklable Python classes);
// they are looked up once at import. Leaked on purpose: destroying Python objects after the
// interpreter has finalized would crash at exit.
struct PythonErrorTypes {
  py::object scenario_error;
  py::object simulation_error;
};
PythonErrorTypes* error_types = nullptr;

// Validates a scenario the way a run will load it; returns what the Python Scenario shows about it.
py::dict describe_scenario(const std::string& text, const std::string& origin, const Overrides& overrides) {
  std::vector<Diagnostic> warnings;
  Scenario s = [&] {
    py::gil_scoped_release unlocked;
    return load_scenario_text(text, origin, overrides, &warnings);
  }();
  py::dict info;
  info["warnings"] = warnings;
  info["name"] = s.info.name;
  info["description"] = s.info.description;
  info["duration"] = s.info.duration;
  info["seed"] = s.info.seed;
  info["bucket"] = s.info.bucket;
  info["overrides"] = s.overrides;
  return info;
}

// Ctrl-C while a run is in progress: the signal reaches the child too (same process group), which
// then dies and looks like a failed run. The pending KeyboardInterrupt is what the user should see.
void raise_pending_signal() {
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
}

std::string simulate_to_json(const std::string& text, const std::string& origin, const Overrides& overrides,
                             std::uint64_t seed, bool force, double event_budget) {
  SimulationOptions options;
  // A signal sent to this process alone (the child runs on): checking now and then lets it stop the
  // run; the exception kills the child on its way out. Only the main thread ever sees a signal.
  options.progress = [](double) {
    py::gil_scoped_acquire locked;
    raise_pending_signal();
  };
  try {
    py::gil_scoped_release unlocked;
    const Scenario s = load_scenario_text(text, origin, overrides);
    check_run_budget(s, RunBudget{event_budget, 0, force});
    return report_to_json(simulate_isolated(s, seed, options));
  } catch (const InternalError&) {
    raise_pending_signal();
    throw;
  } catch (const Interrupted&) {
    raise_pending_signal();  // Python's own KeyboardInterrupt when the signal reached it too
    throw;
  }
}

// --- experiments: the C++ sweep and comparison, so that Python and the CLI agree to the bit ---------

// A signal seen while a sweep runs: the KeyboardInterrupt is pending in Python once we get back.
struct SignalPending {};

// Runs `work` (which runs a sweep) without the GIL; Ctrl-C stops it between runs.
template <typename Work>
void run_interruptible(Work&& work) {
  SweepCallbacks callbacks;
  callbacks.poll = [] {
    py::gil_scoped_acquire locked;
    if (PyErr_CheckSignals() != 0) throw SignalPending{};
  };
  try {
    py::gil_scoped_release unlocked;
    work(callbacks);
  } catch (const SignalPending&) {
    throw py::error_already_set();
  } catch (const InternalError&) {
    raise_pending_signal();
    throw;
  } catch (const Interrupted&) {
    raise_pending_signal();
    throw;
  }
}

// Scenario arguments as the Python side keeps them: text, origin, overrides.
using ScenarioArguments = std::tuple<std::string, std::string, Overrides>;

ScenarioLoader loader_of(const std::string& text, const std::string& origin) {
  return [text, origin](const Overrides& overrides) { return load_scenario_text(text, origin, overrides); };
}

ParameterGrid grid_of(const std::vector<std::pair<std::string, std::vector<std::string>>>& grid) {
  std::vector<Parameter> parameters;
  for (const auto& [key, values] : grid) parameters.push_back({key, values});
  return ParameterGrid(std::move(parameters));
}

py::list metric_pairs(const RunMetrics& m) {
  py::list out;
  for (const MetricValue& v : m.metrics) out.append(py::make_tuple(v.name, v.value));
  return out;
}

// The plan of a sweep: what a Dask client submits, one task per run.
py::dict plan_sweep_for_python(const std::string& text, const std::string& origin, const Overrides& base,
                               const std::vector<std::pair<std::string, std::vector<std::string>>>& grid_values,
                               std::size_t runs, std::optional<std::uint64_t> seed, bool force, double event_budget) {
  const ParameterGrid grid = grid_of(grid_values);
  const SweepPlan plan = [&] {
    py::gil_scoped_release unlocked;
    SweepPlan planned = plan_sweep(loader_of(text, origin), base, grid, runs, seed);
    check_run_budget(planned, RunBudget{event_budget, 0, force});
    return planned;
  }();
  py::list points;
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    Overrides overrides = base;
    for (auto& o : grid.point(p)) overrides.push_back(std::move(o));
    py::dict point;
    point["labels"] = plan.points[p].labels;
    point["overrides"] = overrides;
    point["base_seed"] = plan.points[p].base_seed;
    points.append(point);
  }
  py::list planned;
  for (const PlannedRun& r : all_runs(plan)) planned.append(py::make_tuple(r.point, r.replicate, r.seed));
  py::dict out;
  out["label_columns"] = plan.label_columns;
  out["metric_columns"] = plan.metric_columns();
  out["points"] = points;
  out["runs"] = planned;
  return out;
}

// A sweep run here, `jobs` at a time: every run as (point, run, seed, [(metric, value), ...]) in plan order.
py::dict sweep_for_python(const std::string& text, const std::string& origin, const Overrides& base,
                          const std::vector<std::pair<std::string, std::vector<std::string>>>& grid_values,
                          std::size_t runs, unsigned jobs, std::optional<std::uint64_t> seed, bool force, double event_budget) {
  const ParameterGrid grid = grid_of(grid_values);
  std::optional<SweepPlan> plan;
  std::vector<FinishedRun> finished;
  run_interruptible([&](SweepCallbacks callbacks) {
    plan = plan_sweep(loader_of(text, origin), base, grid, runs, seed);
    check_run_budget(*plan, RunBudget{event_budget, 0, force});
    callbacks.on_finished = [&](const FinishedRun& run) { finished.push_back(run); };
    run_sweep(*plan, all_runs(*plan), jobs, callbacks);
  });
  std::sort(finished.begin(), finished.end(), [](const FinishedRun& a, const FinishedRun& b) {
    return std::pair(a.planned.point, a.planned.replicate) < std::pair(b.planned.point, b.planned.replicate);
  });
  py::list rows;
  for (const FinishedRun& r : finished)
    rows.append(py::make_tuple(r.planned.point, r.planned.replicate, r.planned.seed, metric_pairs(r.metrics)));
  py::dict out;
  out["label_columns"] = plan->label_columns;
  out["metric_columns"] = plan->metric_columns();
  py::list labels;
  for (const SweepPoint& p : plan->points) labels.append(p.labels);
  out["labels"] = labels;
  out["runs"] = rows;
  return out;
}

// One run's metrics, the row a Dask task sends back.
py::list run_metrics_for_python(const std::string& text, const std::string& origin, const Overrides& overrides,
                                std::uint64_t seed) {
  RunMetrics metrics;
  run_interruptible([&](const SweepCallbacks& callbacks) {
    SimulationOptions options;
    options.progress = [&callbacks](double) { callbacks.poll(); };
    metrics = run_metrics(simulate_isolated(load_scenario_text(text, origin, overrides), seed, options));
  });
  return metric_pairs(metrics);
}

// Both designs' runs and the table of paired differences and verdicts, as Python's Comparison reads them.
py::dict comparison_dict(const Comparison& c) {
  const auto design_runs = [](const std::vector<RunMetrics>& design) {
    py::list out;
    for (std::size_t i = 0; i < design.size(); ++i) out.append(py::make_tuple(i, design[i].seed, metric_pairs(design[i])));
    return out;
  };
  py::list table;
  for (const MetricComparison& m : c.metrics) {
    py::dict row;
    row["metric"] = m.metric;
    row["a_mean"] = m.difference.mean_a;
    row["b_mean"] = m.difference.mean_b;
    row["diff"] = m.difference.mean_difference;
    row["ci_low"] = m.difference.ci_low;
    row["ci_high"] = m.difference.ci_high;
    row["verdict"] = to_string(m.verdict);
    row["pairs"] = m.difference.pairs;
    row["better"] = m.better == Better::higher ? "higher" : "lower";
    row["ranked"] = m.ranked;
    row["no_incident_a"] = m.no_incident_a;
    row["no_incident_b"] = m.no_incident_b;
    row["not_recovered_a"] = m.not_recovered_a;
    row["not_recovered_b"] = m.not_recovered_b;
    table.append(row);
  }
  py::dict out;
  out["a"] = design_runs(c.a);
  out["b"] = design_runs(c.b);
  out["table"] = table;
  return out;
}

py::dict comparison_for_python(const ScenarioArguments& a, const ScenarioArguments& b, std::size_t runs, unsigned jobs,
                               std::optional<std::uint64_t> seed, bool force, double event_budget) {
  Comparison c;
  run_interruptible([&](const SweepCallbacks& callbacks) {
    const Scenario sa = load_scenario_text(std::get<0>(a), std::get<1>(a), std::get<2>(a));
    const Scenario sb = load_scenario_text(std::get<0>(b), std::get<1>(b), std::get<2>(b));
    check_run_budget(plan_comparison(sa, sb, 1, seed), RunBudget{event_budget, 0, force});
    c = compare_designs(sa, sb, runs, jobs, seed, callbacks);
  });
  return comparison_dict(c);
}

// The seeds a comparison runs both designs on, after both are loaded and held against the budget:
// what a Dask client submits, a task per design and seed.
std::vector<std::uint64_t> comparison_seeds_for_python(const ScenarioArguments& a, const ScenarioArguments& b,
                                                       std::size_t runs, std::optional<std::uint64_t> seed, bool force,
                                                       double event_budget) {
  py::gil_scoped_release unlocked;
  const Scenario sa = load_scenario_text(std::get<0>(a), std::get<1>(a), std::get<2>(a));
  const Scenario sb = load_scenario_text(std::get<0>(b), std::get<1>(b), std::get<2>(b));
  const SweepPlan plan = plan_comparison(sa, sb, runs, seed);
  check_run_budget(plan, RunBudget{event_budget, 0, force});
  std::vector<std::uint64_t> seeds;
  for (const PlannedRun& r : all_runs(plan))
    if (r.point == 0) seeds.push_back(r.seed);
  return seeds;
}

// The comparison of runs made elsewhere (a Dask cluster): each design's runs as (seed, [(metric, value), ...])
// in seed order, as run_metrics returns them.
py::dict compare_metrics_for_python(const std::vector<std::pair<std::uint64_t, std::vector<std::pair<std::string, double>>>>& a,
                                    const std::vector<std::pair<std::uint64_t, std::vector<std::pair<std::string, double>>>>& b) {
  const auto runs_of = [](const auto& rows) {
    std::vector<RunMetrics> out;
    for (const auto& [seed, metrics] : rows) {
      RunMetrics m;
      m.seed = seed;
      for (const auto& [name, value] : metrics) m.metrics.push_back(MetricValue{name, value});
      out.push_back(std::move(m));
    }
    return out;
  };
  Comparison c;
  c.a = runs_of(a);
  c.b = runs_of(b);
  c.metrics = compare_runs(c.a, c.b);
  return comparison_dict(c);
}

py::dict embedded_scenario_texts() {
  py::dict out;
  for (const auto& [name, text] : embedded_scenarios()) out[py::str(name)] = py::bytes(text);
  return out;
}

void translate_errors(std::exception_ptr failure) {
  try {
    if (failure) std::rethrow_exception(failure);
  } catch (const ScenarioError& e) {
    py::object error = error_types->scenario_error(e.what(), py::cast(e.diagnostics()));
    PyErr_SetObject(error_types->scenario_error.ptr(), error.ptr());
  } catch (const InternalError& e) {
    PyErr_SetString(error_types->simulation_error.ptr(), e.what());
  } catch (const Interrupted& e) {  // a child stopped by SIGINT or SIGTERM: the user's interrupt
    PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
  }
}

}  // namespace

PYBIND11_MODULE(_faultline, m) {
  m.doc() = "C++ core of faultline: scenario validation and isolated simulation runs";
  m.attr("__version__") = FAULTLINE_VERSION;

  py::module_ errors = py::module_::import("faultline.errors");
  error_types = new PythonErrorTypes{errors.attr("ScenarioError"), errors.attr("SimulationError")};
  py::register_exception_translator(&translate_errors);

  py::class_<Diagnostic>(m, "Diagnostic",
                         "One mistake in a scenario: where it is (line and column are 1-based, 0 when the "
                         "value came from an override) and what is wrong.")
      .def(py::init([](std::string file, int line, int column, std::string key, std::string message) {
             return Diagnostic{std::move(file), line, column, std::move(key), std::move(message)};
           }),
           py::arg("file"), py::arg("line"), py::arg("column"), py::arg("key"), py::arg("message"))
      .def_readonly("file", &Diagnostic::file)
      .def_readonly("line", &Diagnostic::line)
      .def_readonly("column", &Diagnostic::column)
      .def_readonly("key", &Diagnostic::key)
      .def_readonly("message", &Diagnostic::message)
      .def_readonly("warning", &Diagnostic::warning, "True for a warning (the scenario loads), False for an error")
      .def("__str__", &Diagnostic::format)
      .def("__repr__",
           [](const Diagnostic& d) {
             return py::str("Diagnostic(file={!r}, line={}, column={}, key={!r}, message={!r})")
                 .format(d.file, d.line, d.column, d.key, d.message);
           })
      .def("__eq__",
           [](const Diagnostic& a, const Diagnostic& b) {
             return a.file == b.file && a.line == b.line && a.column == b.column && a.key == b.key &&
                    a.message == b.message && a.warning == b.warning;
           })
      .def(py::pickle(
          [](const Diagnostic& d) { return py::make_tuple(d.file, d.line, d.column, d.key, d.message, d.warning); },
          [](const py::tuple& t) {
            Diagnostic d{t[0].cast<std::string>(), t[1].cast<int>(), t[2].cast<int>(), t[3].cast<std::string>(),
                         t[4].cast<std::string>()};
            if (t.size() > 5) d.warning = t[5].cast<bool>();
            return d;
          }));

  m.def("describe_scenario", &describe_scenario, py::arg("text"), py::arg("origin"), py::arg("overrides"),
        "Load the scenario text with the overrides (KEY, VALUE text) applied; raise ScenarioError with every "
        "diagnostic, or return its name, description, duration, seed, bucket, applied overrides and warnings.");
  m.def(
      "scenario_tables",
      [](const std::string& text, const std::string& origin, const Overrides& overrides) {
        py::gil_scoped_release unlocked;
        return scenario_tables_json(text, origin, overrides);
      },
      py::arg("text"), py::arg("origin"), py::arg("overrides"),
      "The scenario's tables as JSON text: every key the schema declares, as given (after the overrides) or its "
      "default, durations in seconds; raise ScenarioError as describe_scenario does.");
  m.def("simulate", &simulate_to_json, py::arg("text"), py::arg("origin"), py::arg("overrides"), py::arg("seed"),
        py::arg("force") = false, py::arg("event_budget") = RunBudget::kDefaultEvents,
        "Load and simulate the scenario in a forked child (the GIL is released meanwhile); return report.json's "
        "text, byte for byte what `faultline run --format json` prints.");
  m.def("plan_sweep", &plan_sweep_for_python, py::arg("text"), py::arg("origin"), py::arg("overrides"),
        py::arg("grid"), py::arg("runs"), py::arg("seed"), py::arg("force") = false, py::arg("event_budget") = RunBudget::kDefaultEvents,
        "The runs of a sweep over a grid [(key, [value text, ...]), ...]: label and metric columns, each point's "
        "labels, overrides and base seed, and every run as (point, run, seed), in plan order.");
  m.def("sweep", &sweep_for_python, py::arg("text"), py::arg("origin"), py::arg("overrides"), py::arg("grid"),
        py::arg("runs"), py::arg("jobs"), py::arg("seed"), py::arg("force") = false, py::arg("event_budget") = RunBudget::kDefaultEvents,
        "Run a sweep `jobs` at a time (each run a forked child, the GIL released): label and metric columns, each "
        "point's labels and every run as (point, run, seed, [(metric, value), ...]), in plan order.");
  m.def("run_metrics", &run_metrics_for_python, py::arg("text"), py::arg("origin"), py::arg("overrides"),
        py::arg("seed"), "Simulate one run and return its metrics as [(name, value), ...], the columns of a sweep row.");
  m.def("compare", &comparison_for_python, py::arg("a"), py::arg("b"), py::arg("runs"), py::arg("jobs"),
        py::arg("seed"), py::arg("force") = false, py::arg("event_budget") = RunBudget::kDefaultEvents,
        "Run designs a and b ((text, origin, overrides) each) on the same seeds; return both designs' runs as "
        "(run, seed, [(metric, value), ...]) and the table of paired differences and verdicts.");
  m.def("comparison_seeds", &comparison_seeds_for_python, py::arg("a"), py::arg("b"), py::arg("runs"), py::arg("seed"),
        py::arg("force") = false, py::arg("event_budget") = RunBudget::kDefaultEvents,
        "The seeds a comparison of designs a and b runs both on (refusing designs over the budget first).");
  m.def("compare_metrics", &compare_metrics_for_python, py::arg("a"), py::arg("b"),
        "The comparison of runs made elsewhere: each design's runs as (seed, [(metric, value), ...]); returns what "
        "compare returns.");
  m.attr("default_event_budget") = RunBudget::kDefaultEvents;
  m.def("embedded_scenarios", &embedded_scenario_texts,
        "The scenarios bundled into faultline, file name -> TOML text (bytes).");
}
