// The writes a primary has acknowledged that its standby copy does not have yet. Replication is a
// stream in commit order: a write committed at t with lag l reaches the copy at max(t + l, when the
// previous one reached it). While the copy cannot be reached (`cut`) nothing reaches it; when it can
// again (`resume`) the writes waiting since go in order, each its lag after the resumption. A
// promotion at t loses every write that has not reached the copy by t. Pure bookkeeping: the model
// says when writes commit and when the link to the copy goes and comes back.
#pragma once

#include <cstdint>
#include <deque>

namespace faultline {

class ReplicationLog {
 public:
  // A write acknowledged at `t` that needs `lag` to reach the copy.
  void commit(double t, double lag);
  // The copy cannot be reached from `t`: what had not reached it by then waits.
  void cut(double t);
  // It can be reached again from `t`: the waiting writes flow, each `lag` after t (in order).
  void resume(double t, double lag);
  bool flowing() const { return !cut_; }
  // Writes acknowledged that the copy does not have at `t`.
  std::uint64_t behind(double t);
  // A promotion at `t`: returns the writes the copy lacks and forgets every write (the new primary
  // starts a log of its own).
  std::uint64_t promote(double t);
  std::uint64_t committed() const { return committed_; }

 private:
  void prune(double t);

  std::deque<double> arrivals_;  // when each write not yet at the copy reaches it (non-decreasing)
  std::uint64_t waiting_ = 0;    // writes held back by a cut (after every entry of arrivals_)
  double last_arrival_ = 0;
  bool cut_ = false;
  double cut_at_ = 0;
  std::uint64_t committed_ = 0;
};

}  // namespace faultline
