// The event queue against a reference: one std::priority_queue ordered by (time, push order), over
// random mixes of heap events, lane events and network hops, with many ties.
#include "model/event_queue.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <queue>
#include <random>
#include <vector>

using namespace faultline;

namespace {

struct Ref {
  double time;
  std::uint64_t order;  // push order: ties come out in it
  std::uint32_t type;
  bool operator>(const Ref& o) const { return time > o.time || (time == o.time && order > o.order); }
};

// Pushes and pops at random, the clock moving to each popped event as the model's does; every
// event gets a distinct type (its push number), so the two orders must agree event by event.
// `more_lanes`: a lane of a new delay is made now and then while events are queued (up to 40, so
// that the tournament over the lanes' fronts grows past several powers of two mid-run).
void agree_with_reference(std::uint64_t seed, int steps, bool clock_may_go_back, bool more_lanes = false) {
  std::mt19937_64 rng(seed);
  EventQueue q;
  std::priority_queue<Ref, std::vector<Ref>, std::greater<>> ref;
  // Few distinct delays and a coarse clock, so that ties between the heap and the lanes are common.
  std::vector<double> delays = {0.0, 0.25, 0.5, 1.0, 2.0, 0.5};
  std::vector<std::uint32_t> lanes;
  for (double d : delays) lanes.push_back(q.lane_for(d));
  const std::uint32_t hop = q.hop_lane(0.75);
  std::uint32_t pushed = 0;
  double now = 0;
  for (int step = 0; step < steps; ++step) {
    if (more_lanes && step % 400 == 0 && delays.size() < 40) {
      delays.push_back(0.125 * double(delays.size()));
      lanes.push_back(q.lane_for(delays.back()));
    }
    const int what = int(rng() % 10);
    if (what < 6 || ref.empty()) {
      double at = now;
      if (clock_may_go_back && rng() % 8 == 0) at = std::max(0.0, now - 0.25 * double(rng() % 4));
      const std::uint32_t type = pushed++;
      double time = 0;
      switch (rng() % 4) {
        case 0:  // a drawn delay: the heap
          time = at + 0.25 * double(rng() % 12);
          q.push(time, type);
          break;
        case 1: {  // a timeout-like lane
          const std::size_t k = rng() % lanes.size();
          time = at + delays[k];
          q.push_lane(lanes[k], at, type, 0, 0);
          break;
        }
        case 2: {  // a hop: its lane when the delay is the lane's, the heap when a fault lengthened it
          const double delay = rng() % 3 ? 0.75 : 0.75 + 0.25 * double(rng() % 3);
          time = at + delay;
          q.push_after(hop, at, delay, type, 0, 0);
          break;
        }
        default: {  // a hop without a lane
          const double delay = 0.25 * double(rng() % 5);
          time = at + delay;
          q.push_after(EventQueue::kNoLane, at, delay, type, 0, 0);
        }
      }
      ref.push(Ref{time, type, type});
    } else {
      const double limit = rng() % 5 ? EventQueue::kNever : now + 0.25 * double(rng() % 4);
      ModelEvent e;
      const bool got = q.pop_before(limit, e);
      REQUIRE(got == (ref.top().time < limit));
      if (!got) continue;
      REQUIRE(e.type == ref.top().type);
      REQUIRE(e.time == ref.top().time);
      ref.pop();
      now = e.time;
    }
    REQUIRE(q.size() == ref.size());
    REQUIRE(q.next_time() == (ref.empty() ? EventQueue::kNever : ref.top().time));
  }
  ModelEvent e;
  while (!ref.empty()) {
    REQUIRE(q.next_time() == ref.top().time);
    REQUIRE(q.pop_before(EventQueue::kNever, e));
    REQUIRE(e.type == ref.top().type);
    ref.pop();
  }
  CHECK(q.empty());
  CHECK_FALSE(q.pop_before(EventQueue::kNever, e));
}

}  // namespace

TEST_CASE("the event queue pops in the order of a reference priority queue", "[model][events]") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) agree_with_reference(seed, 20000, false);
}

TEST_CASE("the event queue keeps the order while lanes are added", "[model][events]") {
  for (std::uint64_t seed = 200; seed <= 210; ++seed) agree_with_reference(seed, 20000, false, true);
}

TEST_CASE("the event queue keeps the order when an event is pushed from an earlier clock", "[model][events]") {
  for (std::uint64_t seed = 100; seed <= 110; ++seed) agree_with_reference(seed, 20000, true);
}

TEST_CASE("hop lanes stop at their limit and share a lane with an equal delay", "[model][events]") {
  EventQueue q;
  const std::uint32_t timeout = q.lane_for(2.0);
  CHECK(q.hop_lane(2.0) == timeout);  // an existing lane of that delay
  std::vector<std::uint32_t> hops;
  for (std::size_t k = 0; k < EventQueue::kMaxHopLanes; ++k) hops.push_back(q.hop_lane(0.001 * double(k + 1)));
  for (std::uint32_t h : hops) CHECK(h != EventQueue::kNoLane);
  CHECK(q.hop_lane(0.5) == EventQueue::kNoLane);
  CHECK(q.hop_lane(0.001) == hops[0]);
  // A ring grows past its first capacity and keeps its order.
  for (int i = 0; i < 100; ++i) q.push_lane(hops[0], 0.01 * i, std::uint32_t(i), 0, 0);
  ModelEvent e;
  for (int i = 0; i < 100; ++i) {
    REQUIRE(q.pop_before(EventQueue::kNever, e));
    CHECK(e.type == std::uint32_t(i));
  }
}
