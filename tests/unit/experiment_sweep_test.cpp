// Sweeps end to end: plans, runs in parallel, the CSV file written as runs end and resumed after an
// interruption. Every run is a forked child (simulate_isolated); the scenarios are tiny.
#include "support/cli_sandbox.hpp"
#include "experiment/comparison.hpp"
#include "experiment/sweep.hpp"
#include "experiment/sweep_csv.hpp"
#include "io/loader.hpp"
#include "io/report_files.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace faultline;
namespace fs = std::filesystem;

using namespace faultline::testing;

namespace {

const std::string kSingleZone = std::string(FAULTLINE_SOURCE_DIR) + "/tests/data/experiments/single-zone.toml";
const std::string kThreeZones = std::string(FAULTLINE_SOURCE_DIR) + "/tests/data/experiments/three-zones.toml";

ScenarioLoader from_file(const std::string& path) {
  return [path](const Overrides& o) { return load_scenario_file(path, o); };
}

// Two points (the api in one zone or in three) x 3 runs.
SweepPlan six_run_plan() {
  const ParameterGrid grid({parse_parameter(R"(service.api.zones=["zone-a"],["zone-a","zone-b","zone-c"])")});
  return plan_sweep(from_file(kSingleZone), {{"service.api.replicas", "3"}}, grid, 3);
}

// The data rows in (point, run) order: the order rows finish in is not part of the result.
std::vector<std::string> sorted_rows(const std::string& path) {
  std::vector<std::string> rows = lines_of(file_contents(path));
  REQUIRE(!rows.empty());
  rows.erase(rows.begin());
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

TEST_CASE("experiment: run_metrics gives the columns metric_names announces", "[experiment][sweep]") {
  const Scenario s = load_scenario_file(kSingleZone);
  Report r;
  r.provenance.seed = 42;
  r.summary.requests = {1000, 900, 250, 100};  // requests, ok, degraded, failed
  r.summary.users_affected = 70;
  r.summary.sessions_lost = 3;
  r.summary.service_calls = 12345;
  for (const Feature& f : s.features) {
    Series series;
    series.name = f.name;
    series.total = {500, 450, f.name == "play" ? 200u : 50u, 50};
    r.features.push_back(series);
  }
  r.incident.impact_start = 120;
  r.incident.recovered = 300;
  r.incidents = {r.incident, r.incident};

  const RunMetrics m = run_metrics(r);
  std::vector<std::string> names;
  for (const MetricValue& v : m.metrics) names.push_back(v.name);
  CHECK(names == metric_names(s));
  CHECK(names.front() == "availability");
  CHECK(names[1] == "feature.play.availability");
  CHECK(names[2] == "feature.search.availability");
  CHECK(m.seed == 42);
  CHECK(m["availability"] == 0.9);
  CHECK(names[3] == "degraded");
  CHECK(m["degraded"] == 0.25);
  CHECK(m["feature.play.degraded"] == 0.4);
  CHECK(m["feature.search.degraded"] == 0.1);
  CHECK(m["requests"] == 1000);
  CHECK(m["users_affected"] == 70);
  CHECK(m["sessions_lost"] == 3);
  CHECK(m["ttr"] == 180);
  CHECK(m["recovered"] == 300);
  CHECK(m["service_calls"] == 12345);
  CHECK(m["incidents"] == 2);
  CHECK(std::isnan(m["ttd"]));  // never detected: NaN, not 0
  CHECK(std::isnan(m["detected"]));
  CHECK(std::isnan(m["no-such-metric"]));
}

TEST_CASE("experiment: a sweep plan numbers points and seeds deterministically", "[experiment][sweep]") {
  const SweepPlan plan = six_run_plan();
  REQUIRE(plan.points.size() == 2);
  CHECK(plan.size() == 6);
  CHECK(plan.label_columns == std::vector<std::string>{"service.api.zones"});
  CHECK(plan.points[0].labels == std::vector<std::string>{R"(["zone-a"])"});
  CHECK(plan.points[1].scenario.overrides.at("service.api.replicas") == "3");
  CHECK(plan.points[0].base_seed == 100);  // the scenario's seed
  CHECK(plan.points[0].config_hash != plan.points[1].config_hash);
  const PlannedRun fifth = plan.run(4);
  CHECK(fifth.point == 1);
  CHECK(fifth.replicate == 1);
  CHECK(fifth.seed == 101);

  const SweepPlan seeded = plan_sweep(from_file(kSingleZone), {}, ParameterGrid(), 2, 7);
  CHECK(seeded.points.size() == 1);
  CHECK(seeded.run(1).seed == 8);
  CHECK(seeded.label_columns.empty());
}

TEST_CASE("experiment: every point's mistakes are reported together, each once", "[experiment][sweep]") {
  const ParameterGrid grid({parse_parameter("service.api.replicas=0,1,-2"), parse_parameter("traffic.rate=5,6")});
  try {
    plan_sweep(from_file(kSingleZone), {}, grid, 1);
    FAIL("expected a ScenarioError");
  } catch (const ScenarioError& e) {
    // replicas 0 and -2, each in two points (rate 5 and 6): two distinct diagnostics.
    REQUIRE(e.diagnostics().size() == 2);
    for (const Diagnostic& d : e.diagnostics()) CHECK(d.key == "service.api.replicas");
  }
}

TEST_CASE("experiment: a parallel sweep gives the sequential sweep's rows", "[experiment][sweep]") {
  const SweepPlan plan = six_run_plan();
  ScratchDir dir;
  const SweepOutcome sequential = run_sweep_into_csv(plan, dir.file("sequential.csv"), 1);
  const SweepOutcome parallel = run_sweep_into_csv(plan, dir.file("parallel.csv"), 3);
  CHECK(sequential.runs.size() == 6);
  CHECK(parallel.resumed == 0);
  CHECK(sorted_rows(dir.file("sequential.csv")) == sorted_rows(dir.file("parallel.csv")));
  // The outcome is in plan order, whatever order the runs finished in.
  for (std::size_t i = 0; i < parallel.runs.size(); ++i) {
    CHECK(parallel.runs[i].planned.point == i / 3);
    CHECK(parallel.runs[i].planned.replicate == i % 3);
    CHECK(parallel.runs[i].metrics.seed == 100 + i % 3);
  }
  // The two designs do differ: the rows are not all the same numbers.
  CHECK(sequential.runs[0].metrics["availability"] != sequential.runs[3].metrics["availability"]);
}

TEST_CASE("experiment: an interrupted sweep resumes where it stopped", "[experiment][sweep]") {
  const SweepPlan plan = six_run_plan();
  ScratchDir dir;
  const std::string whole = dir.file("whole.csv"), cut = dir.file("nested/cut.csv");
  run_sweep_into_csv(plan, whole, 2);
  const std::vector<std::string> lines = lines_of(file_contents(whole));
  REQUIRE(lines.size() == 7);
  CHECK(lines[0] == sweep_csv_header(plan));

  // What a crash leaves: the header, two complete rows, half of the third.
  fs::create_directories(fs::path(cut).parent_path());
  {
    std::ofstream out(cut, std::ios::binary);
    out << lines[0] << "\n" << lines[1] << "\n" << lines[2] << "\n" << lines[3].substr(0, lines[3].size() / 2);
  }
  std::vector<std::size_t> progress;
  const SweepOutcome resumed = run_sweep_into_csv(plan, cut, 2, [&](std::size_t done) { progress.push_back(done); });
  CHECK(resumed.resumed == 2);
  CHECK(resumed.runs.size() == 6);
  CHECK(progress == std::vector<std::size_t>{2, 3, 4, 5, 6});
  const std::vector<std::string> cut_lines = lines_of(file_contents(cut));
  CHECK(cut_lines.size() == 7);  // the half row is gone, not kept beside its complete twin
  CHECK(sorted_rows(cut) == sorted_rows(whole));

  // Runs read back from the file carry the numbers the runs produced.
  const SweepOutcome again = run_sweep_into_csv(plan, cut, 2);
  CHECK(again.resumed == 6);
  REQUIRE(again.runs.size() == 6);
  const SweepOutcome fresh = run_sweep_into_csv(plan, dir.file("fresh.csv"), 2);
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(again.runs[i].metrics.seed == fresh.runs[i].metrics.seed);
    REQUIRE(again.runs[i].metrics.metrics.size() == fresh.runs[i].metrics.metrics.size());
    for (std::size_t m = 0; m < fresh.runs[i].metrics.metrics.size(); ++m) {
      const MetricValue &x = again.runs[i].metrics.metrics[m], &y = fresh.runs[i].metrics.metrics[m];
      CHECK(x.name == y.name);
      CHECK((x.value == y.value || (std::isnan(x.value) && std::isnan(y.value))));
    }
  }
}

TEST_CASE("experiment: more runs later only adds the missing ones", "[experiment][sweep]") {
  ScratchDir dir;
  const std::string path = dir.file("grow.csv");
  run_sweep_into_csv(plan_sweep(from_file(kSingleZone), {}, ParameterGrid(), 2), path, 1);
  const SweepOutcome grown = run_sweep_into_csv(plan_sweep(from_file(kSingleZone), {}, ParameterGrid(), 4), path, 2);
  CHECK(grown.resumed == 2);
  CHECK(lines_of(file_contents(path)).size() == 5);
  // Fewer runs than the file holds: the extra rows stay, and nothing is run.
  const SweepOutcome fewer = run_sweep_into_csv(plan_sweep(from_file(kSingleZone), {}, ParameterGrid(), 1), path, 1);
  CHECK(fewer.resumed == 1);
  CHECK(fewer.runs.size() == 1);
  CHECK(lines_of(file_contents(path)).size() == 5);
}

TEST_CASE("experiment: a file of another sweep is refused, not mixed", "[experiment][sweep]") {
  ScratchDir dir;
  const std::string path = dir.file("other.csv");
  run_sweep_into_csv(plan_sweep(from_file(kSingleZone), {}, ParameterGrid(), 1), path, 1);
  const std::string before = file_contents(path);

  SECTION("other columns") {
    const ParameterGrid grid({parse_parameter("traffic.rate=10,20")});
    CHECK_THROWS_WITH(run_sweep_into_csv(plan_sweep(from_file(kSingleZone), {}, grid, 1), path, 1),
                      Catch::Contains("its columns are not this sweep's"));
  }
  SECTION("another version of the scenario") {
    CHECK_THROWS_WITH(
        run_sweep_into_csv(plan_sweep(from_file(kSingleZone), {{"traffic.rate", "30"}}, ParameterGrid(), 1), path, 1),
        Catch::Contains("another version of the scenario"));
  }
  SECTION("another base seed") {
    CHECK_THROWS_AS(run_sweep_into_csv(plan_sweep(from_file(kSingleZone), {}, ParameterGrid(), 1, 5), path, 1),
                    FileWriteError);
  }
  CHECK(file_contents(path) == before);
}

TEST_CASE("experiment: the more redundant design wins the comparison", "[experiment][compare]") {
  const Comparison c = compare_designs(load_scenario_file(kSingleZone), load_scenario_file(kThreeZones), 8, 2);
  REQUIRE(c.a.size() == 8);
  REQUIRE(c.b.size() == 8);
  for (std::size_t i = 0; i < 8; ++i) CHECK(c.a[i].seed == c.b[i].seed);
  for (const MetricComparison& m : c.metrics)
    if (m.metric == "availability") CHECK(m.verdict == Verdict::b_better);

  // A and A: every metric identical in every pair.
  const Comparison same = compare_designs(load_scenario_file(kSingleZone), load_scenario_file(kSingleZone), 3, 2);
  for (const MetricComparison& m : same.metrics)
    CHECK((m.verdict == Verdict::no_difference || m.verdict == Verdict::not_available));
}

TEST_CASE("experiment: a comparison's rows resume like a sweep's", "[experiment][compare]") {
  ScratchDir dir;
  const SweepPlan plan = plan_comparison(load_scenario_file(kSingleZone), load_scenario_file(kThreeZones), 3, 11);
  CHECK(plan.label_columns == std::vector<std::string>{"design"});
  CHECK(plan.run(0).seed == 11);
  CHECK(plan.run(3).seed == 11);  // B runs on A's seeds
  const SweepOutcome first = run_sweep_into_csv(plan, dir.file("compare.csv"), 2);
  const SweepOutcome second = run_sweep_into_csv(plan, dir.file("compare.csv"), 2);
  CHECK(second.resumed == 6);
  const Comparison x = compare_finished_runs(first.runs), y = compare_finished_runs(second.runs);
  REQUIRE(x.metrics.size() == y.metrics.size());
  for (std::size_t i = 0; i < x.metrics.size(); ++i) CHECK(x.metrics[i].verdict == y.metrics[i].verdict);
}

TEST_CASE("experiment: a failing run stops the sweep and keeps the rows already written", "[experiment][sweep]") {
  const SweepPlan plan = six_run_plan();
  std::size_t reported = 0;
  SweepCallbacks callbacks;
  callbacks.on_finished = [&](const FinishedRun&) {
    if (++reported == 2) throw FileWriteError("disk full");
  };
  CHECK_THROWS_WITH(run_sweep(plan, all_runs(plan), 2, callbacks), "disk full");
  CHECK(reported == 2);  // no callback after the one that failed

  SweepCallbacks interrupted;
  interrupted.poll = [] { throw std::runtime_error("interrupted"); };
  CHECK_THROWS_WITH(run_sweep(plan, all_runs(plan), 2, interrupted), "interrupted");
}
