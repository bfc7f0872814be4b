// Small scenarios for the kernel's unit tests, built in code (no loader): just enough platform,
// services and network for the behaviour under test.
#pragma once

#include "scenario/scenario.hpp"

#include <string>

namespace faultline::testing {

// A latency override between two zones or two regions.
inline LinkOverride latency_link(const std::string& a, const std::string& b, double latency) {
  LinkOverride l;
  l.a = a;
  l.b = b;
  l.latency = latency;
  return l;
}

inline Zone zone(const std::string& name, const std::string& region, int hosts) {
  Zone z;
  z.name = name;
  z.region = region;
  z.hosts = hosts;
  return z;
}

inline Service service(const std::string& name, int replicas, std::vector<std::string> zones, double restart) {
  Service s;
  s.name = name;
  s.replicas = replicas;
  s.zones = std::move(zones);
  s.restart_time = restart;
  return s;
}

// Regions r1 (zones a1 with 2 hosts, a2, a3), r2 (b1) and r3 (c1); latencies chosen so that every
// rule of the network table gives a different value:
//   intra 0.0002, inter_zone 0.001, inter_region 0.07,
//   a2~a3 0.003 (zone override inside a region), r2~r3 0.2 (region override),
//   a1~c1 0.09 (zone override across regions), r1~r1 0.5 (a region with itself: no effect).
inline Scenario three_region_scenario() {
  Scenario s;
  s.info.name = "kernel-test";
  s.info.duration = 100;
  s.info.bucket = 10;
  s.zones = {zone("a1", "r1", 2), zone("a2", "r1", 1), zone("a3", "r1", 1), zone("b1", "r2", 1),
             zone("c1", "r3", 1)};
  s.network.intra_zone = 0.0002;
  s.network.inter_zone = 0.001;
  s.network.inter_region = 0.07;
  s.network.links = {latency_link("a2", "a3", 0.003), latency_link("r2", "r3", 0.2), latency_link("c1", "a1", 0.09),
                     latency_link("r1", "r1", 0.5)};
  // Two replicas on a1's two hosts (restart 7 s), one on b1 (restart 3 s).
  s.services = {service("api", 2, {"a1"}, 7), service("db", 1, {"b1"}, 3)};
  return s;
}

}  // namespace faultline::testing
