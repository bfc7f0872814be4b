#include "experiment/sweep.hpp"

#include "simulation/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

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
  std::uint64_t h = 1469598103934665603ULL;
  const auto mix = [&h](std::string_view bytes) {
    for (unsigned char c : bytes) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xff;  // a separator no text contains, so ("ab", "c") and ("a", "bc") differ
    h *= 1099511628211ULL;
  };
  mix(s.text_hash);
  for (const auto& [key, value] : s.overrides) {
    mix(key);
    mix(value);
  }
  return fmt::format("{:016x}", h);
}

SweepPlan plan_sweep(const ScenarioLoader& load, const Overrides& base, const ParameterGrid& grid, std::size_t runs,
                     std::optional<std::uint64_t> seed) {
  SweepPlan plan;
  plan.runs_per_point = runs;
  for (const Parameter& p : grid.parameters()) plan.label_columns.push_back(p.key);
  std::vector<Diagnostic> diagnostics;
  std::set<std::string> seen;  // a mistake in the file itself shows up at every point: report it once
  for (std::size_t i = 0; i < grid.size(); ++i) {
    Overrides overrides = base;
    for (auto& o : grid.point(i)) overrides.push_back(std::move(o));
    try {
      SweepPoint point{grid.values(i), load(overrides), 0, {}};
      point.base_seed = seed ? *seed : point.scenario.info.seed;
      point.config_hash = config_hash(point.scenario);
      plan.points.push_back(std::move(point));
    } catch (const ScenarioError& e) {
      for (const Diagnostic& d : e.diagnostics())
        if (seen.insert(d.format()).second) diagnostics.push_back(d);
    }
  }
  if (!diagnostics.empty()) throw ScenarioError(std::move(diagnostics));
  return plan;
}

namespace {

// Thrown from a run's progress callback to kill its child once the sweep is stopping.
struct SweepStopped {};

}  // namespace

void run_sweep(const SweepPlan& plan, const std::vector<PlannedRun>& todo, unsigned jobs,
               const SweepCallbacks& callbacks) {
  if (todo.empty()) return;
  const std::size_t threads_wanted = std::clamp<std::size_t>(jobs, 1, todo.size());

  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next = 0;               // next index into todo to hand out
  std::size_t working = threads_wanted;  // threads not yet ended
  std::deque<FinishedRun> finished;   // waiting for the calling thread to report them
  std::exception_ptr failure;
  bool stopping = false;

  const auto fail = [&](std::exception_ptr e) {
    std::lock_guard lock(mutex);
    if (!failure) failure = e;
    stopping = true;
  };

  const auto work = [&] {
    SimulationOptions options;
    options.progress = [&](double) {
      std::lock_guard lock(mutex);
      if (stopping) throw SweepStopped{};
    };
    while (true) {
      std::size_t i = 0;
      {
        std::lock_guard lock(mutex);
        if (stopping || next == todo.size()) break;
        i = next++;
      }
      const PlannedRun& run = todo[i];
      try {
        FinishedRun done{run, run_metrics(simulate_isolated(plan.points.at(run.point).scenario, run.seed, options))};
        std::lock_guard lock(mutex);
        finished.push_back(std::move(done));
      } catch (const SweepStopped&) {
        break;
      } catch (...) {
        fail(std::current_exception());
      }
      changed.notify_all();
    }
    std::lock_guard lock(mutex);
    --working;
    changed.notify_all();
  };

  std::vector<std::thread> threads;
  try {
    for (std::size_t t = 0; t < threads_wanted; ++t) threads.emplace_back(work);
  } catch (...) {  // no more threads: the ones started do the work
    std::lock_guard lock(mutex);
    working -= threads_wanted - threads.size();
    if (threads.empty()) throw;
  }

  // Callbacks run here, never in the worker threads. After a callback has failed none is called
  // again; after a run has failed, runs that did finish are still reported.
  bool callbacks_failed = false;
  while (true) {
    std::deque<FinishedRun> batch;
    bool all_ended = false;
    {
      std::unique_lock lock(mutex);
      changed.wait_for(lock, std::chrono::milliseconds(200), [&] { return !finished.empty() || working == 0; });
      batch.swap(finished);
      all_ended = working == 0;
    }
    for (const FinishedRun& run : batch) {
      if (callbacks_failed || !callbacks.on_finished) break;
      try {
        callbacks.on_finished(run);
      } catch (...) {
        callbacks_failed = true;
        fail(std::current_exception());
      }
    }
    if (!callbacks_failed && callbacks.poll) {
      try {
        callbacks.poll();
      } catch (...) {
        callbacks_failed = true;
        fail(std::current_exception());
      }
    }
    if (all_ended) break;
  }
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace faultline
