// The operators' actions (shed_load, kill_switch, admit, scale, restart) and the automatic recovery
// (autoscaling, failover, the restart supervisor's back-off) in the model alone, without a kernel.
// Expected numbers come from the scenarios' own parameters; traffic-dependent ones carry a tolerance.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace faultline;
using namespace faultline::testing;

namespace {

// Enough Poisson traffic that a 10 s bucket's availability is within a few percent of its mean.
constexpr double kRate = 200;

Action action_at(const std::string& name, ActionKind kind, double at) {
  Action a;
  a.name = name;
  a.kind = kind;
  a.at = at;
  return a;
}

// Counts summed over buckets [from, to).
Counts window(const std::vector<Counts>& buckets, int from, int to) {
  Counts c;
  for (int b = std::max(0, from); b < std::min(to, int(buckets.size())); ++b) {
    c.requests += buckets[std::size_t(b)].requests;
    c.ok += buckets[std::size_t(b)].ok;
    c.degraded += buckets[std::size_t(b)].degraded;
    c.failed += buckets[std::size_t(b)].failed;
  }
  return c;
}

std::vector<const Event*> events_of(const Report& r, const std::string& kind, const std::string& name) {
  std::vector<const Event*> out;
  for (const Event& e : r.events)
    if (e.kind == kind && e.name == name) out.push_back(&e);
  return out;
}

// How many buckets end strictly before t (replicas_by_bucket[b] is the state at (b + 1) x bucket).
int buckets_ending_before(double t, double bucket) { return int(std::ceil(t / bucket)) - 1; }

}  // namespace

TEST_CASE("shed_load refuses its fraction of the entry's requests while it lasts", "[model][actions]") {
  Scenario s = basic_scenario();
  s.traffic.rate = kRate;
  add_service(s, "front", 2);
  add_feature(s, "f", "front");
  Action a = action_at("shed", ActionKind::shed_load, 200);
  a.service = "front";
  a.fraction = 0.5;
  a.duration = 100;
  s.actions.push_back(a);
  Report r = run_without_kernel(s, 1);
  const Series& f = feature(r, "f");
  const double bucket = s.info.bucket;
  const int on = int(a.at / bucket), off = int((a.at + *a.duration) / bucket);
  for (int b = 0; b < on; ++b) CHECK(f.buckets[std::size_t(b)].failed == 0);
  for (int b = on; b < off; ++b) {
    INFO("bucket " << b);
    CHECK(f.buckets[std::size_t(b)].availability() == Approx(1 - a.fraction).margin(0.08));
  }
  for (int b = off; b < int(f.buckets.size()); ++b) {
    INFO("bucket " << b);
    CHECK(f.buckets[std::size_t(b)].availability() == Approx(1).margin(0.01));
  }
  // The refused requests are the entry's rejections.
  const Counts during = window(f.buckets, on, off);
  CHECK(double(service(r, "front").errors[int(Cause::rejected)]) == Approx(double(during.failed)).margin(5));
  const auto ends = events_of(r, "action_end", "shed");
  REQUIRE(ends.size() == 1);
  CHECK(ends[0]->time == Approx(a.at + *a.duration));
}

TEST_CASE("a feature's kill switch fails it at once while on and leaves the other feature alone",
          "[model][actions]") {
  Scenario s = basic_scenario();
  s.traffic.rate = kRate;
  add_service(s, "front", 2);
  add_feature(s, "f", "front");
  add_feature(s, "g", "front");
  Action a = action_at("kill-f", ActionKind::kill_switch, 200);
  a.feature = std::string{"f"};  // not = "f": GCC 12 warns falsely (-Wrestrict) on that once inlined
  a.duration = 100;
  s.actions.push_back(a);
  Report r = run_without_kernel(s, 1);
  const Series& f = feature(r, "f");
  const double bucket = s.info.bucket;
  const int on = int(a.at / bucket), off = int((a.at + *a.duration) / bucket);
  for (int b = 0; b < on; ++b) CHECK(f.buckets[std::size_t(b)].failed == 0);
  // Requests are counted when they end: the first bucket may hold a few that started before the switch.
  CHECK(f.buckets[std::size_t(on)].availability() < 0.01);
  for (int b = on + 1; b < off; ++b) {
    INFO("bucket " << b);
    CHECK(f.buckets[std::size_t(b)].requests > 0);
    CHECK(f.buckets[std::size_t(b)].ok == 0);
  }
  for (int b = off; b < int(f.buckets.size()); ++b) {
    INFO("bucket " << b);
    CHECK(f.buckets[std::size_t(b)].failed == 0);
  }
  const Series& g = feature(r, "g");
  CHECK(g.total.failed == 0);
  CHECK(double(window(g.buckets, on, off).requests) == Approx(kRate / 2 * *a.duration).epsilon(0.1));
}

