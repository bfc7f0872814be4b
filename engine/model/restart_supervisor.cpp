#include "model/restart_supervisor.hpp"

#include <algorithm>
#include <cmath>

namespace faultline {

RestartSupervisor::RestartSupervisor(const RestartPolicy& policy, int replicas)
    : policy_(policy), replicas_(std::size_t(std::max(0, replicas))) {}

double RestartSupervisor::grant(int r, bool crashed, double now) {
  ReplicaState& st = replicas_[std::size_t(r)];
  double delay = 0;
  if (crashed) {
    const bool served_long = st.ready_at >= 0 && now - st.ready_at >= policy_.window;
    st.in_a_row = served_long ? 1 : st.in_a_row + 1;
    if (policy_.backoff > 0)
      delay = std::min(policy_.max_backoff, policy_.backoff * std::pow(2.0, double(std::min(st.in_a_row, 60) - 1)));
  }
  st.ready_at = -1;
  double at = now + delay;
  if (policy_.max_restarts > 0) {
    at = std::max(at, last_granted_);
    // The window ending at `at` may hold max_restarts - 1 earlier starts at most.
    while (!granted_.empty() && granted_.front() <= at - policy_.window) granted_.pop_front();
    if (int(granted_.size()) >= policy_.max_restarts) {
      at = std::max(at, granted_[granted_.size() - std::size_t(policy_.max_restarts)] + policy_.window);
      while (!granted_.empty() && granted_.front() <= at - policy_.window) granted_.pop_front();
    }
    granted_.push_back(at);
  }
  last_granted_ = at;
  return at;
}

void RestartSupervisor::ready(int r, double now) { replicas_[std::size_t(r)].ready_at = now; }

}  // namespace faultline
