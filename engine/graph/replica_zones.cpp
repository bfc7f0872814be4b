#include "graph/replica_zones.hpp"

#include "model/topology.hpp"

#include <algorithm>

namespace faultline::graph {

std::vector<std::vector<std::size_t>> replica_zones(const Scenario& s) {
  std::vector<std::vector<std::size_t>> zones_by_service(s.services.size());
  // Topology::build divides by the zone count; without zones nothing is placed anyway.
  if (s.zones.empty()) return zones_by_service;
  const Topology topology = Topology::build(s);
  for (std::size_t si = 0; si < s.services.size(); ++si) {
    auto& zones = zones_by_service[si];
    for (int replica : topology.service_replicas[si]) zones.push_back(std::size_t(topology.replicas[std::size_t(replica)].zone));
    std::sort(zones.begin(), zones.end());
    zones.erase(std::unique(zones.begin(), zones.end()), zones.end());
  }
  return zones_by_service;
}

}  // namespace faultline::graph
