// The model's future events, in (time, sequence) order so that ties resolve the same way every run.
//
// Most events are a fixed delay after the moment they are pushed: timeouts (nearly always cancelled)
// and network hops (an attempt reaching its callee, an answer reaching its caller, a latency of the
// platform's network table). All events of one delay come due in the order they were pushed, so each
// such delay gets a FIFO lane, and only the lanes' fronts compete with the heap, which is left with
// the events of drawn delays (service times, back-offs) and the rare ones. Which of the two holds an
// event changes nothing in the order they come out: every event gets its sequence number when it is
// pushed, and pop takes the earliest (time, sequence) of the heap's top and every lane's front.
#pragma once

#include <cstdint>
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
  static constexpr std::uint32_t kNoLane = std::numeric_limits<std::uint32_t>::max();
  // Lanes for network hops stop being made at this many (past that, a hop goes to the heap).
  static constexpr std::size_t kMaxHopLanes = 16;

  void push(double time, std::uint32_t type, std::uint32_t a = 0, std::uint64_t b = 0);
  // Lane for events that are always `delay` after their push time (pass the same delay for a lane).
  std::uint32_t lane_for(double delay);
  // The same for a network latency, or kNoLane once kMaxHopLanes were made and none has this delay.
  std::uint32_t hop_lane(double delay);
  // At now + the lane's delay.
  void push_lane(std::uint32_t lane, double now, std::uint32_t type, std::uint32_t a, std::uint64_t b);
  // At now + delay: in `lane` when that lane's delay is `delay`, in the heap otherwise (kNoLane, or a
  // delay a fault lengthened).
  void push_after(std::uint32_t lane, double now, double delay, std::uint32_t type, std::uint32_t a, std::uint64_t b) {
    if (lane != kNoLane && lanes_[lane].delay == delay) push_lane(lane, now, type, a, b);
    else push(now + delay, type, a, b);
  }

  bool empty() const { return heap_.empty() && lane_events_ == 0; }
  double next_time() const;
  // Takes the next event if it is before `limit`.
  bool pop_before(double limit, ModelEvent& out);
  std::size_t size() const { return heap_.size() + lane_events_; }

 private:
  // A lane's events in a ring buffer (capacity a power of two).
  struct Lane {
    double delay = 0;
    std::vector<ModelEvent> ring;
    std::size_t head = 0, count = 0;
    const ModelEvent& back() const { return ring[(head + count - 1) & (ring.size() - 1)]; }
  };
  // The lanes' fronts side by side (padded to a power of two); an empty lane's front is (kNever,
  // kNoSeq), later than any event. A tournament tree over them keeps the earliest at its root, so a
  // front that changes costs log2(lanes) comparisons instead of a scan of every lane.
  struct Front {
    double time;
    std::uint64_t seq;
  };
  static constexpr std::uint64_t kNoSeq = std::numeric_limits<std::uint64_t>::max();
  static bool earlier(const ModelEvent& x, const ModelEvent& y) {
    return x.time < y.time || (x.time == y.time && x.seq < y.seq);
  }
  static bool earlier(const Front& x, const Front& y) {
    return x.time < y.time || (x.time == y.time && x.seq < y.seq);
  }
  std::size_t best_lane() const { return tree_[1]; }  // the earliest front (meaningful with lane_events_)
  void front_changed(std::size_t lane);  // replays the lane's matches up to the root
  void grow_tree();                      // room for another lane: twice the leaves, every match replayed
  void pop_lane(std::size_t lane, ModelEvent& out);
  // A 4-ary heap: half the depth of a binary one, and a node's children share a cache line or two.
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);
  ModelEvent pop_heap_top();

  std::vector<ModelEvent> heap_;
  std::vector<Lane> lanes_;
  std::vector<Front> fronts_;  // by lane, then padding up to a power of two
  // tree_[leaves_ + lane] is the lane; tree_[i] the lane of the earlier front of its two children.
  std::vector<std::uint32_t> tree_;
  std::size_t leaves_ = 0;
  std::size_t lane_events_ = 0;
  std::size_t hop_lanes_ = 0;
  std::uint64_t next_seq_ = 0;
};

}  // namespace faultline
