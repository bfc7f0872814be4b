// PlatformModel, gradual actions: a switch_dependency that moves its callers in batches (of caller
// replicas, or of the zones they run in), and the gate (a monitor) that holds the next step of a
// switch, a rolling restart or an admission while it fires. Each tracked rollout reports the share
// done at every bucket's end.
#include "model/platform_model_impl.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace faultline {

namespace {

bool tracked_rollout(const Action& act) {
  const bool stepped = act.batch > 0 || act.kind == ActionKind::admit;
  return (act.kind == ActionKind::switch_dependency && act.batch > 0) || !act.gate.empty() ||
         (stepped && !act.tooling.empty());
}

const char* rollout_unit(ActionKind k) {
  switch (k) {
    case ActionKind::switch_dependency: return "callers";
    case ActionKind::restart: return "replicas";
    default: return "users";
  }
}

}  // namespace

void PlatformModel::Impl::set_up_rollouts() {
  rollouts.resize(s.actions.size());
  caller_target.resize(s.dependencies.size());
  caller_resolvers.resize(s.dependencies.size());
  for (std::size_t a = 0; a < s.actions.size(); ++a) {
    const Action& act = s.actions[a];
    RolloutState& ro = rollouts[a];
    ro.tracked = tracked_rollout(act);
    if (ro.tracked) ro.share_by_bucket.assign(std::size_t(rec.bucket_count()), 0);
    for (std::size_t m = 0; m < s.monitors.size(); ++m)
      if (!act.gate.empty() && s.monitors[m].name == act.gate) ro.gate = int(m);
  }
}

// The switch's steps, fixed when it starts: the edges from its callers to `from`, and their replicas
// in batches. By replica, each caller service's replicas are spread over the steps in proportion
// (the i-th of n goes at share (i + 0.5) / n), so every step moves the same share of each service.
// By zone, a step is `batch` zones' worth of callers, in the topology's zone order.
void PlatformModel::Impl::start_switch_rollout(int a) {
  const Action& act = s.actions[std::size_t(a)];
  RolloutState& ro = rollouts[std::size_t(a)];
  const int from = find_service(act.from);
  std::vector<int> callers;  // caller services
  for (std::size_t e = 0; e < s.dependencies.size(); ++e) {
    if (edge_target[e] != from) continue;
    const std::string& caller = s.dependencies[e].from;
    if (!act.services.empty() && std::find(act.services.begin(), act.services.end(), caller) == act.services.end())
      continue;
    ro.edges.push_back(int(e));
    if (std::find(callers.begin(), callers.end(), edge_from[e]) == callers.end()) callers.push_back(edge_from[e]);
    if (caller_target[e].empty()) {
      caller_target[e].assign(topo.service_replicas[std::size_t(edge_from[e])].size(), from);
      if (s.dependencies[e].kind == DependencyKind::control)
        caller_resolvers[e].assign(caller_target[e].size(), resolvers[e]);
    }
  }
  const std::size_t batch = std::size_t(act.batch);
  if (act.by == RolloutUnit::zone) {
    std::size_t z = 0;
    while (z < topo.zones.size()) {
      std::vector<int> step;
      for (std::size_t zones_taken = 0; z < topo.zones.size() && zones_taken < batch; ++z) {
        const std::size_t before = step.size();
        for (int sv : callers)
          for (int r : zone_replicas[std::size_t(sv)][z]) step.push_back(r);
        if (step.size() > before) ++zones_taken;
      }
      if (!step.empty()) ro.steps.push_back(std::move(step));
    }
  } else {
    struct Slot {
      double at;
      std::size_t order;
      int replica;
    };
    std::vector<Slot> slots;
    for (std::size_t c = 0; c < callers.size(); ++c) {
      const auto& reps = topo.service_replicas[std::size_t(callers[c])];
      for (std::size_t i = 0; i < reps.size(); ++i) slots.push_back({(double(i) + 0.5) / double(reps.size()), c, reps[i]});
    }
    std::stable_sort(slots.begin(), slots.end(),
                     [](const Slot& x, const Slot& y) { return x.at != y.at ? x.at < y.at : x.order < y.order; });
    for (std::size_t i = 0; i < slots.size(); i += batch) {
      std::vector<int> step;
      for (std::size_t j = i; j < std::min(slots.size(), i + batch); ++j) step.push_back(slots[j].replica);
      ro.steps.push_back(std::move(step));
    }
  }
  ro.started = now;
  switch_step(a);
}

// How long a batched switch not yet started will take from its first step to its last.
double PlatformModel::Impl::switch_rollout_length(int a) const {
  const Action& act = s.actions[std::size_t(a)];
  if (act.kind != ActionKind::switch_dependency || act.batch <= 0) return 0;
  const int from = find_service(act.from);
  std::vector<int> callers;
  for (std::size_t e = 0; e < s.dependencies.size(); ++e)
    if (edge_target[e] == from && carries(act.services, s.dependencies[e].from) &&
        std::find(callers.begin(), callers.end(), edge_from[e]) == callers.end())
      callers.push_back(edge_from[e]);
  std::size_t units = 0;
  if (act.by == RolloutUnit::zone) {
    for (std::size_t z = 0; z < topo.zones.size(); ++z) {
      bool any = false;
      for (int sv : callers) any |= !zone_replicas[std::size_t(sv)][z].empty();
      units += any;
    }
  } else {
    for (int sv : callers) units += topo.service_replicas[std::size_t(sv)].size();
  }
  const std::size_t steps = (units + std::size_t(act.batch) - 1) / std::size_t(act.batch);
  return steps > 0 ? double(steps - 1) * act.interval : 0;
}

