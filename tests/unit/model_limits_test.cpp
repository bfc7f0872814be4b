// Per-process limits besides workers (connection pools, threads) and what failed attempts cost their
// callers (log writes on the host's disk, CPU work), through the model without the kernel.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::testing;

namespace {

const ResourceReport& resource(const Report& r, const std::string& name) {
  for (const ResourceReport& res : r.resources)
    if (res.name == name) return res;
  throw std::runtime_error("no resource " + name);
}

std::size_t count_events(const Report& r, const std::string& kind) {
  std::size_t n = 0;
  for (const Event& e : r.events) n += e.kind == kind;
  return n;
}

// front (1 replica) calls back over a pool of `size` connections; back takes `hold` seconds.
Scenario pooled(int size, PoolExhausted mode, double hold, double rate) {
  Scenario s = basic_scenario(1, 2);
  s.info.duration = 200;
  s.traffic.rate = rate;
  s.client.timeout = 30;
  add_service(s, "front", 1, 1000, 1000);
  add_service(s, "back", 1, 1000, 1000, Distribution::constant(hold));
  Dependency& d = add_dependency(s, "front", "back");
  d.timeout = 10;
  d.pool.size = size;
  d.pool.on_exhausted = mode;
  add_feature(s, "f", "front");
  return s;
}

}  // namespace

TEST_CASE("a pool that fails fast turns calls away once its connections are taken", "[model][limits][pool]") {
  // 10 calls/s each holding a connection 1 s: 10 connections wanted on average, 4 there.
  const Report r = run_without_kernel(pooled(4, PoolExhausted::fail, 1.0, 10), 1);
  const ResourceReport& pool = resource(r, "front->back.pool");
  CHECK(pool.kind == "pool");
  CHECK(pool.capacity == 4);
  // Erlang B: 10 erlangs offered to 4 connections block B(4, 10) = 0.647 of the calls.
  CHECK(pool.limit_hits > 1000);
  const Counts& f = feature(r, "f").total;
  CHECK(f.availability() == Approx(1 - 0.647).margin(0.03));
  CHECK(pool.utilisation == Approx(10 * (1 - 0.647) / 4).margin(0.03));
  CHECK(f.failed == pool.limit_hits);
  REQUIRE_FALSE(r.propagation.empty());
  CHECK(r.propagation[0].via == "resource:front->back.pool");
}

TEST_CASE("a pool with room to spare changes nothing", "[model][limits][pool]") {
  const Report with = run_without_kernel(pooled(50, PoolExhausted::fail, 0.1, 10), 1);
  Scenario plain = pooled(50, PoolExhausted::fail, 0.1, 10);
  plain.dependencies[0].pool = {};
  const Report without = run_without_kernel(plain, 1);
  CHECK(feature(with, "f").total.failed == 0);
  CHECK(feature(with, "f").total.requests == feature(without, "f").total.requests);
  CHECK(feature(with, "f").latency.mean == Approx(feature(without, "f").latency.mean));
  CHECK(resource(with, "front->back.pool").limit_hits == 0);
  CHECK(resource(with, "front->back.pool").utilisation == Approx(1.0 / 50).epsilon(0.1));
  CHECK(without.resources.empty());
}

TEST_CASE("calls wait for a connection in turn, and fail once they waited longer than allowed", "[model][limits][pool]") {
  // 2 calls/s holding a connection 1 s over 3 connections: an M/D/3 queue at rho 2/3, calls wait.
  Scenario s = pooled(3, PoolExhausted::wait, 1.0, 2);
  s.traffic.rate = 2;
  const Report waiting = run_without_kernel(s, 2);
  const ResourceReport& pool = resource(waiting, "front->back.pool");
  CHECK(feature(waiting, "f").total.failed == 0);
  CHECK(feature(waiting, "f").latency.mean > 1.05);  // 1 s of work plus the wait for a connection
  CHECK(pool.limit_hits > 0);
  double backlog = 0;
  for (double b : pool.backlog_by_bucket) backlog += b;
  CHECK(backlog > 0);
  // Overloaded (4 calls/s for 3 connections) with a bound on the wait: the calls over it fail.
  s.traffic.rate = 4;
  s.dependencies[0].pool.max_wait = 0.5;
  const Report bounded = run_without_kernel(s, 2);
  const Counts& f = feature(bounded, "f").total;
  CHECK(f.failed > 0);
  CHECK(f.availability() > 0.5);
  CHECK(f.availability() < 0.75);  // at most 3 of the 4 per second get a connection
  CHECK(feature(bounded, "f").latency.p99 < 1.0 + 0.5 + 0.05);
}

