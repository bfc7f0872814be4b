// Each scenarios/invalid/<case>.toml shows one kind of mistake; <case>.expected pins every diagnostic
// it must produce, with line, column and key path.
#include "support/text_files.hpp"
#include "io/loader.hpp"
#include "io/table_reader.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

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
  CHECK(keys == std::vector<std::string>{"scenario.duraton", "service.auth.restart_time", "dependency.playback->auht.to",
                                         "monitor.play-down.metric", "action[0].after"});
}

TEST_CASE("a syntax error is one diagnostic at the parser's position", "[loader][invalid]") {
  const std::vector<Diagnostic> found = diagnostics_of(invalid_dir() / "syntax-error.toml");
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 16);
  CHECK(found[0].column > 0);
  CHECK(found[0].key.empty());
}

TEST_CASE("a list of known names stays short whatever the file holds", "[loader][invalid]") {
  CHECK(known_list({}) == "(none)");
  CHECK(known_list({"a", "b"}) == "a, b");
  std::vector<std::string> many;
  for (int i = 0; i < 25; ++i) many.push_back(fmt::format("s{}", i));  // not "s" + to_string: GCC 12 warns falsely
  const std::string shown = known_list(many);
  CHECK(shown.find("s19") != std::string::npos);
  CHECK(shown.find("s20") == std::string::npos);
  CHECK(shown.substr(shown.size() - 11) == " and 5 more");
  const std::string huge(10 << 20, 'x');
  CHECK(known_list({huge, "b"}) == std::string(64, 'x') + "..., b");
}

TEST_CASE("a graph with more hard cycles than are listed says the list stopped", "[loader][invalid]") {
  // Eight services all hard-depending on each other: thousands of cycles, 100 listed.
  std::string text = "schema_version = 1\n[scenario]\nname = \"dense\"\n[[zone]]\nname = \"a\"\nregion = \"r\"\n";
  for (int i = 0; i < 8; ++i) text += "[[service]]\nname = \"s" + std::to_string(i) + "\"\n";
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 8; ++j)
      if (i != j) text += "[[dependency]]\nfrom = \"s" + std::to_string(i) + "\"\nto = \"s" + std::to_string(j) + "\"\n";
  text += "[[feature]]\nname = \"f\"\nentry = \"s0\"\nshare = 1\n";
  try {
    load_scenario_text(text, "dense.toml");
    FAIL("a cyclic graph loaded");
  } catch (const ScenarioError& e) {
    const std::vector<Diagnostic>& d = e.diagnostics();
    REQUIRE(d.size() == 101);
    CHECK(d.back().message == "the search for hard dependency cycles stopped after 100; there may be more");
    CHECK(d.back().line > 0);
  }
}
