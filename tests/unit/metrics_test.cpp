// Latency percentiles and the incident stages computed from per-bucket availability.
#include "metrics/incident_stages.hpp"
#include "metrics/latency_histogram.hpp"

#include <catch2/catch.hpp>

using namespace faultline;

TEST_CASE("latency percentiles are within the bin width", "[metrics]") {
  LatencyHistogram h;
  CHECK(h.percentile(0.99) == 0);
  for (int i = 1; i <= 1000; ++i) h.add(i * 0.001);  // 1 ms .. 1 s uniformly
  CHECK(h.count() == 1000);
  CHECK(h.mean() == Approx(0.5005));
  CHECK(h.percentile(0.5) == Approx(0.5).epsilon(0.03));
  CHECK(h.percentile(0.99) == Approx(0.99).epsilon(0.03));
  CHECK(h.percentile(1.0) == Approx(1.0).epsilon(0.03));
  LatencyHistogram other;
  other.add(100);
  h.merge(other);
  CHECK(h.percentile(1.0) == Approx(100).epsilon(0.03));
  h.clear();
  CHECK(h.count() == 0);
}

TEST_CASE("impact starts at the first bucket below SLO and recovery needs a stable stretch", "[metrics]") {
  // buckets of 10 s; bad from 30 s to 60 s, one good bucket, bad again, then good for good
  std::vector<bool> healthy = {true, true, true, false, false, false, true, false, true, true, true, true};
  SECTION("stable_for 30 s") {
    ImpactWindow w = impact_window(healthy, 10, 30);
    REQUIRE(w.impact_start);
    CHECK(*w.impact_start == 30);
    REQUIRE(w.recovered);
    CHECK(*w.recovered == 80);  // the single good bucket at 60 s is not a recovery
  }
  SECTION("stable_for longer than what is left: never recovered") {
    ImpactWindow w = impact_window(healthy, 10, 50);
    CHECK(w.impact_start);
    CHECK_FALSE(w.recovered);
  }
  SECTION("no impact: both null") {
    ImpactWindow w = impact_window(std::vector<bool>(5, true), 10, 30);
    CHECK_FALSE(w.impact_start);
    CHECK_FALSE(w.recovered);
  }
}

TEST_CASE("a bucket meets the SLOs when every feature with requests does", "[metrics]") {
  Series a, b;
  a.slo = 0.99;
  b.slo = 0.5;
  a.buckets.resize(3);
  b.buckets.resize(3);
  a.buckets[0] = {100, 100, 0, 0};
  b.buckets[0] = {10, 6, 0, 4};
  a.buckets[1] = {100, 98, 0, 2};  // below 0.99
  a.buckets[2] = {0, 0, 0, 0};     // no requests: fine
  b.buckets[2] = {10, 4, 0, 6};    // below 0.5
  CHECK(buckets_meeting_slo({a, b}) == std::vector<bool>{true, false, false});
}
