// Restores: the arithmetic of work done at a rate by parallel streams (W / (r p), or W / bandwidth when
// the streams share less than they could copy), then in the model, where the tenants a data_loss
// fault hits fail until their own copy is done and the report says when each came back.
#include "model/platform_model.hpp"
#include "model/restore_work.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

using namespace faultline;
using namespace faultline::testing;

namespace {

// Runs the work to its end and returns when each item was done.
std::vector<double> finish_times(RestoreWork& w, double start) {
  std::vector<double> done(w.items(), -1);
  w.start(start);
  while (!w.done()) {
    const double t = w.next_finish();
    REQUIRE(std::isfinite(t));
    for (int i : w.advance(t)) done[std::size_t(i)] = t;
  }
  return done;
}

}  // namespace

TEST_CASE("restore: work W at rate r with parallelism p ends W / (r p) after it starts", "[model][restore]") {
  for (int p : {1, 3, 4, 8}) {
    const int items = 24;  // a multiple of every p: the streams stay busy to the end
    const double size = 10, rate = 0.5, start = 1000;
    RestoreWork w(std::vector<double>(items, size), rate, p, 0);
    const std::vector<double> done = finish_times(w, start);
    const double work = items * size;
    CHECK(*std::max_element(done.begin(), done.end()) - start == Approx(work / (rate * p)).epsilon(1e-12));
    // Each stream takes the next item when its own is done: item i is back after (i / p + 1) items' time.
    for (int i = 0; i < items; ++i) CHECK(done[std::size_t(i)] - start == Approx((i / p + 1) * size / rate).epsilon(1e-12));
  }
}

TEST_CASE("restore: streams that share a bandwidth below r p end W / bandwidth after the start", "[model][restore]") {
  const double size = 10, rate = 0.5, bandwidth = 1.5;  // 8 streams would copy 4/s; they get 1.5/s
  RestoreWork w(std::vector<double>(16, size), rate, 8, bandwidth);
  CHECK(w.estimated_end(0) == Approx(16 * size / bandwidth));
  const std::vector<double> done = finish_times(w, 0);
  CHECK(*std::max_element(done.begin(), done.end()) == Approx(16 * size / bandwidth).epsilon(1e-12));
  // A bandwidth above r p changes nothing.
  RestoreWork unlimited(std::vector<double>(16, size), rate, 8, 100);
  const std::vector<double> fast = finish_times(unlimited, 0);
  CHECK(*std::max_element(fast.begin(), fast.end()) == Approx(16 * size / (rate * 8)).epsilon(1e-12));
}

TEST_CASE("restore: with sizes that differ the streams keep busy, and the last ones speed up alone", "[model][restore]") {
  const std::vector<double> sizes = {30, 10, 10, 10, 5};
  // Two streams of rate 1 sharing 1.5: with both at work each gets 0.75; alone, one gets its full 1.
  RestoreWork w(sizes, 1, 2, 1.5);
  const std::vector<double> done = finish_times(w, 0);
  // Stream 1 does 10, 10, 10 at 0.75 (done at 13.33, 26.67, 40); stream 0's item 0 (30) is done at 40
  // as well; item 4 (5) then goes alone at 1/s: done at 45.
  CHECK(done[1] == Approx(40.0 / 3));
  CHECK(done[2] == Approx(80.0 / 3));
  CHECK(done[0] == Approx(40));
  CHECK(done[3] == Approx(40));
  CHECK(done[4] == Approx(45));
  CHECK(w.size_left() == Approx(0).margin(1e-9));
  CHECK(w.total_size() == Approx(std::accumulate(sizes.begin(), sizes.end(), 0.0)));
}

namespace {

// "front" calls "store"; at 600 s a data_loss deletes 40 of 200 tenants' data from "store"; a restore
// with 4 streams starts at 1200 s: each tenant is 30 units at 0.1 per second, so 300 s per tenant and
// 40 x 30 / (0.1 x 4) = 3000 s in all.
Scenario tenant_platform(int parallelism) {
  Scenario s = basic_scenario(1, 4);
  s.info.duration = 6000;
  s.info.bucket = 60;
  s.traffic.rate = 50;
  s.traffic.users = 1e5;
  s.traffic.sample_users = 20000;
  s.traffic.tenants = 200;
  add_service(s, "front", 2);
  add_service(s, "store", 2);
  add_dependency(s, "front", "store").timeout = 0.5;
  add_feature(s, "f", "front");
  Fault& loss = add_fault(s, "deleted", FaultKind::data_loss, "store", 600);
  loss.mode = SelectorMode::fixed;
  loss.value = 40;
  loss.status = Status::NOT_FOUND;
  Action a;
  a.name = "restore";
  a.kind = ActionKind::restore;
  a.fault = "deleted";
  a.at = 1200;
  a.size = 30;
  a.rate = 0.1;
  a.parallelism = parallelism;
  s.actions.push_back(a);
  return s;
}

}  // namespace

