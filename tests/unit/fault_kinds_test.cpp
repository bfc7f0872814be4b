// Each fault kind through the model alone (run_without_kernel): what it does to the metrics, not only
// that it loads. Platforms are small; windows are in buckets of 10 s.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace faultline;
using namespace faultline::testing;

namespace {

// Requests that ended in buckets [first, last) and the share of them that failed.
struct Window {
  std::uint64_t requests = 0, failed = 0;
  double failed_share() const { return requests ? double(failed) / double(requests) : 0.0; }
};

double failed_share(const Counts& c) { return c.requests ? double(c.failed) / double(c.requests) : 0.0; }

Window window(const Series& s, int first, int last) {
  Window w;
  for (int b = first; b < last; ++b) {
    w.requests += s.buckets[std::size_t(b)].requests;
    w.failed += s.buckets[std::size_t(b)].failed;
  }
  return w;
}

int count_events(const Report& r, const std::string& kind, const std::string& name) {
  return int(std::count_if(r.events.begin(), r.events.end(),
                           [&](const Event& e) { return e.kind == kind && e.name == name; }));
}

// front in z0 calls db in z1 (one region, three zones of one host each).
Scenario across_zones() {
  Scenario s = basic_scenario(3, 1);
  Service& front = add_service(s, "front", 1, 200);  // enough workers to wait out timeouts
  front.zones = {"z0"};
  Service& db = add_service(s, "db", 1);
  db.zones = {"z1"};
  add_dependency(s, "front", "db").timeout = 0.5;
  add_feature(s, "f", "front");
  return s;
}

}  // namespace

TEST_CASE("region_outage takes every host of the region down, and its users fail over after the health checks",
          "[fault][model]") {
  Scenario s = basic_scenario(1, 2);
  s.zones.push_back(Zone{"z9", "r2", 2, 0, {}, {}});
  Service& front = add_service(s, "front", 2);
  front.zones = {"z0", "z9"};
  front.restart_time = 30;
  add_feature(s, "f", "front");
  add_fault(s, "r2-down", FaultKind::region_outage, "r2", 100, 100);
  Report r = run_without_kernel(s, 1);

  const ServiceReport& fr = service(r, "front");
  // The r2 replica is down from 100 s until it is ready again, 30 s after its hosts come back.
  CHECK(fr.time_by_replicas_up[1] == Approx(130));
  CHECK(fr.uptime == 1);
  CHECK(fr.outages == 0);
  CHECK(fr.errors[int(Cause::host_down)] > 0);
  // Users of r2 lose the requests sent before the health checks take the dead replica out of
  // rotation; r1's users see nothing.
  CHECK(r.regions[1].total.failed > 0);
  CHECK(failed_share(r.regions[1].total) < 0.03);
  CHECK(r.regions[0].total.failed == 0);
  REQUIRE(count_events(r, "fault_start", "r2-down") == 1);
}

TEST_CASE("link_down and partition fail calls across the cut by timeout, and nothing else", "[fault][model]") {
  Scenario s = across_zones();

  SECTION("the link between the caller's and the callee's zones") {
    add_fault(s, "cut", FaultKind::link_down, "z0<->z1", 100, 100);
    Report r = run_without_kernel(s, 1);
    const Series& f = feature(r, "f");
    CHECK(window(f, 0, 10).failed == 0);
    CHECK(window(f, 11, 20).failed_share() == 1.0);
    CHECK(window(f, 21, 60).failed == 0);
    CHECK(service(r, "db").errors[int(Cause::timeout)] > 8000);
    REQUIRE_FALSE(r.propagation.empty());
    CHECK(r.propagation[0].service == "db");
    CHECK(r.propagation[0].via == "fault:cut");
  }
  SECTION("a partition between other zones changes nothing") {
    add_fault(s, "elsewhere", FaultKind::partition, "z0<->z2", 100, 100);
    CHECK(feature(run_without_kernel(s, 1), "f").total.failed == 0);
  }
  SECTION("a zone partitioned from every other zone") {
    add_fault(s, "island", FaultKind::partition, "z1", 100, 100);
    CHECK(window(feature(run_without_kernel(s, 1), "f"), 11, 20).failed_share() == 1.0);
  }
  SECTION("one way: requests lost, or answers lost, fail the same calls") {
    Fault& f = add_fault(s, "one-way", FaultKind::partition, "z0<->z1", 100, 100);
    f.direction = PartitionDirection::one_way;  // z0 -> z1 dropped: requests never arrive
    CHECK(window(feature(run_without_kernel(s, 1), "f"), 11, 20).failed_share() == 1.0);
    f.target = "z1<->z0";  // z1 -> z0 dropped: db does the work, its answers never arrive
    CHECK(window(feature(run_without_kernel(s, 1), "f"), 11, 20).failed_share() == 1.0);
  }
}

