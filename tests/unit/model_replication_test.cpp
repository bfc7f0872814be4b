// Replicated state: the bookkeeping of writes on their way to the standby copy (cut, resumed,
// promoted), then in the model, where a promotion loses what the copy lacked, the promotion is
// read-only, divergent writes are reconciled at a rate and a fail-back waits for them, and a
// synchronous copy loses nothing but refuses writes while it cannot be reached.
#include "model/platform_model.hpp"
#include "model/replication_log.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace faultline;
using namespace faultline::testing;

TEST_CASE("replication log: writes are behind for their lag, in commit order", "[model][replication]") {
  ReplicationLog log;
  log.commit(0, 2);  // reaches the copy at 2
  CHECK(log.behind(0.5) == 1);
  log.commit(1, 0.5);  // in order: not before the one ahead of it, at 2
  CHECK(log.behind(1.9) == 2);
  CHECK(log.behind(2) == 0);
  log.commit(3, 1);  // at 4
  CHECK(log.behind(3.5) == 1);
  CHECK(log.behind(4) == 0);
  CHECK(log.committed() == 3);
}

TEST_CASE("replication log: a cut holds back what had not arrived, resuming sends it after its lag",
          "[model][replication]") {
  ReplicationLog log;
  for (int i = 0; i < 10; ++i) log.commit(double(i), 1.5);  // write i arrives at i + 1.5
  log.cut(9.2);                                             // writes 8 (9.5) and 9 (10.5) had not
  CHECK(!log.flowing());
  for (int i = 10; i < 15; ++i) log.commit(double(i), 1.5);  // nothing reaches the copy
  CHECK(log.behind(20) == 7);
  log.resume(20, 2);
  CHECK(log.flowing());
  CHECK(log.behind(21.9) == 7);
  CHECK(log.behind(22) == 0);
  // A promotion during a cut loses everything held back, and starts afresh.
  log.commit(30, 1);
  log.cut(30.5);
  log.commit(31, 1);
  CHECK(log.promote(40) == 2);
  CHECK(log.behind(40) == 0);
  CHECK(log.flowing());
}

namespace {

// "front" (zone z2) calls "db": its primary in z0, its standby in z1, the failover controller in z2.
// Half the requests are writes; each reaches the copy `lag` after its commit. At 100 s z0 goes down
// for 300 s; the controller fences the primary after its hold-down (10 s) and promotes the copy 20 s
// later. After z0 is back (and its replica restarted), the divergent writes are reconciled at 1 per
// second; a fail-back to z0 is ordered at 450 s.
Scenario replicated(ReplicationMode mode, double reconcile_rate, double lag = 2) {
  Scenario s = basic_scenario(3, 2);
  s.info.duration = 900;
  s.info.bucket = 10;
  s.traffic.rate = 100;
  Service& front = add_service(s, "front", 1);
  front.zones = {"z2"};
  Service& db = add_replicated_service(s, "db", 10, 20, lag, 0.5);
  db.replication.mode = mode;
  db.replication.reconcile_rate = reconcile_rate;
  add_dependency(s, "front", "db").timeout = 0.5;
  add_feature(s, "f", "front");
  add_fault(s, "z0-down", FaultKind::zone_outage, "z0", 100, 300);
  Action back;
  back.name = "fail-back";
  back.kind = ActionKind::failover;
  back.service = "db";
  back.to = "z0";
  back.at = 450;
  s.actions.push_back(back);
  return s;
}

const Event* find_event(const Report& r, const std::string& kind) {
  for (const Event& e : r.events)
    if (e.kind == kind) return &e;
  return nullptr;
}

}  // namespace

TEST_CASE("replication in the model: an async promotion loses the writes in the lag, reads go on while it is promoted",
          "[model][replication]") {
  const Report r = run_without_kernel(replicated(ReplicationMode::async, 1), 5);
  REQUIRE(r.replication.size() == 1);
  const ReplicationReport& rp = r.replication[0];
  CHECK(rp.mode == "async");
  // 50 writes a second for 2 s: about 100 lost (a Poisson count; this is one run).
  CHECK(rp.writes_lost > 60);
  CHECK(rp.writes_lost < 140);
  REQUIRE(rp.failed_over_at);
  CHECK(*rp.failed_over_at > 100 + 10 + 20 - 1e-9);
  CHECK(*rp.failed_over_at < 100 + 10 + 20 + 5 + 1e-9);  // the probe runs every health-check interval
  // Read-only for the promotion: the standby serves reads and refuses writes.
  CHECK(rp.read_only == Approx(20).margin(1e-6));
  CHECK(rp.writes_refused > 0);
  const std::size_t promoting = std::size_t((*rp.failed_over_at - 15) / r.bucket);
  CHECK(rp.buckets[promoting].refused > 0);
  const Counts& during = feature(r, "f").buckets[promoting];
  CHECK(during.requests > 0);
  CHECK(double(during.ok) / double(during.requests) == Approx(0.5).margin(0.15));
  // Nothing is refused outside the promotion.
  std::uint64_t refused = 0;
  for (const ReplicationBucket& b : rp.buckets) refused += b.refused;
  CHECK(refused == rp.writes_refused);
  CHECK(rp.buckets.back().refused == 0);
  // The count lost per bucket adds up.
  std::uint64_t lost = 0, writes = 0;
  for (const ReplicationBucket& b : rp.buckets) {
    lost += b.lost;
    writes += b.writes;
  }
  CHECK(lost == rp.writes_lost);
  CHECK(writes == rp.writes);
}

