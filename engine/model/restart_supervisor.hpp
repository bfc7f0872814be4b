// The supervisor of one service's processes (systemd, a kubelet): when may a replica that died, or
// that someone wants restarted, start again? A crash in a row (the replica had not served for the
// policy's window since it last started) doubles the back-off, up to max_backoff; and the service
// starts at most max_restarts processes in any window. Starts are granted in the order they are asked
// for, never earlier than one granted before, so the sliding window holds exactly. Plain state
// machine: the model asks and schedules the start at the time it gets.
#pragma once

#include "scenario/scenario.hpp"

#include <deque>
#include <vector>

namespace faultline {

class RestartSupervisor {
 public:
  RestartSupervisor(const RestartPolicy& policy, int replicas);

  // Replica `r` (its place in the service) needs a start at `now`; `crashed` says whether it died of
  // a crash (back-off applies) rather than being restarted on purpose. Returns the start time granted.
  double grant(int r, bool crashed, double now);
  // Replica `r` became ready at `now` (a crash more than `window` later no longer counts as in a row).
  void ready(int r, double now);

 private:
  struct ReplicaState {
    int in_a_row = 0;      // crashes since it last served for a whole window
    double ready_at = -1;  // when it last became ready, -1: not since its last start
  };
  RestartPolicy policy_;
  std::vector<ReplicaState> replicas_;
  std::deque<double> granted_;  // start times within the last window of the latest grant
  double last_granted_ = 0;
};

}  // namespace faultline
