// How the benchmark measures a run: each in a process of its own (a SimGrid engine per process),
// in CPU seconds of that process (user + system: the machines are shared, so wall time swings
// 2-10x and is shown but never judged), with its peak resident memory.
#pragma once

#include "scenario/scenario.hpp"

#include <string>
#include <vector>

namespace faultline::bench {

struct Figures {
  double calls = 0, events = 0, wall = 0, sim = 0, peak_rss_mb = 0, in_flight = 0, cpu = 0;
  double calls_per_s() const { return wall > 0 ? calls / wall : 0; }
  double calls_per_cpu_s() const { return cpu > 0 ? calls / cpu : 0; }
  double events_per_cpu_s() const { return cpu > 0 ? events / cpu : 0; }
  double cpu_per_call() const { return calls > 0 ? cpu / calls : 0; }
};

// `simulate` of the request model under the SimGrid kernel, in a forked child.
Figures measure_product(const Scenario& s);
// The naive mapping (an actor pool per replica, a mailbox put/get per call) for `sim_seconds`.
Figures measure_naive(const Scenario& s, double sim_seconds);

// `cli run SCENARIO --set ...` as a child process writing its report: its CPU seconds and peak
// memory (from wait4), the calls it simulated, and the sizes of the files it wrote.
struct CliRun {
  double cpu = 0, calls = 0, peak_rss_mb = 0;
  double report_json_mb = 0, timeline_mb = 0;
  double calls_per_cpu_s() const { return cpu > 0 ? calls / cpu : 0; }
};
CliRun run_cli(const std::string& cli, const std::string& scenario, const std::vector<std::string>& sets);

double median(std::vector<double> v);

// "met" or "MISSED", for the lines that hold a figure against its target.
const char* verdict(bool met);

}  // namespace faultline::bench
