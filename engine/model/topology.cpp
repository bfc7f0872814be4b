#include "model/topology.hpp"

#include <algorithm>
#include <unordered_map>

namespace faultline {

namespace {
int index_of(const std::vector<std::string>& v, const std::string& name) {
  auto it = std::find(v.begin(), v.end(), name);
  return it == v.end() ? -1 : int(it - v.begin());
}
}  // namespace

Topology Topology::build(const Scenario& s) {
  Topology t;
  t.regions = s.regions();
  for (const Zone& z : s.zones) {
    int zi = int(t.zones.size());
    t.zones.push_back(z.name);
    int ri = index_of(t.regions, z.region);
    t.zone_region.push_back(ri);
    t.zone_hosts.emplace_back();
    for (int h = 0; h < z.hosts; ++h) {
      t.zone_hosts[zi].push_back(int(t.hosts.size()));
      t.hosts.push_back({z.name + "-h" + std::to_string(h), zi, ri});
    }
  }
  t.host_replicas.resize(t.hosts.size());
  std::vector<int> cursor(t.zones.size(), 0);
  for (std::size_t si = 0; si < s.services.size(); ++si) {
    const Service& svc = s.services[si];
    t.service_replicas.emplace_back();
    const int placed = svc.autoscaling.enabled ? std::max(svc.replicas, svc.autoscaling.max) : svc.replicas;
    for (int i = 0; i < placed; ++i) {
      int zi = svc.zones.empty() ? i % int(t.zones.size())
                                 : t.zone_index(svc.zones[std::size_t(i) % svc.zones.size()]);
      const auto& hosts = t.zone_hosts[std::size_t(zi)];
      int host = hosts[std::size_t(cursor[std::size_t(zi)]++) % hosts.size()];
      int ri = int(t.replicas.size());
      t.replicas.push_back(
          {svc.name + "." + std::to_string(i), int(si), host, zi, t.zone_region[std::size_t(zi)], i >= svc.replicas});
      t.service_replicas[si].push_back(ri);
      t.host_replicas[std::size_t(host)].push_back(ri);
    }
  }
  return t;
}

int Topology::zone_index(const std::string& name) const { return index_of(zones, name); }
int Topology::region_index(const std::string& name) const { return index_of(regions, name); }
int Topology::host_index(const std::string& name) const {
  for (std::size_t i = 0; i < hosts.size(); ++i)
    if (hosts[i].name == name) return int(i);
  return -1;
}

}  // namespace faultline
