// Automatic recovery through the model: supervisors that restart crashed processes under a rate
// limit, services that cannot start without another, monitors whose pipeline is down, and the
// responders' stages with tooling and a status page.
#include "model/platform_model.hpp"
#include "model/restart_supervisor.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace faultline;
using namespace faultline::testing;

TEST_CASE("a restart supervisor backs off crash after crash and holds its rate limit", "[model][restart]") {
  RestartPolicy p;
  p.backoff = 10;
  p.max_backoff = 40;
  RestartSupervisor backoff(p, 1);
  CHECK(backoff.grant(0, true, 100) == 110);   // first crash: backoff
  CHECK(backoff.grant(0, true, 120) == 140);   // in a row: doubled
  CHECK(backoff.grant(0, true, 150) == 190);   // and again
  CHECK(backoff.grant(0, true, 200) == 240);   // capped at max_backoff
  backoff.ready(0, 250);
  CHECK(backoff.grant(0, true, 250 + p.window) == 260 + p.window);  // served a whole window: back to the base
  CHECK(backoff.grant(0, false, 1000) == 1000);  // a deliberate restart waits for nothing

  RestartPolicy limited;
  limited.max_restarts = 2;
  limited.window = 60;
  RestartSupervisor limit(limited, 4);
  CHECK(limit.grant(0, false, 0) == 0);
  CHECK(limit.grant(1, false, 0) == 0);
  CHECK(limit.grant(2, false, 0) == 60);   // a third start in the window waits for the first to leave it
  CHECK(limit.grant(3, false, 10) == 60);
  CHECK(limit.grant(0, false, 20) == 120);
  CHECK(limit.grant(1, false, 200) == 200);  // the window has emptied
}

namespace {

// `back` needs `store` to start; both crash at 100 s, `store` for `store_down` seconds, `back` for 5 s.
Scenario start_dependency(int max_restarts, double window, double store_down) {
  Scenario s = basic_scenario(1, 8);
  s.info.duration = 900;
  add_service(s, "front", 2, 64);
  Service& back = add_service(s, "back", 4, 16);
  back.restart_time = 20;
  back.startup_requires = {"store"};
  back.restart_policy.max_restarts = max_restarts;
  back.restart_policy.window = window;
  Service& store = add_service(s, "store", 2, 16);
  store.restart_time = 10;
  add_dependency(s, "front", "back");
  add_dependency(s, "back", "store");
  add_feature(s, "f", "front");
  add_fault(s, "store-crash", FaultKind::service_crash, "store", 100, store_down);
  add_fault(s, "back-crash", FaultKind::service_crash, "back", 100, 5);
  return s;
}

// The end of the first bucket in which the service has `n` replicas serving.
double first_bucket_end_with(const Report& r, const std::string& name, int n, double after) {
  const ServiceReport& sr = service(r, name);
  for (std::size_t b = 0; b < sr.replicas_by_bucket.size(); ++b)
    if ((double(b) + 1) * r.bucket > after && sr.replicas_by_bucket[b] >= n) return (double(b) + 1) * r.bucket;
  return -1;
}

}  // namespace

