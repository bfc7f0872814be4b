#include "simulation/simgrid_platform.hpp"

#include "model/network_table.hpp"
#include "scenario/errors.hpp"

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include <algorithm>
#include <utility>

namespace sg4 = simgrid::s4u;

namespace faultline {

namespace {

// Bandwidth plays no part in the request-level model (it only asks for latencies); it is generous so
// that the small messages of the naive actor model cost their latency and little else.
constexpr double kLinkBandwidth = 1.25e9;  // bytes/s (10 Gbit/s)
constexpr double kHostSpeed = 1e9;         // flop/s

double at_least_zero(double v) { return std::max(0.0, v); }

}  // namespace

SimgridPlatform::SimgridPlatform(const Scenario& s, const Topology& t) {
  if (!sg4::Engine::has_instance()) throw InternalError("SimgridPlatform needs a SimgridEngine");
  for (const HostInfo& h : t.hosts) host_zone_.push_back(h.zone);
  zone_count_ = t.zones.size();
  self_latency_.assign(zone_count_, -1.0);
  if (zone_count_ <= kDenseZones) pair_latency_.assign(zone_count_ * zone_count_, -1.0);
  const Network& n = s.network;
  const double half_intra = at_least_zero(n.intra_zone / 2);

  sg4::NetZone* root = sg4::create_star_zone("faultline");

  // Regions: each a star zone whose gateway to the root sits in a small "core" zone of its own
  // (a gateway must live inside a child zone for SimGrid's recursive routing to find it).
  std::vector<sg4::NetZone*> region_zones;
  const double region_half = at_least_zero((n.inter_region - n.inter_zone) / 2);
  for (const std::string& r : t.regions) {
    sg4::NetZone* rz = sg4::create_star_zone("region/" + r);
    rz->set_parent(root);
    sg4::NetZone* core = sg4::create_star_zone("region/" + r + "/core");
    core->set_parent(rz);
    auto* gateway = core->create_router("region/" + r + "/gw");
    rz->add_route(core->get_netpoint(), nullptr, gateway, nullptr, {}, true);
    core->seal();
    sg4::Link* uplink = root->create_link("region/" + r + "/uplink", kLinkBandwidth)->set_latency(region_half)->seal();
    root->add_route(rz->get_netpoint(), nullptr, gateway, nullptr, {sg4::LinkInRoute(uplink)}, true);
    region_zones.push_back(rz);
    region_uplinks_.push_back(uplink);
  }

  // Zones: hosts on split-duplex NICs (up and down are distinct links, so a host talking to itself
  // also pays intra_zone, as the table says), one gateway router, one uplink into the region.
  std::vector<sg4::NetZone*> zones;
  std::vector<simgrid::kernel::routing::NetPoint*> zone_gateways;
  hosts_.resize(t.hosts.size());
  for (std::size_t z = 0; z < t.zones.size(); ++z) {
    sg4::NetZone* zone = sg4::create_star_zone("zone/" + t.zones[z]);
    sg4::NetZone* region = region_zones[std::size_t(t.zone_region[z])];
    zone->set_parent(region);
    for (int h : t.zone_hosts[z]) {
      const std::string& name = t.hosts[std::size_t(h)].name;
      sg4::Host* host = zone->create_host(name, kHostSpeed)->seal();
      sg4::Link* nic = zone->create_split_duplex_link(name + "/nic", kLinkBandwidth)->set_latency(half_intra)->seal();
      zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr,
                      {sg4::LinkInRoute(nic, sg4::LinkInRoute::Direction::UP)}, true);
      hosts_[std::size_t(h)] = host;
    }
    auto* gateway = zone->create_router("zone/" + t.zones[z] + "/gw");
    zone->seal();
    sg4::Link* uplink = region->create_link("zone/" + t.zones[z] + "/uplink", kLinkBandwidth)
                            ->set_latency(at_least_zero(n.inter_zone / 2 - half_intra))
                            ->seal();
    region->add_route(zone->get_netpoint(), nullptr, gateway, nullptr, {sg4::LinkInRoute(uplink)}, true);
    zones.push_back(zone);
    zone_gateways.push_back(gateway);
    zone_uplinks_.push_back(uplink);
  }

  // Overrides: a bypass route per zone pair whose table latency is not what the shape above gives,
  // in the pair's common ancestor, replacing everything between the two zones' gateways.
  for (std::size_t a = 0; a < t.zones.size(); ++a) {
    for (std::size_t b = a + 1; b < t.zones.size(); ++b) {
      if (t.zone_hosts[a].empty() || t.zone_hosts[b].empty()) continue;
      const bool same_region = t.zone_region[a] == t.zone_region[b];
      const double wanted = table_latency(s, t, t.zone_hosts[a][0], t.zone_hosts[b][0]);
      if (wanted == (same_region ? n.inter_zone : n.inter_region)) continue;
      sg4::NetZone* ancestor = same_region ? region_zones[std::size_t(t.zone_region[a])] : root;
      sg4::Link* link = ancestor->create_link("zone/" + t.zones[a] + "~zone/" + t.zones[b], kLinkBandwidth)
                            ->set_latency(at_least_zero(wanted - 2 * half_intra))
                            ->seal();
      ancestor->add_bypass_route(zones[a]->get_netpoint(), zones[b]->get_netpoint(), zone_gateways[a],
                                 zone_gateways[b], {sg4::LinkInRoute(link)});
      ancestor->add_bypass_route(zones[b]->get_netpoint(), zones[a]->get_netpoint(), zone_gateways[b],
                                 zone_gateways[a], {sg4::LinkInRoute(link)});
    }
  }
  for (sg4::NetZone* rz : region_zones) rz->seal();

  sg4::NetZone* control = sg4::create_star_zone("faultline/control");
  control->set_parent(root);
  control_host_ = control->create_host("faultline/kernel", kHostSpeed)->seal();
  control->seal();
  root->seal();
}

double SimgridPlatform::route_latency(int from_host, int to_host, double* slot) {
  const std::uint64_t key = (std::uint64_t(std::uint32_t(host_zone_[std::size_t(from_host)])) << 32) |
                            std::uint32_t(host_zone_[std::size_t(to_host)]);
  if (!slot)
    if (auto it = sparse_latency_.find(key); it != sparse_latency_.end()) return it->second;
  std::vector<sg4::Link*> links;
  double seconds = 0;
  host(from_host)->route_to(host(to_host), links, &seconds);
  if (slot) *slot = seconds;
  else sparse_latency_.emplace(key, seconds);
  ++cached_;
  return seconds;
}

void SimgridPlatform::set_link_latency(sg4::Link* link, double seconds) {
  link->set_latency(seconds);
  std::fill(self_latency_.begin(), self_latency_.end(), -1.0);
  std::fill(pair_latency_.begin(), pair_latency_.end(), -1.0);
  sparse_latency_.clear();
  cached_ = 0;
}

}  // namespace faultline
