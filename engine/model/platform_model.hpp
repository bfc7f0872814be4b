// The request-level model of a platform: users' requests enter at features, walk the dependency
// graph, queue at replicas, pay network latency, retry, time out, fail and degrade. Plain C++ over
// its own event queue; platform state (hosts, replica processes, latencies) comes from the kernel
// through PlatformPort and the on_* notifications. One PlatformModel simulates one run.
#pragma once

#include "model/platform_port.hpp"
#include "model/topology.hpp"
#include "report/report.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <limits>
#include <memory>

namespace faultline {

class PlatformModel {
 public:
  PlatformModel(const Scenario& scenario, const Topology& topology, std::uint64_t seed, PlatformPort& port);
  ~PlatformModel();
  PlatformModel(const PlatformModel&) = delete;
  PlatformModel& operator=(const PlatformModel&) = delete;

  // Schedules arrivals, bucket ticks and faults, and hands the kernel its first platform commands.
  void start();
  // Time of the next model event; +infinity when there is none.
  double next_event_time() const;
  // Processes events in order while they are before both `limit` and the port's horizon.
  void run_until(double limit);
  double now() const;

  // Platform notifications from the kernel, at its current time t.
  void on_host_state(int host, bool up, double t);
  void on_replica_down(int replica, double t);
  void on_replica_ready(int replica, double t);

  // Closes the books at the scenario's end and computes every metric.
  Report finish();

  std::uint64_t events_processed() const;
  std::uint64_t calls_simulated() const;
  std::size_t in_flight() const;  // user requests not yet answered
  std::size_t peak_in_flight() const;

  static constexpr double kNever = std::numeric_limits<double>::infinity();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs a model with no kernel underneath: a fixed platform whose commands take effect at once and
// whose latencies come from the scenario's network table. For unit tests and verification of the
// behaviour alone; the product runs through engine/simulation (SimGrid).
Report run_without_kernel(const Scenario& scenario, std::uint64_t seed);

}  // namespace faultline
