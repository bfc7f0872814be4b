// Each scenarios/invalid/<case>.toml shows one kind of mistake; <case>.expected pins every diagnostic
// it must produce, with line, column and key path.
#include "support/text_files.hpp"
#include "io/loader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace faultline;

using namespace faultline::testing;

namespace {

fs::path invalid_dir() { return fs::path(FAULTLINE_SOURCE_DIR) / "scenarios" / "invalid"; }

std::vector<fs::path> invalid_cases() {
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(invalid_dir()))
    if (entry.path().extension() == ".toml") cases.push_back(entry.path());
  std::sort(cases.begin(), cases.end());
  return cases;
}

// The diagnostics a case produces, formatted; empty when it loads (which is itself a failure).
std::vector<Diagnostic> diagnostics_of(const fs::path& toml) {
  const std::string origin = "scenarios/invalid/" + toml.filename().string();
  try {
    load_scenario_text(file_contents(toml), origin);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  return {};
}

}  // namespace

TEST_CASE("every invalid scenario reports exactly its expected diagnostics", "[loader][invalid]") {
  const std::vector<fs::path> cases = invalid_cases();
  REQUIRE(cases.size() >= 12);
  for (const fs::path& toml : cases) {
    fs::path expected_file = toml;
    expected_file.replace_extension(".expected");
    INFO("case " << toml.filename().string());
    REQUIRE(fs::exists(expected_file));
    std::vector<std::string> actual;
    for (const Diagnostic& d : diagnostics_of(toml)) actual.push_back(d.format());
    CHECK(actual == lines_of(file_contents(expected_file)));
  }
}

TEST_CASE("every invalid scenario says in its first line what mistake it shows", "[loader][invalid]") {
  for (const fs::path& toml : invalid_cases()) {
    INFO("case " << toml.filename().string());
    CHECK(file_contents(toml).rfind("# Shows: ", 0) == 0);
  }
}

TEST_CASE("five mistakes are five diagnostics in file order", "[loader][invalid]") {
  const std::vector<Diagnostic> found = diagnostics_of(invalid_dir() / "five-mistakes.toml");
  REQUIRE(found.size() == 5);
  CHECK(std::is_sorted(found.begin(), found.end(),
                       [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; }));
  std::vector<std::string> keys;
  for (const Diagnostic& d : found) keys.push_back(d.key);
  CHECK(keys == std::vector<std::string>{"scenario.duraton", "service[0].restart_time", "dependency[0].to",
                                         "monitor[0].metric", "action[0].after"});
}

TEST_CASE("a syntax error is one diagnostic at the parser's position", "[loader][invalid]") {
  const std::vector<Diagnostic> found = diagnostics_of(invalid_dir() / "syntax-error.toml");
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 16);
  CHECK(found[0].column > 0);
  CHECK(found[0].key.empty());
}
