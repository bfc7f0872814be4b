// PlatformModel, the network's capacity: links with a bandwidth between zones or regions or inside a
// zone, and named devices (a transit gateway) on the routes between the places they join, shared by
// the calls and replies that cross them. One SimGrid flow per call would cost far more than the call
// itself, so the traffic is aggregated: every message adds its size to the flow of its route and
// traffic class, and every `network.sync_interval` the links are shared between the flows by
// share_links() (model/link_sharing.hpp: max-min within a class, strict priority between classes,
// the rule checked against SimGrid's network model) on the demand each flow offered in the last
// interval plus its backlog. What a flow could not send waits (its messages in the next interval are
// delayed by the time to drain it); beyond a link's buffer the lowest class is dropped first (a
// dropped message's caller times out). The approximation: shares change once per interval, not at
// each message, and the transmission time of a message at its share is not added to its latency.
#include "model/link_sharing.hpp"
#include "model/platform_model_impl.hpp"

namespace faultline {

void PlatformModel::Impl::set_up_network() {
  const auto& links = s.network.links;
  const auto& devices = s.network.devices;
  // Network elements with a bandwidth: links, then devices; element[k] is a link's index in `links`,
  // or -1 - a device's index in `devices`.
  std::vector<int> element;
  auto add = [&](const std::string& name, const char* kind, double bandwidth, std::optional<double> buffer,
                 auto named) {
    NetLink nl;
    nl.bandwidth = bandwidth;
    nl.buffer = buffer.value_or(0.05 * bandwidth);
    nl.resource = add_resource(name, kind, bandwidth);
    for (std::size_t f = 0; f < s.faults.size(); ++f)
      if (s.faults[f].kind == FaultKind::link_capacity && named(s.faults[f].target)) nl.faults.push_back(int(f));
    net_links.push_back(std::move(nl));
  };
  for (std::size_t l = 0; l < links.size(); ++l) {
    if (!links[l].bandwidth) continue;
    add(links[l].name, "link", *links[l].bandwidth, links[l].buffer, [&](const std::string& t) { return links[l].named(t); });
    element.push_back(int(l));
  }
  for (std::size_t d = 0; d < devices.size(); ++d) {
    add(devices[d].name, "device", devices[d].bandwidth, devices[d].buffer,
        [&](const std::string& t) { return t == devices[d].name; });
    element.push_back(-1 - int(d));
  }
  if (net_links.empty()) return;
  net_rng = RandomStream(seed, "network");
  // Where a zone meets a device: the entry of `joins` that is the zone, or else its region (-1: none).
  auto entry = [&](const Device& dev, std::size_t z) -> std::ptrdiff_t {
    const std::string& region = topo.regions[std::size_t(topo.zone_region[z])];
    auto it = std::find(dev.joins.begin(), dev.joins.end(), topo.zones[z]);
    if (it == dev.joins.end()) it = std::find(dev.joins.begin(), dev.joins.end(), region);
    return it == dev.joins.end() ? -1 : it - dev.joins.begin();
  };
  // The route between two zones: the links with a bandwidth that join them or their regions, and the
  // devices between them; from a zone to itself, the zone's own network.
  const std::size_t nz = topo.zones.size();
  zone_route.assign(nz * nz, -1);
  std::vector<std::vector<int>> routes;
  for (std::size_t za = 0; za < nz; ++za)
    for (std::size_t zb = 0; zb < nz; ++zb) {
      const std::string &a = topo.zones[za], &b = topo.zones[zb];
      const std::string &ra = topo.regions[std::size_t(topo.zone_region[za])], &rb = topo.regions[std::size_t(topo.zone_region[zb])];
      std::vector<int> route;
      for (std::size_t k = 0; k < net_links.size(); ++k) {
        bool crosses = false;
        if (element[k] >= 0) {
          const LinkOverride& l = links[std::size_t(element[k])];
          const bool zones = (l.a == a && l.b == b) || (l.a == b && l.b == a);
          const bool regions = ra != rb && ((l.a == ra && l.b == rb) || (l.a == rb && l.b == ra));
          crosses = zones || regions;
        } else if (za != zb) {
          const Device& dev = devices[std::size_t(-1 - element[k])];
          const std::ptrdiff_t ea = entry(dev, za), eb = entry(dev, zb);
          crosses = ea >= 0 && eb >= 0 && ea != eb;
        }
        if (crosses) route.push_back(int(k));
      }
      if (route.empty()) continue;
      auto it = std::find(routes.begin(), routes.end(), route);
      zone_route[za * nz + zb] = int(it - routes.begin());
      if (it == routes.end()) routes.push_back(std::move(route));
    }
  for (const std::vector<int>& route : routes)
    for (int cls = 0; cls < kTrafficClasses; ++cls) {
      NetFlow f;
      f.links = route;
      f.cls = cls;
      net_flows.push_back(std::move(f));
    }
  if (!net_flows.empty()) q.push(std::min(end, s.network.sync_interval), kNetworkSync, 0);
}

int PlatformModel::Impl::network_flow(int host_a, int host_b, int edge) const {
  if (host_a == host_b) return -1;  // within one host: no network
  const std::size_t nz = topo.zones.size();
  const int route = zone_route[std::size_t(topo.hosts[std::size_t(host_a)].zone) * nz +
                               std::size_t(topo.hosts[std::size_t(host_b)].zone)];
  if (route < 0) return -1;
  return route * kTrafficClasses + int(s.dependencies[std::size_t(edge)].traffic_class);
}

// A message of `mb` enters its flow: false when dropped (its blame in `blame`), else `delay` grows by
// the wait behind the flow's backlog.
bool PlatformModel::Impl::cross_network(int flow, double mb, double& delay, Blame& blame) {
  NetFlow& f = net_flows[std::size_t(flow)];
  if (f.drop > 0 && net_rng.bernoulli(f.drop)) {
    NetLink& l = net_links[std::size_t(f.blame)];
    ++l.drops[std::size_t(f.cls)];
    hit_limit(l.resource);
    blame = Blame::resource(l.resource);
    return false;
  }
  f.offered += mb;
  delay += f.delay;
  if (f.delay > 0) blame = Blame::resource(net_links[std::size_t(f.blame)].resource);  // if it then times out
  return true;
}

void PlatformModel::Impl::on_network_sync() {
  const double interval = std::min(s.network.sync_interval, end - last_sync);
  if (interval <= 0) return;
  last_sync = now;
  if (now + s.network.sync_interval <= end) q.push(now + s.network.sync_interval, kNetworkSync, 0);
  std::vector<double> capacity(net_links.size());
  for (std::size_t k = 0; k < net_links.size(); ++k) {
    double factor = 1;
    for (int f : net_links[k].faults)
      if (faults.active(f)) factor *= s.faults[std::size_t(f)].factor;
    capacity[k] = net_links[k].bandwidth * factor;
  }
  std::vector<LinkFlow> demand(net_flows.size());
  for (std::size_t i = 0; i < net_flows.size(); ++i) {
    const NetFlow& f = net_flows[i];
    demand[i].links = f.links;
    demand[i].demand = (f.offered + f.backlog) / interval;
    demand[i].priority = f.cls;
  }
  const std::vector<double> rate = share_links(capacity, demand);
  std::vector<double> carried(net_links.size(), 0), queued(net_links.size(), 0);
  for (std::size_t i = 0; i < net_flows.size(); ++i) {
    NetFlow& f = net_flows[i];
    const double want = f.offered + f.backlog;
    const double sent = std::min(want, rate[i] * interval);
    f.backlog = want - sent;
    f.rate = rate[i];
    for (int k : f.links) {
      carried[std::size_t(k)] += sent;
      queued[std::size_t(k)] += f.backlog;
    }
  }
  // Over a link's buffer, the lowest classes lose what they queued first.
  std::vector<double> dropped(net_flows.size(), 0);
  for (std::size_t k = 0; k < net_links.size(); ++k) {
    double excess = queued[k] - net_links[k].buffer;
    for (int cls = 0; cls < kTrafficClasses && excess > 0; ++cls)
      for (std::size_t i = 0; i < net_flows.size() && excess > 0; ++i) {
        NetFlow& f = net_flows[i];
        if (f.cls != cls || f.backlog <= 0 || std::find(f.links.begin(), f.links.end(), int(k)) == f.links.end()) continue;
        const double d = std::min(f.backlog, excess);
        f.backlog -= d;
        dropped[i] += d;
        excess -= d;
        queued[k] -= d;
        f.blame = int(k);
      }
  }
  for (std::size_t i = 0; i < net_flows.size(); ++i) {
    NetFlow& f = net_flows[i];
    f.drop = f.offered > 0 ? std::min(1.0, dropped[i] / f.offered) : 0;
    f.delay = f.backlog <= 0 ? 0 : f.rate > 0 ? std::min(3600.0, f.backlog / f.rate) : 3600.0;
    if (f.backlog > 0 && dropped[i] == 0) {  // blame the link where it queues the most
      int worst = f.links.front();
      for (int k : f.links)
        if (queued[std::size_t(k)] > queued[std::size_t(worst)]) worst = k;
      f.blame = worst;
    }
    f.offered = 0;
  }
  for (std::size_t k = 0; k < net_links.size(); ++k) {
    NetLink& l = net_links[k];
    l.carried += carried[k];
    l.capacity_seconds += capacity[k] * interval;
    l.queued += queued[k] * interval;
    if (queued[k] > 1e-12) l.saturated += interval;
  }
}

void PlatformModel::Impl::close_network_bucket(int b, double length) {
  for (NetLink& l : net_links) {
    ResourceState& st = resources[std::size_t(l.resource)];
    st.utilisation[std::size_t(b)] = l.capacity_seconds > 0 ? l.carried / l.capacity_seconds : 0;
    st.backlog[std::size_t(b)] = length > 0 ? l.queued / length : 0;
    st.used += l.capacity_seconds > 0 ? length * l.carried / l.capacity_seconds : 0;
    st.saturated += l.saturated;
    l.carried = l.capacity_seconds = l.queued = l.saturated = 0;
  }
}

void PlatformModel::Impl::fill_network(Report& r) {
  static constexpr const char* kClassNames[kTrafficClasses] = {"bulk", "rpc", "control"};
  for (const NetLink& l : net_links) {
    ResourceReport& res = r.resources[std::size_t(l.resource)];
    for (int cls = 0; cls < kTrafficClasses; ++cls) res.drops_by_class[kClassNames[cls]] = l.drops[std::size_t(cls)];
  }
}

}  // namespace faultline