TEST_CASE("a dependency's kill switch serves degraded without the crashed callee", "[model][actions]") {
  Scenario s = basic_scenario();
  s.traffic.rate = kRate;
  add_service(s, "front", 2);
  add_service(s, "extra", 2);
  add_dependency(s, "front", "extra");
  add_feature(s, "f", "front");
  const double crash = 100, crash_end = 300;
  add_fault(s, "extra-down", FaultKind::service_crash, "extra", crash, crash_end - crash);
  const double bucket = s.info.bucket;
  // On before the crash, off once extra has restarted (restart_time) and passed its health check.
  const Service& extra = s.services[1];
  Action a = action_at("skip-extra", ActionKind::kill_switch, crash / 2);
  a.dependency = "front->extra";
  a.duration = crash_end + extra.restart_time + 2 * extra.health_check.interval - a.at;
  const int on = int(a.at / bucket), off = int(std::ceil((a.at + *a.duration) / bucket));

  Report twin = run_without_kernel(s, 1);
  s.actions.push_back(a);
  Report r = run_without_kernel(s, 1);

  // Without the switch the hard dependency fails the feature during the crash.
  CHECK(window(feature(twin, "f").buckets, int(crash / bucket) + 1, int(crash_end / bucket)).availability() < 0.05);
  CHECK(edge(twin, "front", "extra").requests == Approx(feature(twin, "f").total.requests).epsilon(0.001));

  const Series& f = feature(r, "f");
  CHECK(f.total.failed == 0);
  CHECK(f.total.degraded > 0);
  for (int b = on + 1; b < off; ++b) {
    INFO("bucket " << b);
    CHECK(f.buckets[std::size_t(b)].degraded == f.buckets[std::size_t(b)].requests);
  }
  CHECK(window(f.buckets, 0, on).degraded == 0);
  CHECK(window(f.buckets, off + 1, int(f.buckets.size())).degraded == 0);
  // No call reaches extra while the switch is on; outside it every request calls it once.
  const ServiceReport& ex = service(r, "extra");
  CHECK(window(ex.buckets, on + 1, off).requests == 0);
  const double outside = double(window(f.buckets, 0, on).requests + window(f.buckets, off, int(f.buckets.size())).requests);
  CHECK(double(edge(r, "front", "extra").requests) == Approx(outside).epsilon(0.01));
  CHECK(double(edge(r, "front", "extra").requests) ==
        Approx(double(edge(twin, "front", "extra").requests) * (1 - *a.duration / s.info.duration)).epsilon(0.03));
}

TEST_CASE("admit lets users back in by steps of their share", "[model][actions]") {
  Scenario s = basic_scenario();
  s.traffic.rate = kRate;
  add_service(s, "front", 2);
  add_feature(s, "f", "front");
  Action a = action_at("readmit", ActionKind::admit, 100);
  a.step = 0.25;
  a.every = 60;
  s.actions.push_back(a);
  Report r = run_without_kernel(s, 1);
  const Series& f = feature(r, "f");
  const double bucket = s.info.bucket;
  const int start = int(a.at / bucket), per_step = int(a.every / bucket);
  const int steps = int(std::ceil(1 / a.step - 1e-9));
  for (int b = 0; b < start; ++b) CHECK(f.buckets[std::size_t(b)].failed == 0);
  // Users are let in by a hash of their id: the share of 1000 sample users admitted is close to the
  // step's, and each bucket's 2000 requests come from random users.
  for (int k = 0; k < steps - 1; ++k)
    for (int b = start + k * per_step; b < start + (k + 1) * per_step; ++b) {
      INFO("step " << k << ", bucket " << b);
      CHECK(f.buckets[std::size_t(b)].availability() == Approx((k + 1) * a.step).margin(0.07));
    }
  for (int b = start + (steps - 1) * per_step; b < int(f.buckets.size()); ++b) {
    INFO("bucket " << b);
    CHECK(f.buckets[std::size_t(b)].failed == 0);
  }
  const auto admits = events_of(r, "admit", "readmit");
  REQUIRE(admits.size() == std::size_t(steps - 1));
  for (int k = 0; k < steps - 1; ++k) CHECK(admits[std::size_t(k)]->time == Approx(a.at + (k + 1) * a.every));
}

