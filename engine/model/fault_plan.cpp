#include "model/fault_plan.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace faultline {

namespace {
int service_index(const Scenario& s, const std::string& name) {
  for (std::size_t i = 0; i < s.services.size(); ++i)
    if (s.services[i].name == name) return int(i);
  return -1;
}

int edge_index(const Scenario& s, const std::string& target) {
  auto arrow = target.find("->");
  if (arrow == std::string::npos) return -1;
  std::string from = target.substr(0, arrow), to = target.substr(arrow + 2);
  for (std::size_t e = 0; e < s.dependencies.size(); ++e)
    if (s.dependencies[e].from == from && s.dependencies[e].to == to) return int(e);
  return -1;
}
}  // namespace

FaultPlan::FaultPlan(const Scenario& s, const Topology& t, std::uint64_t seed)
    : s_(s), t_(t), state_(s.faults.size()), service_faults_(s.services.size()), edge_faults_(s.dependencies.size()) {
  for (const Fault& f : s.faults) rng_.emplace_back(seed, "fault." + f.name);
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    const Fault& f = s.faults[i];
    State& st = state_[i];
    RandomStream& rng = rng_[i];
    switch (f.kind) {
      case FaultKind::host_crash: {
        std::vector<int> candidates;
        if (int z = t.zone_index(f.target); z >= 0) {
          candidates = t.zone_hosts[std::size_t(z)];
        } else if (int sv = service_index(s, f.target); sv >= 0) {
          for (int r : t.service_replicas[std::size_t(sv)]) {
            int h = t.replicas[std::size_t(r)].host;
            if (std::find(candidates.begin(), candidates.end(), h) == candidates.end()) candidates.push_back(h);
          }
        } else if (int h = t.host_index(f.target); h >= 0) {
          candidates.push_back(h);
        }
        for (int k : select(f, rng, int(candidates.size()))) st.hosts.push_back(candidates[std::size_t(k)]);
        break;
      }
      case FaultKind::zone_outage:
        if (int z = t.zone_index(f.target); z >= 0) st.hosts = t.zone_hosts[std::size_t(z)];
        break;
      case FaultKind::service_crash:
      case FaultKind::latency:
      case FaultKind::error_rate:
      case FaultKind::control_plane:
        if (int e = edge_index(s, f.target); e >= 0) {
          st.edge = e;
          edge_faults_[std::size_t(e)].push_back(int(i));
        } else if (int sv = service_index(s, f.target); sv >= 0) {
          st.service = sv;
          const auto& reps = t.service_replicas[std::size_t(sv)];
          for (int k : select(f, rng, int(reps.size()))) st.replicas.push_back(reps[std::size_t(k)]);
          if (f.kind != FaultKind::service_crash) service_faults_[std::size_t(sv)].push_back(int(i));
        }
        break;
    }
  }
}

// Picks which of `n` candidates a fault's selector hits, from the fault's own random stream.
std::vector<int> FaultPlan::select(const Fault& f, RandomStream& rng, int n) {
  std::vector<int> all(std::size_t(std::max(0, n)));
  for (int i = 0; i < n; ++i) all[std::size_t(i)] = i;
  int k = n;
  switch (f.mode) {
    case SelectorMode::all: return all;
    case SelectorMode::one: k = std::min(1, n); break;
    case SelectorMode::fixed: k = std::min(n, int(f.value)); break;
    case SelectorMode::percent: k = std::min(n, int(std::ceil(f.value / 100.0 * n - 1e-9))); break;
  }
  // The first k of a seeded partial shuffle, then back in topology order.
  for (int i = 0; i < k; ++i)
    std::swap(all[std::size_t(i)], all[std::size_t(i + int(rng.below(std::uint64_t(n - i))))]);
  all.resize(std::size_t(k));
  std::sort(all.begin(), all.end());
  return all;
}

std::optional<PlatformCommand> FaultPlan::start(int f) {
  State& st = state_[std::size_t(f)];
  if (st.active || st.done) return std::nullopt;
  st.active = true;
  switch (s_.faults[std::size_t(f)].kind) {
    case FaultKind::host_crash:
    case FaultKind::zone_outage: return PlatformCommand{PlatformCommand::Kind::hosts_down, st.hosts, {}};
    case FaultKind::service_crash: return PlatformCommand{PlatformCommand::Kind::kill_replicas, {}, st.replicas};
    default: return std::nullopt;
  }
}

