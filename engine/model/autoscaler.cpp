#include "model/autoscaler.hpp"

#include <algorithm>
#include <cmath>

namespace faultline {

int Autoscaler::decide(int serving, int active, double signal, double now) {
  // Within the tolerance of the target nothing changes (no flapping on noise), as in Kubernetes.
  if (std::fabs(signal / config_.target - 1) <= kTolerance && serving == active) {
    below_since_ = -1;
    return 0;
  }
  // A margin of 1e-9 keeps ceil from adding a replica for a rounding error at the target.
  const int wanted = std::clamp(int(std::ceil(double(serving) * signal / config_.target - 1e-9)), config_.min,
                                std::max(config_.min, config_.max));
  if (wanted > active) {
    below_since_ = -1;
    return std::min(wanted - active, config_.max_step);
  }
  if (wanted == active) {
    below_since_ = -1;
    return 0;
  }
  if (below_since_ < 0) below_since_ = now;
  if (now - below_since_ < config_.cooldown - 1e-9) return 0;
  below_since_ = -1;
  return wanted - active;
}

void Autoscaler::raise_floor(int replicas) {
  config_.min = std::max(1, replicas);
  config_.max = std::max(config_.max, config_.min);
}

}  // namespace faultline