TEST_CASE("a scale action brings replicas up after provisioning and restart", "[model][actions][scaling]") {
  Scenario s = basic_scenario();
  s.traffic.rate = kRate;
  Service& svc = add_service(s, "front", 2);
  svc.restart_time = 15;
  svc.autoscaling.enabled = true;
  svc.autoscaling.min = 1;
  svc.autoscaling.max = 6;
  svc.autoscaling.interval = 1e9;  // the autoscaler itself never decides
  svc.autoscaling.provisioning_delay = 20;
  add_feature(s, "f", "front");
  Action a = action_at("scale-up", ActionKind::scale, 100);
  a.service = "front";
  a.replicas = 5;
  s.actions.push_back(a);
  Report r = run_without_kernel(s, 1);
  const ServiceReport& front = service(r, "front");
  const double ready = a.at + svc.autoscaling.provisioning_delay + svc.restart_time;
  REQUIRE(std::fmod(ready, s.info.bucket) != 0);  // no tie between readiness and a bucket's end
  const int first = buckets_ending_before(ready, s.info.bucket);
  REQUIRE(front.replicas_by_bucket.size() == std::size_t(s.info.duration / s.info.bucket));
  for (int b = 0; b < int(front.replicas_by_bucket.size()); ++b) {
    INFO("bucket " << b);
    CHECK(front.replicas_by_bucket[std::size_t(b)] == (b < first ? svc.replicas : a.replicas));
  }
  CHECK(feature(r, "f").total.failed == 0);
  CHECK(events_of(r, "scale_out", "front").empty());
}

TEST_CASE("autoscaling adds at most max_step replicas per interval on a busy cpu", "[model][scaling]") {
  Scenario s = basic_scenario();
  Service& svc = add_service(s, "api", 2, 4, 64, Distribution::constant(0.05));
  svc.restart_time = 10;
  Autoscaling& as = svc.autoscaling;
  as.enabled = true;
  as.signal = ScalingSignal::cpu;
  as.target = 0.5;
  as.min = 1;
  as.max = 8;
  as.interval = 30;
  as.max_step = 1;
  as.provisioning_delay = 20;
  as.cooldown = 300;
  add_feature(s, "f", "api");
  // Busy share 0.9 at 2 replicas; the target needs ceil(2 x 0.9 / 0.5) = 4 replicas.
  const double busy = 0.9;
  s.traffic.rate = busy * svc.replicas * svc.workers / svc.service_time.expected();
  const int needed = int(std::ceil(svc.replicas * busy / as.target - 1e-9));
  Report r = run_without_kernel(s, 1);
  const ServiceReport& api = service(r, "api");

  const auto outs = events_of(r, "scale_out", "api");
  REQUIRE(outs.size() >= std::size_t(needed - svc.replicas));
  CHECK(outs[0]->time == Approx(as.interval));
  for (std::size_t k = 0; k < outs.size(); ++k) {
    INFO(outs[k]->detail);
    int from = 0, to = 0;
    REQUIRE(std::sscanf(outs[k]->detail.c_str(), "%d -> %d", &from, &to) == 2);
    CHECK(to - from == as.max_step);
    if (k > 0) CHECK(outs[k]->time - outs[k - 1]->time >= as.interval - 1e-9);
  }
  // Nothing new serves before the first decision's replica is provisioned and started.
  const int first = buckets_ending_before(as.interval + as.provisioning_delay + svc.restart_time, s.info.bucket);
  const auto& rb = api.replicas_by_bucket;
  for (int b = 0; b < first; ++b) CHECK(rb[std::size_t(b)] == svc.replicas);
  for (std::size_t b = 1; b < rb.size(); ++b) {
    INFO("bucket " << b);
    CHECK(rb[b] - rb[b - 1] <= as.max_step);
  }
  CHECK(*std::max_element(rb.begin(), rb.end()) >= needed);
  CHECK(rb.back() > svc.replicas);
  CHECK(rb.back() <= as.max);
}