TEST_CASE("latency on a link delays every message across it, each way", "[fault][model]") {
  Scenario s = across_zones();
  const double before = feature(run_without_kernel(s, 1), "f").latency.p50;
  Fault& f = add_fault(s, "slow-link", FaultKind::latency, "z0<->z1", 0);
  f.delay = Distribution::constant(0.05);
  const double after = feature(run_without_kernel(s, 1), "f").latency.p50;
  CHECK(after - before == Approx(0.1).epsilon(0.06));
}

TEST_CASE("packet_loss loses a share of attempts: the caller times out, or retries", "[fault][model]") {
  Scenario s = across_zones();
  Dependency& d = s.dependencies[0];
  d.retry_policy.per_try_timeout = 0.1;
  Fault& loss = add_fault(s, "loss", FaultKind::packet_loss, "db", 0);
  loss.rate = 0.3;

  SECTION("without retries a third of requests fail") {
    Report r = run_without_kernel(s, 1);
    CHECK(failed_share(feature(r, "f").total) == Approx(0.3).margin(0.01));
    CHECK(double(service(r, "db").errors[int(Cause::timeout)]) / double(service(r, "db").total.requests) ==
          Approx(0.3).margin(0.01));
  }
  SECTION("two retries on timeout leave 0.3^3") {
    d.retry_policy.num_retries = 2;
    d.retry_policy.retry_on = {"timeout"};
    Report r = run_without_kernel(s, 1);
    CHECK(failed_share(feature(r, "f").total) == Approx(0.027).margin(0.004));
    CHECK(edge(r, "front", "db").amplification() == Approx(1 + 0.3 + 0.09).epsilon(0.02));
  }
  SECTION("on a link or a dependency") {
    loss.target = "z0<->z1";
    CHECK(failed_share(feature(run_without_kernel(s, 1), "f").total) == Approx(0.3).margin(0.01));
    loss.target = "front->db";
    CHECK(failed_share(feature(run_without_kernel(s, 1), "f").total) == Approx(0.3).margin(0.01));
  }
}

TEST_CASE("slowdown multiplies the service time of the replicas it hits", "[fault][model]") {
  Scenario s = basic_scenario(1, 2);
  add_service(s, "front", 1);
  add_service(s, "db", 2, 8, 64, Distribution::constant(0.01));
  add_dependency(s, "front", "db");
  add_feature(s, "f", "front");
  Fault& slow = add_fault(s, "cpu", FaultKind::slowdown, "db", 100, 100);
  slow.factor = 4;

  const auto p99 = [](const Report& r, int b) { return service(r, "db").latency_by_bucket.p99[std::size_t(b)]; };
  SECTION("on a service") {
    Report r = run_without_kernel(s, 1);
    CHECK(p99(r, 15) / p99(r, 5) == Approx(40.4 / 10.4).epsilon(0.08));
    CHECK(p99(r, 25) == Approx(p99(r, 5)));
  }
  SECTION("on a host: only the replicas on it") {
    slow.target = "z0-h1";  // db.0 alone (front and db.1 share h0)
    Report r = run_without_kernel(s, 1);
    CHECK(p99(r, 15) / p99(r, 5) == Approx(40.4 / 10.4).epsilon(0.08));  // half the calls are slow
    CHECK(service(r, "db").latency.p50 == Approx(0.0104).epsilon(0.05));
  }
}

