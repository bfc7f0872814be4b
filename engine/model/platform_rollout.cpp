// PlatformModel, gradual actions: a switch_dependency that moves its callers in batches (of caller
// replicas, or of the zones they run in), a rollback that takes a fault's replicas or hosts back a
// batch at a time, a failover that brings the replicas of its zone or region in by batches, and the
// gate (a monitor) that holds the next step of those, of a rolling restart or of an admission while
// it fires. Each tracked rollout reports the share done at every bucket's end.
#include "model/platform_model_impl.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace faultline {

namespace {

bool batched(const Action& act) {
  return act.batch > 0 && (act.kind == ActionKind::switch_dependency || act.kind == ActionKind::rollback ||
                           act.kind == ActionKind::failover);
}

bool tracked_rollout(const Action& act) {
  const bool stepped = act.batch > 0 || act.kind == ActionKind::admit;
  return batched(act) || !act.gate.empty() || (stepped && !act.tooling.empty());
}

// Items (in the order they go) cut into steps: `batch` items per step, or by zone the items of
// `batch` zones per step, in the topology's zone order (zones without items do not count).
template <class ZoneOf>
std::vector<std::vector<int>> cut_in_steps(const std::vector<int>& items, const Action& act, std::size_t zones,
                                           ZoneOf zone_of) {
  std::vector<std::vector<int>> steps;
  const std::size_t batch = std::size_t(std::max(1, act.batch));
  if (act.by == RolloutUnit::zone) {
    std::vector<std::vector<int>> by_zone(zones);
    for (int i : items) by_zone[std::size_t(zone_of(i))].push_back(i);
    std::erase_if(by_zone, [](const std::vector<int>& z) { return z.empty(); });
    for (std::size_t z = 0; z < by_zone.size(); z += batch) {
      std::vector<int> step;
      for (std::size_t k = z; k < std::min(by_zone.size(), z + batch); ++k)
        step.insert(step.end(), by_zone[k].begin(), by_zone[k].end());
      steps.push_back(std::move(step));
    }
    return steps;
  }
  for (std::size_t i = 0; i < items.size(); i += batch)
    steps.emplace_back(items.begin() + std::ptrdiff_t(i), items.begin() + std::ptrdiff_t(std::min(items.size(), i + batch)));
  return steps;
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
    if (act.kind == ActionKind::rollback)
      if (const Fault* f = s.find_fault(act.fault)) ro.fault = int(f - s.faults.data());
  }
}

// The callers a switch moves: the edges from them to `from` (among `services`, when given).
std::vector<int> PlatformModel::Impl::switched_edges(int a) const {
  const Action& act = s.actions[std::size_t(a)];
  const int from = find_service(act.from);
  std::vector<int> edges;
  for (std::size_t e = 0; e < s.dependencies.size(); ++e)
    if (edge_target[e] == from && carries(act.services, s.dependencies[e].from)) edges.push_back(int(e));
  return edges;
}

// The steps of a batched action if it started now. A switch moves caller replicas: by replica, each
// caller service's replicas are spread over the steps in proportion (the i-th of n goes at share
// (i + 0.5) / n), so every step moves the same share of each service. A rollback takes back the
// fault's units (hosts or replicas) it affects now, in the fault's order. A failover brings in the
// replicas of its service in `to`.
std::vector<std::vector<int>> PlatformModel::Impl::rollout_steps(int a) const {
  const Action& act = s.actions[std::size_t(a)];
  const std::size_t zones = topo.zones.size();
  const auto replica_zone = [&](int r) { return topo.replicas[std::size_t(r)].zone; };
  switch (act.kind) {
    case ActionKind::switch_dependency: {
      std::vector<int> callers;  // caller services
      for (int e : switched_edges(a))
        if (std::find(callers.begin(), callers.end(), edge_from[std::size_t(e)]) == callers.end())
          callers.push_back(edge_from[std::size_t(e)]);
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
      std::vector<int> items;
      for (const Slot& sl : slots) items.push_back(sl.replica);
      return cut_in_steps(items, act, zones, replica_zone);
    }
    case ActionKind::rollback: {
      const int f = rollouts[std::size_t(a)].fault;
      if (f < 0) return {};
      return cut_in_steps(faults.affected(f), act, zones, [&](int u) { return faults.unit_zone(f, u); });
    }
    case ActionKind::failover: {
      const auto in_to = placed_in(act.to);
      std::vector<int> items;
      for (int r : topo.service_replicas[std::size_t(action_service[std::size_t(a)])])
        if (in_to(r) && !replicas[std::size_t(r)].parked) items.push_back(r);
      return cut_in_steps(items, act, zones, replica_zone);
    }
    default: return {};
  }
}

