// Running a scenario: the request-level model (engine/model) on top of the SimGrid kernel, which owns
// simulated time, the platform and its faults. The CLI and the Python module call these functions.
#pragma once

#include "report/report.hpp"
#include "scenario/scenario.hpp"
#include "simulation/child_process.hpp"

#include <cstdint>
#include <functional>

namespace faultline {

struct SimulationOptions {
  // Called now and then (a few times per wall-clock second at most) with the simulated time reached,
  // and once at the end.
  std::function<void(double sim_time)> progress;
};

// Simulates one run in this process. SimGrid allows one engine per process, so this works once per
// process: a second call throws InternalError. Internal failures (in the model or the kernel) are
// InternalError too.
Report simulate(const Scenario& s, std::uint64_t seed, const SimulationOptions& o = {});

// Same result, but runs in a forked child, so it can be called any number of times in one process
// (also from Python). The child sends the report back as JSON; a child that dies or fails becomes an
// InternalError here, never a crash. Progress is reported in the calling thread.
Report simulate_isolated(const Scenario& s, std::uint64_t seed, const SimulationOptions& o = {});

// The two halves of simulate_isolated, for a caller that keeps several children under way at once
// (ChildProcess in simulation/child_process.hpp): the work a child does, and the report from what
// it sent back.
ChildWork isolated_simulation(const Scenario& s, std::uint64_t seed, bool with_progress);
Report report_from_child(const std::string& json);

}  // namespace faultline
