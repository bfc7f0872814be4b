// Overload and resilience behaviour of the whole model (no SimGrid): queue disciplines, admission
// control, deadline propagation, error cost, load balancing, outlier detection, circuit breakers,
// retry budgets, caches.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::testing;

namespace {
// One server at 120% of its capacity; clients give up after 1 s.
Scenario overloaded_server() {
  Scenario s = basic_scenario(1, 1);
  s.info.duration = 300;
  s.traffic.rate = 120;
  s.client.timeout = 1;
  add_service(s, "server", 1, 1, 1000, Distribution::exponential(0.01));
  add_feature(s, "f", "server");
  return s;
}
}  // namespace

TEST_CASE("under overload LIFO keeps answering in time while FIFO times everyone out", "[model][overload]") {
  Scenario fifo = overloaded_server();
  Scenario lifo = overloaded_server();
  lifo.services[0].queue_discipline = QueueDiscipline::lifo;
  double fifo_ok = feature(run_without_kernel(fifo, 1), "f").total.availability();
  double lifo_ok = feature(run_without_kernel(lifo, 1), "f").total.availability();
  CHECK(fifo_ok < 0.2);   // the queue is always full of requests older than the timeout
  CHECK(lifo_ok > 0.75);  // the newest requests are served at capacity (100 of 120 per second)
}

TEST_CASE("admission control sheds load quickly instead of letting it time out", "[model][overload]") {
  Scenario s = overloaded_server();
  s.services[0].max_queue_wait = 0.1;
  Report r = run_without_kernel(s, 1);
  const ServiceReport& server = service(r, "server");
  CHECK(server.errors[int(Cause::rejected)] > 0);
  CHECK(server.errors[int(Cause::timeout)] == 0);
  CHECK(feature(r, "f").total.availability() > 0.75);
  CHECK(server.latency.p99 < 0.2);  // nobody waits for long
}

TEST_CASE("deadline propagation skips work for callers that gave up", "[model][overload]") {
  Scenario s = basic_scenario(1, 2);
  s.info.duration = 300;
  s.traffic.rate = 150;
  add_service(s, "front", 1, 10000, 0, Distribution::constant(0.001));
  add_service(s, "back", 1, 1, 10000, Distribution::exponential(0.01));
  Dependency& d = add_dependency(s, "front", "back");
  d.timeout = 0.5;
  add_service(s, "deeper", 1, 1000, 0, Distribution::constant(0.001));
  add_dependency(s, "back", "deeper");
  add_feature(s, "f", "front");
  Report plain = run_without_kernel(s, 1);
  s.services[1].deadline_propagation = true;
  Report propagated = run_without_kernel(s, 1);
  // Back is saturated either way. Without propagation most of its work (and its calls to `deeper`)
  // is for requests whose caller gave up long ago; with it, nearly all of it answers someone.
  auto useful = [](const Report& r) {
    return double(feature(r, "f").total.ok) / double(edge(r, "back", "deeper").requests);
  };
  CHECK(useful(plain) < 0.2);
  CHECK(useful(propagated) > 0.8);
  CHECK(feature(propagated, "f").total.ok > 5 * feature(plain, "f").total.ok);

  // Cancellation also frees a worker as soon as its caller gives up, in service or queued.
  s.services[1].deadline_propagation = false;
  s.services[1].cancellation = true;
  Report cancelled = run_without_kernel(s, 1);
  CHECK(useful(cancelled) > 0.8);
  CHECK(feature(cancelled, "f").total.ok > 5 * feature(plain, "f").total.ok);
}

TEST_CASE("error cost keeps workers busy on failures", "[model][overload]") {
  Scenario s = basic_scenario(1, 2);
  s.info.duration = 120;
  s.traffic.rate = 100;
  add_service(s, "gateway", 1, 4, 1000, Distribution::constant(0.001));
  add_service(s, "broken", 1, 100, 0, Distribution::constant(0.001));
  add_dependency(s, "gateway", "broken");
  add_feature(s, "f", "gateway");
  add_fault(s, "down", FaultKind::error_rate, "broken", 0);
  Report cheap = run_without_kernel(s, 1);
  s.services[0].error_cost = 0.05;  // 100/s x 50 ms = 5 workers busy: more than the 4 it has
  Report costly = run_without_kernel(s, 1);
  // Cheap failures are answered at once; costly ones fill the gateway's queue until it rejects or the
  // clients time out.
  auto overload = [](const Report& r) {
    const ServiceReport& g = service(r, "gateway");
    return g.errors[int(Cause::rejected)] + g.errors[int(Cause::timeout)];
  };
  CHECK(overload(cheap) == 0);
  CHECK(overload(costly) > 1000);
}