// SCHEMA.md: the replicas wanted are ceil(serving replicas x signal / target). Replicas still being
// provisioned serve nothing and show no signal: they must not multiply the signal of the others.
TEST_CASE("autoscaling counts serving replicas, not those still provisioning", "[model][scaling]") {
  Scenario s = basic_scenario();
  Service& svc = add_service(s, "api", 2, 4, 64, Distribution::constant(0.05));
  svc.restart_time = 10;
  Autoscaling& as = svc.autoscaling;
  as.enabled = true;
  as.signal = ScalingSignal::cpu;
  as.target = 0.5;
  as.min = 1;
  as.max = 20;
  as.interval = 30;
  as.max_step = 10;
  as.provisioning_delay = 100;  // several decisions while the first new replicas are on their way
  as.cooldown = 300;
  add_feature(s, "f", "api");
  // Twice the capacity of 2 replicas: every worker is always busy, the cpu signal is exactly 1.
  s.traffic.rate = 2 * svc.replicas * svc.workers / svc.service_time.expected();
  Report r = run_without_kernel(s, 1);
  const auto outs = events_of(r, "scale_out", "api");
  REQUIRE_FALSE(outs.empty());
  CHECK(outs[0]->time == Approx(as.interval));
  const int wanted = int(std::ceil(svc.replicas * 1.0 / as.target));
  CHECK(outs[0]->detail.rfind(fmt::format("{} -> {} ", svc.replicas, wanted), 0) == 0);
  // Until they serve, the 2 serving replicas at cpu 1 want what is already active: no new decision.
  const double first_ready = as.interval + as.provisioning_delay + svc.restart_time;
  for (std::size_t k = 1; k < outs.size(); ++k) {
    INFO(outs[k]->time << ": " << outs[k]->detail);
    CHECK(outs[k]->time >= first_ready);
  }
}

TEST_CASE("autoscaling scales in a service idled by its failed dependency", "[model][scaling]") {
  Scenario s = basic_scenario();
  // A's workers mostly wait for B: busy while B answers, nearly idle when calls to B are refused.
  Service& a = add_service(s, "a", 6, 4, 64, Distribution::constant(0.005));
  Autoscaling& as = a.autoscaling;
  as.enabled = true;
  as.signal = ScalingSignal::cpu;
  as.target = 0.5;
  as.min = 1;
  as.max = 6;
  as.interval = 30;
  as.cooldown = 60;
  // Copies: adding the next service moves the first one (the references above then dangle).
  const Service a_config = a;
  const Autoscaling as_config = as;
  add_service(s, "b", 6, 8, 64, Distribution::constant(0.05));
  add_dependency(s, "a", "b");
  add_feature(s, "f", "a");
  // Busy share about 0.6 at 6 replicas while B is up: no reason to scale in.
  s.traffic.rate = 0.6 * a_config.replicas * a_config.workers / 0.055;
  const double outage = 100, outage_end = 500;
  add_fault(s, "b-down", FaultKind::service_crash, "b", outage, outage_end - outage);
  Report r = run_without_kernel(s, 1);
  const auto& rb = service(r, "a").replicas_by_bucket;
  const int from = int(outage / s.info.bucket), to = int(outage_end / s.info.bucket);
  for (int b = 0; b < from; ++b) CHECK(rb[std::size_t(b)] == a_config.replicas);
  CHECK(*std::min_element(rb.begin() + from, rb.begin() + to) == as_config.min);
  const auto ins = events_of(r, "scale_in", "a");
  REQUIRE_FALSE(ins.empty());
  // The signal must ask for fewer for a whole cooldown, decided at interval ticks.
  CHECK(ins[0]->time >= outage + as_config.cooldown);
  CHECK(ins[0]->time <= outage + as_config.cooldown + 2 * as_config.interval);
}

TEST_CASE("failover promotes the standby zone after hold_down, not for a shorter partition", "[model][failover]") {
  Scenario s = basic_scenario(3);
  s.traffic.rate = kRate;
  Service& front = add_service(s, "front", 2);
  front.zones = {"z1"};
  Service& db = add_service(s, "db", 2);
  db.zones = {"z0", "z1"};
  db.failover.enabled = true;
  db.failover.standby = {"z1"};
  db.failover.observer = "z2";
  db.failover.hold_down = 30;
  db.failover.delay = 20;
  add_dependency(s, "front", "db");
  add_feature(s, "f", "front");
  const double t = 100, length = 60;
  add_fault(s, "split", FaultKind::partition, "z0<->z2", t, length);

  SECTION("a partition longer than hold_down") {
    Report r = run_without_kernel(s, 1);
    const auto started = events_of(r, "failover_started", "db");
    const auto done = events_of(r, "failover", "db");
    REQUIRE(started.size() == 1);
    REQUIRE(done.size() == 1);
    CHECK(started[0]->time >= t + db.failover.hold_down - 1e-9);
    CHECK(started[0]->time <= t + db.failover.hold_down + db.health_check.interval + 1e-9);
    CHECK(done[0]->time == Approx(started[0]->time + db.failover.delay));
  }
  SECTION("a partition shorter than hold_down") {
    s.services[1].failover.hold_down = 90;
    Report r = run_without_kernel(s, 1);
    CHECK(events_of(r, "failover_started", "db").empty());
    CHECK(events_of(r, "failover", "db").empty());
  }
}

