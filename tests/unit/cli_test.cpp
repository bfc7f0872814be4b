// The faultline binary end to end: arguments, output and exit codes (0 ok, 1 user error, 2 bug).
#include "support/cli_sandbox.hpp"
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;
using Catch::Contains;

using namespace faultline::testing;

namespace {

const std::string kData = std::string(FAULTLINE_SOURCE_DIR) + "/tests/data/cli/";

}  // namespace

TEST_CASE("cli: validate prints OK for a valid scenario", "[cli]") {
  CliSandbox cli;
  const CliResult r = cli.run("validate " + kData + "minimal.toml");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "OK\n");
}

TEST_CASE("cli: validate prints every diagnostic on stdout, one per line, and exits 1", "[cli]") {
  CliSandbox cli;
  const CliResult r = cli.run("validate " + kData + "two-mistakes.toml");
  CHECK(r.exit_code == 1);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 2);
  const std::regex diagnostic(R"(^.*two-mistakes\.toml:[0-9]+:[0-9]+: error: .+)");
  for (const std::string& line : lines) CHECK(std::regex_match(line, diagnostic));
  CHECK_THAT(lines[0], Contains("service[0]") && Contains("wokers"));
  CHECK_THAT(lines[1], Contains("dependency[0].to") && Contains("storag"));
}

TEST_CASE("cli: validate applies --set overrides and reports a bad one", "[cli]") {
  CliSandbox cli;
  CHECK(cli.run("validate " + kData + "minimal.toml --set scenario.duration=5m").out == "OK\n");
  const CliResult bad = cli.run("validate " + kData + "minimal.toml --set service.nosuch.replicas=3");
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.out, Contains("<--set>"));
}

TEST_CASE("cli: a missing scenario file is a user error", "[cli]") {
  CliSandbox cli;
  const CliResult validate = cli.run("validate no-such-file.toml");
  CHECK(validate.exit_code == 1);
  CHECK_THAT(validate.out, Contains("no-such-file.toml") && Contains("cannot read"));
  const CliResult run = cli.run("run no-such-file.toml");
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Contains("no-such-file.toml") && Contains("cannot read"));
  CHECK(run.out.empty());
  CHECK(cli.run("graph no-such-file.toml").exit_code == 1);
}

TEST_CASE("cli: bad arguments are a user error", "[cli]") {
  CliSandbox cli;
  CHECK(cli.run("").exit_code == 1);
  CHECK(cli.run("frobnicate").exit_code == 1);
  CHECK(cli.run("validate " + kData + "minimal.toml --bogus").exit_code == 1);
  CHECK(cli.run("validate").exit_code == 1);
  CHECK(cli.run("run " + kData + "minimal.toml --format xml").exit_code == 1);
  CHECK(cli.run("run " + kData + "minimal.toml --seed -4").exit_code == 1);
  CHECK(cli.run("run " + kData + "minimal.toml --seed 18446744073709551616").exit_code == 1);
  const CliResult set = cli.run("run " + kData + "minimal.toml --set no-equals-sign");
  CHECK(set.exit_code == 1);
  CHECK_THAT(set.err, Contains("KEY=VALUE"));
  CHECK_FALSE(fs::exists(cli.dir() / "out"));
}

TEST_CASE("cli: --version and --help exit 0", "[cli]") {
  CliSandbox cli;
  const CliResult version = cli.run("--version");
  CHECK(version.exit_code == 0);
  CHECK(version.out == std::string("faultline ") + FAULTLINE_VERSION + "\n");
  const CliResult help = cli.run("--help");
  CHECK(help.exit_code == 0);
  for (const char* command : {"run", "validate", "graph", "demo", "schema"}) CHECK_THAT(help.out, Contains(command));
}

TEST_CASE("cli: schema prints the scenario reference", "[cli]") {
  CliSandbox cli;
  const CliResult r = cli.run("schema");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("schema_version") && Contains("replicas"));
}

TEST_CASE("cli: graph prints the analysis and writes DOT with --dot", "[cli]") {
  CliSandbox cli;
  const CliResult r = cli.run("graph " + kData + "minimal.toml --dot graph.dot");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("play") && Contains("storage"));
  CHECK_THAT(r.err, Contains("wrote graph.dot"));
  CHECK_THAT(file_contents(cli.dir() / "graph.dot"), Contains("digraph"));
  const CliResult unwritable = cli.run("graph " + kData + "minimal.toml --dot no-such-dir/graph.dot");
  CHECK(unwritable.exit_code == 1);
  CHECK_THAT(unwritable.err, Contains("no-such-dir/graph.dot"));
}

// ---- these run the simulation (engine/simulation + engine/model) ------------------------------------

TEST_CASE("cli: run prints the summary and writes the three report files", "[cli][simulation]") {
  CliSandbox cli;
  const CliResult r = cli.run("run " + kData + "minimal.toml --seed 3 --out reports/a");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("scenario cli-minimal") && Contains("seed 3") && Contains("play"));
  CHECK_THAT(r.err, Contains("wrote reports/a/report.json, reports/a/timeline.csv, reports/a/report.html"));
  // stderr is not a terminal here: no progress line.
  CHECK_THAT(r.err, !Contains("simulating"));
  const auto report = nlohmann::json::parse(file_contents(cli.dir() / "reports/a/report.json"));
  CHECK(report["provenance"]["seed"] == 3);
  CHECK(report["provenance"]["scenario_name"] == "cli-minimal");
  CHECK(lines_of(file_contents(cli.dir() / "reports/a/timeline.csv"))[0] ==
        "t_start,t_end,kind,name,requests,ok,degraded,failed,availability,ejected,circuit_open,replicas");
  CHECK_THAT(file_contents(cli.dir() / "reports/a/report.html"), Contains("<svg"));
}

TEST_CASE("cli: run is deterministic and --format json prints the report.json it writes", "[cli][simulation]") {
  CliSandbox cli;
  const CliResult first = cli.run("run " + kData + "minimal.toml --format json --out a");
  const CliResult second = cli.run("run " + kData + "minimal.toml --format json --out b --quiet");
  REQUIRE(first.exit_code == 0);
  REQUIRE(second.exit_code == 0);
  CHECK(first.out == file_contents(cli.dir() / "a/report.json"));
  CHECK(file_contents(cli.dir() / "a/report.json") == file_contents(cli.dir() / "b/report.json"));
  CHECK(second.err.empty());
  CHECK(nlohmann::json::parse(first.out)["provenance"]["seed"] == 7);  // the scenario's seed
}

TEST_CASE("cli: run writes to out/<scenario name> by default and applies --set", "[cli][simulation]") {
  CliSandbox cli;
  const CliResult r = cli.run("run " + kData + "minimal.toml --set traffic.rate=5 --quiet");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("traffic.rate=5"));
  CHECK(fs::exists(cli.dir() / "out/cli-minimal/report.json"));
}

TEST_CASE("cli: demo runs the bundled scenario", "[cli][simulation]") {
  CliSandbox cli;
  const CliResult r = cli.run("demo --out demo --quiet");
  REQUIRE(r.exit_code == 0);
  const auto report = nlohmann::json::parse(file_contents(cli.dir() / "demo/report.json"));
  CHECK(report["provenance"]["scenario_origin"] == "<embedded>/spotify-2022-03-08.toml");
}
