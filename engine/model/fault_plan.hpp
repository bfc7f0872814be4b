// The faults of one run: which hosts, replicas, services or edges each one hits (its selector drawn
// from the run's seed and the fault's name), whether it is active, what it does to a call while it is,
// and which platform command starts or ends it. The model asks; the plan answers.
#pragma once

#include "model/platform_port.hpp"
#include "model/random.hpp"
#include "model/topology.hpp"
#include "scenario/scenario.hpp"

#include <optional>
#include <string>
#include <vector>

namespace faultline {

class FaultPlan {
 public:
  FaultPlan(const Scenario& s, const Topology& t, std::uint64_t seed);

  std::size_t size() const { return state_.size(); }
  bool active(int f) const { return state_[std::size_t(f)].active; }
  const std::vector<int>& hosts(int f) const { return state_[std::size_t(f)].hosts; }
  const std::vector<int>& replicas(int f) const { return state_[std::size_t(f)].replicas; }

  // Starting or ending a fault; the platform command that realises it, if it is a platform fault.
  // A fault starts once and ends once; later calls return nothing and change nothing.
  std::optional<PlatformCommand> start(int f);
  std::optional<PlatformCommand> end(int f);
  std::string describe(int f) const;

  // What active faults do to a call that reaches `replica` of `service`, or travels along `edge`.
  bool touches_service(int service) const { return !service_faults_[std::size_t(service)].empty(); }
  bool touches_edge(int edge) const { return !edge_faults_[std::size_t(edge)].empty(); }
  double added_delay_at(int service, int replica);
  double added_delay_on(int edge);
  int injected_error_at(int service, int replica);  // the striking fault, or -1
  int injected_error_on(int edge);

  // What a control plane answers a resolver now, as far as faults go.
  struct ControlAnswer {
    bool ok = true;
    bool missing = false;  // an authoritative "no such entry" rather than an error
    Status status = Status::OK;
    int fault = -1;
  };
  ControlAnswer control_plane_answer(int service);

  // Whether an active fault hits the service (directly or through its hosts): acting on it mitigates.
  bool hits_service(int service) const;

 private:
  struct State {
    bool active = false;
    bool done = false;
    std::vector<int> hosts;
    std::vector<int> replicas;
    int service = -1;
    int edge = -1;
  };
  std::vector<int> select(const Fault& f, RandomStream& rng, int n);
  bool hits_replica(int f, int replica) const;

  const Scenario& s_;
  const Topology& t_;
  std::vector<State> state_;
  std::vector<RandomStream> rng_;
  std::vector<std::vector<int>> service_faults_;  // latency / error_rate / control_plane by target service
  std::vector<std::vector<int>> edge_faults_;     // latency / error_rate by target edge
};

}  // namespace faultline
