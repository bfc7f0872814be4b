// The decision of a horizontal autoscaler for one service (as Kubernetes' HPA takes it): every
// interval, wanted = ceil(serving x signal / target) within [min, max], where the signal is the
// serving replicas' (replicas still being provisioned count as wanted, not as load). Nothing changes
// while the signal is within 10% of the target; it adds at most max_step replicas per decision
// beyond those already active, and removes replicas only once the signal has asked for fewer for
// `cooldown` without a break. It sees the service's own signal, not its users: a service failing fast because
// a dependency is down looks idle and is scaled in. Plain state machine: the model feeds it the
// signal and carries the decision out.
#pragma once

#include "scenario/scenario.hpp"

namespace faultline {

class Autoscaler {
 public:
  static constexpr double kTolerance = 0.1;  // |signal / target - 1| at most this: no change

  explicit Autoscaler(const Autoscaling& config) : config_(config) {}

  // `serving`: replicas serving, whose signal this is; `active`: replicas not parked (serving or on
  // their way). Returns the change to the active replicas to make now: > 0 to add, < 0 to remove.
  int decide(int serving, int active, double signal, double now);
  // An operator's scale action: the floor moves to `replicas` (the autoscaler no longer goes below).
  void raise_floor(int replicas);
  int floor() const { return config_.min; }

 private:
  Autoscaling config_;
  double below_since_ = -1;  // since when the signal has wanted fewer replicas, -1: it does not
};

}  // namespace faultline
