#include "scenario/scenario.hpp"

#include <algorithm>
#include <cmath>

namespace faultline {

namespace {
template <class T>
const T* find_named(const std::vector<T>& v, const std::string& name) {
  auto it = std::find_if(v.begin(), v.end(), [&](const T& x) { return x.name == name; });
  return it == v.end() ? nullptr : &*it;
}
}  // namespace

const Service* Scenario::find_service(const std::string& name) const { return find_named(services, name); }
const Zone* Scenario::find_zone(const std::string& name) const { return find_named(zones, name); }
const Feature* Scenario::find_feature(const std::string& name) const { return find_named(features, name); }
const Fault* Scenario::find_fault(const std::string& name) const { return find_named(faults, name); }

std::vector<std::string> Scenario::regions() const {
  std::vector<std::string> out;
  for (const Zone& z : zones)
    if (std::find(out.begin(), out.end(), z.region) == out.end()) out.push_back(z.region);
  return out;
}

const char* to_string(DependencyKind k) {
  switch (k) {
    case DependencyKind::hard: return "hard";
    case DependencyKind::soft: return "soft";
    case DependencyKind::control: return "control";
  }
  return "?";
}

FaultUnit fault_unit(FaultKind k) {
  switch (k) {
    case FaultKind::host_crash:
    case FaultKind::slow_disk:
    case FaultKind::cpu_hog: return FaultUnit::host;
    case FaultKind::service_crash:
    case FaultKind::config_rollout:
    case FaultKind::cert_expiry:
    case FaultKind::latency:
    case FaultKind::packet_loss:
    case FaultKind::error_rate:
    case FaultKind::slowdown:
    case FaultKind::memory_leak:
    case FaultKind::clock_skew: return FaultUnit::replica;
    default: return FaultUnit::none;
  }
}

const char* to_string(FaultKind k) {
  switch (k) {
    case FaultKind::host_crash: return "host_crash";
    case FaultKind::service_crash: return "service_crash";
    case FaultKind::zone_outage: return "zone_outage";
    case FaultKind::latency: return "latency";
    case FaultKind::error_rate: return "error_rate";
    case FaultKind::control_plane: return "control_plane";
    case FaultKind::region_outage: return "region_outage";
    case FaultKind::link_down: return "link_down";
    case FaultKind::partition: return "partition";
    case FaultKind::packet_loss: return "packet_loss";
    case FaultKind::slowdown: return "slowdown";
    case FaultKind::traffic_surge: return "traffic_surge";
    case FaultKind::config_rollout: return "config_rollout";
    case FaultKind::cert_expiry: return "cert_expiry";
    case FaultKind::dns_failure: return "dns_failure";
    case FaultKind::clock_skew: return "clock_skew";
    case FaultKind::cpu_hog: return "cpu_hog";
    case FaultKind::link_capacity: return "link_capacity";
    case FaultKind::memory_leak: return "memory_leak";
    case FaultKind::slow_disk: return "slow_disk";
    case FaultKind::limit_lowered: return "limit_lowered";
    case FaultKind::data_loss: return "data_loss";
  }
  return "?";
}

const char* to_string(ActionKind k) {
  switch (k) {
    case ActionKind::switch_dependency: return "switch_dependency";
    case ActionKind::rollback: return "rollback";
    case ActionKind::restart: return "restart";
    case ActionKind::failover: return "failover";
    case ActionKind::shed_load: return "shed_load";
    case ActionKind::scale: return "scale";
    case ActionKind::kill_switch: return "kill_switch";
    case ActionKind::admit: return "admit";
    case ActionKind::restore: return "restore";
    case ActionKind::flush_cache: return "flush_cache";
  }
  return "?";
}

const char* to_string(ScalingSignal s) {
  switch (s) {
    case ScalingSignal::cpu: return "cpu";
    case ScalingSignal::queue: return "queue";
    case ScalingSignal::latency: return "latency";
  }
  return "?";
}

const char* to_string(ClientAction a) {
  switch (a) {
    case ClientAction::error: return "error";
    case ClientAction::retry: return "retry";
    case ClientAction::logout: return "logout";
    case ClientAction::ignore: return "ignore";
  }
  return "?";
}

const char* to_string(SelectorMode m) {
  switch (m) {
    case SelectorMode::one: return "one";
    case SelectorMode::all: return "all";
    case SelectorMode::fixed: return "fixed";
    case SelectorMode::percent: return "percent";
  }
  return "?";
}

static const char* const kStatusNames[kStatusCount] = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
    "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};

const char* to_string(Status s) { return kStatusNames[int(s)]; }

std::optional<Status> parse_status(std::string_view name) {
  for (int i = 0; i < kStatusCount; ++i)
    if (name == kStatusNames[i]) return Status(i);
  return std::nullopt;
}

std::vector<std::string> status_names() { return {std::begin(kStatusNames), std::end(kStatusNames)}; }

double Distribution::expected() const {
  switch (kind) {
    case Kind::constant:
    case Kind::exponential:
    case Kind::lognormal: return mean;
    case Kind::uniform: return (min + max) / 2;
    case Kind::weibull: return scale * std::tgamma(1 + 1 / shape);
  }
  return mean;
}

const char* to_string(Distribution::Kind k) {
  switch (k) {
    case Distribution::Kind::constant: return "constant";
    case Distribution::Kind::exponential: return "exponential";
    case Distribution::Kind::lognormal: return "lognormal";
    case Distribution::Kind::uniform: return "uniform";
    case Distribution::Kind::weibull: return "weibull";
  }
  return "?";
}

std::vector<std::string> distribution_names() { return {"constant", "exponential", "lognormal", "uniform", "weibull"}; }

}  // namespace faultline