TEST_CASE("connections held by attempts to a dead callee come back when the caller times out", "[model][limits][pool]") {
  Scenario s = pooled(8, PoolExhausted::fail, 0.01, 20);
  s.dependencies[0].timeout = 0.5;
  add_fault(s, "down", FaultKind::host_crash, "z0-h1", 50, 50);  // back's host: attempts are lost
  const Report r = run_without_kernel(s, 3);
  const Series& f = feature(r, "f");
  CHECK(f.buckets[7].availability() < 0.2);
  // back serves again 30 s after its host is back (its restart time): the pool has every connection.
  for (int b = 14; b < 20; ++b) CHECK(f.buckets[std::size_t(b)].availability() == 1.0);
}

namespace {

// A fleet of 4 front-end replicas (2 zones) where each needs 100 threads plus 40 per peer, limit 300:
// 4 replicas need 220; a scale-out to 8 needs 380.
Scenario fleet(PeerScope scope, bool shrink) {
  Scenario s = basic_scenario(2, 4);
  s.info.duration = 1200;
  s.traffic.rate = 50;
  Service& svc = add_service(s, "front", 4, 100, 100);
  svc.restart_time = 10;
  svc.restart_policy.backoff = 5;
  svc.restart_policy.max_backoff = 20;
  svc.autoscaling.enabled = true;
  svc.autoscaling.min = 1;
  svc.autoscaling.max = 8;
  svc.autoscaling.interval = 1e9;
  svc.autoscaling.provisioning_delay = 30;
  svc.threads.enabled = true;
  svc.threads.limit = 300;
  svc.threads.base = 100;
  svc.threads.per_peer = 40;
  svc.threads.peers = scope;
  add_feature(s, "f", "front");
  Action out;
  out.name = "scale-out";
  out.kind = ActionKind::scale;
  out.at = 200;
  out.service = "front";
  out.replicas = 8;
  out.mitigates = false;
  s.actions.push_back(out);
  if (shrink) {
    Action in = out;
    in.name = "shrink";
    in.at = 600;
    in.replicas = 4;
    s.actions.push_back(in);
  }
  return s;
}

}  // namespace

TEST_CASE("a fleet that grows past its members' thread limit fails all at once until it shrinks", "[model][limits][threads]") {
  const Report r = run_without_kernel(fleet(PeerScope::service, true), 1);
  const Series& f = feature(r, "f");
  for (int b = 0; b < 22; ++b) CHECK(f.buckets[std::size_t(b)].availability() == 1.0);
  // The new machines join at 230 s: every running member would need 380 threads and dies.
  CHECK(count_events(r, "thread_limit") == 4);
  for (int b = 24; b < 60; ++b) CHECK(f.buckets[std::size_t(b)].availability() == 0.0);
  CHECK(count_events(r, "start_failed") >= 8);
  // Shrunk back to 4 at 600 s, the restarts succeed (within a back-off and a restart time).
  for (int b = 65; b < 120; ++b) CHECK(f.buckets[std::size_t(b)].availability() == 1.0);
  const ResourceReport& threads = resource(r, "front.threads");
  CHECK(threads.kind == "threads");
  CHECK(threads.capacity == 300);
  CHECK(threads.utilisation_by_bucket[10] == Approx(220.0 / 300));
  CHECK(threads.utilisation_by_bucket[40] == Approx(380.0 / 300));
  CHECK(threads.saturated_time == Approx(370).margin(10));
  CHECK(threads.limit_hits >= 12);
  REQUIRE_FALSE(r.propagation.empty());
  CHECK(r.propagation[0].service == "front");
}

TEST_CASE("fleets counted per zone (cells) stay under the thread limit through the same scale-out", "[model][limits][threads]") {
  // 8 replicas over 2 zones: 4 per cell, each member needs 100 + 3 x 40 = 220 threads.
  const Report r = run_without_kernel(fleet(PeerScope::zone, false), 1);
  CHECK(feature(r, "f").total.failed == 0);
  CHECK(count_events(r, "thread_limit") == 0);
  CHECK(resource(r, "front.threads").limit_hits == 0);
  CHECK(service(r, "front").replicas_by_bucket.back() == 8);
}

