// Where `faultline run` writes its report, and what it refuses to overwrite (issue 13, item 1): a
// variant of a scenario never lands on the baseline's files, and a folder is checked before simulating.
#include "support/cli_sandbox.hpp"
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace fs = std::filesystem;
using Catch::Contains;

using namespace faultline::testing;

namespace {

const std::string kMinimal = std::string(FAULTLINE_SOURCE_DIR) + "/tests/data/cli/minimal.toml";

nlohmann::json provenance(const fs::path& dir) {
  return nlohmann::json::parse(file_contents(dir / "report.json"))["provenance"];
}

// "<prefix>" followed by eight hex digits.
bool tagged(const std::string& name, const std::string& prefix) {
  return name.size() == prefix.size() + 8 && name.starts_with(prefix) &&
         std::all_of(name.begin() + std::ptrdiff_t(prefix.size()), name.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) && !std::isupper(c); });
}

std::vector<std::string> folders(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("cli: a run with overrides or another seed gets a folder of its own", "[cli][simulation]") {
  CliSandbox cli;
  REQUIRE(cli.run("run " + kMinimal + " --quiet").exit_code == 0);
  const std::string baseline = file_contents(cli.dir() / "out/cli-minimal/report.json");

  const CliResult set = cli.run("run " + kMinimal + " --set traffic.rate=5 --quiet");
  REQUIRE(set.exit_code == 0);
  CHECK_THAT(set.out, Contains("traffic.rate=5"));
  REQUIRE(cli.run("run " + kMinimal + " --seed 8 --quiet").exit_code == 0);
  REQUIRE(cli.run("run " + kMinimal + " --set traffic.rate=5 --seed 8 --quiet").exit_code == 0);

  const std::vector<std::string> made = folders(cli.dir() / "out");
  REQUIRE(made.size() == 4);
  CHECK(made[0] == "cli-minimal");
  CHECK(made[1] == "cli-minimal--seed-8");
  CHECK(tagged(made[2], "cli-minimal--set-"));
  CHECK(made[3] == made[2] + "--seed-8");
  CHECK(file_contents(cli.dir() / "out/cli-minimal/report.json") == baseline);  // untouched
  CHECK(provenance(cli.dir() / "out" / made[2])["overrides"]["traffic.rate"] == "5");
  CHECK(provenance(cli.dir() / "out" / made[1])["seed"] == 8);

  // The same run again replaces its own files, whatever the tag.
  CHECK(cli.run("run " + kMinimal + " --set traffic.rate=5 --quiet").exit_code == 0);
  CHECK(folders(cli.dir() / "out").size() == 4);
}

TEST_CASE("cli: a folder holding another run's report is refused unless --force", "[cli][simulation]") {
  CliSandbox cli;
  REQUIRE(cli.run("run " + kMinimal + " --out r --quiet").exit_code == 0);
  const std::string first = file_contents(cli.dir() / "r/report.json");
  CHECK(cli.run("run " + kMinimal + " --out r --quiet").exit_code == 0);  // the same run: fine

  const CliResult other = cli.run("run " + kMinimal + " --out r --seed 9 --quiet");
  CHECK(other.exit_code == 1);
  CHECK(other.out.empty());  // refused before simulating: no summary
  CHECK_THAT(other.err, Contains("holds the report of another run") && Contains("seed 7") && Contains("seed 9") &&
                            Contains("--force") && Contains("--out DIR"));
  CHECK(file_contents(cli.dir() / "r/report.json") == first);

  const CliResult forced = cli.run("run " + kMinimal + " --out r --seed 9 --force --quiet");
  CHECK(forced.exit_code == 0);
  CHECK(provenance(cli.dir() / "r")["seed"] == 9);
}

TEST_CASE("cli: an unwritable output folder fails before simulating", "[cli]") {
  CliSandbox cli;
  const CliResult r = cli.run("run " + kMinimal + " --out /proc/nope/report");
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());  // no summary: nothing was simulated
  CHECK_THAT(r.err, Contains("cannot") && Contains("/proc"));
  const CliResult file = cli.run("run " + kMinimal + " --out " + kMinimal);
  CHECK(file.exit_code == 1);
  CHECK_THAT(file.err, Contains("it is a file, not a folder"));
}

