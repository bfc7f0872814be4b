// The request-level model alone (no SimGrid): propagation of failures along hard, soft and control
// edges, status mapping to the client, retries, queues, crashes and restarts, determinism.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::testing;

TEST_CASE("a healthy platform serves every request at the traffic rate", "[model]") {
  Scenario s = basic_scenario();
  add_service(s, "front", 2);
  add_service(s, "db", 2);
  add_dependency(s, "front", "db");
  add_feature(s, "f", "front");
  Report r = run_without_kernel(s, 1);
  const Series& f = feature(r, "f");
  CHECK(f.total.requests == Approx(100 * 600).epsilon(0.03));
  CHECK(f.total.failed == 0);
  CHECK(r.summary.users_affected == 0);
  CHECK_FALSE(r.incident.impact_start);
  CHECK(edge(r, "front", "db").attempts == edge(r, "front", "db").requests);
  // Two hops of 5 ms service time and 0.2 ms each way inside the zone.
  CHECK(f.latency.p50 == Approx(0.0104).epsilon(0.05));
}

TEST_CASE("a failing hard dependency fails the feature, a soft one degrades it", "[model]") {
  Scenario s = basic_scenario();
  add_service(s, "front", 2);
  add_service(s, "db", 2);
  add_service(s, "recs", 2);
  add_dependency(s, "front", "db");
  add_dependency(s, "front", "recs", DependencyKind::soft);
  add_feature(s, "f", "front");

  SECTION("hard") {
    Fault& f = add_fault(s, "db-errors", FaultKind::error_rate, "db", 100, 100);
    f.status = Status::INTERNAL;
    Report r = run_without_kernel(s, 1);
    const Series& fs = feature(r, "f");
    CHECK(fs.buckets[5].failed == 0);
    CHECK(fs.buckets[12].ok == 0);
    CHECK(fs.buckets[12].failed > 900);
    CHECK(fs.buckets[25].failed == 0);
    CHECK(service(r, "db").errors[int(Cause::injected)] > 9000);
    CHECK(service(r, "front").errors[int(Cause::dependency)] > 9000);
    REQUIRE(r.incident.impact_start);
    CHECK(*r.incident.impact_start == Approx(100));
    REQUIRE(r.incident.recovered);
    CHECK(*r.incident.recovered == Approx(200));
    REQUIRE(r.propagation.size() >= 2);
    CHECK(r.propagation[0].service == "db");
    CHECK(r.propagation[0].via == "fault:db-errors");
    CHECK(r.propagation[1].service == "front");
    CHECK(r.propagation[1].via == "edge:front->db");
  }
  SECTION("soft") {
    add_fault(s, "recs-down", FaultKind::error_rate, "recs", 100, 100);
    Report r = run_without_kernel(s, 1);
    const Series& fs = feature(r, "f");
    CHECK(fs.total.failed == 0);
    CHECK(fs.buckets[12].degraded == fs.buckets[12].requests);
    CHECK(fs.buckets[5].degraded == 0);
  }
}

TEST_CASE("a status mapped to logout loses sessions, the client's retries hide transient errors", "[model]") {
  Scenario s = basic_scenario();
  add_service(s, "front", 2);
  add_feature(s, "f", "front");
  Fault& f = add_fault(s, "nf", FaultKind::error_rate, "front", 100, 60);
  s.client.on_status[Status::UNAVAILABLE] = ClientAction::retry;
  s.client.retries = 2;
  s.client.retry_delay = 1;

  SECTION("NOT_FOUND logs the user out") {
    f.status = Status::NOT_FOUND;
    s.client.on_status[Status::NOT_FOUND] = ClientAction::logout;
    Report r = run_without_kernel(s, 3);
    // 60 s at 100 requests/s over 1000 users: nearly every user is logged out once.
    CHECK(r.summary.sessions_lost > 900);
    CHECK(r.summary.sessions_lost <= 1000);
    CHECK(r.summary.users_affected == Approx(r.summary.sessions_lost));
  }
  SECTION("a 50% UNAVAILABLE rate retried twice mostly succeeds") {
    f.rate = 0.5;
    Report r = run_without_kernel(s, 3);
    const Series& fs = feature(r, "f");
    std::uint64_t req = 0, failed = 0;
    for (int b = 11; b < 16; ++b) {
      req += fs.buckets[std::size_t(b)].requests;
      failed += fs.buckets[std::size_t(b)].failed;
    }
    // 0.5^3 of requests fail after two client retries.
    CHECK(double(failed) / double(req) == Approx(0.125).margin(0.03));
    CHECK(r.summary.sessions_lost == 0);
  }
}

