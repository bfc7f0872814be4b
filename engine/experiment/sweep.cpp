#include "experiment/sweep.hpp"

#include "io/diagnostic_list.hpp"
#include "scenario/fnv1a.hpp"
#include "simulation/child_process.hpp"
#include "simulation/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace faultline {

PlannedRun SweepPlan::run(std::size_t i) const {
  PlannedRun r;
  r.point = i / runs_per_point;
  r.replicate = i % runs_per_point;
  r.seed = points[r.point].base_seed + std::uint64_t(r.replicate);  // wraps modulo 2^64, like Python's replicate
  return r;
}

std::vector<std::string> SweepPlan::metric_columns() const {
  std::vector<std::string> out;
  for (const SweepPoint& p : points)
    for (std::string& name : metric_names(p.scenario))
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  return out;
}

std::vector<PlannedRun> all_runs(const SweepPlan& plan) {
  std::vector<PlannedRun> out;
  out.reserve(plan.size());
  for (std::size_t i = 0; i < plan.size(); ++i) out.push_back(plan.run(i));
  return out;
}

std::string config_hash(const Scenario& s) {
  // FNV-1a over the text's hash and the overrides (a sorted map: the same set gives the same hash).
  std::uint64_t h = fnv1a_part(kFaultlineBasis, s.text_hash);
  for (const auto& [key, value] : s.overrides) h = fnv1a_part(fnv1a_part(h, key), value);
  return fmt::format("{:016x}", h);
}

SweepPlan plan_sweep(const ScenarioLoader& load, const Overrides& base, const ParameterGrid& grid, std::size_t runs,
                     std::optional<std::uint64_t> seed) {
  SweepPlan plan;
  plan.runs_per_point = runs;
  for (const Parameter& p : grid.parameters()) plan.label_columns.push_back(p.key);
  std::vector<Diagnostic> diagnostics;
  std::set<std::string> seen;  // a mistake in the file itself shows up at every point: report it once
  // Mistakes the file and --set already make (found only once a point fails: a sweep that loads
  // does no extra load); the others come from the grid's values, and are reported against <--param>
  // with the point that makes them.
  std::optional<std::set<std::string>> without_grid;
  auto from_grid = [&](const Diagnostic& d) {
    if (d.file != kOverrideOrigin || grid.parameters().empty()) return false;
    if (!without_grid) {
      without_grid.emplace();
      try {
        load(base);
      } catch (const ScenarioError& e) {
        for (const Diagnostic& b : e.diagnostics()) without_grid->insert(b.format());
      }
    }
    return !without_grid->contains(d.format());
  };
  for (std::size_t i = 0; i < grid.size(); ++i) {
    Overrides overrides = base;
    const Overrides point = grid.point(i);
    for (const auto& o : point) overrides.push_back(o);
    try {
      SweepPoint point{grid.values(i), load(overrides), 0, {}};
      point.base_seed = seed ? *seed : point.scenario.info.seed;
      point.config_hash = config_hash(point.scenario);
      plan.points.push_back(std::move(point));
    } catch (const ScenarioError& e) {
      for (Diagnostic d : e.diagnostics()) {
        if (!seen.insert(d.format()).second) continue;  // the first point that makes it names it
        if (from_grid(d)) {
          d.file = "<--param>";
          std::string values;
          for (const auto& [key, value] : point) values += (values.empty() ? "" : ", ") + key + "=" + value;
          d.message += " (at the point " + values + ")";
        }
        diagnostics.push_back(d);
      }
    }
  }
  if (!diagnostics.empty()) throw ScenarioError(std::move(diagnostics));
  return plan;
}

void run_sweep(const SweepPlan& plan, const std::vector<PlannedRun>& todo, unsigned jobs,
               const SweepCallbacks& callbacks) {
  run_in_child_processes(
      todo.size(), jobs,
      [&](std::size_t i) { return isolated_simulation(plan.points.at(todo[i].point).scenario, todo[i].seed, false); },
      [&](std::size_t i, std::string json) {
        const FinishedRun finished{todo[i], run_metrics(report_from_child(json))};
        if (callbacks.on_finished) callbacks.on_finished(finished);
      },
      callbacks.poll);
}

}  // namespace faultline