TEST_CASE("least_request steers around a slow replica, zone_aware stays in the caller's zone", "[model][lb]") {
  Scenario s = basic_scenario(2, 2);
  s.info.duration = 300;
  s.traffic.rate = 200;
  Service& front = add_service(s, "front", 2, 64);
  front.zones = {"z0", "z1"};
  Service& back = add_service(s, "back", 2, 64, 1000, Distribution::exponential(0.005));
  back.zones = {"z0", "z1"};
  add_dependency(s, "front", "back");
  add_feature(s, "f", "front");
  s.network.inter_zone = 0.01;
  Fault& slow = add_fault(s, "slow-replica", FaultKind::latency, "back", 0);
  slow.mode = SelectorMode::one;
  slow.delay = Distribution::constant(0.1);

  Report rr = run_without_kernel(s, 1);
  s.services[1].load_balancer = LoadBalancer::least_request;
  Report least = run_without_kernel(s, 1);
  CHECK(service(least, "back").latency.mean < 0.5 * service(rr, "back").latency.mean);

  s.faults.clear();
  s.services[1].load_balancer = LoadBalancer::round_robin;
  Report spread = run_without_kernel(s, 1);
  s.services[1].load_balancer = LoadBalancer::zone_aware;
  Report local = run_without_kernel(s, 1);
  // Round robin crosses zones half the time (10 ms each way); zone-aware never does.
  CHECK(service(spread, "back").latency.mean > service(local, "back").latency.mean + 0.008);
}

TEST_CASE("outlier detection ejects a failing replica and callers stop seeing its errors", "[model][outlier]") {
  Scenario s = basic_scenario(1, 4);
  s.info.duration = 300;
  add_service(s, "front", 2);
  add_service(s, "back", 4);
  add_dependency(s, "front", "back");
  add_feature(s, "f", "front");
  Fault& bad = add_fault(s, "bad-replica", FaultKind::error_rate, "back", 0);
  bad.mode = SelectorMode::one;
  Report without = run_without_kernel(s, 1);
  s.services[1].outlier_detection.enabled = true;
  s.services[1].outlier_detection.max_ejection_percent = 25;
  Report with = run_without_kernel(s, 1);
  CHECK(feature(without, "f").total.availability() == Approx(0.75).margin(0.02));
  CHECK(feature(with, "f").total.availability() > 0.99);
  bool ejected = false;
  for (const Event& e : with.events) ejected |= e.kind == "outlier_ejected";
  CHECK(ejected);
  int most = 0;
  for (int n : service(with, "back").ejected_by_bucket) most = std::max(most, n);
  CHECK(most == 1);
}

TEST_CASE("circuit breakers fail fast and a retry budget caps the retries of a failing edge", "[model][breaker]") {
  Scenario s = basic_scenario(1, 2);
  s.info.duration = 120;
  s.traffic.rate = 200;
  add_service(s, "front", 1, 1000);
  add_service(s, "back", 1, 1000, 0, Distribution::constant(0.2));
  Dependency& d = add_dependency(s, "front", "back");
  d.circuit_breakers.enabled = true;
  d.circuit_breakers.max_requests = 10;  // 200/s x 0.2 s = 40 needed
  add_feature(s, "f", "front");
  Report r = run_without_kernel(s, 1);
  const EdgeReport& e = edge(r, "front", "back");
  CHECK(e.circuit_open > 0);
  CHECK(service(r, "back").errors[int(Cause::circuit_open)] == e.circuit_open);
  CHECK(feature(r, "f").total.availability() == Approx(0.25).margin(0.05));

  Scenario t = basic_scenario(1, 2);
  t.info.duration = 120;
  t.traffic.rate = 200;
  add_service(t, "front", 1, 1000);
  add_service(t, "back", 1, 1000);
  Dependency& retried = add_dependency(t, "front", "back");
  retried.retry_policy.num_retries = 3;
  retried.retry_policy.retry_on = {"5xx"};
  add_feature(t, "f", "front");
  add_fault(t, "down", FaultKind::error_rate, "back", 0);
  double unbudgeted = edge(run_without_kernel(t, 1), "front", "back").amplification();
  t.dependencies[0].retry_policy.retry_budget.enabled = true;
  t.dependencies[0].retry_policy.retry_budget.min_retry_concurrency = 1;
  double budgeted = edge(run_without_kernel(t, 1), "front", "back").amplification();
  CHECK(unbudgeted == Approx(4).epsilon(0.01));
  CHECK(budgeted < 1.5);
}

TEST_CASE("a cache answers while the callee is down until its data expires", "[model][cache]") {
  Scenario s = basic_scenario(1, 2);
  s.info.duration = 900;
  add_service(s, "front", 2);
  add_service(s, "meta", 2);
  Dependency& d = add_dependency(s, "front", "meta");
  d.cache.enabled = true;
  d.cache.hit_ratio = 1.0;
  d.cache.ttl = 200;
  d.cache.refresh = 30;
  add_feature(s, "f", "front");
  add_fault(s, "meta-down", FaultKind::error_rate, "meta", 300, 400);
  Report r = run_without_kernel(s, 1);
  const Series& f = feature(r, "f");
  CHECK(f.buckets[35].failed == 0);  // 350 s: within ttl of the last good refresh (before 300 s)
  CHECK(f.buckets[55].ok == 0);      // 550 s: expired
  CHECK(f.buckets[80].failed == 0);  // 800 s: refreshed after the fault ended at 700 s
  CHECK(edge(r, "front", "meta").cache_hits > 0);
  d.cache.serve_stale = true;
  CHECK(feature(run_without_kernel(s, 1), "f").total.failed == 0);
}
