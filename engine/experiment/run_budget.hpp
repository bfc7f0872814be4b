// Refusing a run that cannot finish on this machine: before anything is simulated, the run's
// estimate (simulation/run_estimate.hpp) is held against an event budget and the machine's memory.
// Over either, the run is a user error (exit 1 in the CLI, ScenarioError in Python) whose
// diagnostics give the estimate and name the scenario keys that drive it, unless forced.
#pragma once

#include "experiment/sweep.hpp"
#include "io/loader.hpp"
#include "scenario/scenario.hpp"
#include "simulation/run_estimate.hpp"

#include <vector>

namespace faultline {

struct RunBudget {
  static constexpr double kDefaultEvents = 2e9;
  double events = kDefaultEvents;  // model events a run may take (`--event-budget`)
  double bytes = 0;                // peak memory a run may take; 0: the machine's physical memory
  bool force = false;              // run whatever the estimate (`--force`, Python `force=True`)
};

// Physical memory of this machine in bytes (0 when the system does not say).
double physical_memory_bytes();

// Empty when the run fits the budget (or is forced); else the diagnostics of the refusal: one
// stating the estimate and the limits, then one per key that drives what is over, largest first.
std::vector<Diagnostic> budget_diagnostics(const Scenario& s, const RunEstimate& e, const RunBudget& b);

// Throws ScenarioError with budget_diagnostics when the scenario's run does not fit.
void check_run_budget(const Scenario& s, const RunBudget& b);
// Every point of a plan, before any of it runs; the points' refusals together.
void check_run_budget(const SweepPlan& plan, const RunBudget& b);

}  // namespace faultline
