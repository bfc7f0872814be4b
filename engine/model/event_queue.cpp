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
  lanes_.push_back(Lane{delay, {}, 0, 0});
  if (lanes_.size() > leaves_) grow_tree();  // else its padding front is already (kNever, kNoSeq)
  return std::uint32_t(lanes_.size() - 1);
}

void EventQueue::grow_tree() {
  leaves_ = leaves_ == 0 ? 1 : 2 * leaves_;
  fronts_.resize(leaves_, Front{kNever, kNoSeq});
  tree_.assign(2 * leaves_, 0);
  for (std::size_t i = 0; i < leaves_; ++i) tree_[leaves_ + i] = std::uint32_t(i);
  for (std::size_t i = leaves_ - 1; i >= 1; --i) {
    const std::uint32_t x = tree_[2 * i], y = tree_[2 * i + 1];
    tree_[i] = earlier(fronts_[y], fronts_[x]) ? y : x;
  }
}

void EventQueue::front_changed(std::size_t lane) {
  for (std::size_t i = (leaves_ + lane) / 2; i >= 1; i /= 2) {
    const std::uint32_t x = tree_[2 * i], y = tree_[2 * i + 1];
    tree_[i] = earlier(fronts_[y], fronts_[x]) ? y : x;
  }
}

std::uint32_t EventQueue::hop_lane(double delay) {
  for (std::size_t i = 0; i < lanes_.size(); ++i)
    if (lanes_[i].delay == delay) return std::uint32_t(i);
  if (hop_lanes_ == kMaxHopLanes) return kNoLane;
  ++hop_lanes_;
  return lane_for(delay);
}

void EventQueue::push_lane(std::uint32_t lane, double now, std::uint32_t type, std::uint32_t a, std::uint64_t b) {
  Lane& l = lanes_[lane];
  const double time = now + l.delay;
  // A lane stays in time order: an event pushed from an earlier `now` than the last (never in the
  // model, whose clock only moves on) goes to the heap, where it keeps its place just the same.
  if (l.count && time < l.back().time) {
    push(time, type, a, b);
    return;
  }
  if (l.count == l.ring.size()) {  // full: double the ring, oldest first
    std::vector<ModelEvent> bigger(std::max<std::size_t>(16, 2 * l.ring.size()));
    for (std::size_t k = 0; k < l.count; ++k) bigger[k] = l.ring[(l.head + k) & (l.ring.size() - 1)];
    l.ring.swap(bigger);
    l.head = 0;
  }
  ModelEvent& e = l.ring[(l.head + l.count) & (l.ring.size() - 1)];
  e = ModelEvent{time, next_seq_++, type, a, b};
  if (l.count++ == 0) {
    fronts_[lane] = Front{e.time, e.seq};
    front_changed(lane);
  }
  ++lane_events_;
}

void EventQueue::pop_lane(std::size_t lane, ModelEvent& out) {
  Lane& l = lanes_[lane];
  out = l.ring[l.head];
  l.head = (l.head + 1) & (l.ring.size() - 1);
  --lane_events_;
  if (--l.count == 0) {
    fronts_[lane] = Front{kNever, kNoSeq};
  } else {
    const ModelEvent& next = l.ring[l.head];
    fronts_[lane] = Front{next.time, next.seq};
  }
  front_changed(lane);
}

double EventQueue::next_time() const {
  double t = heap_.empty() ? kNever : heap_.front().time;
  if (lane_events_) t = std::min(t, fronts_[best_lane()].time);
  return t;
}

bool EventQueue::pop_before(double limit, ModelEvent& out) {
  if (lane_events_) {
    const std::size_t l = best_lane();
    const Front& f = fronts_[l];
    if (heap_.empty() || earlier(f, Front{heap_.front().time, heap_.front().seq})) {
      if (f.time >= limit) return false;
      pop_lane(l, out);
      return true;
    }
  }
  if (heap_.empty() || heap_.front().time >= limit) return false;
  out = pop_heap_top();
  return true;
}

}  // namespace faultline
