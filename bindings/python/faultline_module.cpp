// faultline._faultline: the C++ side of `import faultline`. Deliberately thin: it validates scenario
// text, runs one simulation in a forked child and hands back the report JSON. Everything users touch
// (Scenario, Result, DataFrames, plots) is the pure-Python package beside it, which keeps the text of
// a scenario and re-loads it here for each run.
#include "io/loader.hpp"
#include "report/json.hpp"
#include "scenario/errors.hpp"
#include "simulation/simulation.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <exception>
#include <string>
#include <utility>

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
  Scenario s = [&] {
    py::gil_scoped_release unlocked;
    return load_scenario_text(text, origin, overrides);
  }();
  py::dict info;
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
                             std::uint64_t seed) {
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
    return report_to_json(simulate_isolated(s, seed, options));
  } catch (const InternalError&) {
    raise_pending_signal();
    throw;
  }
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
      .def("__str__", &Diagnostic::format)
      .def("__repr__",
           [](const Diagnostic& d) {
             return py::str("Diagnostic(file={!r}, line={}, column={}, key={!r}, message={!r})")
                 .format(d.file, d.line, d.column, d.key, d.message);
           })
      .def("__eq__",
           [](const Diagnostic& a, const Diagnostic& b) {
             return a.file == b.file && a.line == b.line && a.column == b.column && a.key == b.key &&
                    a.message == b.message;
           })
      .def(py::pickle(
          [](const Diagnostic& d) { return py::make_tuple(d.file, d.line, d.column, d.key, d.message); },
          [](const py::tuple& t) {
            return Diagnostic{t[0].cast<std::string>(), t[1].cast<int>(), t[2].cast<int>(), t[3].cast<std::string>(),
                              t[4].cast<std::string>()};
          }));

  m.def("describe_scenario", &describe_scenario, py::arg("text"), py::arg("origin"), py::arg("overrides"),
        "Load the scenario text with the overrides (KEY, VALUE text) applied; raise ScenarioError with every "
        "diagnostic, or return its name, description, duration, seed, bucket and applied overrides.");
  m.def("simulate", &simulate_to_json, py::arg("text"), py::arg("origin"), py::arg("overrides"), py::arg("seed"),
        "Load and simulate the scenario in a forked child (the GIL is released meanwhile); return report.json's "
        "text, byte for byte what `faultline run --format json` prints.");
  m.def("embedded_scenarios", &embedded_scenario_texts,
        "The scenarios bundled into faultline, file name -> TOML text (bytes).");
}
