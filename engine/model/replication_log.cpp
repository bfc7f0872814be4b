#include "model/replication_log.hpp"

#include <algorithm>

namespace faultline {

void ReplicationLog::prune(double t) {
  while (!arrivals_.empty() && arrivals_.front() <= t) arrivals_.pop_front();
}

void ReplicationLog::commit(double t, double lag) {
  ++committed_;
  if (cut_) {
    ++waiting_;
    return;
  }
  prune(t);
  last_arrival_ = std::max(last_arrival_, t + lag);
  arrivals_.push_back(last_arrival_);
}

void ReplicationLog::cut(double t) {
  if (cut_) return;
  prune(t);
  // What was on its way and had not arrived by t is held back with the rest.
  waiting_ += arrivals_.size();
  arrivals_.clear();
  cut_ = true;
  cut_at_ = t;
}

void ReplicationLog::resume(double t, double lag) {
  if (!cut_) return;
  cut_ = false;
  last_arrival_ = std::max(last_arrival_, t + lag);
  arrivals_.insert(arrivals_.end(), waiting_, last_arrival_);
  waiting_ = 0;
}

std::uint64_t ReplicationLog::behind(double t) {
  prune(t);
  return arrivals_.size() + waiting_;
}

std::uint64_t ReplicationLog::promote(double t) {
  const std::uint64_t lost = behind(t);
  arrivals_.clear();
  waiting_ = 0;
  last_arrival_ = t;
  cut_ = false;
  return lost;
}

}  // namespace faultline
