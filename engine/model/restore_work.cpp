#include "model/restore_work.hpp"

#include <algorithm>

namespace faultline {

RestoreWork::RestoreWork(std::vector<double> sizes, double rate, int parallelism, double bandwidth)
    : sizes_(std::move(sizes)), rate_(rate), bandwidth_(bandwidth), streams_(std::size_t(std::max(1, parallelism))) {}

void RestoreWork::assign(Stream& s) {
  if (next_item_ >= sizes_.size()) {
    s.item = -1;
    return;
  }
  s.item = int(next_item_);
  s.left = std::max(0.0, sizes_[next_item_]);
  ++next_item_;
  ++active_;
}

void RestoreWork::start(double now) {
  if (started_) return;
  started_ = true;
  at_ = now;
  for (Stream& s : streams_) assign(s);
}

double RestoreWork::stream_speed() const {
  if (active_ == 0) return 0;
  return bandwidth_ > 0 ? std::min(rate_, bandwidth_ / active_) : rate_;
}

double RestoreWork::next_finish() const {
  const double speed = stream_speed();
  if (speed <= 0) return std::numeric_limits<double>::infinity();
  double least = std::numeric_limits<double>::infinity();
  for (const Stream& s : streams_)
    if (s.item >= 0) least = std::min(least, s.left);
  return at_ + least / speed;
}

std::vector<int> RestoreWork::advance(double now) {
  std::vector<int> finished;
  if (!started_) return finished;
  // Items finish one speed change at a time: when a stream runs out of items, the others speed up.
  while (true) {
    const double speed = stream_speed();
    const double next = next_finish();
    const double until = std::min(now, next);
    for (Stream& s : streams_)
      if (s.item >= 0) s.left -= speed * (until - at_);
    at_ = until;
    if (next > now) break;
    const double kEpsilon = 1e-9 * std::max(1.0, speed);
    for (Stream& s : streams_)
      if (s.item >= 0 && s.left <= kEpsilon) {
        finished.push_back(s.item);
        --active_;
        assign(s);
      }
    if (active_ == 0) break;
  }
  return finished;
}

double RestoreWork::size_left() const {
  double left = 0;
  for (const Stream& s : streams_)
    if (s.item >= 0) left += std::max(0.0, s.left);
  for (std::size_t i = next_item_; i < sizes_.size(); ++i) left += sizes_[i];
  return left;
}

double RestoreWork::total_size() const {
  double total = 0;
  for (double size : sizes_) total += size;
  return total;
}

double RestoreWork::estimated_end(double now) const {
  const double full = bandwidth_ > 0 ? std::min(rate_ * double(streams_.size()), bandwidth_) : rate_ * double(streams_.size());
  return now + size_left() / std::max(full, 1e-12);
}

}  // namespace faultline