namespace {

// A gateway whose calls to an optional dependency fail once it crashes; each failure is logged.
Scenario logging_gateway(double log_limit) {
  Scenario s = basic_scenario(1, 3);
  s.info.duration = 600;
  s.traffic.rate = 100;
  s.client.timeout = 2;
  s.zones[0].disk_bandwidth = 10;  // MB/s
  add_service(s, "gateway", 1, 32, 200);
  add_service(s, "play", 1, 64, 64);
  add_service(s, "recs", 1, 64, 64);
  add_dependency(s, "gateway", "play").features = {"play"};
  Dependency& soft = add_dependency(s, "gateway", "recs", DependencyKind::soft);
  soft.features = {"home"};
  soft.retry_policy.num_retries = 10;
  soft.retry_policy.back_off = {0.001, 0.001};
  soft.on_failure.log = 0.05;  // 50 KB per failure: 200 failures/s would fill the disk
  soft.on_failure.log_limit = log_limit;
  add_feature(s, "play", "gateway", 0.5);
  add_feature(s, "home", "gateway", 0.5);
  add_fault(s, "recs-down", FaultKind::service_crash, "recs", 200, 200);
  return s;
}

}  // namespace

TEST_CASE("failures logged to a saturated disk hold the caller's workers and fail its hard calls", "[model][limits][disk]") {
  const Report r = run_without_kernel(logging_gateway(0), 1);
  const Series& play = feature(r, "play");
  for (int b = 0; b < 20; ++b) CHECK(play.buckets[std::size_t(b)].availability() == 1.0);
  CHECK(play.buckets[30].availability() < 0.5);  // play never calls recs, but shares the gateway
  const ResourceReport& disk = resource(r, "z0-h0.disk");
  CHECK(disk.kind == "disk");
  CHECK(disk.capacity == 10);
  CHECK(disk.utilisation_by_bucket[10] == 0);
  CHECK(disk.utilisation_by_bucket[30] > 0.99);
  CHECK(disk.backlog_by_bucket[30] > 10);
  REQUIRE_FALSE(r.propagation.empty());
  bool blamed_disk = false;
  for (const PropagationStep& p : r.propagation) blamed_disk |= p.via == "resource:z0-h0.disk";
  CHECK(blamed_disk);
}

TEST_CASE("a rate limit on failure logging keeps the disk and the hard dependencies healthy", "[model][limits][disk]") {
  const Report r = run_without_kernel(logging_gateway(20), 1);  // 20 writes/s x 50 KB: a tenth of the disk
  const Series& play = feature(r, "play");
  for (int b = 0; b < 60; ++b) CHECK(play.buckets[std::size_t(b)].availability() == 1.0);
  const ResourceReport& disk = resource(r, "z0-h0.disk");
  CHECK(disk.utilisation_by_bucket[30] == Approx(0.1).margin(0.02));
}

TEST_CASE("each failed attempt costs the caller CPU work on its host", "[model][limits][cpu]") {
  Scenario s = basic_scenario(1, 2);
  s.zones[0].cores = 1;
  s.info.duration = 200;
  s.traffic.rate = 50;
  add_service(s, "front", 1, 64, 64);
  add_service(s, "back");
  Dependency& d = add_dependency(s, "front", "back", DependencyKind::soft);
  d.on_failure.cpu = 0.004;
  add_feature(s, "f", "front");
  add_fault(s, "errors", FaultKind::error_rate, "back", 100, 100).rate = 1;
  const Report r = run_without_kernel(s, 1);
  const ResourceReport& cpu = resource(r, "z0-h0.cpu");  // front's host
  CHECK(cpu.utilisation_by_bucket[5] == 0);
  CHECK(cpu.utilisation_by_bucket[15] == Approx(50 * 0.004).margin(0.03));
  CHECK(feature(r, "f").latency.p50 < 0.05);
}

namespace {

// One replica with a memory limit of 1000 MB: 200 MB idle, 1 MB per request it holds.
Scenario with_memory() {
  Scenario s = basic_scenario(1, 2);
  s.info.duration = 600;
  s.traffic.rate = 100;
  Service& svc = add_service(s, "api", 1, 64, 1000, Distribution::exponential(0.01));
  svc.restart_time = 10;
  svc.memory.enabled = true;
  svc.memory.limit = 1000;
  svc.memory.base = 200;
  svc.memory.per_request = 1;
  add_feature(s, "f", "api");
  return s;
}

}  // namespace

TEST_CASE("a memory leak kills the process at its limit, again after each restart", "[model][limits][memory]") {
  Scenario s = with_memory();
  add_fault(s, "leak", FaultKind::memory_leak, "api", 60, 400).leak = 8;  // 800 MB of headroom: 100 s
  const Report r = run_without_kernel(s, 1);
  // Killed at about 160 s, then every 10 s restart + 100 s of leaking until the fault ends at 460 s.
  CHECK(count_events(r, "oom_killed") == 3);
  const ResourceReport& memory = resource(r, "api.memory");
  CHECK(memory.kind == "memory");
  CHECK(memory.capacity == 1000);
  CHECK(memory.limit_hits == 3);
  CHECK(memory.utilisation_by_bucket[3] == Approx(0.2).margin(0.01));
  CHECK(memory.peak_utilisation > 0.9);  // sampled at the buckets' ends
  const Series& f = feature(r, "f");
  CHECK(f.buckets[16].availability() < 0.5);  // 160-170 s: restarting after the first kill
  CHECK(f.buckets[50].availability() == 1.0);
  REQUIRE_FALSE(r.propagation.empty());
  CHECK(r.propagation[0].via == "resource:api.memory");
}

