// Per-bucket metrics beyond availability (issue 13, item 5): latency of successful and of all
// requests, queue length, throughput served, wasted work and sessions lost, per bucket.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

using namespace faultline;
using namespace faultline::testing;

namespace {

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }
std::uint64_t sum(const std::vector<std::uint32_t>& v) { return std::accumulate(v.begin(), v.end(), std::uint64_t(0)); }

// front -> db, where db stops answering from 200 s to 260 s: front's calls wait in db's long queue
// and time out after 0.5 s.
Scenario hung_database() {
  Scenario s = basic_scenario();
  add_service(s, "front", 2, 100);  // workers enough to wait out 0.5 s timeouts at 100 requests/s
  add_service(s, "db", 2, 8, 100000);
  add_dependency(s, "front", "db").timeout = 0.5;
  add_feature(s, "f", "front");
  add_fault(s, "hang", FaultKind::latency, "db", 200, 60).delay = Distribution::constant(30);
  return s;
}

}  // namespace

TEST_CASE("per-bucket latency separates successful requests from all of them", "[model][metrics]") {
  const Report report = run_without_kernel(hung_database(), 5);
  const Series& f = feature(report, "f");
  const LatencyByBucket& l = f.latency_by_bucket;
  REQUIRE(l.p99.size() == f.buckets.size());
  // Before the fault: both about the 10 ms of two 5 ms services, and the same.
  CHECK(l.p50[5] == Approx(0.010).epsilon(0.1));
  CHECK(l.p99_all[5] == l.p99[5]);
  // During it every request fails at front's 0.5 s timeout: no successful request to measure, and
  // the failed ones took the timeout.
  CHECK(f.buckets[22].ok == 0);
  CHECK(std::isnan(l.p50[22]));
  CHECK(l.p50_all[22] == Approx(0.5).epsilon(0.05));
  // The run's totals say the same: failed requests pull latency_all up, latency leaves them out.
  CHECK(f.latency_all.p99 > 0.4);
  CHECK(f.latency.p99 < 0.02);
  // The service's own series, as its callers saw the calls to it.
  const ServiceReport& db = service(report, "db");
  CHECK(db.latency_by_bucket.p99_all[22] == Approx(0.5).epsilon(0.05));
  CHECK(std::isnan(db.latency_by_bucket.p99[22]));
  CHECK(db.latency_by_bucket.p99[5] == Approx(0.005).epsilon(0.1));
}

TEST_CASE("work a service finishes after its caller gave up is counted as wasted", "[model][metrics]") {
  Scenario s = hung_database();
  s.faults.back().delay = Distribution::constant(0);
  s.faults.back().kind = FaultKind::slowdown;
  s.faults.back().factor = 200;  // 5 ms becomes 1 s of work: finished after front's 0.5 s timeout
  s.services[1].workers = 1000;    // enough workers that nothing queues
  const Report report = run_without_kernel(s, 5);
  const ServiceReport& db = service(report, "db");
  // Outside the fault nothing is wasted, and the served calls are the calls.
  CHECK(db.wasted_by_bucket[5] == 0);
  CHECK(db.served_by_bucket[5] == db.buckets[5].requests);
  // In it, every call db finished was finished for nobody, each after a second of work.
  CHECK(db.wasted_by_bucket[23] > 0);
  CHECK(db.wasted_by_bucket[23] == db.served_by_bucket[23]);
  CHECK(db.wasted_work_by_bucket[23] == Approx(double(db.wasted_by_bucket[23])).epsilon(0.01));
  CHECK(db.wasted == sum(db.wasted_by_bucket));
  CHECK(db.served == sum(db.served_by_bucket));
  CHECK(db.wasted_work == Approx(sum(db.wasted_work_by_bucket)));
  CHECK(service(report, "front").wasted == 0);  // the client waits 10 s: front's answers all arrive
}

TEST_CASE("the queue length per bucket rises under overload and empties after it", "[model][metrics]") {
  Scenario s = basic_scenario();
  add_service(s, "front", 1, 2, 100000, Distribution::constant(0.005));
  add_feature(s, "f", "front");
  s.traffic.rate = 200;  // 2 workers x 5 ms: room for 400/s
  add_fault(s, "surge", FaultKind::traffic_surge, "f", 200, 60).factor = 3;  // 600/s: 200/s pile up
  const Report report = run_without_kernel(s, 5);
  const ServiceReport& front = service(report, "front");
  REQUIRE(front.queue_by_bucket.size() == front.buckets.size());
  CHECK(front.queue_by_bucket[5] < 1);
  // 200 calls a second pile up: the mean over 250-260 s is 200 * 55 s = 11,000 calls.
  CHECK(front.queue_by_bucket[25] == Approx(11000).epsilon(0.05));
  // Throughput served stays at the two workers' 400 a second.
  CHECK(double(front.served_by_bucket[25]) / report.bucket == Approx(400).epsilon(0.02));
  CHECK(front.queue_by_bucket.back() < 1);  // drained by the end
}

TEST_CASE("sessions lost per bucket are counted per feature and add up to the summary", "[model][metrics]") {
  Scenario s = basic_scenario();
  add_service(s, "front", 2);
  add_service(s, "search", 2);
  add_feature(s, "play", "front", 0.5);
  add_feature(s, "find", "search", 0.5);
  add_fault(s, "nf", FaultKind::error_rate, "front", 100, 60).status = Status::NOT_FOUND;
  s.client.on_status[Status::NOT_FOUND] = ClientAction::logout;
  const Report report = run_without_kernel(s, 3);
  const Series& play = feature(report, "play");
  REQUIRE(play.sessions_lost_by_bucket.size() == play.buckets.size());
  CHECK(play.sessions_lost_by_bucket[10] > 0);
  CHECK(play.sessions_lost_by_bucket[5] == 0);
  CHECK(sum(feature(report, "find").sessions_lost_by_bucket) == 0);
  CHECK(sum(play.sessions_lost_by_bucket) == Approx(report.summary.sessions_lost));
  // Without a status mapped to logout there are no sessions, and no such series.
  Scenario plain = basic_scenario();
  add_service(plain, "front", 2);
  add_feature(plain, "play", "front");
  CHECK(feature(run_without_kernel(plain, 3), "play").sessions_lost_by_bucket.empty());
}
