// Gradual actions in the model alone: a switch_dependency in batches of caller replicas or zones,
// and the gate that pauses or reverts a rollout. Expected shares come from the action's own
// parameters (batches done x batch size / callers); availabilities carry a traffic tolerance.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

using namespace faultline;
using namespace faultline::testing;

namespace {

// "front" (10 replicas over two zones) calls "old", which fails every call from t = 0; a switch
// moves front's replicas to "new" in batches of `batch` every 50 s from t = 100.
Scenario switching_platform(int batch) {
  Scenario s = basic_scenario(2, 5);
  s.traffic.rate = 400;
  add_service(s, "front", 10);
  add_service(s, "old", 2);
  add_service(s, "new", 2);
  add_dependency(s, "front", "old").timeout = 1;
  add_feature(s, "f", "front");
  add_fault(s, "old-fails", FaultKind::error_rate, "old", 0).rate = 1;
  Action a;
  a.name = "switch";
  a.kind = ActionKind::switch_dependency;
  a.at = 100;
  a.from = "old";
  a.to = "new";
  a.batch = batch;
  a.interval = 50;
  s.actions.push_back(a);
  return s;
}

const RolloutReport& rollout(const Report& r, const std::string& action) {
  for (const RolloutReport& ro : r.rollouts)
    if (ro.action == action) return ro;
  throw std::runtime_error("no rollout " + action);
}

}  // namespace

TEST_CASE("a batched switch moves batch/callers of the callers per step, and availability follows", "[model][rollout]") {
  const int batch = GENERATE(1, 3);
  Scenario s = switching_platform(batch);
  Report r = run_without_kernel(s, 3);
  const RolloutReport& ro = rollout(r, "switch");
  const Action& a = s.actions[0];
  const int callers = 10, steps = (callers + batch - 1) / batch;
  CHECK(ro.unit == "callers");
  CHECK(ro.steps == steps);
  REQUIRE(ro.started);
  REQUIRE(ro.finished);
  CHECK(*ro.started == Approx(a.at));
  CHECK(*ro.finished == Approx(a.at + (steps - 1) * a.interval));
  const Series& f = feature(r, "f");
  for (std::size_t b = 0; b < ro.share_by_bucket.size(); ++b) {
    const double bucket_end = double(b + 1) * s.info.bucket;
    // Steps at at, at + interval, ... up to the bucket's end (a step at the end itself is in it).
    const int done = bucket_end < a.at ? 0 : std::min(steps, 1 + int(std::floor((bucket_end - a.at) / a.interval + 1e-9)));
    const double expected = std::min(1.0, double(done * batch) / callers);
    INFO("batch " << batch << ", bucket " << b);
    CHECK(ro.share_by_bucket[b] == Approx(expected));
    // A bucket wholly inside one step: the share of front's replicas switched is the share of
    // requests that succeed (the load balancer spreads users over front's replicas).
    const double bucket_start = double(b) * s.info.bucket;
    const int done_at_start =
        bucket_start < a.at ? 0 : std::min(steps, 1 + int(std::floor((bucket_start - a.at) / a.interval + 1e-9)));
    if (done_at_start == done && f.buckets[b].requests > 0)
      CHECK(f.buckets[b].availability() == Approx(expected).margin(0.1));
  }
}

TEST_CASE("a switch by zone moves one zone's callers per step", "[model][rollout]") {
  Scenario s = switching_platform(1);
  s.actions[0].by = RolloutUnit::zone;
  Report r = run_without_kernel(s, 4);
  const RolloutReport& ro = rollout(r, "switch");
  CHECK(ro.steps == 2);  // front runs in both zones
  const int half = int(std::ceil((s.actions[0].at + 1) / s.info.bucket));  // first bucket ending after step 1
  CHECK(ro.share_by_bucket[std::size_t(half)] == Approx(0.5));
  CHECK(ro.share_by_bucket.back() == Approx(1));
}

TEST_CASE("a firing gate pauses a rollout until it is quiet, or reverts it", "[model][rollout]") {
  Scenario s = switching_platform(2);
  // The gate watches "new": a fault there from 150 s to 400 s makes it fire.
  add_fault(s, "new-fails", FaultKind::error_rate, "new", 150, 250).rate = 1;
  Monitor m;
  m.name = "new-health";
  m.metric = "service.new.availability";
  m.threshold = 0.9;
  m.for_ = 10;
  s.monitors.push_back(m);
  s.actions[0].gate = "new-health";

  SECTION("pause") {
    Report r = run_without_kernel(s, 5);
    const RolloutReport& ro = rollout(r, "switch");
    REQUIRE(ro.finished);
    CHECK_FALSE(ro.reverted);
    CHECK(ro.steps == 5);
    // Steps at 100 and 150; the gate fires from 160 s (150 s plus one bucket), so the step due at 200
    // waits, looked at every interval, until the alert resolves after 400 s.
    CHECK(ro.paused_time > 120);
    CHECK(*ro.finished > 400 + 2 * s.actions[0].interval);
    for (std::size_t b = 0; b < ro.share_by_bucket.size(); ++b)
      if ((double(b) + 1) * s.info.bucket > 230 && (double(b) + 1) * s.info.bucket < 400)
        CHECK(ro.share_by_bucket[b] <= 0.4 + 1e-9);
  }
  SECTION("revert") {
    s.actions[0].on_gate_failure = GateFailure::revert;
    Report r = run_without_kernel(s, 5);
    const RolloutReport& ro = rollout(r, "switch");
    CHECK(ro.reverted);
    CHECK(ro.share_by_bucket.back() == 0);
    // Every caller is back on "old", which still fails: the feature ends at 0%.
    const Series& f = feature(r, "f");
    CHECK(f.buckets.back().availability() == Approx(0).margin(0.01));
  }
}
