// `faultline sweep` and `faultline compare` end to end: files, notes and exit codes.
#include "support/cli_sandbox.hpp"
#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;
using Catch::Contains;

using namespace faultline::testing;

namespace {

const std::string kData = std::string(FAULTLINE_SOURCE_DIR) + "/tests/data/experiments/";

std::size_t line_count(const std::string& text) { return std::size_t(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_CASE("cli: sweep writes out/<name>/sweep-<tag>.csv for a grid and resumes it", "[cli][experiment]") {
  CliSandbox cli;
  const std::string args = "sweep " + kData + "single-zone.toml --runs 2 --param traffic.rate=10,20 --jobs 2";
  const CliResult first = cli.run(args);
  REQUIRE(first.exit_code == 0);
  const std::string prefix = "wrote out/redundancy-single-zone/sweep-";
  const auto at = first.err.find(prefix);
  REQUIRE(at != std::string::npos);
  const std::string file = first.err.substr(at + 6, prefix.size() - 6 + 8 + 4);  // out/.../sweep-<8 hex>.csv
  CHECK(file.ends_with(".csv"));
  CHECK_THAT(first.err, Contains(file + ": 4 runs, 0 of them resumed"));
  const fs::path csv = cli.dir() / file;
  CHECK(line_count(file_contents(csv)) == 1 + 4);
  CHECK_THAT(first.out, Contains("traffic.rate"));
  CHECK(first.err.find("run 1/4") == std::string::npos);  // no progress line when stderr is not a terminal

  const CliResult again = cli.run(args);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.err, Contains("4 runs, 4 of them resumed"));
  CHECK(again.out == first.out);
  CHECK(line_count(file_contents(csv)) == 1 + 4);
}

TEST_CASE("cli: sweep and compare report user errors with exit code 1", "[cli][experiment]") {
  CliSandbox cli;
  const std::string scenario = kData + "single-zone.toml";
  CHECK(cli.run("sweep " + scenario).exit_code == 1);  // --runs is required
  CHECK(cli.run("sweep " + scenario + " --runs 0").exit_code == 1);
  CHECK(cli.run("sweep " + scenario + " --runs 2 --jobs 0").exit_code == 1);
  CHECK(cli.run("sweep " + scenario + " --runs 2 --seed -4").exit_code == 1);

  const CliResult no_equals = cli.run("sweep " + scenario + " --runs 2 --param traffic.rate");
  CHECK(no_equals.exit_code == 1);
  CHECK_THAT(no_equals.err, Contains("expected KEY=V1,V2,..."));

  const CliResult twice = cli.run("sweep " + scenario + " --runs 2 --param traffic.rate=1 --param traffic.rate=2");
  CHECK(twice.exit_code == 1);
  CHECK_THAT(twice.err, Contains("<--param>: error: traffic.rate is given twice"));

  const CliResult bad_value = cli.run("sweep " + scenario + " --runs 1 --param service.api.replicas=1,0");
  CHECK(bad_value.exit_code == 1);
  // A value of the grid is reported against --param, with the point it makes; --set stays --set.
  CHECK_THAT(bad_value.err, Contains("<--param>: error: service.api.replicas") &&
                                Contains("(at the point service.api.replicas=0)"));
  CHECK_THAT(bad_value.err, !Contains("<--set>"));
  const CliResult bad_set =
      cli.run("sweep " + scenario + " --runs 1 --set traffic.rate=-1 --param service.api.replicas=1,2");
  CHECK(bad_set.exit_code == 1);
  CHECK_THAT(bad_set.err, Contains("<--set>: error: traffic.rate"));
  CHECK_THAT(bad_set.err, !Contains("<--param>"));
  CHECK_FALSE(fs::exists(cli.dir() / "out"));  // nothing ran

  const CliResult missing = cli.run("compare " + scenario + " " + kData + "no-such-design.toml");
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Contains("no-such-design.toml: error: cannot read file"));
  CHECK(cli.run("compare " + scenario + " " + scenario + " --runs 1").exit_code == 1);

  // A file of another sweep is refused rather than mixed in.
  REQUIRE(cli.run("sweep " + scenario + " --runs 1 --out mixed.csv").exit_code == 0);
  const CliResult mixed = cli.run("sweep " + scenario + " --runs 1 --param traffic.rate=5 --out mixed.csv");
  CHECK(mixed.exit_code == 1);
  CHECK_THAT(mixed.err, Contains("cannot resume mixed.csv"));
}

TEST_CASE("cli: compare prints every metric with its interval and verdict", "[cli][experiment]") {
  CliSandbox cli;
  const CliResult r =
      cli.run("compare " + kData + "single-zone.toml " + kData + "three-zones.toml --runs 6 --jobs 2 --seed 300");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("6 runs of each on seeds 300..305"));
  CHECK_THAT(r.out, Contains("B - A [95% CI]"));
  std::istringstream lines(r.out);
  bool saw_availability = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("availability ", 0) != 0) continue;
    saw_availability = true;
    CHECK_THAT(line, Contains("B better"));
  }
  CHECK(saw_availability);
  const fs::path csv = cli.dir() / "out" / "redundancy-single-zone-vs-redundancy-three-zones" / "compare.csv";
  CHECK(line_count(file_contents(csv)) == 1 + 12);
}

