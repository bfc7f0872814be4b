// Where `faultline run` writes its report, and what it refuses to overwrite (issue 13, item 1): a
// variant of a scenario never lands on the baseline's files, and a folder is checked before simulating.
#include "support/cli_sandbox.hpp"
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <regex>

namespace fs = std::filesystem;
using Catch::Contains;

using namespace faultline::testing;

namespace {

const std::string kMinimal = std::string(FAULTLINE_SOURCE_DIR) + "/tests/data/cli/minimal.toml";

nlohmann::json provenance(const fs::path& dir) {
  return nlohmann::json::parse(file_contents(dir / "report.json"))["provenance"];
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
  CHECK(std::regex_match(made[2], std::regex("cli-minimal--set-[0-9a-f]{8}")));
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
  CHECK(files[0] == "sweep-" + files[0].substr(6, 8) + ".csv");
  CHECK(files[1] == "sweep.csv");
}