std::optional<PlatformCommand> FaultPlan::end(int f) {
  State& st = state_[std::size_t(f)];
  if (!st.active) return std::nullopt;
  st.active = false;
  st.done = true;
  switch (s_.faults[std::size_t(f)].kind) {
    case FaultKind::host_crash:
    case FaultKind::zone_outage: return PlatformCommand{PlatformCommand::Kind::hosts_up, st.hosts, {}};
    case FaultKind::service_crash: return PlatformCommand{PlatformCommand::Kind::restart_replicas, {}, st.replicas};
    default: return std::nullopt;
  }
}

std::string FaultPlan::describe(int f) const {
  const Fault& fault = s_.faults[std::size_t(f)];
  const State& st = state_[std::size_t(f)];
  std::string d = fmt::format("{} on {}", to_string(fault.kind), fault.target);
  if (fault.kind == FaultKind::host_crash) d += fmt::format(" ({} host(s))", st.hosts.size());
  if (st.service >= 0 && fault.kind != FaultKind::control_plane)
    d += fmt::format(" ({} of {} replica(s))", st.replicas.size(), t_.service_replicas[std::size_t(st.service)].size());
  return d;
}

bool FaultPlan::hits_replica(int f, int replica) const {
  const auto& reps = state_[std::size_t(f)].replicas;
  return std::find(reps.begin(), reps.end(), replica) != reps.end();
}

double FaultPlan::added_delay_at(int service, int replica) {
  double extra = 0;
  for (int f : service_faults_[std::size_t(service)]) {
    const Fault& fault = s_.faults[std::size_t(f)];
    if (state_[std::size_t(f)].active && fault.kind == FaultKind::latency && hits_replica(f, replica))
      extra += rng_[std::size_t(f)].sample(fault.delay);
  }
  return extra;
}

double FaultPlan::added_delay_on(int edge) {
  double extra = 0;
  for (int f : edge_faults_[std::size_t(edge)]) {
    const Fault& fault = s_.faults[std::size_t(f)];
    if (state_[std::size_t(f)].active && fault.kind == FaultKind::latency) extra += rng_[std::size_t(f)].sample(fault.delay);
  }
  return extra;
}

int FaultPlan::injected_error_at(int service, int replica) {
  for (int f : service_faults_[std::size_t(service)]) {
    const Fault& fault = s_.faults[std::size_t(f)];
    if (state_[std::size_t(f)].active && fault.kind == FaultKind::error_rate && hits_replica(f, replica) &&
        rng_[std::size_t(f)].bernoulli(fault.rate))
      return f;
  }
  return -1;
}

int FaultPlan::injected_error_on(int edge) {
  for (int f : edge_faults_[std::size_t(edge)]) {
    const Fault& fault = s_.faults[std::size_t(f)];
    if (state_[std::size_t(f)].active && fault.kind == FaultKind::error_rate && rng_[std::size_t(f)].bernoulli(fault.rate))
      return f;
  }
  return -1;
}

FaultPlan::ControlAnswer FaultPlan::control_plane_answer(int service) {
  for (int f : service_faults_[std::size_t(service)]) {
    const Fault& fault = s_.faults[std::size_t(f)];
    if (!state_[std::size_t(f)].active) continue;
    if (fault.kind == FaultKind::control_plane)
      return ControlAnswer{false, fault.behaviour == ControlPlaneBehaviour::missing, fault.status, f};
    if (fault.kind == FaultKind::error_rate && rng_[std::size_t(f)].bernoulli(fault.rate))
      return ControlAnswer{false, false, fault.status, f};
  }
  return {};
}

bool FaultPlan::hits_service(int service) const {
  for (std::size_t i = 0; i < state_.size(); ++i) {
    const State& st = state_[i];
    if (!st.active) continue;
    if (st.service == service) return true;
    for (int h : st.hosts)
      for (int r : t_.host_replicas[std::size_t(h)])
        if (t_.replicas[std::size_t(r)].service == service) return true;
  }
  return false;
}

}  // namespace faultline