namespace {

// Runs `faultline compare` on two bundled examples and returns each metric's line, by metric name.
std::map<std::string, std::string> compare_bundled(const std::string& a, const std::string& b) {
  CliSandbox cli;
  const std::string scenarios = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/";
  const CliResult r = cli.run("compare " + scenarios + a + ".toml " + scenarios + b + ".toml --runs 4 --jobs 2");
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::string> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) out[line.substr(0, line.find(' '))] = line;
  return out;
}

}  // namespace

TEST_CASE("cli: compare of the tenant-deletion pair says more restore streams recover sooner", "[cli][experiment]") {
  const auto lines = compare_bundled("tenant-deletion-restore", "tenant-deletion-restore-parallel");
  for (const char* metric : {"ttr", "recovery_span", "user_minutes_lost", "availability"})
    CHECK_THAT(lines.at(metric), Contains("B better"));
  // The same detection and diagnosis: the restore's parallelism is the only difference.
  for (const char* metric : {"ttd", "diagnosis_span"}) CHECK_THAT(lines.at(metric), Contains("no difference"));
}

TEST_CASE("cli: compare of the blind-monitoring pair says the independent pipeline detects sooner", "[cli][experiment]") {
  const auto lines = compare_bundled("blind-monitoring-user-reports", "blind-monitoring-independent-pipeline");
  for (const char* metric : {"ttd", "ttr", "detection_span", "users_affected"})
    CHECK_THAT(lines.at(metric), Contains("B better"));
}

TEST_CASE("cli: compare of the divergent-writes pair says the longer hold-down loses no write", "[cli][experiment]") {
  const auto lines = compare_bundled("partition-failover-divergent-writes",
                                     "partition-failover-divergent-writes-longer-hold-down");
  for (const char* metric : {"writes_lost", "read_only", "availability", "users_affected", "incidents"})
    CHECK_THAT(lines.at(metric), Contains("B better"));
}

TEST_CASE("cli: compare of the SSO rollback pair says a deploy system with its own sign-in mitigates sooner",
          "[cli][experiment]") {
  const auto lines = compare_bundled("rollback-needs-broken-sso", "rollback-needs-broken-sso-break-glass");
  for (const char* metric : {"ttm", "ttr", "mitigation_span", "user_minutes_lost", "availability"})
    CHECK_THAT(lines.at(metric), Contains("B better"));
  for (const char* metric : {"ttd", "diagnosis_span"}) CHECK_THAT(lines.at(metric), Contains("no difference"));
}

TEST_CASE("cli: compare of the poisoned-cache pair says the flush recovers sooner", "[cli][experiment]") {
  const auto lines = compare_bundled("poisoned-cache-outlives-rollback", "poisoned-cache-outlives-rollback-flushed");
  for (const char* metric : {"ttr", "recovery_span", "user_minutes_lost", "availability"})
    CHECK_THAT(lines.at(metric), Contains("B better"));
  CHECK_THAT(lines.at("ttm"), Contains("no difference"));
}

TEST_CASE("cli: compare of the bad-config pair says the rollback zone by zone recovers later", "[cli][experiment]") {
  const auto lines = compare_bundled("bad-config-rollout", "bad-config-rollback-by-zone");
  for (const char* metric : {"ttr", "recovery_span", "feature.playlists.availability", "user_minutes_lost"})
    CHECK_THAT(lines.at(metric), Contains("A better"));
  // The same detection and the same moment of action: only the rollback's pace differs.
  for (const char* metric : {"ttd", "ttm", "feature.play.availability"}) CHECK_THAT(lines.at(metric), Contains("no difference"));
}

TEST_CASE("cli: compare of the backlog pair says the paced replay avoids the second outage", "[cli][experiment]") {
  const auto lines = compare_bundled("backlog-replay-overloads", "backlog-replay-paced");
  for (const char* metric : {"ttr", "user_minutes_lost", "availability"}) CHECK_THAT(lines.at(metric), Contains("B better"));
}
