// The benchmark's sections, each printing its figures and, where the speed issue (12) or the
// shared-resources issue (10) sets a target, `met` or `MISSED` against it in CPU seconds.
#pragma once

#include "scenario/scenario.hpp"

#include <string>

namespace faultline::bench {

struct Options {
  std::string source_dir;   // the repository (bench/scenarios, scenarios/)
  std::string cli;          // the faultline CLI next to the bench
  std::string bench_path;   // bench/scenarios/large-platform.toml
  double normal_seconds = 300, overload_seconds = 60, naive_seconds = 10, naive_overload_seconds = 0.5;
  double overload_rate = 30000;
  int overload_workers = 1;
  double fan_out_seconds = 60;
  double scale_calls = 1.1e7;  // service calls of each platform of the scale series
  int replicates = 5;
  std::string baseline_cli;
  double resource_seconds = 120;
};

void bench_platform(const Options& o);    // normal and overload, against the naive mapping
void bench_fan_out(const Options& o);     // the 7-service fan-out platform
void bench_scale(const Options& o);       // 250 to 2,000 services at a fixed number of calls
void bench_replicates(const Options& o);  // the reference outage, run after run
void bench_large(const Options& o);       // 2,000 services, 20,000 hosts, 24 h: memory and report sizes
void bench_resources(const Scenario& normal, const std::string& scenario_path, double seconds,
                     const std::string& baseline_cli, const std::string& current_cli);

}  // namespace faultline::bench
