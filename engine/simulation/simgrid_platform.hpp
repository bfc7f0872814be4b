// The scenario's hosts, zones and regions as a SimGrid platform whose routes realise the scenario's
// network table, and the one-way latency between two hosts as SimGrid's routing sees it now.
//
// The latencies realised are model/network_table.hpp's table_latency (one definition for the
// kernel-less runner and SimGrid). Shape (every zone is a SimGrid star zone, so building is linear in the number of hosts):
//   root ── region/<r> ── zone/<z> ── hosts, each with its own split-duplex NIC link
// A route between two hosts crosses the sender's NIC up, then the uplinks of the zones and regions
// between them, then the receiver's NIC down. NIC links carry half of the zone's intra-zone latency,
// zone uplinks make two zones of one region inter_zone apart, region uplinks make two regions
// inter_region apart. A [[link]] override between two zones or two regions becomes a SimGrid bypass
// route per zone pair it covers. The latency table rules are in simgrid_platform.cpp.
#pragma once

#include "model/topology.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace simgrid::s4u {
class Host;
class Link;
}  // namespace simgrid::s4u

namespace faultline {

class SimgridPlatform {
 public:
  // Requires a SimgridEngine and no platform yet; seals the platform.
  SimgridPlatform(const Scenario& scenario, const Topology& topology);
  SimgridPlatform(const SimgridPlatform&) = delete;
  SimgridPlatform& operator=(const SimgridPlatform&) = delete;

  simgrid::s4u::Host* host(int index) const { return hosts_[std::size_t(index)]; }
  std::size_t host_count() const { return hosts_.size(); }
  // A host outside every zone where the kernel's own actors live, so that no fault can kill them.
  simgrid::s4u::Host* control_host() const { return control_host_; }

  // One-way latency from SimGrid's routing, cached until a latency changes. Every host of a zone has
  // the same NIC, so a route's latency depends only on the two zones (and, for a host and itself, on
  // the zone): the cache is by zone pair, filled as pairs are first asked for.
  double latency(int from_host, int to_host) {
    const int a = host_zone_[std::size_t(from_host)], b = host_zone_[std::size_t(to_host)];
    double* slot = from_host == to_host ? &self_latency_[std::size_t(a)] : zone_pair_slot(a, b);
    if (slot && *slot >= 0) return *slot;
    return route_latency(from_host, to_host, slot);
  }
  // Changes a link's latency; every latency derived from routes is recomputed lazily afterwards. Only
  // for links every host of a zone shares (uplinks, links between zones): the cache is by zone pair,
  // so one host's NIC may not differ from its zone's others.
  void set_link_latency(simgrid::s4u::Link* link, double seconds);
  simgrid::s4u::Link* zone_uplink(int zone) const { return zone_uplinks_[std::size_t(zone)]; }
  simgrid::s4u::Link* region_uplink(int region) const { return region_uplinks_[std::size_t(region)]; }

  std::size_t cached_latencies() const { return cached_; }

 private:
  // The dense table's slot of a zone pair; null past kDenseZones zones (then the sparse map).
  double* zone_pair_slot(int a, int b) {
    return pair_latency_.empty() ? nullptr : &pair_latency_[std::size_t(a) * zone_count_ + std::size_t(b)];
  }
  double route_latency(int from_host, int to_host, double* slot);  // SimGrid's route, then cached
  static constexpr std::size_t kDenseZones = 1024;

  std::vector<simgrid::s4u::Host*> hosts_;
  std::vector<simgrid::s4u::Link*> zone_uplinks_;
  std::vector<simgrid::s4u::Link*> region_uplinks_;
  simgrid::s4u::Host* control_host_ = nullptr;
  std::vector<int> host_zone_;         // by host
  std::size_t zone_count_ = 0;
  std::vector<double> self_latency_;  // by zone, -1: not asked yet
  std::vector<double> pair_latency_;  // by zone pair (dense), -1: not asked yet
  std::unordered_map<std::uint64_t, double> sparse_latency_;  // by zone pair, past kDenseZones zones
  std::size_t cached_ = 0;
};

}  // namespace faultline
