// Actions done with tooling (action[].tooling): while the deploy system is not usable an action's
// delay and a rollout's steps pass at tooling_down_speed, or wait for it at 0; with the tooling up
// nothing changes.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace faultline;
using namespace faultline::testing;

namespace {

// "front" calls "store", which fails every call from 50 s on (a bad config) until rolled back. The
// operators' deploy system ("deploy", its own service, called by nobody) is down from 100 s to 700 s.
Scenario with_deploy_down(bool deploy_down = true) {
  Scenario s = basic_scenario(1, 8);
  s.info.duration = 1500;
  s.info.bucket = 10;
  s.traffic.rate = 50;
  add_service(s, "front", 2);
  add_service(s, "store", 4).restart_time = 20;
  add_service(s, "deploy", 1).restart_time = 20;
  add_dependency(s, "front", "store").timeout = 0.5;
  add_feature(s, "f", "front");
  add_fault(s, "bad-config", FaultKind::error_rate, "store", 50).rate = 1;
  if (deploy_down) add_fault(s, "deploy-down", FaultKind::service_crash, "deploy", 100, 600);
  return s;
}

Action rollback(double at, double delay, double speed) {
  Action a;
  a.name = "rollback";
  a.kind = ActionKind::rollback;
  a.fault = "bad-config";
  a.at = at;
  a.delay = delay;
  a.tooling = {"deploy"};
  a.tooling_down_speed = speed;
  return a;
}

const Event& action_event(const Report& r, const std::string& name) {
  const auto it = std::find_if(r.events.begin(), r.events.end(),
                               [&](const Event& e) { return e.kind == "action" && e.name == name; });
  REQUIRE(it != r.events.end());
  return *it;
}

bool has(const Report& r, const std::string& kind, const std::string& name) {
  return std::any_of(r.events.begin(), r.events.end(), [&](const Event& e) { return e.kind == kind && e.name == name; });
}

}  // namespace

TEST_CASE("action tooling: without its deploy system a rollback at speed 0 waits until it is usable again",
          "[model][actions][tooling]") {
  Scenario s = with_deploy_down();
  s.actions.push_back(rollback(200, 0, 0));
  const Report r = run_without_kernel(s, 3);
  const Event& ran = action_event(r, "rollback");
  // The deploy system is back 20 s after 700 s (its restart), seen at the next bucket's end.
  CHECK(ran.time >= 720);
  CHECK(ran.time <= 720 + 2 * s.info.bucket);
  CHECK_THAT(ran.detail, Catch::Contains("without its tooling"));
  CHECK(has(r, "tooling_unusable", "rollback"));
  // The feature fails until then, and recovers after.
  const Series& f = feature(r, "f");
  CHECK(f.buckets[50].failed == f.buckets[50].requests);
  CHECK(f.buckets[std::size_t(ran.time / s.info.bucket) + 2].failed == 0);
}

TEST_CASE("action tooling: at half speed the action's delay takes twice as long", "[model][actions][tooling]") {
  Scenario s = with_deploy_down();
  s.actions.push_back(rollback(200, 100, 0.5));
  const Report r = run_without_kernel(s, 3);
  CHECK(action_event(r, "rollback").time == Approx(200 + 100 / 0.5));
  // A delay that outlasts the outage of the tooling goes at full speed once it is back: from 200 s at
  // half speed until the tooling is seen back (at a bucket's end, 720 s or 730 s: its restart ends at
  // 720 s), then what is left at full speed: back + 400 - (back - 200) / 2.
  Scenario longer = with_deploy_down();
  longer.actions.push_back(rollback(200, 400, 0.5));
  const double at = action_event(run_without_kernel(longer, 3), "rollback").time;
  const double back = 2 * (at - 500);
  CHECK((back == Approx(720) || back == Approx(730)));
}

TEST_CASE("action tooling: with the tooling up an action runs on time", "[model][actions][tooling]") {
  Scenario s = with_deploy_down(false);
  s.actions.push_back(rollback(200, 100, 0));
  const Report r = run_without_kernel(s, 3);
  const Event& ran = action_event(r, "rollback");
  CHECK(ran.time == Approx(300));
  CHECK_THAT(ran.detail, !Catch::Contains("without its tooling"));
  CHECK_FALSE(has(r, "tooling_unusable", "rollback"));
}

TEST_CASE("action tooling: a rolling restart without its deploy system goes at the reduced rate",
          "[model][actions][tooling]") {
  auto run_restart = [](bool deploy_down, double speed) {
    Scenario s = with_deploy_down(deploy_down);
    s.faults.erase(s.faults.begin());  // only the deploy system's outage
    Action a;
    a.name = "roll";
    a.kind = ActionKind::restart;
    a.service = "store";
    a.at = 205;
    a.batch = 1;
    a.interval = 60;
    a.tooling = {"deploy"};
    a.tooling_down_speed = speed;
    s.actions.push_back(a);
    return run_without_kernel(s, 3);
  };
  const Report normal = run_restart(false, 0.5);
  const Report slow = run_restart(true, 0.5);
  REQUIRE(normal.rollouts.size() == 1);
  REQUIRE(slow.rollouts.size() == 1);
  const RolloutReport& n = normal.rollouts[0];
  const RolloutReport& w = slow.rollouts[0];
  REQUIRE(n.finished);
  REQUIRE(w.finished);
  // Four replicas, three intervals: 180 s at full speed, 360 s at half speed (all within the outage).
  CHECK(*n.finished - *n.started == Approx(180));
  CHECK(*w.finished - *w.started == Approx(360));
  CHECK(w.paused_time == Approx(180));
  CHECK(n.paused_time == 0);
  CHECK(w.steps == 4);
  // At speed 0 the steps wait for the tooling: the last three go after it is back.
  const Report stuck = run_restart(true, 0);
  REQUIRE(stuck.rollouts[0].finished);
  CHECK(*stuck.rollouts[0].finished > 720);
}
