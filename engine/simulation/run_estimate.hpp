// What a run will cost, known before it runs: the model events it will process and the memory it
// will hold at its peak, from the scenario alone (traffic rate and horizon, the calls a request
// makes, services, replicas, hosts, buckets, fault repeats and failure rates, periodic refreshes).
// A scenario that validates can still be far beyond the machine (`every = "1us"` on a fault, a rate
// of 1e12, 100,000 services); this is what refuses it in a second instead of an hour later with the
// machine out of memory.
//
// The figures are estimates, not bounds: within 2x of what the bench and example scenarios measure
// (tests/unit/simulation_run_estimate.cpp checks that). Memory is the peak resident set of the
// process that simulates and writes the report, its fixed baseline (the program, SimGrid, the
// libraries: about kBaselineBytes) included.
#pragma once

#include "scenario/scenario.hpp"

#include <string>
#include <vector>

namespace faultline {

// One cause of cost, named by the scenario key that drives it (`traffic.rate`,
// `fault.<name>.every`, `scenario.bucket`, `service.<name>.replicas`, `service` for how many
// services there are ...), with where that key is written when the scenario knows it.
struct EstimateDriver {
  std::string key;
  Source source;
  std::string what;  // the numbers behind it, e.g. "1e+12 user requests/s for 1h, 2 service calls each"
  double events = 0;
  double bytes = 0;
};

struct RunEstimate {
  double events = 0;  // model events (Report::summary.events)
  double bytes = 0;   // peak resident memory, the baseline included
  std::vector<EstimateDriver> drivers;  // every non-zero cause, the baseline first

  static constexpr double kBaselineBytes = 35.0 * 1024 * 1024;
};

RunEstimate estimate_run(const Scenario& s);

}  // namespace faultline
