// Backlogs: a durable queue in front of a dependency keeps the calls that fail (the caller carries on,
// degraded) and replays them at a rate once the callee serves again; a queue of N replayed at r a
// second into a callee with room to spare drains in N / r, a replay faster than the callee can take
// overloads it again, and calls beyond `max` fail as they would without a queue.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::testing;

namespace {

// "writer" (feature "write") writes to "store" through a backlog; "reader" (feature "read") reads it
// directly. "store": 2 replicas x 8 workers at 50 ms, about 320 calls a second. 100 requests a
// second, half of them writes. "store" is down from 100 s to 400 s (back about 10 s later).
Scenario queued(double replay_rate, int max = 1000000) {
  Scenario s = basic_scenario(1, 6);
  s.info.duration = 1200;
  s.info.bucket = 10;
  s.traffic.rate = 100;
  add_service(s, "writer", 2);
  add_service(s, "reader", 2);
  add_service(s, "store", 2, 8, 16, Distribution::constant(0.05)).restart_time = 5;
  Dependency& w = add_dependency(s, "writer", "store");
  w.timeout = 0.5;
  w.backlog.enabled = true;
  w.backlog.replay_rate = replay_rate;
  w.backlog.max = max;
  w.backlog.pause = 0;
  add_dependency(s, "reader", "store").timeout = 0.5;
  add_feature(s, "write", "writer", 0.5);
  add_feature(s, "read", "reader", 0.5);
  add_fault(s, "store-down", FaultKind::service_crash, "store", 100, 300);
  return s;
}

std::uint64_t failed(const Series& f, int from, int to) {
  std::uint64_t n = 0;
  for (int b = from; b < to; ++b) n += f.buckets[std::size_t(b)].failed;
  return n;
}

}  // namespace

TEST_CASE("backlog: failed writes are kept, the writers carry on degraded, and the queue drains in N / r",
          "[model][backlog]") {
  const Report r = run_without_kernel(queued(25), 5);
  REQUIRE(r.backlogs.size() == 1);
  const BacklogReport& b = r.backlogs[0];
  CHECK(b.dependency == "writer->store");
  const Series& write = feature(r, "write");
  // No write fails: during the outage they are kept (degraded).
  CHECK(write.total.failed == 0);
  CHECK(write.buckets[20].degraded == write.buckets[20].requests);
  // About 50 a second for 300 s.
  CHECK(double(b.kept) == Approx(50 * 300).epsilon(0.05));
  CHECK(b.replayed == b.kept);
  CHECK(b.dropped == 0);
  REQUIRE(b.first_kept);
  REQUIRE(b.drained_at);
  // Replayed at 25 a second from when store serves again (about 405 s): N / r.
  const double start = 400;
  CHECK(*b.drained_at - start == Approx(double(b.kept) / 25).epsilon(0.03));
  // Its length per bucket: what was kept so far during the outage, falling at the replay rate after,
  // empty at the end.
  std::uint64_t kept_by_400 = 0;
  for (std::size_t i = 0; i < 40; ++i) kept_by_400 += b.kept_by_bucket[i];
  CHECK(b.length_by_bucket[39] == kept_by_400);
  const std::size_t mid = std::size_t((start + double(b.kept) / 50) / r.bucket);
  CHECK(double(b.length_by_bucket[mid]) == Approx(double(b.kept) / 2).epsilon(0.1));
  CHECK(b.length_by_bucket.back() == 0);
  // The reads are untouched by a replay the store has room for.
  CHECK(failed(feature(r, "read"), 42, 120) == 0);
}

TEST_CASE("backlog: a replay faster than the callee can serve overloads it again", "[model][backlog]") {
  // The store takes about 320 a second with 100 of its own: 5,000 a second floods it, 150 does not.
  const Report fast = run_without_kernel(queued(5000), 5);
  const Report paced = run_without_kernel(queued(150), 5);
  const BacklogReport& bf = fast.backlogs[0];
  const BacklogReport& bp = paced.backlogs[0];
  REQUIRE(bf.drained_at);
  REQUIRE(bp.drained_at);
  CHECK(bf.failed_replays > 1000);
  // The readers fail while the fast replay floods the store, not while the paced one drains.
  CHECK(failed(feature(fast, "read"), 41, std::size_t(*bf.drained_at / fast.bucket)) > 100);
  CHECK(failed(feature(paced, "read"), 42, 120) == 0);
}

TEST_CASE("backlog: beyond `max` a failed call fails the caller as without a queue", "[model][backlog]") {
  const Report r = run_without_kernel(queued(25, 1000), 5);
  const BacklogReport& b = r.backlogs[0];
  CHECK(b.max_length == 1000);
  CHECK(b.dropped > 10000);
  CHECK(feature(r, "write").total.failed == b.dropped);
}

TEST_CASE("backlog: without one, the same outage fails the writes", "[model][backlog]") {
  Scenario s = queued(25);
  s.dependencies[0].backlog.enabled = false;
  const Report r = run_without_kernel(s, 5);
  CHECK(r.backlogs.empty());
  CHECK(feature(r, "write").total.failed > 10000);
}