TEST_CASE("retries multiply attempts down a chain of failing dependencies", "[model]") {
  Scenario s = basic_scenario();
  s.traffic.rate = 20;
  add_service(s, "a", 2);
  add_service(s, "b", 2);
  add_service(s, "c", 2);
  for (auto [from, to] : {std::pair{"a", "b"}, std::pair{"b", "c"}}) {
    Dependency& d = add_dependency(s, from, to);
    d.retry_policy.num_retries = 2;
    d.retry_policy.retry_on = {"5xx"};
    d.retry_policy.back_off.base_interval = 0.001;
    d.retry_policy.back_off.max_interval = 0.001;
  }
  add_feature(s, "f", "a");
  add_fault(s, "c-down", FaultKind::error_rate, "c", 0);
  Report r = run_without_kernel(s, 5);
  const EdgeReport& bc = edge(r, "b", "c");
  const EdgeReport& ab = edge(r, "a", "b");
  CHECK(ab.amplification() == Approx(3.0).epsilon(0.001));  // calls in flight at the end count less
  CHECK(double(bc.attempts) / double(ab.requests) == Approx(9.0).epsilon(0.001));
}

TEST_CASE("a full queue rejects, queued work waits for a worker", "[model]") {
  Scenario s = basic_scenario();
  s.traffic.rate = 400;  // offered load 2 workers x 1/5ms = 400/s capacity at rate 400: saturated
  add_service(s, "front", 1, 1, 2, Distribution::constant(0.01));
  add_feature(s, "f", "front");
  Report r = run_without_kernel(s, 1);
  const ServiceReport& front = service(r, "front");
  CHECK(front.errors[int(Cause::rejected)] > 1000);
  CHECK(feature(r, "f").total.ok == Approx(100 * 600).epsilon(0.02));  // capacity: 100 requests/s
}

TEST_CASE("a crashed host's replicas come back after restart_time, callers route around them", "[model]") {
  Scenario s = basic_scenario(2, 1);
  add_service(s, "front", 2);
  Service& db = add_service(s, "db", 2);
  db.restart_time = 30;
  db.zones = {"z0", "z1"};
  s.services[0].zones = {"z0", "z1"};
  Dependency& d = add_dependency(s, "front", "db");
  d.retry_policy.num_retries = 1;
  d.retry_policy.retry_on = {"5xx", "reset"};
  d.timeout = 0.5;
  add_feature(s, "f", "front");
  add_fault(s, "z1-host", FaultKind::host_crash, "z1-h0", 100, 50);
  s.client.on_status[Status::DEADLINE_EXCEEDED] = ClientAction::retry;
  s.client.on_status[Status::UNAVAILABLE] = ClientAction::retry;
  Report r = run_without_kernel(s, 2);
  const ServiceReport& dbr = service(r, "db");
  CHECK(dbr.errors[int(Cause::host_down)] > 0);
  // Edge retries and the client's own retries go to the surviving replicas, so users barely notice.
  CHECK(feature(r, "f").total.availability() > 0.995);
  CHECK(feature(r, "f").total.failed > 0);  // those sent to the dead host before it left rotation waited
  // Events mark the fault and its end.
  bool start = false, end = false;
  for (const Event& e : r.events) {
    start |= e.kind == "fault_start" && e.name == "z1-host" && e.time == Approx(100);
    end |= e.kind == "fault_end" && e.name == "z1-host" && e.time == Approx(150);
  }
  CHECK(start);
  CHECK(end);
}

TEST_CASE("a control plane serving missing entries breaks callers that do not fail static", "[model]") {
  Scenario s = basic_scenario();
  add_service(s, "login", 2);
  add_service(s, "discovery", 2);
  Dependency& d = add_dependency(s, "login", "discovery", DependencyKind::control);
  d.refresh = 10;
  add_feature(s, "login", "login");
  Fault& f = add_fault(s, "cp", FaultKind::control_plane, "discovery", 100, 200);
  f.behaviour = ControlPlaneBehaviour::missing;
  f.status = Status::NOT_FOUND;
  s.client.on_status[Status::NOT_FOUND] = ClientAction::logout;
  s.client.on_status[Status::UNAVAILABLE] = ClientAction::retry;

  SECTION("fail_static = false: NOT_FOUND reaches the client, users are logged out") {
    d.fail_static = false;
    Report r = run_without_kernel(s, 1);
    CHECK(r.summary.sessions_lost > 500);
    const Series& login = feature(r, "login");
    CHECK(login.buckets[20].ok == 0);
    CHECK(login.buckets[35].failed == 0);  // 10 s refresh after the fault ends at 300 s
    // The control edge counts lookups as its requests (one per request at login), the lookups that
    // found no entry as its failures, and the refreshes sent every 10 s as its attempts.
    const EdgeReport& e = edge(r, "login", "discovery");
    // (a request still at login when the run ends was looked up but has not ended: at most 2 x 8 workers)
    CHECK(e.requests >= service(r, "login").total.requests);
    CHECK(e.requests <= service(r, "login").total.requests + 16);
    CHECK(e.failures == service(r, "login").total.failed);
    CHECK(e.failures > 0);
    CHECK(e.cache_hits == e.requests - e.failures);
    CHECK(e.attempts >= 60);
    CHECK(e.attempts <= 61);
    REQUIRE(e.failed_refreshes);
    CHECK(*e.failed_refreshes >= 20);  // those from 100 s to 300 s
    CHECK(*e.failed_refreshes <= 21);
    CHECK(service(r, "discovery").total.requests == e.attempts);
  }
  SECTION("fail_static = true: last-known entries keep serving") {
    Report r = run_without_kernel(s, 1);
    CHECK(r.summary.sessions_lost == 0);
    CHECK(feature(r, "login").total.failed == 0);
  }
  SECTION("a switch_dependency action bypasses the broken control plane") {
    d.fail_static = false;
    add_service(s, "dns", 2);
    Action a;
    a.name = "to-dns";
    a.kind = ActionKind::switch_dependency;
    a.trigger = Trigger::at;
    a.at = 150;
    a.from = "discovery";
    a.to = "dns";
    s.actions.push_back(a);
    Report r = run_without_kernel(s, 1);
    const Series& login = feature(r, "login");
    CHECK(login.buckets[13].ok == 0);
    CHECK(login.buckets[16].failed == 0);
    REQUIRE(r.incident.mitigated);
    CHECK(*r.incident.mitigated == Approx(150));
    CHECK(r.incident.mitigated_by == "to-dns");
  }
}

