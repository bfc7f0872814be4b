#include "model/replica_uptime.hpp"

#include "scenario/errors.hpp"

namespace faultline {

ReplicaUptime::ReplicaUptime(const Topology& t)
    : topology_(t), serving_(t.replicas.size(), 1), services_(t.service_replicas.size()) {
  for (std::size_t s = 0; s < services_.size(); ++s) {
    services_[s].up = int(t.service_replicas[s].size());
    services_[s].time_with.assign(t.service_replicas[s].size() + 1, 0.0);
  }
}

void ReplicaUptime::set_serving(int replica, bool serving, double t) {
  std::uint8_t& state = serving_[std::size_t(replica)];
  if (bool(state) == serving) return;
  state = serving;
  ServiceState& s = services_[std::size_t(topology_.replicas[std::size_t(replica)].service)];
  s.time_with[std::size_t(s.up)] += t - s.since;
  s.since = t;
  s.up += serving ? 1 : -1;
  if (s.up == 0) ++s.outages;
}

void ReplicaUptime::fill(std::vector<ServiceReport>& services, double end) const {
  if (services.size() != services_.size()) throw InternalError("ReplicaUptime: one report per service");
  for (std::size_t i = 0; i < services_.size(); ++i) {
    const ServiceState& s = services_[i];
    ServiceReport& r = services[i];
    r.time_by_replicas_up = s.time_with;
    r.time_by_replicas_up[std::size_t(s.up)] += end - s.since;
    r.outages = s.outages;
    r.uptime = end > 0 ? 1 - r.time_by_replicas_up[0] / end : 1;
  }
}

}  // namespace faultline
