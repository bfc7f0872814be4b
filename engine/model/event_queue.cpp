#include "model/event_queue.hpp"

#include <algorithm>

namespace faultline {

void EventQueue::push(double time, std::uint32_t type, std::uint32_t a, std::uint64_t b) {
  heap_.push_back(ModelEvent{time, next_seq_++, type, a, b});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
}

std::uint32_t EventQueue::lane_for(double delay) {
  for (std::size_t i = 0; i < lanes_.size(); ++i)
    if (lanes_[i].delay == delay) return std::uint32_t(i);
  lanes_.push_back(Lane{delay, {}});
  return std::uint32_t(lanes_.size() - 1);
}

void EventQueue::push_lane(std::uint32_t lane, double now, std::uint32_t type, std::uint32_t a, std::uint64_t b) {
  Lane& l = lanes_[lane];
  l.events.push_back(ModelEvent{now + l.delay, next_seq_++, type, a, b});
  ++lane_events_;
}

int EventQueue::best_lane() const {
  int best = -1;
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    if (lanes_[i].events.empty()) continue;
    const ModelEvent& e = lanes_[i].events.front();
    if (best < 0) {
      best = int(i);
      continue;
    }
    const ModelEvent& b = lanes_[std::size_t(best)].events.front();
    if (e.time < b.time || (e.time == b.time && e.seq < b.seq)) best = int(i);
  }
  return best;
}

double EventQueue::next_time() const {
  double t = heap_.empty() ? kNever : heap_.front().time;
  if (lane_events_) {
    int l = best_lane();
    t = std::min(t, lanes_[std::size_t(l)].events.front().time);
  }
  return t;
}

ModelEvent EventQueue::pop() {
  int l = lane_events_ ? best_lane() : -1;
  if (l >= 0) {
    const ModelEvent& le = lanes_[std::size_t(l)].events.front();
    if (heap_.empty() || Later{}(heap_.front(), le)) {
      ModelEvent e = le;
      lanes_[std::size_t(l)].events.pop_front();
      --lane_events_;
      return e;
    }
  }
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  ModelEvent e = heap_.back();
  heap_.pop_back();
  return e;
}

}  // namespace faultline