// Starts a batched action: its steps are fixed now, and the first one goes. Returns how it goes, for
// the action's event (" in 3 step(s) of 1 zone(s) every 10m").
std::string PlatformModel::Impl::start_rollout(int a) {
  const Action& act = s.actions[std::size_t(a)];
  RolloutState& ro = rollouts[std::size_t(a)];
  if (act.kind == ActionKind::switch_dependency) {
    const int from = find_service(act.from);
    ro.edges = switched_edges(a);
    for (int e : ro.edges)
      if (caller_target[std::size_t(e)].empty()) {
        caller_target[std::size_t(e)].assign(topo.service_replicas[std::size_t(edge_from[std::size_t(e)])].size(), from);
        if (s.dependencies[std::size_t(e)].kind == DependencyKind::control)
          caller_resolvers[std::size_t(e)].assign(caller_target[std::size_t(e)].size(), resolvers[std::size_t(e)]);
      }
  }
  ro.steps = rollout_steps(a);
  if (act.kind == ActionKind::rollback && ro.fault >= 0) faults.halt(ro.fault);
  if (act.kind == ActionKind::failover) failovers[std::size_t(action_service[std::size_t(a)])].done = true;
  ro.started = now;
  const std::string how = fmt::format(" in {} step(s) of {} {} every {}", ro.steps.size(), act.batch,
                                      act.by == RolloutUnit::zone ? "zone(s)" : rollout_unit(a), duration_text(act.interval));
  if (ro.steps.empty()) {  // nothing to move: done at once
    ro.share = 1;
    ro.finished = now;
    return how;
  }
  rollout_step(a);
  return how;
}

// How long a batched action not yet started would take from its first step to its last.
double PlatformModel::Impl::rollout_length(int a) const {
  if (!batched(s.actions[std::size_t(a)])) return 0;
  const std::size_t steps = rollout_steps(a).size();
  return steps > 0 ? double(steps - 1) * s.actions[std::size_t(a)].interval : 0;
}

int PlatformModel::Impl::rollout_steps_left(int a) const {
  const RolloutState& ro = rollouts[std::size_t(a)];
  return int(ro.steps.size() - std::min(ro.steps.size(), ro.steps_done));
}

// The next step of a batched action, then the one after is scheduled.
void PlatformModel::Impl::rollout_step(int a) {
  const Action& act = s.actions[std::size_t(a)];
  RolloutState& ro = rollouts[std::size_t(a)];
  if (ro.reverted || ro.steps_done >= ro.steps.size()) return;
  const std::vector<int>& step = ro.steps[ro.steps_done];
  const bool last = ro.steps_done + 1 == ro.steps.size();
  std::string done;
  switch (act.kind) {
    case ActionKind::switch_dependency: {
      const int to = find_service(act.to);
      for (int r : step)
        for (int e : ro.edges)
          if (edge_from[std::size_t(e)] == topo.replicas[std::size_t(r)].service)
            caller_target[std::size_t(e)][std::size_t(replica_pos[std::size_t(r)])] = to;
      if (last)
        for (int e : ro.edges) edge_target[std::size_t(e)] = to;  // every caller has it: the edge's target now
      done = "callers on " + act.to;
      break;
    }
    case ActionKind::rollback:
      apply_fault_change(faults.roll_back(ro.fault, step, "rolled back by " + act.name));
      done = faults.by_host(ro.fault) ? "hosts rolled back" : "replicas rolled back";
      break;
    case ActionKind::failover: {
      const int sv = action_service[std::size_t(a)];
      for (int r : step) {
        replicas[std::size_t(r)].standby = false;
        update_rotation(r);
      }
      if (last) {  // the old active replicas stand by now, as after a failover at once
        make_active(sv, placed_in(act.to));
        primary_changed(sv);
      }
      done = "replicas of " + act.service + " in " + act.to + " taking traffic";
      break;
    }
    default: return;
  }
  ++ro.steps_done;
  std::size_t total = 0, moved = 0;
  for (std::size_t k = 0; k < ro.steps.size(); ++k) (k < ro.steps_done ? moved : total) += ro.steps[k].size();
  total += moved;
  ro.share = total ? double(moved) / double(total) : 1;
  rec.event(now, "rollout_step", act.name,
            fmt::format("step {} of {}: {} of {} {}", ro.steps_done, ro.steps.size(), moved, total, done));
  if (!last) {
    q.push(now + act.interval, kActionStep, std::uint32_t(a), ro.steps_done);
    return;
  }
  ro.finished = now;
}

std::string PlatformModel::Impl::rollout_unit(int a) const {
  switch (s.actions[std::size_t(a)].kind) {
    case ActionKind::switch_dependency: return "callers";
    case ActionKind::restart:
    case ActionKind::failover: return "replicas";
    case ActionKind::rollback: {
      const int f = rollouts[std::size_t(a)].fault;
      return f >= 0 && faults.by_host(f) ? "hosts" : "replicas";
    }
    default: return "users";
  }
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
    out.unit = rollout_unit(a);
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
