#include "experiment/sweep.hpp"

#include "scenario/errors.hpp"
#include "simulation/child_process.hpp"
#include "simulation/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <set>

#include <poll.h>

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

// A run under way in its child process.
struct RunUnderWay {
  PlannedRun run;
  std::unique_ptr<ChildProcess> child;
};

}  // namespace

void run_sweep(const SweepPlan& plan, const std::vector<PlannedRun>& todo, unsigned jobs,
               const SweepCallbacks& callbacks) {
  if (todo.empty()) return;
  const std::size_t at_once = std::clamp<std::size_t>(jobs, 1, todo.size());
  // Every child is forked, read and reaped here, in the calling thread: a child forked while another
  // thread of this process held a lock (an allocator's) would inherit it locked. Destroying a run
  // under way kills its child, so a failure or an interrupt leaves none behind.
  std::vector<RunUnderWay> under_way;
  std::size_t next = 0;
  const ProgressSink no_progress;
  auto last_poll = std::chrono::steady_clock::now();
  const auto poll_now_and_then = [&] {
    if (!callbacks.poll) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_poll < std::chrono::milliseconds(200)) return;
    last_poll = now;
    callbacks.poll();
  };
  while (next < todo.size() || !under_way.empty()) {
    while (under_way.size() < at_once && next < todo.size()) {
      const PlannedRun& run = todo[next++];
      under_way.push_back(
          {run, std::make_unique<ChildProcess>(isolated_simulation(plan.points.at(run.point).scenario, run.seed, false))});
    }
    std::vector<pollfd> fds;
    for (const RunUnderWay& r : under_way) fds.push_back({r.child->fd(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), 200) < 0 && errno != EINTR)
      throw InternalError(std::string("cannot wait for the simulation children: ") + std::strerror(errno));
    // Finished runs are reported in the order they finish; one that failed stops the sweep (the
    // others are killed as `under_way` goes), after those reported before it.
    for (std::size_t i = fds.size(); i-- > 0;) {
      if (fds[i].revents == 0) continue;
      if (under_way[i].child->read_some(no_progress)) continue;
      RunUnderWay done = std::move(under_way[i]);
      under_way.erase(under_way.begin() + std::ptrdiff_t(i));
      FinishedRun finished{done.run, run_metrics(report_from_child(done.child->finish()))};
      done.child.reset();
      if (callbacks.on_finished) callbacks.on_finished(finished);
    }
    poll_now_and_then();
  }
}

}  // namespace faultline
