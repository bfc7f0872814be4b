// A started process's warm-up (service[].warmup): CPU work on its host before it serves, shared with
// everything else running there, and the startup probe that kills a process still warming up when
// its timeout passes. Through the model without the kernel.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::testing;

namespace {

std::size_t count_events(const Report& r, const std::string& kind) {
  std::size_t n = 0;
  for (const Event& e : r.events) n += e.kind == kind;
  return n;
}

// `replicas` replicas of "front" on the one 4-core host of zone z0, killed at 100 s for 5 s; each
// restart takes 10 s, then a warm-up of `cpu` core-seconds in `threads` threads.
Scenario warming(int replicas, double cpu, int threads) {
  Scenario s = basic_scenario(1, 1);
  s.zones[0].cores = 4;
  s.info.duration = 400;
  Service& front = add_service(s, "front", replicas, 8, 64);
  front.restart_time = 10;
  front.restart_policy.backoff = 5;
  front.restart_policy.max_backoff = 5;
  front.warmup.enabled = true;
  front.warmup.cpu = cpu;
  front.warmup.threads = threads;
  add_feature(s, "f", "front");
  add_fault(s, "crash", FaultKind::service_crash, "front", 100, 5);
  return s;
}

// When the service has `n` replicas serving again after `after`: the end of the first such bucket.
double back_with(const Report& r, int n, double after) {
  const ServiceReport& sr = service(r, "front");
  for (std::size_t b = 0; b < sr.replicas_by_bucket.size(); ++b)
    if ((double(b) + 1) * r.bucket > after && sr.replicas_by_bucket[b] >= n) return (double(b) + 1) * r.bucket;
  return -1;
}

}  // namespace

TEST_CASE("a restarted process serves once its warm-up is done, as long as the work takes on its host",
          "[model][warmup]") {
  // Restarted at 105, up at 115; 40 core-seconds in 4 threads on 4 idle cores take 10 s, in 2 threads 20 s,
  // in 8 threads still 10 s (each thread at most one core, and there are 4).
  const Report four = run_without_kernel(warming(1, 40, 4), 1);
  const Report two = run_without_kernel(warming(1, 40, 2), 1);
  const Report eight = run_without_kernel(warming(1, 40, 8), 1);
  CHECK(service(four, "front").downtime == Approx(105 + 10 + 10 - 100).margin(1e-6));
  CHECK(service(two, "front").downtime == Approx(105 + 10 + 20 - 100).margin(1e-6));
  CHECK(service(eight, "front").downtime == Approx(105 + 10 + 10 - 100).margin(1e-6));
  // A process that warms up is not a crash, and replicas running when the run starts are warm.
  CHECK(service(four, "front").crashes == 0);
  CHECK(service(four, "front").restarts == 1);
  CHECK(feature(four, "f").buckets[0].availability() == 1.0);
  // Its host's CPU is a resource of the run, busy while it warms up.
  REQUIRE(four.resources.size() == 1);
  CHECK(four.resources[0].name == "z0-h0.cpu");
  CHECK(four.resources[0].utilisation_by_bucket[11] == Approx(0.5).margin(1e-6));  // 115 to 120 s of 110-120
  CHECK(four.resources[0].utilisation_by_bucket[12] == Approx(0.5).margin(1e-6));  // 120 to 125 s of 120-130
}

TEST_CASE("processes warming up together share their host's cores and fail a probe each would pass alone",
          "[model][warmup]") {
  // Three warm-ups of 40 core-seconds in 4 threads on one 4-core host: 12 threads, a third of a core each,
  // 30 s for every one of them, against a 20 s probe. Alone each takes 10 s.
  Scenario together = warming(3, 40, 4);
  together.services[0].warmup.timeout = 20;
  const Report r = run_without_kernel(together, 2);
  const ServiceReport& front = service(r, "front");
  CHECK(count_events(r, "start_failed") == 3);  // once per replica for its run of failed starts
  CHECK(front.crashes >= 3 * 5);                // every round fails, again and again
  CHECK(front.downtime == Approx(400 - 100).margin(1e-6));
  // The service became unhealthy because of the crash (the chain's first link); what keeps it down is
  // the host's CPU, which every failed start names.
  // At 20 s each has done two thirds of its work, at a third of a core per thread.
  for (const Event& e : r.events)
    if (e.kind == "start_failed") CHECK(e.detail.find("warm-up 67% done after 20 s") != std::string::npos);
  CHECK(r.resources[0].saturated_time > 150);

  // The same starts paced, one every 15 s: each warm-up has the host to itself (10 s), and all succeed.
  Scenario paced = together;
  paced.services[0].restart_policy.max_restarts = 1;
  paced.services[0].restart_policy.window = 15;
  const Report p = run_without_kernel(paced, 2);
  CHECK(count_events(p, "start_failed") == 0);
  CHECK(service(p, "front").crashes == 0);
  CHECK(service(p, "front").downtime == Approx(105 + 10 + 10 - 100).margin(1e-6));
  CHECK(back_with(p, 3, 100) == Approx(std::ceil((105 + 30 + 10 + 10) / 10.0) * 10));
  CHECK(feature(p, "f").total.availability() > feature(r, "f").total.availability());
}

TEST_CASE("a warm-up competes with the requests a replica on the same host serves", "[model][warmup]") {
  // Two replicas on one 4-core host, requests of 10 ms of CPU; one of them is killed and warms up with 8
  // threads: the other's requests get half a core or less while it does, and take longer.
  Scenario s = warming(2, 80, 8);
  s.info.duration = 300;
  s.services[0].cpu = Distribution::constant(0.01);
  s.traffic.rate = 50;
  s.faults[0].mode = SelectorMode::one;
  const Report r = run_without_kernel(s, 3);
  const ServiceReport& front = service(r, "front");
  // The warm-up runs from 115 s for about 80 / (4 x 8/9) = 22.5 s (8 warm-up threads and about one busy worker).
  CHECK(front.latency_by_bucket.p99[5] < 0.014);   // 50-60 s: nothing else on the host, 10 ms
  CHECK(front.latency_by_bucket.p99[12] > 0.018);  // 120-130 s: 4/9 of a core, 22.5 ms
  CHECK(feature(r, "f").total.availability() > 0.98);  // only what the killed replica held fails
  CHECK(back_with(r, 2, 100) > 130);
  CHECK(back_with(r, 2, 100) < 150);
}
