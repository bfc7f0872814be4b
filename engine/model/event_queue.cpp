#include "model/event_queue.hpp"

#include <algorithm>

namespace faultline {

void EventQueue::push(double time, std::uint32_t type, std::uint32_t a, std::uint64_t b) {
  heap_.push_back(ModelEvent{time, next_seq_++, type, a, b});
  sift_up(heap_.size() - 1);
}

void EventQueue::sift_up(std::size_t i) {
  ModelEvent e = heap_[i];
  while (i > 0) {
    std::size_t parent = (i - 1) / 4;
    if (!earlier(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

void EventQueue::sift_down(std::size_t i) {
  const std::size_t n = heap_.size();
  ModelEvent e = heap_[i];
  while (true) {
    std::size_t first = 4 * i + 1;
    if (first >= n) break;
    std::size_t best = first, last = std::min(first + 4, n);
    for (std::size_t c = first + 1; c < last; ++c)
      if (earlier(heap_[c], heap_[best])) best = c;
    if (!earlier(heap_[best], e)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = e;
}

ModelEvent EventQueue::pop_heap_top() {
  ModelEvent top = heap_.front();
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0);
  return top;
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

bool EventQueue::pop_before(double limit, ModelEvent& out) {
  int l = lane_events_ ? best_lane() : -1;
  const ModelEvent* lane_front = l >= 0 ? &lanes_[std::size_t(l)].events.front() : nullptr;
  if (lane_front && (heap_.empty() || earlier(*lane_front, heap_.front()))) {
    if (lane_front->time >= limit) return false;
    out = *lane_front;
    lanes_[std::size_t(l)].events.pop_front();
    --lane_events_;
    return true;
  }
  if (heap_.empty() || heap_.front().time >= limit) return false;
  out = pop_heap_top();
  return true;
}

}  // namespace faultline