TEST_CASE("traffic_surge multiplies the rate of the requests it names, and only those", "[fault][model]") {
  Scenario s = basic_scenario();
  add_service(s, "front", 4);
  add_feature(s, "f1", "front");
  add_feature(s, "f2", "front");
  s.features[0].share = s.features[1].share = 0.5;
  Fault& surge = add_fault(s, "surge", FaultKind::traffic_surge, "f1", 200, 200);
  surge.factor = 3;
  Report r = run_without_kernel(s, 1);
  const double f1_before = double(window(feature(r, "f1"), 0, 20).requests);
  const double f1_during = double(window(feature(r, "f1"), 20, 40).requests);
  const double f2_during = double(window(feature(r, "f2"), 20, 40).requests);
  CHECK(f1_before == Approx(10000).epsilon(0.04));
  CHECK(f1_during == Approx(30000).epsilon(0.04));
  CHECK(f2_during == Approx(10000).epsilon(0.04));
  CHECK(double(window(feature(r, "f1"), 40, 60).requests) == Approx(10000).epsilon(0.04));

  SECTION("a region") {
    s.zones.push_back(Zone{"z9", "r2", 4, 0, {}, {}});
    surge.target = "r2";
    Report rr = run_without_kernel(s, 1);
    CHECK(double(window(rr.regions[1], 20, 40).requests) == Approx(30000).epsilon(0.04));
    CHECK(double(window(rr.regions[0], 20, 40).requests) == Approx(10000).epsilon(0.04));
  }
}

TEST_CASE("config_rollout reaches replicas one by one over its ramp, until it is rolled back", "[fault][model]") {
  Scenario s = basic_scenario(1, 10);
  Service& front = add_service(s, "front", 10);
  front.restart_time = 5;
  add_feature(s, "f", "front");
  Fault& bad = add_fault(s, "bad-config", FaultKind::config_rollout, "front", 100, 200);
  bad.ramp = 90;  // a replica every 10 s from 100 s to 190 s

  SECTION("an erring version") {
    bad.status = Status::INTERNAL;
    Report r = run_without_kernel(s, 1);
    const Series& f = feature(r, "f");
    CHECK(window(f, 10, 11).failed_share() == Approx(0.1).margin(0.03));
    CHECK(window(f, 14, 15).failed_share() == Approx(0.5).margin(0.05));
    CHECK(window(f, 19, 30).failed_share() == 1.0);
    CHECK(window(f, 30, 60).failed == 0);
    CHECK(count_events(r, "fault_progress", "bad-config") == 10);
    CHECK(service(r, "front").errors[int(Cause::injected)] == f.total.failed);
  }
  SECTION("a crash-looping version") {
    bad.crash_loop = true;
    bad.crash_after = 10;
    bad.ramp = 0;  // every replica at once: restart (5 s), serve 10 s, crash, ...
    Report r = run_without_kernel(s, 1);
    const ServiceReport& fr = service(r, "front");
    // Down at 100, 115, ..., 295 s, and once more for the good version's restart at 300 s.
    CHECK(fr.outages == 15);
    CHECK(fr.time_by_replicas_up[0] == Approx(15 * 5));
    CHECK(window(feature(r, "f"), 10, 30).failed > 0);
    CHECK(window(feature(r, "f"), 32, 60).failed == 0);
  }
  SECTION("a rollback stops it where it got to") {
    Action a;
    a.name = "rollback";
    a.kind = ActionKind::rollback;
    a.at = 135;
    a.fault = "bad-config";
    s.actions.push_back(a);
    Report r = run_without_kernel(s, 1);
    CHECK(count_events(r, "fault_progress", "bad-config") == 4);
    CHECK(window(feature(r, "f"), 14, 60).failed == 0);
    REQUIRE(r.incident.mitigated);
    CHECK(*r.incident.mitigated == 135);
  }
}