int PlatformModel::Impl::rollout_steps_left(int a) const {
  const RolloutState& ro = rollouts[std::size_t(a)];
  return int(ro.steps.size() - std::min(ro.steps.size(), ro.steps_done));
}

// Moves the next step's callers to `to` and schedules the one after.
void PlatformModel::Impl::switch_step(int a) {
  const Action& act = s.actions[std::size_t(a)];
  RolloutState& ro = rollouts[std::size_t(a)];
  if (ro.reverted || ro.steps_done >= ro.steps.size()) return;
  const int to = find_service(act.to);
  std::size_t total = 0, switched = 0;
  for (int r : ro.steps[ro.steps_done])
    for (int e : ro.edges)
      if (edge_from[std::size_t(e)] == topo.replicas[std::size_t(r)].service)
        caller_target[std::size_t(e)][std::size_t(replica_pos[std::size_t(r)])] = to;
  ++ro.steps_done;
  for (std::size_t k = 0; k < ro.steps.size(); ++k) (k < ro.steps_done ? switched : total) += ro.steps[k].size();
  total += switched;
  ro.share = total ? double(switched) / double(total) : 1;
  rec.event(now, "rollout_step", act.name,
            fmt::format("step {} of {}: {} of {} callers on {}", ro.steps_done, ro.steps.size(), switched, total, act.to));
  if (ro.steps_done < ro.steps.size()) {
    q.push(now + act.interval, kActionStep, std::uint32_t(a), ro.steps_done);
    return;
  }
  ro.finished = now;
  for (int e : ro.edges) edge_target[std::size_t(e)] = to;  // every caller has it: the edge's target now
}

void PlatformModel::Impl::revert_switch(int a) {
  const Action& act = s.actions[std::size_t(a)];
  RolloutState& ro = rollouts[std::size_t(a)];
  const int from = find_service(act.from);
  for (std::size_t k = 0; k < ro.steps_done; ++k)
    for (int r : ro.steps[k])
      for (int e : ro.edges)
        if (edge_from[std::size_t(e)] == topo.replicas[std::size_t(r)].service)
          caller_target[std::size_t(e)][std::size_t(replica_pos[std::size_t(r)])] = from;
  ro.reverted = true;
  ro.share = 0;
  ro.finished = now;
  rec.event(now, "rollout_reverted", act.name,
            fmt::format("gate {} fired after step {} of {}: every caller back on {}", act.gate, ro.steps_done,
                        ro.steps.size(), act.from));
}

// Whether step k of action a may go now. A firing gate pauses the rollout (the step is looked at
// again an interval later) or reverts it; the pause ends at the first step whose gate is quiet.
bool PlatformModel::Impl::gate_holds(int a, std::uint64_t k) {
  const Action& act = s.actions[std::size_t(a)];
  RolloutState& ro = rollouts[std::size_t(a)];
  if (ro.gate < 0 || !monitors[std::size_t(ro.gate)].firing) {
    if (ro.paused_since >= 0) {
      ro.paused_total += now - ro.paused_since;
      ro.paused_since = -1;
      rec.event(now, "rollout_resumed", act.name, fmt::format("gate {} quiet", act.gate));
    }
    return true;
  }
  if (act.on_gate_failure == GateFailure::revert) {
    revert_switch(a);
    return false;
  }
  if (ro.paused_since < 0) {
    ro.paused_since = now;
    rec.event(now, "rollout_paused", act.name, fmt::format("gate {} fires", act.gate));
  }
  const double wait = act.kind == ActionKind::admit ? act.every : act.interval;
  q.push(now + wait, kActionStep, std::uint32_t(a), k);
  return false;
}

void PlatformModel::Impl::record_rollouts(int b) {
  for (std::size_t a = 0; a < rollouts.size(); ++a) {
    RolloutState& ro = rollouts[a];
    if (!ro.tracked) continue;
    if (s.actions[a].kind == ActionKind::admit && action_done_at(int(a))) ro.share = admitted;
    ro.share_by_bucket[std::size_t(b)] = ro.share;
  }
}

void PlatformModel::Impl::fill_rollouts(Report& r) const {
  for (std::size_t a = 0; a < rollouts.size(); ++a) {
    const RolloutState& ro = rollouts[a];
    if (!ro.tracked) continue;
    const Action& act = s.actions[a];
    RolloutReport out;
    out.action = act.name;
    out.kind = to_string(act.kind);
    out.unit = rollout_unit(act.kind);
    out.steps = int(ro.steps_done);
    if (ro.started >= 0) out.started = ro.started;
    if (ro.finished >= 0) out.finished = ro.finished;
    out.paused_time = ro.paused_total + (ro.paused_since >= 0 ? end - ro.paused_since : 0);
    out.reverted = ro.reverted;
    out.share_by_bucket = ro.share_by_bucket;
    r.rollouts.push_back(std::move(out));
  }
}

}  // namespace faultline
