// scenarios/SCHEMA.md, rendered from the schema table (`faultline schema`).
#include "io/schema.hpp"

#include "io/loader.hpp"
#include "scenario/status.hpp"

#include <fmt/format.h>

#include <string>

namespace faultline {

namespace {

std::string escape_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

// How a table is written in a file, for its heading: [scenario], [[service]], [[traffic.segment]].
std::string heading_of(const SchemaKey& table) {
  std::string dotted;
  for (char c : table.path)
    if (c != '[' && c != ']') dotted += c;
  if (table.path == "<distribution>") return "Distribution tables";
  return table.type == ValueType::section_array ? fmt::format("`[[{}]]`", dotted) : fmt::format("`[{}]`", dotted);
}

std::string default_cell(const SchemaKey& key) {
  if (key.required) return "*required*";
  if (!key.default_value.empty()) return fmt::format("`{}`", key.default_value);
  if (!key.default_doc.empty()) return fmt::format("*{}*", key.default_doc);
  const bool holds_keys = key.type == ValueType::table || key.type == ValueType::table_array || key.type == ValueType::map;
  return holds_keys ? "" : "*none*";
}

bool is_heading(const SchemaKey& key) {
  return key.type == ValueType::section || key.type == ValueType::section_array;
}

constexpr std::string_view kIntroduction = R"(<!-- Generated from the schema table (engine/io/schema_platform.cpp, schema_workload.cpp): do not edit.
     Regenerate with `build/faultline schema > scenarios/SCHEMA.md`. -->
# Scenario files

A scenario is a TOML file that describes a platform (zones, services and the dependencies between
them), the users and their traffic, the faults injected and the people and automation responding.
`faultline validate FILE` checks one without running it. Every key is listed below with its type,
unit, default and bounds; a key not listed here is an error, as is a key that does not apply (a
`fallback` on a hard dependency, a `rate` on a latency fault). Every error names the file, line,
column and key path, entries named as you named them (`service.db.replicas`, `dependency.api->db.to`;
by index, `fault[2].at`, when an entry has no name or shares it), and all errors are reported at once.

## Conventions

**Durations** are strings with a unit: `us`, `ms`, `s`, `m`, `h`, `d` (`"250ms"`, `"1.5s"`, `"30d"`),
or several in a row (`"1h30m"`). A bare number is an error: write `"30s"`, not `30`.

**Distributions.** A key of type *duration or distribution* takes a duration (a constant) or a
table such as `{dist = "exponential", mean = "5ms"}`. Each family takes its own parameters:
`constant` and `exponential` a `mean`; `lognormal` a `mean` and a `stddev`; `uniform` a `min` and a
`max`; `weibull` a `shape` and a `scale`. Parameters other than `shape` are durations.

**Names** of zones, regions, services, features, segments, faults, monitors and actions use the
characters `A-Z a-z 0-9 _ . -`, at most 128 of them, and are unique within their kind. A reference to
an unknown name is an error that lists the known ones (the first 20).

**Status names** are gRPC codes: )";

constexpr std::string_view kOverrides = R"(

**Overrides.** `faultline run FILE --set KEY=VALUE` changes one value before validation. KEY is a
dotted path in which an array of tables is addressed by element name or index
(`service.auth.replicas`, `dependency[2].timeout`, `fault.cp-outage.duration`, `traffic.rate`);
VALUE is read as a TOML value (`3`, `"2s"`, `true`, `[...]`) and otherwise as a string, so
`--set scenario.duration=2h` works.
)";

}  // namespace

std::string schema_markdown() {
  std::string out(kIntroduction);
  {
    std::vector<std::string> names;
    for (const std::string& s : status_names()) names.push_back(fmt::format("`{}`", s));
    out += fmt::format("{}.", fmt::join(names, ", "));
  }
  out += kOverrides;

  // A section's rows are the keys below it up to the next section; keys are shown relative to it.
  std::string_view section_path;
  bool top_level_started = false;
  for (const SchemaKey& key : schema_keys()) {
    if (is_heading(key)) {
      section_path = key.path;
      out += fmt::format("\n## {}\n\n{}", heading_of(key), key.doc);
      if (key.required) out += key.type == ValueType::section_array ? " At least one is required." : " Required.";
      else if (!key.default_doc.empty()) out += fmt::format(" Default: {}.", key.default_doc);
      out += "\n\n| key | type | unit | default | bounds | description |\n|---|---|---|---|---|---|\n";
      continue;
    }
    if (section_path.empty() && !top_level_started) {
      out += "\n## Top level\n\n| key | type | unit | default | bounds | description |\n|---|---|---|---|---|---|\n";
      top_level_started = true;
    }
    std::string_view relative = key.path;
    if (!section_path.empty()) relative.remove_prefix(section_path.size() + 1);
    const bool timed = key.type == ValueType::duration || key.type == ValueType::distribution;
    const std::string unit = timed ? std::string("time") : std::string(key.unit);
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", relative, escape_cell(describe_type(key)),
                       escape_cell(unit), escape_cell(default_cell(key)), escape_cell(describe_bounds(key)),
                       escape_cell(key.doc));
  }
  return out;
}

}  // namespace faultline