TEST_CASE("restore in the model: the hit tenants fail until their copy is done, tenant by tenant", "[model][restore]") {
  const Report r = run_without_kernel(tenant_platform(4), 3);
  REQUIRE(r.restores.size() == 1);
  const RestoreReport& re = r.restores[0];
  CHECK(re.tenants == 40);
  CHECK(re.tenant_ids.size() == 40);
  CHECK(std::set<int>(re.tenant_ids.begin(), re.tenant_ids.end()).size() == 40);
  CHECK(re.size == Approx(1200));
  REQUIRE(re.lost_at);
  CHECK(*re.lost_at == Approx(600));
  REQUIRE(re.started);
  REQUIRE(re.finished);
  CHECK(*re.started == Approx(1200));
  CHECK(*re.finished - *re.started == Approx(40 * 30 / (0.1 * 4)));
  // Four tenants back every 300 s, in the order the restore takes them.
  for (std::size_t i = 0; i < re.restored_at.size(); ++i)
    CHECK(re.restored_at[i] - 1200 == Approx(double(i / 4 + 1) * 300));
  // The share back per bucket: none before the first copy is done, all at the end, never falling.
  REQUIRE(re.share_by_bucket.size() == 100);
  CHECK(re.share_by_bucket[23] == 0);                // bucket ending at 1440 s: the first are back at 1500 s
  CHECK(re.share_by_bucket[25] == Approx(0.1));      // ending at 1560 s
  CHECK(re.share_by_bucket[68] == Approx(0.9));      // ending at 4140 s: the last four are back at 4200 s
  CHECK(re.share_by_bucket[70] == Approx(1.0));      // ending at 4260 s
  CHECK(std::is_sorted(re.share_by_bucket.begin(), re.share_by_bucket.end()));
  // The hit tenants' users fail from the loss until their tenant is back, and only they do.
  REQUIRE(re.buckets.size() == 100);
  CHECK(re.buckets[5].requests == 0);  // before the loss their requests are not counted here
  for (int b = 11; b < 25; ++b) {
    CHECK(re.buckets[std::size_t(b)].requests > 0);
    CHECK(re.buckets[std::size_t(b)].failed == re.buckets[std::size_t(b)].requests);
  }
  for (int b = 71; b < 100; ++b) CHECK(re.buckets[std::size_t(b)].failed == 0);
  const Series& f = feature(r, "f");
  // 40 of 200 tenants: about 20% of the requests fail while none is back.
  std::uint64_t req = 0, failed = 0;
  for (int b = 11; b < 25; ++b) {
    req += f.buckets[std::size_t(b)].requests;
    failed += f.buckets[std::size_t(b)].failed;
  }
  CHECK(double(failed) / double(req) == Approx(0.2).margin(0.02));
  CHECK(failed == [&] {
    std::uint64_t n = 0;
    for (int b = 11; b < 25; ++b) n += re.buckets[std::size_t(b)].failed;
    return n;
  }());
  // The restore ends the fault.
  CHECK(std::any_of(r.events.begin(), r.events.end(), [](const Event& e) { return e.kind == "restore_done"; }));
}

TEST_CASE("restore in the model: more streams bring the same tenants back sooner", "[model][restore]") {
  const Report four = run_without_kernel(tenant_platform(4), 3);
  const Report eight = run_without_kernel(tenant_platform(8), 3);
  REQUIRE(four.restores.size() == 1);
  REQUIRE(eight.restores.size() == 1);
  CHECK(four.restores[0].tenant_ids == eight.restores[0].tenant_ids);
  CHECK(*eight.restores[0].finished - *eight.restores[0].started == Approx(40 * 30 / (0.1 * 8)));
  CHECK(eight.restores[0].requests.failed < four.restores[0].requests.failed);
}
