// How long each service had k of its replicas serving (host up, process up and ready), from the
// replicas' state changes: the time-weighted availability of a service, which needs no traffic,
// beside the request-weighted one of the metrics. Closed-form availability (MTTF / (MTTF + MTTR),
// k-of-n) is checked against it.
#pragma once

#include "model/topology.hpp"
#include "report/report.hpp"

#include <cstdint>
#include <vector>

namespace faultline {

class ReplicaUptime {
 public:
  // Every replica serving at t = 0, as the platform starts.
  explicit ReplicaUptime(const Topology& t);

  // A replica starts or stops serving at t (a repeated state is ignored).
  void set_serving(int replica, bool serving, double t);

  // uptime, outages and time_by_replicas_up of each service (reports in the topology's service order),
  // closing the books at `end`.
  void fill(std::vector<ServiceReport>& services, double end) const;

 private:
  struct ServiceState {
    int up = 0;
    double since = 0;                  // when `up` last changed
    std::vector<double> time_with;     // [k]: seconds with exactly k serving, up to `since`
    std::uint64_t outages = 0;
  };
  const Topology& topology_;
  std::vector<std::uint8_t> serving_;  // by replica
  std::vector<ServiceState> services_;
};

}  // namespace faultline
