#include "model/network_table.hpp"

namespace faultline {

double table_latency(const Scenario& s, const Topology& t, int host_a, int host_b) {
  const HostInfo& a = t.hosts[std::size_t(host_a)];
  const HostInfo& b = t.hosts[std::size_t(host_b)];
  if (a.zone == b.zone) return s.network.intra_zone;
  auto names_match = [](const LinkOverride& l, const std::string& x, const std::string& y) {
    return (l.a == x && l.b == y) || (l.a == y && l.b == x);
  };
  const std::string& za = t.zones[std::size_t(a.zone)];
  const std::string& zb = t.zones[std::size_t(b.zone)];
  const std::string& ra = t.regions[std::size_t(a.region)];
  const std::string& rb = t.regions[std::size_t(b.region)];
  for (const LinkOverride& l : s.network.links)  // a zone pair is more specific than a region pair
    if (l.latency && names_match(l, za, zb)) return *l.latency;
  if (a.region == b.region) return s.network.inter_zone;
  for (const LinkOverride& l : s.network.links)
    if (l.latency && names_match(l, ra, rb)) return *l.latency;
  return s.network.inter_region;
}

}  // namespace faultline