TEST_CASE("cert_expiry fails calls to the target until renewal, and what does not use it keeps working",
          "[fault][model]") {
  Scenario s = basic_scenario();
  add_service(s, "cdn", 2);
  add_service(s, "player", 2);
  add_feature(s, "play", "cdn");
  add_feature(s, "play_offline", "player");
  add_fault(s, "cdn-cert", FaultKind::cert_expiry, "cdn", 100, 100);
  Report r = run_without_kernel(s, 1);
  CHECK(window(feature(r, "play"), 10, 20).failed_share() == 1.0);
  CHECK(window(feature(r, "play"), 21, 60).failed == 0);
  CHECK(feature(r, "play_offline").total.failed == 0);
  CHECK(service(r, "cdn").errors[int(Cause::injected)] == feature(r, "play").total.failed);
}

TEST_CASE("dns_failure fails calls to the name once each caller's cached answer is too old", "[fault][model]") {
  Scenario s = basic_scenario(1, 8);
  add_service(s, "front", 8);
  add_service(s, "db", 2);
  add_dependency(s, "front", "db");
  add_feature(s, "f", "front");
  Fault& dns = add_fault(s, "dns", FaultKind::dns_failure, "db", 100, 100);

  SECTION("no cache: at once") {
    Report r = run_without_kernel(s, 1);
    CHECK(window(feature(r, "f"), 11, 20).failed_share() == 1.0);
    CHECK(window(feature(r, "f"), 20, 60).failed == 0);
    CHECK(service(r, "db").errors[int(Cause::injected)] > 9000);
  }
  SECTION("a 60 s cache: callers drop out one by one") {
    dns.ttl = 60;
    Report r = run_without_kernel(s, 1);
    const Series& f = feature(r, "f");
    CHECK(window(f, 10, 11).failed_share() < window(f, 13, 14).failed_share() + 0.01);
    CHECK(window(f, 13, 14).failed_share() < window(f, 15, 16).failed_share() + 0.01);
    CHECK(window(f, 10, 16).failed_share() > 0.1);
    CHECK(window(f, 10, 16).failed_share() < 0.9);
    CHECK(window(f, 16, 20).failed_share() == 1.0);
  }
}

TEST_CASE("clock_skew beyond the tolerance fails calls between skewed and correct clocks", "[fault][model]") {
  Scenario s = basic_scenario();
  add_service(s, "front", 2);
  add_service(s, "auth", 2);
  add_dependency(s, "front", "auth");
  add_feature(s, "f", "front");
  Fault& skew = add_fault(s, "skew", FaultKind::clock_skew, "front", 100, 100);
  skew.skew = 600;
  skew.tolerance = 300;
  skew.checked_by = {"auth"};
  s.client.on_status[Status::UNAUTHENTICATED] = ClientAction::logout;

  SECTION("tokens from the skewed front look expired to auth: users are logged out") {
    Report r = run_without_kernel(s, 1);
    CHECK(window(feature(r, "f"), 11, 20).failed_share() == 1.0);
    CHECK(window(feature(r, "f"), 20, 60).failed == 0);
    CHECK(r.summary.sessions_lost > 900);
    CHECK(service(r, "auth").errors[int(Cause::injected)] > 9000);
  }
  SECTION("within the tolerance nobody notices") {
    skew.skew = 120;
    CHECK(feature(run_without_kernel(s, 1), "f").total.failed == 0);
  }
  SECTION("a service that does not check is not affected") {
    skew.checked_by = {"front"};  // only front checks, and front's own callers (users) have correct clocks
    Report r = run_without_kernel(s, 1);
    CHECK(window(feature(r, "f"), 11, 20).failed_share() == 1.0);  // users' tokens look wrong to front
    CHECK(service(r, "auth").total.failed == 0);
  }
}
