// Envoy-style outlier detection for one service, as its callers see it: a replica whose calls fail
// `consecutive_5xx` times in a row is ejected from rotation for base_ejection_time x (times it has been
// ejected), unless more than max_ejection_percent of the replicas would then be out (at least one may
// always be ejected). Plain state machine: the model feeds it results and the clock.
#pragma once

#include "scenario/scenario.hpp"

#include <optional>
#include <vector>

namespace faultline {

class OutlierDetector {
 public:
  OutlierDetector(const OutlierDetection& config, int replicas);

  // A call to replica `r` ended; `server_error` says whether it counts as a 5xx (failures and timeouts).
  // Returns the time the replica's ejection ends when this result ejects it.
  std::optional<double> record(int r, bool server_error, double now);
  // The ejection of `r` that ended at `now` (the model schedules this at the time record returned).
  void return_to_rotation(int r);

  bool ejected(int r) const { return state_[std::size_t(r)].ejected; }
  int ejected_count() const { return ejected_; }

 private:
  struct ReplicaState {
    int consecutive = 0;
    int times_ejected = 0;
    bool ejected = false;
  };
  OutlierDetection config_;
  std::vector<ReplicaState> state_;
  int ejected_ = 0;
};

}  // namespace faultline
