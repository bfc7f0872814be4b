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

TEST_CASE("cli: validate prints every diagnostic on stderr, as run does, one per line, and exits 1", "[cli]") {
  CliSandbox cli;
  const CliResult r = cli.run("validate " + kData + "two-mistakes.toml");
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  const auto lines = lines_of(r.err);
  const CliResult run = cli.run("run " + kData + "two-mistakes.toml");
  CHECK(run.exit_code == 1);
  CHECK(lines_of(run.err) == lines);
  REQUIRE(lines.size() == 2);
  const std::regex diagnostic(R"(^.*two-mistakes\.toml:[0-9]+:[0-9]+: error: .+)");
  for (const std::string& line : lines) CHECK(std::regex_match(line, diagnostic));
  CHECK_THAT(lines[0], Contains("service.frontend.wokers") && Contains("wokers"));
  CHECK_THAT(lines[1], Contains("dependency.frontend->storag.to") && Contains("storag"));
}

TEST_CASE("cli: validate and run print warnings with positions, and --strict makes them errors", "[cli]") {
  CliSandbox cli;
  const std::string warned = kData + "warned.toml";
  const CliResult v = cli.run("validate " + warned);
  CHECK(v.exit_code == 0);
  CHECK(v.out == "OK, with 2 warning(s)\n");
  const auto lines = lines_of(v.err);
  REQUIRE(lines.size() == 2);
  const std::regex warning(R"(^.*warned\.toml:[0-9]+:[0-9]+: warning: .+)");
  for (const std::string& line : lines) CHECK(std::regex_match(line, warning));
  CHECK_THAT(lines[0], Contains("monitor.always.below") && Contains("always true"));
  CHECK_THAT(lines[1], Contains("action.too-late.delay") && Contains("never happens"));

  const CliResult strict = cli.run("validate " + warned + " --strict");
  CHECK(strict.exit_code == 1);
  CHECK_THAT(strict.err, Contains("--strict treats them as errors"));

  // run prints them before simulating, even with --quiet; --strict refuses to run.
  const CliResult refused = cli.run("run " + warned + " --strict --quiet");
  CHECK(refused.exit_code == 1);
  CHECK(refused.out.empty());
  CHECK_FALSE(fs::exists(cli.dir() / "out"));
  CHECK(lines_of(refused.err).size() == 3);
  CHECK(cli.run("validate " + kData + "minimal.toml --strict").out == "OK\n");
}

TEST_CASE("cli: validate applies --set overrides and reports a bad one", "[cli]") {
  CliSandbox cli;
  CHECK(cli.run("validate " + kData + "minimal.toml --set scenario.duration=5m").out == "OK\n");
  const CliResult bad = cli.run("validate " + kData + "minimal.toml --set service.nosuch.replicas=3");
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Contains("<--set>"));
}

TEST_CASE("cli: a missing scenario file is a user error", "[cli]") {
  CliSandbox cli;
  const CliResult validate = cli.run("validate no-such-file.toml");
  CHECK(validate.exit_code == 1);
  CHECK_THAT(validate.err, Contains("no-such-file.toml") && Contains("cannot read"));
  const CliResult run = cli.run("run no-such-file.toml");
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Contains("no-such-file.toml") && Contains("cannot read"));
  CHECK(run.out.empty());
  CHECK(cli.run("graph no-such-file.toml").exit_code == 1);
}

TEST_CASE("cli: bad arguments are a user error", "[cli]") {
  CliSandbox cli;
  CHECK(cli.run("").exit_code == 1);
  const CliResult unknown = cli.run("frobnicate");
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.err, Contains("unknown command 'frobnicate'") && Contains("run, validate"));
  CHECK_THAT(unknown.err, !Contains("A subcommand is required"));
  CHECK_THAT(cli.run("valdate x.toml").err, Contains("did you mean 'validate'?"));
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
        "t_start,t_end,kind,name,requests,ok,degraded,failed,availability,ejected,circuit_open,replicas,"
        "p50,p99,p50_all,p99_all,queue,served,throughput,wasted,wasted_work");
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


TEST_CASE("cli: demo runs the bundled scenario", "[cli][simulation]") {
  CliSandbox cli;
  const CliResult r = cli.run("demo --out demo --quiet");
  REQUIRE(r.exit_code == 0);
  const auto report = nlohmann::json::parse(file_contents(cli.dir() / "demo/report.json"));
  CHECK(report["provenance"]["scenario_origin"] == "<embedded>/spotify-2022-03-08.toml");
}
