// Rollbacks and failovers in batches, in the model alone: a rollback takes the fault's replicas or
// hosts back a batch at a time (and stops a config_rollout from reaching more), a failover brings the
// replicas of its zone in a batch at a time. Expected shares come from the action's own parameters
// (batches done x batch size / units); availabilities carry a traffic tolerance.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

using namespace faultline;
using namespace faultline::testing;

namespace {

constexpr double kAt = 100, kInterval = 50;

// "front" calls "back" (10 replicas over two zones) once per request, with no retry.
Scenario back_platform() {
  Scenario s = basic_scenario(2, 5);
  s.traffic.rate = 400;
  add_service(s, "front", 4);
  add_service(s, "back", 10);
  add_dependency(s, "front", "back").timeout = 1;
  add_feature(s, "f", "front");
  return s;
}

Action& add_rollback(Scenario& s, const std::string& fault, int batch) {
  Action a;
  a.name = "rollback";
  a.kind = ActionKind::rollback;
  a.at = kAt;
  a.fault = fault;
  a.batch = batch;
  a.interval = kInterval;
  s.actions.push_back(a);
  return s.actions.back();
}

const RolloutReport& rollout(const Report& r, const std::string& action) {
  for (const RolloutReport& ro : r.rollouts)
    if (ro.action == action) return ro;
  throw std::runtime_error("no rollout " + action);
}

// Steps at kAt, kAt + kInterval, ... done by time t (a step at t itself counts).
int steps_done_by(double t, int steps) {
  return t < kAt ? 0 : std::min(steps, 1 + int(std::floor((t - kAt) / kInterval + 1e-9)));
}

int count_events(const Report& r, const std::string& kind, const std::string& subject) {
  return int(std::count_if(r.events.begin(), r.events.end(),
                           [&](const Event& e) { return e.kind == kind && e.name == subject; }));
}

}  // namespace

TEST_CASE("a batched rollback takes back batch/units of the fault per step, and availability follows",
          "[model][rollout]") {
  const int batch = GENERATE(2, 3);
  Scenario s = back_platform();
  add_fault(s, "bad-back", FaultKind::error_rate, "back", 0).rate = 1;
  add_rollback(s, "bad-back", batch);
  Report r = run_without_kernel(s, 7);
  const RolloutReport& ro = rollout(r, "rollback");
  const int units = 10, steps = (units + batch - 1) / batch;
  CHECK(ro.unit == "replicas");
  CHECK(ro.steps == steps);
  REQUIRE(ro.finished);
  CHECK(*ro.finished == Approx(kAt + (steps - 1) * kInterval));
  CHECK(count_events(r, "fault_end", "bad-back") == 1);  // at the last step, not the first
  const Series& f = feature(r, "f");
  for (std::size_t b = 0; b < ro.share_by_bucket.size(); ++b) {
    const double start = double(b) * s.info.bucket, end = start + s.info.bucket;
    const int done = steps_done_by(end, steps);
    const double expected = std::min(1.0, double(done * batch) / units);
    INFO("batch " << batch << ", bucket " << b);
    CHECK(ro.share_by_bucket[b] == Approx(expected));
    // Inside one step, the share of back's replicas rolled back is the share of requests that succeed.
    if (steps_done_by(start, steps) == done && f.buckets[b].requests > 0)
      CHECK(f.buckets[b].availability() == Approx(expected).margin(0.1));
  }
}

TEST_CASE("a batched rollback of a config rollout stops it reaching more replicas and takes back those reached",
          "[model][rollout]") {
  Scenario s = back_platform();
  Fault& bad = add_fault(s, "bad-config", FaultKind::config_rollout, "back", 0);
  bad.ramp = 450;  // reaches replica k at 50 k s: 0, 50 and 100 by the rollback at 100
  add_rollback(s, "bad-config", 1);
  Report r = run_without_kernel(s, 8);
  const RolloutReport& ro = rollout(r, "rollback");
  // The reach at 100 s comes before the rollback at the same time (faults step first), so three
  // replicas have the bad config: three steps of one.
  CHECK(ro.steps == 3);
  REQUIRE(ro.finished);
  CHECK(*ro.finished == Approx(kAt + 2 * kInterval));
  CHECK(count_events(r, "fault_progress", "bad-config") >= 3);
  for (const Event& e : r.events)
    if (e.kind == "fault_progress" && e.name == "bad-config" && e.detail.find("reaches") != std::string::npos)
      CHECK(e.time <= kAt);  // halted: no replica reached after the rollback began
  const Series& f = feature(r, "f");
  CHECK(f.buckets.back().availability() == Approx(1));
  const std::size_t during = std::size_t((kAt + kInterval + 20) / s.info.bucket);  // after step 2 of 3
  CHECK(f.buckets[during].availability() == Approx(0.9).margin(0.06));          // one of ten still bad
}

TEST_CASE("a rollback by zone takes one zone's hosts back per step", "[model][rollout]") {
  Scenario s = back_platform();
  add_fault(s, "back-hosts", FaultKind::host_crash, "back", 0);  // every host of back, in both zones
  Action& a = add_rollback(s, "back-hosts", 1);
  a.by = RolloutUnit::zone;
  Report r = run_without_kernel(s, 9);
  const RolloutReport& ro = rollout(r, "rollback");
  CHECK(ro.unit == "hosts");
  CHECK(ro.steps == 2);
  const std::size_t first = std::size_t(std::ceil((kAt + 1) / s.info.bucket));
  CHECK(ro.share_by_bucket[first] == Approx(0.5));
  CHECK(ro.share_by_bucket.back() == Approx(1));
}

TEST_CASE("a batched failover brings the replicas of its zone in per step, the old ones serving until the last",
          "[model][rollout]") {
  Scenario s = basic_scenario(2, 4);
  s.traffic.rate = 200;
  add_service(s, "front", 2);
  Service& db = add_service(s, "db", 8);
  db.failover.enabled = true;
  db.failover.standby = {"z1"};
  db.failover.observer = "z0";
  db.failover.hold_down = 1e6;  // the controller never promotes: the action does
  add_dependency(s, "front", "db").timeout = 1;
  add_feature(s, "f", "front");
  Action a;
  a.name = "move-db";
  a.kind = ActionKind::failover;
  a.service = "db";
  a.to = "z1";
  a.at = kAt;
  a.batch = 1;
  a.interval = kInterval;
  s.actions.push_back(a);
  Report r = run_without_kernel(s, 10);
  const RolloutReport& ro = rollout(r, "move-db");
  CHECK(ro.unit == "replicas");
  CHECK(ro.steps == 4);  // db's four replicas in z1
  REQUIRE(ro.finished);
  CHECK(*ro.finished == Approx(kAt + 3 * kInterval));
  for (std::size_t b = 0; b < ro.share_by_bucket.size(); ++b)
    CHECK(ro.share_by_bucket[b] == Approx(steps_done_by(double(b + 1) * s.info.bucket, 4) / 4.0));
  // Nothing failed on the way: the z0 replicas served until the z1 ones had all come in.
  CHECK(feature(r, "f").total.failed == 0);
}
