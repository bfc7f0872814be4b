// Reading scenario files: TOML text in, a validated faultline::Scenario out, or every mistake in the
// file as a Diagnostic pointing at its line, column and key path. The file format itself is the
// table in io/schema.hpp.
#pragma once

#include "scenario/scenario.hpp"

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace faultline {

struct Diagnostic {
  std::string file;
  int line = 0, column = 0;  // 1-based; 0 when the value has no place in the file (a --set override)
  std::string key;           // key path with array indices: "dependency[3].to"; empty when unknown
  std::string message;
  bool warning = false;      // a warning: the scenario loads, but likely does not do what was meant

  // "file:line:col: error: key.path: message" (or "warning:"); "file: error: ..." without a position.
  std::string format() const;
};

// A mistake in the user's scenario (not a faultline bug: see InternalError). Carries every diagnostic.
class ScenarioError : public std::invalid_argument {
 public:
  explicit ScenarioError(std::vector<Diagnostic> d);  // what(): the formatted diagnostics, one per line
  const std::vector<Diagnostic>& diagnostics() const;

 private:
  std::vector<Diagnostic> diagnostics_;
};

// --set KEY=VALUE, in the order given; later ones win.
using Overrides = std::vector<std::pair<std::string, std::string>>;

// Throw ScenarioError (errors only). Scenario::origin is the path (or origin); Scenario::text_hash hashes
// the text. `warnings`, when given, receives the warnings of a scenario that loads, in file order: values
// that are valid but cannot do what they seem to (an availability threshold outside [0, 1], a monitor
// or an action that cannot act within the run, a monitoring pipeline that needs what it watches).
Scenario load_scenario_file(const std::string& path, const Overrides& overrides = {},
                            std::vector<Diagnostic>* warnings = nullptr);
Scenario load_scenario_text(std::string_view text, const std::string& origin, const Overrides& overrides = {},
                            std::vector<Diagnostic>* warnings = nullptr);

// Every diagnostic for the file, in file order; empty when it is valid.
std::vector<Diagnostic> validate_scenario_file(const std::string& path);

// The scenarios bundled into the binary, by file name (defined in a file generated at build time).
const std::map<std::string, std::string>& embedded_scenarios();

// The text of scenarios/SCHEMA.md, rendered from the schema table (defined in io/schema_markdown.cpp).
std::string schema_markdown();

}  // namespace faultline