TEST_CASE("a crash-looping service recovers no faster than its restart rate limit allows", "[model][restart]") {
  // back's replicas restart at 105 s (its crash ends), each start takes 20 s and fails until store serves
  // again at 100 + 200 + 10 = 310 s. With at most 4 starts per 60 s, the four replicas start together at
  // 105, 165, 225, 285 (ready at 305: too early) and 345: ready at 365. Without a limit they retry every
  // 20 s from 105: 105 + 20k >= 310 - 20 first at k = 10, ready at 325.
  const double store_back = 100 + 200 + 10;
  const double start = 105, restart = 20, window = 60;
  const double limited_ready = start + std::ceil((store_back - restart - start) / window) * window + restart;
  const double free_ready = start + std::ceil((store_back - restart - start) / restart) * restart + restart;
  REQUIRE(limited_ready == 365);
  REQUIRE(free_ready == 325);

  const Report limited = run_without_kernel(start_dependency(4, window, 200), 3);
  const Report unlimited = run_without_kernel(start_dependency(0, window, 200), 3);
  const ServiceReport& lb = service(limited, "back");
  const ServiceReport& ub = service(unlimited, "back");
  // Down from the crash at 100 s until the replicas are ready.
  CHECK(lb.downtime == Approx(limited_ready - 100).margin(1e-6));
  CHECK(ub.downtime == Approx(free_ready - 100).margin(1e-6));
  CHECK(first_bucket_end_with(limited, "back", 4, 100) == Approx(std::ceil(limited_ready / 10) * 10));
  CHECK(first_bucket_end_with(unlimited, "back", 4, 100) == Approx(std::ceil(free_ready / 10) * 10));
  // 4 starts per window: 5 rounds of 4; failed starts are crashes.
  CHECK(lb.restarts == 20);
  CHECK(lb.crashes == 16);
  CHECK(ub.restarts == 4 * (1 + (free_ready - restart - start) / restart));
  // Users see the difference.
  CHECK(feature(limited, "f").total.availability() < feature(unlimited, "f").total.availability());
}

TEST_CASE("a monitor whose pipeline is down detects nothing until it is back", "[model][detection]") {
  auto scenario = [](bool pipeline_on_store) {
    Scenario s = basic_scenario(1, 8);
    s.info.duration = 1200;
    add_service(s, "front", 2, 64);
    add_service(s, "store", 2, 16).restart_time = 10;
    add_service(s, "metrics", 1, 16);
    add_dependency(s, "front", "store");
    if (pipeline_on_store) add_dependency(s, "metrics", "store");
    add_feature(s, "f", "front");
    add_fault(s, "store-crash", FaultKind::service_crash, "store", 300, 400);
    Monitor m;
    m.name = "f-down";
    m.metric = "feature.f.availability";
    m.threshold = 0.99;
    m.for_ = 60;
    m.depends_on = {"metrics"};
    s.monitors.push_back(m);
    return s;
  };
  const Report blind = run_without_kernel(scenario(true), 4);
  const Report seeing = run_without_kernel(scenario(false), 4);
  REQUIRE(seeing.incident.detected);
  CHECK(*seeing.incident.detected == Approx(370).margin(10));  // the bucket after 300 s, plus `for`
  // metrics needs store: blind from 300 s until store serves again at 710 s; f is fine by then.
  CHECK_FALSE(blind.incident.detected);
  CHECK(blind.incident.impact_start == seeing.incident.impact_start);
}

