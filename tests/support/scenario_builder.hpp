// Small scenarios built in C++ for tests of the model and the kernel, without the TOML loader.
#pragma once

#include "report/report.hpp"
#include "scenario/scenario.hpp"

#include <fmt/format.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace faultline::testing {

// One region "r1" with `zones` zones of `hosts` hosts each, one feature "f" entering at "front".
inline Scenario basic_scenario(int zones = 1, int hosts = 4) {
  Scenario s;
  s.info.name = "test";
  s.info.duration = 600;
  s.info.bucket = 10;
  s.origin = "<test>";
  // fmt rather than "z" + std::to_string(z): GCC 12 warns falsely (-Wrestrict) on that once inlined.
  for (int z = 0; z < zones; ++z) s.zones.push_back(Zone{fmt::format("z{}", z), "r1", hosts, 0, {}, {}});
  s.traffic.rate = 100;
  s.traffic.users = 1000;
  s.traffic.sample_users = 1000;
  return s;
}

inline Service& add_service(Scenario& s, const std::string& name, int replicas = 1, int workers = 8, int queue = 64,
                            Distribution st = Distribution::constant(0.005)) {
  Service svc;
  svc.name = name;
  svc.replicas = replicas;
  svc.workers = workers;
  svc.queue = queue;
  svc.service_time = st;
  s.services.push_back(svc);
  return s.services.back();
}

inline Dependency& add_dependency(Scenario& s, const std::string& from, const std::string& to,
                                  DependencyKind kind = DependencyKind::hard) {
  Dependency d;
  d.from = from;
  d.to = to;
  d.kind = kind;
  s.dependencies.push_back(d);
  return s.dependencies.back();
}

inline Feature& add_feature(Scenario& s, const std::string& name, const std::string& entry, double share = 1) {
  s.features.push_back(Feature{name, entry, share, 0.999, {}});
  return s.features.back();
}

inline Fault& add_fault(Scenario& s, const std::string& name, FaultKind kind, const std::string& target, double at,
                        std::optional<double> duration = std::nullopt) {
  Fault f;
  f.name = name;
  f.kind = kind;
  f.target = target;
  f.at = at;
  f.duration = duration;
  s.faults.push_back(f);
  return s.faults.back();
}

// A service with replicated state on basic_scenario(3, ...): its primary in z0, its standby copy in
// z1, its failover controller probing from z2; `write_share` of its requests are writes, each
// reaching the copy `lag` after its commit (async).
inline Service& add_replicated_service(Scenario& s, const std::string& name, double hold_down, double delay,
                                       double lag, double write_share, int workers = 8) {
  Service& svc = add_service(s, name, 2, workers);
  svc.zones = {"z0", "z1"};
  svc.failover.enabled = true;
  svc.failover.standby = {"z1"};
  svc.failover.observer = "z2";
  svc.failover.hold_down = hold_down;
  svc.failover.delay = delay;
  svc.replication.enabled = true;
  svc.replication.lag = Distribution::constant(lag);
  svc.replication.write_share = write_share;
  return svc;
}

// The spans of the TTR breakdown that are present, added up (they should make the TTR).
inline double stage_sum(const TtrStages& st) {
  double sum = 0;
  for (const auto* span : {&st.detection, &st.acknowledgement, &st.diagnosis, &st.mitigation, &st.recovery})
    sum += span->value_or(0);
  return sum;
}

inline const Series& feature(const Report& r, const std::string& name) {
  for (const Series& f : r.features)
    if (f.name == name) return f;
  throw std::runtime_error("no feature " + name);
}

inline const ServiceReport& service(const Report& r, const std::string& name) {
  for (const ServiceReport& s : r.services)
    if (s.name == name) return s;
  throw std::runtime_error("no service " + name);
}

inline const EdgeReport& edge(const Report& r, const std::string& from, const std::string& to) {
  for (const EdgeReport& e : r.edges)
    if (e.from == from && e.to == to) return e;
  throw std::runtime_error("no edge " + from + "->" + to);
}

}  // namespace faultline::testing
