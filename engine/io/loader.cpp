#include "io/loader.hpp"

#include "io/diagnostic_list.hpp"
#include "io/overrides.hpp"
#include "io/scenario_reader.hpp"
#include "io/toml.hpp"
#include "io/toml_guard.hpp"
#include "scenario/fnv1a.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace faultline {

std::string Diagnostic::format() const {
  const std::string where = line > 0 ? fmt::format("{}:{}:{}", file, line, column) : file;
  const char* kind = warning ? "warning" : "error";
  if (key.empty()) return fmt::format("{}: {}: {}", where, kind, message);
  return fmt::format("{}: {}: {}: {}", where, kind, key, message);
}

namespace {

std::string join_formatted(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.format();
  }
  return out;
}

}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> d)
    : std::invalid_argument(join_formatted(d)), diagnostics_(std::move(d)) {}

const std::vector<Diagnostic>& ScenarioError::diagnostics() const { return diagnostics_; }

namespace {

std::string fnv1a_hex(std::string_view text) { return fmt::format("{:016x}", fnv1a(text)); }

}  // namespace

toml::table parse_scenario(std::string_view text, const std::string& origin, const Overrides& overrides,
                           DiagnosticList& out, std::map<std::string, std::string>& applied) {
  toml::table tree;
  if (const auto problem = toml_guard(text)) {
    const toml::source_position at{toml::source_index(problem->line), toml::source_index(problem->column)};
    out.add(toml::source_region{at, at, std::make_shared<const std::string>(origin)}, "", problem->message);
    throw ScenarioError(out.in_file_order());
  }
  try {
    tree = toml::parse(text, std::string_view(origin));
  } catch (const toml::parse_error& e) {
    out.add(e.source(), "", std::string(e.description()));
    throw ScenarioError(out.in_file_order());
  }
  applied = apply_overrides(tree, overrides, out);
  return tree;
}

Scenario load_scenario_text(std::string_view text, const std::string& origin, const Overrides& overrides,
                            std::vector<Diagnostic>* warnings) {
  DiagnosticList out(origin);
  std::map<std::string, std::string> applied;
  const toml::table tree = parse_scenario(text, origin, overrides, out, applied);
  Scenario scenario = read_scenario(tree, out);
  if (!out.empty()) throw ScenarioError(out.in_file_order());
  if (warnings) *warnings = out.warnings_in_file_order();
  scenario.origin = origin;
  scenario.text_hash = fnv1a_hex(text);
  scenario.overrides = std::move(applied);
  return scenario;
}

Scenario load_scenario_file(const std::string& path, const Overrides& overrides, std::vector<Diagnostic>* warnings) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  auto cannot_read = [&](int error) {
    return ScenarioError({Diagnostic{path, 0, 0, "", fmt::format("cannot read file: {}", std::strerror(error))}});
  };
  if (!file) throw cannot_read(errno);
  std::string text;
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  const bool failed = std::ferror(file);
  const int error = errno;
  std::fclose(file);
  if (failed) throw cannot_read(error);
  return load_scenario_text(text, path, overrides, warnings);
}

std::vector<Diagnostic> validate_scenario_file(const std::string& path) {
  try {
    load_scenario_file(path);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  return {};
}

}  // namespace faultline
