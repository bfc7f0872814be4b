#include "model/outlier_detector.hpp"

#include <algorithm>
#include <cmath>

namespace faultline {

OutlierDetector::OutlierDetector(const OutlierDetection& config, int replicas)
    : config_(config), state_(std::size_t(std::max(0, replicas))) {}

std::optional<double> OutlierDetector::record(int r, bool server_error, double now) {
  ReplicaState& st = state_[std::size_t(r)];
  if (!config_.enabled || st.ejected) return std::nullopt;
  if (!server_error) {
    st.consecutive = 0;
    return std::nullopt;
  }
  if (++st.consecutive < config_.consecutive_5xx) return std::nullopt;
  const int n = int(state_.size());
  const int allowed = std::max(1, int(std::floor(config_.max_ejection_percent / 100.0 * n + 1e-9)));
  if (ejected_ >= allowed) return std::nullopt;  // the panic guard: keep enough replicas in rotation
  st.consecutive = 0;
  st.ejected = true;
  ++st.times_ejected;
  ++ejected_;
  return now + config_.base_ejection_time * st.times_ejected;
}

void OutlierDetector::return_to_rotation(int r) {
  ReplicaState& st = state_[std::size_t(r)];
  if (!st.ejected) return;
  st.ejected = false;
  --ejected_;
}

}  // namespace faultline