TEST_CASE("a monitor detects, the incident is acknowledged, an action after detection rolls back", "[model]") {
  Scenario s = basic_scenario();
  add_service(s, "front", 2);
  add_feature(s, "f", "front");
  add_fault(s, "bad", FaultKind::error_rate, "front", 100);
  Monitor m;
  m.name = "f-availability";
  m.metric = "feature.f.availability";
  m.op = CompareOp::lt;
  m.threshold = 0.99;
  m.for_ = 30;
  s.monitors.push_back(m);
  s.incident.acknowledge = Distribution::constant(60);
  Action a;
  a.name = "rollback";
  a.kind = ActionKind::rollback;
  a.trigger = Trigger::detected;
  a.delay = 120;
  a.fault = "bad";
  s.actions.push_back(a);
  s.incident.stable_for = 60;
  Report r = run_without_kernel(s, 1);
  REQUIRE(r.incident.detected);
  CHECK(*r.incident.detected == Approx(130));  // buckets from 100 s, bad for 30 s
  CHECK(r.incident.detected_by == "f-availability");
  CHECK(*r.incident.acknowledged == Approx(190));
  CHECK(*r.incident.mitigated == Approx(250));
  CHECK(*r.incident.recovered == Approx(250));
  CHECK(*r.incident.ttr() == Approx(150));
  CHECK_FALSE(r.incident.diagnosed);  // 15 min after acknowledgement: past the end of the run
}

TEST_CASE("the same seed gives the same run, another seed another", "[model][determinism]") {
  Scenario s = basic_scenario();
  add_service(s, "front", 3, 4, 8, Distribution::exponential(0.01));
  add_feature(s, "f", "front");
  Report a = run_without_kernel(s, 7), b = run_without_kernel(s, 7), c = run_without_kernel(s, 8);
  CHECK(a.summary.requests.requests == b.summary.requests.requests);
  CHECK(a.features[0].latency.mean == b.features[0].latency.mean);
  CHECK(a.summary.events == b.summary.events);
  CHECK(a.summary.requests.requests != c.summary.requests.requests);
}

TEST_CASE("a service's ttr is its longest unhealthy spell's, not the first one's", "[model]") {
  // A 30 s flicker, then a 33-minute outage: the flicker recovers (300 s healthy after it), so the
  // service has two spells and its ttr is the outage's.
  Scenario s = basic_scenario();
  s.info.duration = 3600;
  add_service(s, "front", 2);
  add_feature(s, "f", "front");
  add_fault(s, "flicker", FaultKind::error_rate, "front", 100, 30).status = Status::INTERNAL;
  add_fault(s, "outage", FaultKind::error_rate, "front", 600, 33 * 60).status = Status::INTERNAL;
  Report r = run_without_kernel(s, 1);
  const ServiceReport& front = service(r, "front");
  REQUIRE(front.unhealthy_spells.size() == 2);
  CHECK(front.unhealthy_spells[0].start == Approx(100));
  CHECK(front.unhealthy_spells[0].recovered == Approx(130));
  CHECK(front.unhealthy_spells[1].start == Approx(600));
  CHECK(front.unhealthy_spells[1].recovered == Approx(600 + 33 * 60));
  REQUIRE(front.ttr);
  CHECK(*front.ttr == Approx(33 * 60));
  CHECK(front.time_unhealthy == Approx(30 + 33 * 60));
  // The run's incidents are the same two, the longest the second.
  REQUIRE(r.incidents.size() == 2);
  const IncidentTally t = tally(r.incidents);
  CHECK(t.worst == 1);
  CHECK(*t.worst_ttr == Approx(33 * 60));
  CHECK(*t.mean_ttr == Approx((30 + 33 * 60) / 2.0));

  SECTION("a spell not over by the end leaves no ttr") {
    s.faults.back().duration = 3600;
    const Report open = run_without_kernel(s, 1);
    const ServiceReport& still = service(open, "front");
    REQUIRE(still.unhealthy_spells.size() == 2);
    CHECK_FALSE(still.unhealthy_spells[1].recovered);
    CHECK_FALSE(still.ttr);
  }
}
