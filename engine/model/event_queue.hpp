// The model's future events, in (time, sequence) order so that ties resolve the same way every run.
// Timeouts, the most common events and nearly always cancelled, don't go through the heap: all
// timeouts of one duration expire in the order they were set, so each duration gets a FIFO lane and
// only the lanes' fronts compete with the heap.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

namespace faultline {

struct ModelEvent {
  double time = 0;
  std::uint64_t seq = 0;
  std::uint32_t type = 0;
  std::uint32_t a = 0;  // meaning depends on type (an index)
  std::uint64_t b = 0;  // meaning depends on type (usually a handle with a generation)
};

class EventQueue {
 public:
  static constexpr double kNever = std::numeric_limits<double>::infinity();

  void push(double time, std::uint32_t type, std::uint32_t a = 0, std::uint64_t b = 0);
  // Lane for events that are always `delay` after their push time (pass the same delay for a lane).
  std::uint32_t lane_for(double delay);
  void push_lane(std::uint32_t lane, double now, std::uint32_t type, std::uint32_t a, std::uint64_t b);

  bool empty() const { return heap_.empty() && lane_events_ == 0; }
  double next_time() const;
  // Takes the next event if it is before `limit`.
  bool pop_before(double limit, ModelEvent& out);
  std::size_t size() const { return heap_.size() + lane_events_; }

 private:
  struct Lane {
    double delay;
    std::deque<ModelEvent> events;
  };
  int best_lane() const;  // -1 when every lane is empty
  static bool earlier(const ModelEvent& x, const ModelEvent& y) {
    return x.time < y.time || (x.time == y.time && x.seq < y.seq);
  }
  // A 4-ary heap: half the depth of a binary one, and a node's children share a cache line or two.
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);
  ModelEvent pop_heap_top();

  std::vector<ModelEvent> heap_;
  std::vector<Lane> lanes_;
  std::size_t lane_events_ = 0;
  std::uint64_t next_seq_ = 0;
};

}  // namespace faultline