TEST_CASE("a rolling restart takes one batch down at a time", "[model][actions]") {
  Scenario s = basic_scenario();
  s.traffic.rate = kRate;
  Service& svc = add_service(s, "front", 3);
  svc.restart_time = 20;
  add_feature(s, "f", "front");
  Action a = action_at("roll", ActionKind::restart, 105);  // off the bucket grid: no ties with bucket ends
  a.service = "front";
  a.batch = 1;
  a.interval = 30;
  s.actions.push_back(a);
  Report r = run_without_kernel(s, 1);
  const ServiceReport& front = service(r, "front");
  const int batches = (svc.replicas + a.batch - 1) / a.batch;
  // Replicas down at time x: the batches whose restart window [start, start + restart_time) holds x.
  auto down_at = [&](double x) {
    int n = 0;
    for (int k = 0; k < batches; ++k) {
      const double begin = a.at + k * a.interval;
      if (x >= begin && x < begin + svc.restart_time) n += std::min(a.batch, svc.replicas - k * a.batch);
    }
    return n;
  };
  std::vector<int> low_buckets_per_batch(std::size_t(batches), 0);
  for (int b = 0; b < int(front.replicas_by_bucket.size()); ++b) {
    const double end_of_bucket = (b + 1) * s.info.bucket;
    INFO("bucket " << b);
    CHECK(front.replicas_by_bucket[std::size_t(b)] == svc.replicas - down_at(end_of_bucket));
    CHECK(front.replicas_by_bucket[std::size_t(b)] >= svc.replicas - a.batch);
    for (int k = 0; k < batches; ++k)
      if (end_of_bucket >= a.at + k * a.interval && end_of_bucket < a.at + k * a.interval + svc.restart_time)
        low_buckets_per_batch[std::size_t(k)] += front.replicas_by_bucket[std::size_t(b)] == svc.replicas - a.batch;
  }
  for (int k = 0; k < batches; ++k) CHECK(low_buckets_per_batch[std::size_t(k)] > 0);
  CHECK(front.restarts == std::uint64_t(svc.replicas));
  CHECK(front.crashes == 0);
  // The restart drains each replica first: callers stop picking it, so only the requests it was
  // serving at that instant fail (a few per batch at this rate), not its share until health checks
  // notice (batches x rate / replicas x unhealthy_threshold x interval, about 2,000 here).
  const HealthCheck& hc = svc.health_check;
  const double undrained = batches * a.batch * (kRate / svc.replicas) * hc.interval * hc.unhealthy_threshold;
  CHECK(double(feature(r, "f").total.failed) <= 3.0 * batches);
  CHECK(double(feature(r, "f").total.failed) < undrained / 100);
}

TEST_CASE("a crash loop backs off doubling up to max_backoff", "[model][restart]") {
  Scenario s = basic_scenario();
  s.traffic.rate = 50;
  Service& svc = add_service(s, "svc", 1);
  svc.restart_time = 5;
  svc.restart_policy.backoff = 20;
  svc.restart_policy.max_backoff = 80;
  add_feature(s, "f", "svc");
  const double t = 100;
  Fault& bad = add_fault(s, "bad-config", FaultKind::config_rollout, "svc", t);
  bad.crash_loop = true;
  bad.crash_after = 10;
  Report r = run_without_kernel(s, 1);
  const ServiceReport& sr = service(r, "svc");

  // The rollout restarts the replica at t; each start serves crash_after, then the back-off doubles.
  const double end = s.info.duration;
  const RestartPolicy& p = svc.restart_policy;
  int crashes = 0;
  double down = svc.restart_time;  // from t to the bad version's first readiness
  double ready = t + svc.restart_time;
  while (ready + bad.crash_after < end) {
    const double crash = ready + bad.crash_after;
    ++crashes;
    const double backoff = std::min(p.max_backoff, p.backoff * std::pow(2.0, crashes - 1));
    ready = crash + backoff + svc.restart_time;
    down += std::min(ready, end) - crash;
  }
  CHECK(crashes == 7);  // the arithmetic above, for these numbers: crashes at 115, 150, 205, 300, 395, 490, 585
  CHECK(sr.crashes == std::uint64_t(crashes));
  CHECK(sr.downtime == Approx(down).margin(1e-6));
  // The rollout started the replica, and so did each crash but the last, whose start (after its
  // back-off) falls past the end of the run.
  const double last_start = 585 + std::min(p.max_backoff, p.backoff * std::pow(2.0, crashes - 1));
  REQUIRE(last_start > end);
  CHECK(sr.restarts == std::uint64_t(crashes));
}