TEST_CASE("cli: the report is headed by what it is", "[cli][simulation]") {
  CliSandbox cli;
  const CliResult r = cli.run("run " + kMinimal + " --set traffic.rate=5 --out h --quiet");
  REQUIRE(r.exit_code == 0);
  const auto p = provenance(cli.dir() / "h");
  const std::string description = p["scenario_description"];
  REQUIRE_FALSE(description.empty());
  CHECK_THAT(r.out, Contains("about      " + description.substr(0, 20)));
  const std::string html = file_contents(cli.dir() / "h/report.html");
  const std::string header = html.substr(html.find("<header>"), html.find("</header>") - html.find("<header>"));
  CHECK_THAT(header, Contains("cli-minimal") && Contains("seed 7") && Contains("<code>traffic.rate=5</code>") &&
                         Contains(description.substr(0, 20)) && Contains("minimal.toml"));
}

TEST_CASE("cli: two different sweeps do not share a default file", "[cli][simulation]") {
  CliSandbox cli;
  REQUIRE(cli.run("sweep " + kMinimal + " --runs 1 --quiet").exit_code == 0);
  REQUIRE(cli.run("sweep " + kMinimal + " --runs 1 --param traffic.rate=5,10 --quiet").exit_code == 0);
  const CliResult again = cli.run("sweep " + kMinimal + " --runs 1 --param traffic.rate=5,10");
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.err, Contains("2 of them resumed"));  // the same command found its own file
  const std::vector<std::string> files = folders(cli.dir() / "out/cli-minimal");
  REQUIRE(files.size() == 2);
  CHECK(tagged(files[0].substr(0, files[0].size() - 4), "sweep-"));
  CHECK(files[0].ends_with(".csv"));
  CHECK(files[1] == "sweep.csv");
}

TEST_CASE("cli: run --check exits 3 naming each missed SLO and expectation", "[cli][simulation]") {
  CliSandbox cli;
  const std::string expect = std::string(FAULTLINE_SOURCE_DIR) + "/tests/data/cli/expect.toml";
  const CliResult plain = cli.run("run " + expect + " --out a --quiet");
  CHECK(plain.exit_code == 0);  // without --check a missed expectation is reported, not fatal
  CHECK_THAT(plain.out, Contains("checks: 2 of 3 MISSED") && Contains("incidents 1, at most 1: met"));

  const CliResult gate = cli.run("run " + expect + " --out b --check --quiet");
  CHECK(gate.exit_code == 3);
  CHECK_THAT(gate.err, Contains("check failed: 2 of 3 missed") &&
                           Contains("feature.play.availability 63.9") && Contains("(its SLO): MISSED") &&
                           Contains("expect.toml:44: ttr none, at most 01:00: MISSED"));
  CHECK(fs::exists(cli.dir() / "b/report.json"));  // written either way
  const auto report = nlohmann::json::parse(file_contents(cli.dir() / "b/report.json"));
  REQUIRE(report["expectations"].size() == 3);
  CHECK(report["expectations"][1]["metric"] == "ttr");
  CHECK(report["expectations"][1]["met"] == false);
  CHECK(report["expectations"][2]["met"] == true);
  CHECK_THAT(file_contents(cli.dir() / "b/report.html"), Contains("<h2>Checks"));

  const CliResult met = cli.run("run " + expect +
                                " --out c --check --quiet --set feature.play.slo=0.5 --set expect[0].at_most=2h "
                                "--set scenario.duration=30m");
  CHECK(met.exit_code == 0);
  CHECK_THAT(met.out, Contains("checks: all 3 met"));
}
