// Where everything is: hosts in zones in regions, and each service replica on a host.
// Derived deterministically from the scenario; the SimGrid platform is built from it and the model
// routes over it, so both agree on every index.
#pragma once

#include "scenario/scenario.hpp"

#include <string>
#include <vector>

namespace faultline {

struct HostInfo {
  std::string name;  // "<zone>-h<i>"
  int zone = 0;
  int region = 0;
};

struct ReplicaInfo {
  std::string name;  // "<service>.<i>"
  int service = 0;
  int host = 0;
  int zone = 0;
  int region = 0;
  bool parked = false;  // beyond the service's `replicas`, up to autoscaling.max: starts switched off
};

struct Topology {
  std::vector<std::string> regions;
  std::vector<std::string> zones;
  std::vector<int> zone_region;              // by zone
  std::vector<std::vector<int>> zone_hosts;  // by zone
  std::vector<HostInfo> hosts;
  std::vector<ReplicaInfo> replicas;
  std::vector<std::vector<int>> service_replicas;  // by service, in order
  std::vector<std::vector<int>> host_replicas;     // by host

  // Replica i of a service goes to zone zones[i % n]; inside a zone, services take hosts in turn,
  // so replicas of different services share hosts only when a zone has fewer hosts than replicas.
  // An autoscaled service gets autoscaling.max replicas, placed the same way, the extra ones parked.
  static Topology build(const Scenario& s);
  int zone_index(const std::string& name) const;    // -1 when unknown
  int region_index(const std::string& name) const;  // -1 when unknown
  int host_index(const std::string& name) const;    // -1 when unknown
};

}  // namespace faultline
