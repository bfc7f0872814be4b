// A sweep: every point of a plan (grid points, or the two designs of a comparison) run with the same
// replicate seeds, several runs at a time. Each run is a forked child (the halves of
// simulate_isolated, every child forked and read from the calling thread), so the results do not
// depend on how many run at once: only the order in which they finish does, which is why each
// carries its place in the plan.
#pragma once

#include "experiment/parameter_grid.hpp"
#include "metrics/run_metrics.hpp"
#include "io/loader.hpp"
#include "scenario/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace faultline {

// A point of the plan: the scenario as its runs load it, the values that label it, and its seeds.
struct SweepPoint {
  std::vector<std::string> labels;  // one per SweepPlan::label_columns: the grid values, or "A" / "B"
  Scenario scenario;
  std::uint64_t base_seed = 0;  // replicate r runs with seed base_seed + r (modulo 2^64)
  std::string config_hash;      // the scenario text and every override applied: rows of another
                                // configuration are never mistaken for this one's
};

struct PlannedRun {
  std::size_t point = 0;
  std::size_t replicate = 0;  // the `run` column: 0 .. runs_per_point - 1
  std::uint64_t seed = 0;
};

struct SweepPlan {
  std::vector<std::string> label_columns;
  std::vector<SweepPoint> points;
  std::size_t runs_per_point = 1;

  std::size_t size() const { return points.size() * runs_per_point; }
  // Run i of the plan, point by point: run i is replicate i % runs_per_point of point i / runs_per_point.
  PlannedRun run(std::size_t i) const;
  // Every metric column of the plan's points, in the order of the first point that has it.
  std::vector<std::string> metric_columns() const;
};

// Loads the scenario with some overrides (from a file or from text); throws ScenarioError.
using ScenarioLoader = std::function<Scenario(const Overrides&)>;

// The runs of a grid: each point loads with `base` (--set) then the point's overrides. Seeds start at
// `seed`, or at each point's own scenario seed. Every point is loaded before anything runs, and the
// diagnostics of all of them are thrown together as one ScenarioError.
SweepPlan plan_sweep(const ScenarioLoader& load, const Overrides& base, const ParameterGrid& grid, std::size_t runs,
                     std::optional<std::uint64_t> seed = std::nullopt);

// The hash of a loaded scenario's text and overrides, as SweepPoint::config_hash.
std::string config_hash(const Scenario& s);

struct FinishedRun {
  PlannedRun planned;
  RunMetrics metrics;
};

struct SweepCallbacks {
  // Each finished run, in the calling thread, in the order runs finish. Throwing stops the sweep.
  std::function<void(const FinishedRun&)> on_finished;
  // Called in the calling thread a few times per second while runs go on; throwing stops the sweep
  // (the runs under way are killed) and the exception propagates. For Ctrl-C in an interpreter.
  std::function<void()> poll;
};

// Runs `todo` (runs of `plan`), `jobs` at a time. The first failure (a run's InternalError, an
// exception from a callback) stops the sweep: the runs under way are killed and it propagates; runs
// reported before it stay reported.
void run_sweep(const SweepPlan& plan, const std::vector<PlannedRun>& todo, unsigned jobs, const SweepCallbacks& callbacks);

// Every run of the plan, in plan order.
std::vector<PlannedRun> all_runs(const SweepPlan& plan);

}  // namespace faultline