TEST_CASE("replication in the model: reconciliation starts when the old primary is back, and the fail-back waits for it",
          "[model][replication]") {
  const Report r = run_without_kernel(replicated(ReplicationMode::async, 1), 5);
  const ReplicationReport& rp = r.replication[0];
  REQUIRE(rp.reconciliation_started);
  REQUIRE(rp.reconciled_at);
  CHECK(*rp.reconciliation_started > 400);  // z0 back at 400, its replica restarted after that
  CHECK(*rp.reconciled_at - *rp.reconciliation_started == Approx(double(rp.writes_lost) / 1.0));
  CHECK(rp.writes_reconciled == rp.writes_lost);
  CHECK(rp.writes_awaiting == 0);
  REQUIRE(*rp.reconciled_at > 450);  // the fail-back at 450 s had to wait
  CHECK(rp.failback_waited == Approx(*rp.reconciled_at - 450));
  const Event* waits = find_event(r, "failback_waits");
  REQUIRE(waits);
  CHECK(waits->time == Approx(450));
  // The fail-back ran when the reconciliation was done.
  const auto ran = std::find_if(r.events.begin(), r.events.end(),
                                [](const Event& e) { return e.kind == "action" && e.name == "fail-back"; });
  REQUIRE(ran != r.events.end());
  CHECK(ran->time == Approx(*rp.reconciled_at));
  // Awaiting per bucket: all of them until the start, falling at the rate, none after.
  const std::size_t before = std::size_t(*rp.reconciliation_started / r.bucket) - 1;
  CHECK(rp.buckets[before].awaiting == rp.writes_lost);
  const std::size_t after = std::size_t(*rp.reconciled_at / r.bucket) + 1;
  CHECK(rp.buckets[after].awaiting == 0);
  for (std::size_t b = before; b < after; ++b) CHECK(rp.buckets[b + 1].awaiting <= rp.buckets[b].awaiting);
}

TEST_CASE("replication in the model: without reconciliation the fail-back goes at once and drops the divergent writes",
          "[model][replication]") {
  const Report r = run_without_kernel(replicated(ReplicationMode::async, 0), 5);
  const ReplicationReport& rp = r.replication[0];
  CHECK(rp.writes_lost > 0);
  CHECK(rp.writes_discarded == rp.writes_lost);
  CHECK(!rp.reconciled_at);
  CHECK(rp.failback_waited == 0);
  CHECK(find_event(r, "failback_waits") == nullptr);
  CHECK(find_event(r, "writes_discarded") != nullptr);
}

TEST_CASE("replication in the model: a synchronous copy loses nothing, refuses writes while cut off and slows them",
          "[model][replication]") {
  Scenario s = replicated(ReplicationMode::sync, 1, 0.05);
  s.faults.clear();
  // The copy's zone cut off from the primary's for 60 s: no failover (the controller still hears the
  // primary), but no write can be acknowledged.
  add_fault(s, "cut", FaultKind::partition, "z0<->z1", 200, 60);
  s.actions.clear();
  const Report r = run_without_kernel(s, 5);
  const ReplicationReport& rp = r.replication[0];
  CHECK(rp.mode == "sync");
  CHECK(rp.writes_lost == 0);
  CHECK(!rp.failed_over_at);
  CHECK(rp.read_only == Approx(60).margin(1e-6));
  for (std::size_t b = 21; b < 26; ++b) {
    CHECK(rp.buckets[b].writes == 0);
    CHECK(rp.buckets[b].refused > 0);
  }
  CHECK(rp.buckets[30].refused == 0);
  // A write waits 50 ms for the copy's acknowledgement: the median of db's calls, half of them
  // writes, sits between the service time (5 ms) and it plus the lag.
  Scenario async_twin = s;
  async_twin.services[1].replication.mode = ReplicationMode::async;
  const Report a = run_without_kernel(async_twin, 5);
  CHECK(service(r, "db").latency.p99 > service(a, "db").latency.p99 + 0.04);
  CHECK(a.replication[0].read_only == 0);
  CHECK(a.replication[0].writes_refused == 0);
}

TEST_CASE("replication in the model: the same seed gives the same writes lost", "[model][replication]") {
  const Report a = run_without_kernel(replicated(ReplicationMode::async, 1), 11);
  const Report b = run_without_kernel(replicated(ReplicationMode::async, 1), 11);
  CHECK(a.replication[0].writes_lost == b.replication[0].writes_lost);
  CHECK(a.replication[0].writes == b.replication[0].writes);
}