TEST_CASE("requests held past the memory limit kill the process", "[model][limits][memory]") {
  Scenario s = with_memory();
  s.services[0].service_time = Distribution::constant(1.0);
  s.services[0].workers = 1000;  // 100 requests held at once: 300 MB
  const Report calm = run_without_kernel(s, 1);
  CHECK(count_events(calm, "oom_killed") == 0);
  s.traffic.rate = 900;  // 900 held: 1,100 MB
  const Report flood = run_without_kernel(s, 1);
  CHECK(count_events(flood, "oom_killed") > 0);
}

TEST_CASE("memory pressure and lock contention stretch the service time", "[model][limits][memory]") {
  Scenario s = with_memory();
  s.services[0].service_time = Distribution::constant(0.01);
  const double plain = feature(run_without_kernel(s, 1), "f").latency.mean;
  s.services[0].memory.base = 900;  // at 0.9 of the limit: half-way from pressure 0.8 to the limit
  s.services[0].memory.pressure_slowdown = 4;
  const double pressed = feature(run_without_kernel(s, 1), "f").latency.mean;
  CHECK(pressed == Approx(plain * (1 + 4 * 0.5)).epsilon(0.05));
  Scenario c = with_memory();
  c.services[0].memory = {};
  c.services[0].service_time = Distribution::constant(0.5);
  c.services[0].contention = 0.1;  // 50 requests in progress: each takes about 1 + 0.1 x 49 times longer
  const double contended = feature(run_without_kernel(c, 1), "f").latency.mean;
  CHECK(contended > 2 * 0.5);
}

TEST_CASE("a slow disk saturates under the same writes and fails what waits on it", "[model][limits][disk]") {
  Scenario s = logging_gateway(20);  // 1 MB/s of logs while recs is down: a tenth of the disk
  add_fault(s, "slow", FaultKind::slow_disk, "gateway", 250, 100).factor = 0.05;  // 0.5 MB/s left
  const Report r = run_without_kernel(s, 1);
  const Series& play = feature(r, "play");
  CHECK(play.buckets[22].availability() == 1.0);
  CHECK(play.buckets[32].availability() < 0.5);
  for (int b = 38; b < 60; ++b) CHECK(play.buckets[std::size_t(b)].availability() == 1.0);
  const ResourceReport& disk = resource(r, "z0-h0.disk");
  CHECK(disk.utilisation_by_bucket[22] == Approx(0.1).margin(0.02));
  CHECK(disk.utilisation_by_bucket[32] > 0.99);
}

TEST_CASE("a lowered pool size blocks calls while the fault lasts", "[model][limits][pool]") {
  Scenario s = pooled(10, PoolExhausted::fail, 0.1, 20);  // 2 erlangs on 10 connections: no blocking
  add_fault(s, "cut", FaultKind::limit_lowered, "front->back", 50, 100).factor = 0.1;  // 1 connection
  const Report r = run_without_kernel(s, 1);
  const Series& f = feature(r, "f");
  CHECK(f.buckets[3].availability() == 1.0);
  Counts during;
  for (int b = 6; b < 15; ++b) {
    during.requests += f.buckets[std::size_t(b)].requests;
    during.ok += f.buckets[std::size_t(b)].ok;
  }
  CHECK(during.availability() == Approx(1.0 / 3).margin(0.05));  // Erlang B(1, 2) = 2/3 blocked
  for (int b = 16; b < 20; ++b) CHECK(f.buckets[std::size_t(b)].availability() == 1.0);
}

TEST_CASE("a lowered thread limit kills the processes over it until it is restored", "[model][limits][threads]") {
  Scenario s = fleet(PeerScope::service, false);
  s.actions.clear();  // 4 members: 220 threads each, limit 300
  add_fault(s, "ulimit", FaultKind::limit_lowered, "front", 300, 200).factor = 0.5;  // 150
  const Report r = run_without_kernel(s, 1);
  const Series& f = feature(r, "f");
  CHECK(f.buckets[25].availability() == 1.0);
  CHECK(count_events(r, "thread_limit") == 4);
  for (int b = 31; b < 50; ++b) CHECK(f.buckets[std::size_t(b)].availability() == 0.0);
  for (int b = 60; b < 120; ++b) CHECK(f.buckets[std::size_t(b)].availability() == 1.0);
}
