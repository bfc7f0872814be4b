// The benchmark harness: how fast faultline simulates, in CPU seconds of the process that simulates
// (each run in its own process; wall time is printed but never judged: the machines are shared).
//
//   platform    bench/scenarios/large-platform.toml (100 services, 1,008 hosts, 3 regions) at normal
//               load and at overload (the gateway's workers cut and the rate raised until well over
//               10,000 user requests are in flight), for the product and for the naive SimGrid
//               mapping (a pool of worker actors per replica, a mailbox put/get per call);
//   fan-out     bench/scenarios/fan-out.toml, 7 services;
//   scale       generated platforms of 250, 500, 1,000 and 2,000 services (hosts = 10 x services) at
//               the same number of calls: the cost per call and its ratio, 2,000 to 250;
//   replicates  the reference outage, run after run: CPU seconds per replicate;
//   large       (only with --large) 2,000 services, 20,000 hosts, 24 simulated hours at 20 requests/s
//               through the CLI: peak memory with the report written, and the report's sizes;
//   resources   the shared-resource figures (issue 10).
// Each figure that has a target is printed with `met` or `MISSED`.
#include "bench_platforms.hpp"
#include "bench_sections.hpp"
#include "io/loader.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>
#include <set>
#include <string>
#include <vector>

using namespace faultline;

namespace {

// The CLI next to this program (both are built into the same folder).
std::string sibling_cli(const char* argv0) {
  std::string self = argv0;
  const auto slash = self.rfind('/');
  return (slash == std::string::npos ? std::string(".") : self.substr(0, slash)) + "/faultline";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"faultline benchmark: simulated service calls per CPU-second"};
  bench::Options o;
  o.source_dir = FAULTLINE_SOURCE_DIR;
  o.cli = sibling_cli(argv[0]);
  o.bench_path = o.source_dir + "/bench/scenarios/large-platform.toml";
  const std::vector<std::string> every_section = {"platform", "fan-out", "scale", "replicates", "large", "resources"};
  std::vector<std::string> sections;  // every one but `large`, unless some are named
  for (const std::string& name : every_section)
    if (name != "large") sections.push_back(name);
  bool large = false, resources_only = false;
  int write_platform = 0;
  app.add_option("--scenario", o.bench_path, "Benchmark platform");
  app.add_option("--sections", sections, "Sections to run: platform, fan-out, scale, replicates, large, resources")
      ->check(CLI::IsMember(every_section));
  app.add_flag("--large", large, "Also the 2,000-service, 24-hour run (memory and report sizes)");
  app.add_option("--normal-seconds", o.normal_seconds, "Simulated seconds at normal load");
  app.add_option("--overload-seconds", o.overload_seconds, "Simulated seconds at overload");
  app.add_option("--naive-seconds", o.naive_seconds, "Simulated seconds for the naive mapping, normal load");
  app.add_option("--naive-overload-seconds", o.naive_overload_seconds,
                 "Simulated seconds for the naive mapping, overload");
  app.add_option("--overload-rate", o.overload_rate, "User requests per second at overload");
  app.add_option("--overload-workers", o.overload_workers, "Gateway workers per replica at overload");
  app.add_option("--fan-out-seconds", o.fan_out_seconds, "Simulated seconds of the fan-out platform");
  app.add_option("--scale-calls", o.scale_calls, "Service calls of each platform of the scale series");
  app.add_option("--replicates", o.replicates, "Replicates of the reference outage");
  app.add_option("--baseline-cli", o.baseline_cli,
                 "A faultline binary built from an earlier commit: runs without resources are timed against it");
  app.add_option("--resource-seconds", o.resource_seconds, "Simulated seconds of the shared-resource runs");
  app.add_flag("--resources-only", resources_only, "Only the shared-resource figures");
  app.add_option("--write-platform", write_platform,
                 "Print the generated platform of about N services (hosts = 10 x N) as a scenario, and stop");
  CLI11_PARSE(app, argc, argv);

  try {
    if (write_platform > 0) {
      std::cout << bench::generated_platform(write_platform, 20, 3600);
      return 0;
    }
    std::set<std::string> run(sections.begin(), sections.end());
    if (resources_only) run = {"resources"};
    if (large) run.insert("large");
    if (run.count("platform")) bench::bench_platform(o);
    if (run.count("fan-out")) bench::bench_fan_out(o);
    if (run.count("scale")) bench::bench_scale(o);
    if (run.count("replicates")) bench::bench_replicates(o);
    if (run.count("large")) bench::bench_large(o);
    if (run.count("resources")) {
      const Scenario normal =
          load_scenario_file(o.bench_path, {{"scenario.duration", fmt::format("\"{}s\"", o.normal_seconds)}});
      bench::bench_resources(normal, o.bench_path, o.resource_seconds, o.baseline_cli, o.cli);
    }
    return 0;
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "faultline_bench: " << e.what() << "\n";
    return 2;
  }
}