TEST_CASE("responders diagnose slower while their tooling is down and wait for the status page", "[model][incident]") {
  auto scenario = [](bool tooling_on_store, bool page_on_store) {
    Scenario s = basic_scenario(1, 8);
    s.info.duration = 3600;
    add_service(s, "front", 2, 64);
    add_service(s, "store", 2, 16).restart_time = 10;
    add_service(s, "console", 1, 8);
    add_service(s, "page", 1, 8);
    add_dependency(s, "front", "store");
    if (tooling_on_store) add_dependency(s, "console", "store");
    if (page_on_store) add_dependency(s, "page", "store");
    add_feature(s, "f", "front");
    add_fault(s, "store-crash", FaultKind::service_crash, "store", 300);
    Monitor m;
    m.name = "f-down";
    m.metric = "feature.f.availability";
    m.threshold = 0.99;
    s.monitors.push_back(m);
    s.incident.acknowledge = Distribution::constant(120);
    s.incident.diagnose = Distribution::constant(600);
    s.incident.tooling = {"console"};
    s.incident.tooling_down_speed = 0.5;
    s.incident.status_page = "page";
    s.incident.status_page_fallback = 300;
    Action a;
    a.name = "restore";
    a.kind = ActionKind::rollback;
    a.fault = "store-crash";
    a.trigger = Trigger::diagnosed;
    s.actions.push_back(a);
    return s;
  };
  const Report plain = run_without_kernel(scenario(false, false), 5);
  const Report tooling = run_without_kernel(scenario(true, false), 5);
  const Report page = run_without_kernel(scenario(false, true), 5);
  REQUIRE(plain.incident.detected);
  const double detected = *plain.incident.detected;
  // Acknowledgement due 120 s after detection; diagnosis 600 s of work from then.
  CHECK(*plain.incident.acknowledged == Approx(detected + 120));
  CHECK(*plain.incident.diagnosed == Approx(detected + 720));
  CHECK(plain.incident.acknowledged_via == "status_page");
  // The console needs the store, down the whole time: diagnosis at half speed takes twice as long.
  CHECK(*tooling.incident.diagnosed == Approx(detected + 120 + 1200));
  CHECK_FALSE(tooling.incident.diagnosed_note.empty());
  REQUIRE(tooling.incident.stages().diagnosis);
  CHECK(*tooling.incident.stages().diagnosis - *plain.incident.stages().diagnosis == Approx(600));
  // The page needs the store: nothing posted until the fallback channel, 300 s past due. Diagnosis
  // does not wait for the post.
  CHECK(*page.incident.acknowledged == Approx(detected + 120 + 300));
  CHECK(page.incident.acknowledged_via == "fallback");
  CHECK(*page.incident.diagnosed == Approx(detected + 720));
  REQUIRE(page.incident.stages().acknowledgement);
  CHECK(*page.incident.stages().acknowledgement == Approx(*plain.incident.stages().acknowledgement + 300));
  CHECK_FALSE(page.status_updates.empty());
  CHECK(page.status_updates.front().channel == "fallback");
  // The stages add up to the TTR in every variant.
  for (const Report* r : {&plain, &tooling, &page}) {
    REQUIRE(r->incident.ttr());
    CHECK(stage_sum(r->incident.stages()) == Approx(*r->incident.ttr()));
  }
}

TEST_CASE("each impact after a resolution is an incident of its own, with its own responders", "[model][incident]") {
  Scenario s = basic_scenario(1, 8);
  s.info.duration = 2400;
  add_service(s, "front", 2, 64);
  add_service(s, "store", 2, 16).restart_time = 10;
  add_dependency(s, "front", "store");
  add_feature(s, "f", "front");
  Fault& crash = add_fault(s, "store-crash", FaultKind::service_crash, "store", 300, 120);
  crash.every = 1200;  // again at 1500 s
  Monitor m;
  m.name = "f-down";
  m.metric = "feature.f.availability";
  m.threshold = 0.99;
  s.monitors.push_back(m);
  s.incident.acknowledge = Distribution::constant(60);
  s.incident.diagnose = Distribution::constant(30);
  s.incident.stable_for = 60;
  s.incident.status_update_every = 600;
  const Report r = run_without_kernel(s, 6);
  REQUIRE(r.incidents.size() == 2);
  for (std::size_t k = 0; k < 2; ++k) {
    INFO("incident " << k);
    const IncidentTimeline& i = r.incidents[k];
    const double fault_at = 300 + 1200.0 * double(k);
    REQUIRE(i.impact_start);
    CHECK(*i.impact_start == Approx(fault_at));
    REQUIRE(i.detected);
    CHECK(*i.detected == Approx(fault_at + s.info.bucket));  // the first bucket below the objective closes
    CHECK(*i.acknowledged == Approx(*i.detected + 60));
    CHECK(*i.diagnosed == Approx(*i.acknowledged + 30));
    REQUIRE(i.recovered);
    CHECK(*i.recovered >= fault_at + 120 + 10);  // the crash, then the restart
    CHECK(*i.recovered < fault_at + 200);
    CHECK(stage_sum(i.stages()) == Approx(*i.ttr()));
  }
  CHECK(r.incident.detected == r.incidents.front().detected);  // `incident` is the first
  // Each incident was told and resolved on the status page, nothing in between.
  std::vector<std::string> states;
  for (const StatusUpdate& u : r.status_updates) states.push_back(u.state);
  CHECK(states == std::vector<std::string>{"investigating", "identified", "resolved", "investigating", "identified",
                                           "resolved"});
}
