// Detection by users' reports: the arithmetic of the report path on its own (the threshold is met
// after about threshold / (affected x rate), never when the window cannot hold it, the window
// forgets, a resolution starts afresh), then in the model, where it detects what a blind monitor
// cannot see.
#include "model/platform_model.hpp"
#include "model/user_reports.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::testing;

namespace {

constexpr double kUsers = 1e6, kBucket = 60;

UserReports reports_config(double threshold, double window) {
  UserReports u;
  u.enabled = true;
  u.rate = 0.001;  // per affected user per hour
  u.threshold = threshold;
  u.window = window;
  return u;
}

// Buckets until the threshold is met with a constant share failing (0: not within `limit`).
int buckets_to_threshold(const UserReports& u, double failed_share, std::uint64_t seed, int limit = 2000) {
  UserReportPath path(u, kUsers, kBucket, seed);
  for (int b = 1; b <= limit; ++b)
    if (path.add_bucket(failed_share)) return b;
  return 0;
}

}  // namespace

TEST_CASE("user reports meet their threshold after threshold / (affected x rate), sooner when more are affected",
          "[model][user_reports]") {
  const UserReports u = reports_config(200, 3600);
  double previous_mean = 1e9;
  for (double share : {0.25, 0.5, 1.0}) {
    const double affected = kUsers * share;
    const double expected_buckets = u.threshold / (affected * u.rate * kBucket / 3600);
    double sum = 0;
    const int runs = 200;
    for (int seed = 0; seed < runs; ++seed) {
      const int b = buckets_to_threshold(u, share, std::uint64_t(seed));
      REQUIRE(b > 0);
      sum += b;
    }
    const double mean = sum / runs;
    // The threshold is met within the bucket that crosses it: half a bucket late on average.
    CHECK(mean == Approx(expected_buckets + 0.5).epsilon(0.04));
    CHECK(mean < previous_mean);
    previous_mean = mean;
  }
}

TEST_CASE("user reports: fewer affected than threshold / (rate x window) go unnoticed, and the window forgets",
          "[model][user_reports]") {
  const UserReports u = reports_config(200, 3600);
  // threshold / (rate x window) = 200,000 users: half of that fills the window to about 100 reports.
  for (std::uint64_t seed = 0; seed < 20; ++seed) CHECK(buckets_to_threshold(u, 0.1, seed, 1000) == 0);

  // 5 buckets of everyone affected (about 83 reports), an hour of calm, then 8 more (about 133): met
  // only if the first burst were still counted.
  int met = 0;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    UserReportPath path(u, kUsers, kBucket, seed);
    bool reached = false;
    for (int b = 0; b < 5; ++b) reached |= path.add_bucket(1.0);
    for (int b = 0; b < 60; ++b) reached |= path.add_bucket(0.0);
    CHECK(path.in_window() == 0);
    for (int b = 0; b < 8; ++b) reached |= path.add_bucket(1.0);
    met += reached;
  }
  CHECK(met == 0);
}

TEST_CASE("user reports: the threshold is met once, and again only after a reset", "[model][user_reports]") {
  const UserReports u = reports_config(50, 600);
  UserReportPath path(u, kUsers, kBucket, 7);
  int met = 0;
  for (int b = 0; b < 30; ++b) met += path.add_bucket(1.0);
  CHECK(met == 1);
  CHECK(path.by_bucket().size() == 30);
  path.reset();
  CHECK(path.in_window() == 0);
  for (int b = 0; b < 30; ++b) met += path.add_bucket(1.0);
  CHECK(met == 2);
}

namespace {

// "front" calls "back", which crashes at 300 s; the alert on f's availability gets its data through
// "pipeline", which needs "back" too (unless `independent`), so the crash blinds it.
Scenario blind_platform(bool independent, bool user_reports) {
  Scenario s = basic_scenario(1, 4);
  s.info.duration = 1800;
  s.traffic.users = 1e6;
  add_service(s, "front", 2);
  add_service(s, "back", 2);
  add_service(s, "pipeline", 1);
  add_dependency(s, "front", "back").timeout = 0.5;
  if (!independent) add_dependency(s, "pipeline", "back");
  add_feature(s, "f", "front");
  add_fault(s, "back-crash", FaultKind::service_crash, "back", 300);
  Monitor m;
  m.name = "f-availability";
  m.metric = "feature.f.availability";
  m.threshold = 0.99;
  m.for_ = 30;
  m.depends_on = {"pipeline"};
  s.monitors.push_back(m);
  if (user_reports) {
    UserReports& u = s.incident.user_reports;
    u.enabled = true;
    u.rate = 0.01;  // 1e6 affected: about 28 reports per 10 s bucket
    u.threshold = 100;
    u.window = 300;
    u.escalate = Distribution::constant(120);
  }
  return s;
}

}  // namespace

TEST_CASE("a blind monitor never detects, users' reports do, after the threshold and the hand-over",
          "[model][user_reports]") {
  const Report blind = run_without_kernel(blind_platform(false, false), 1);
  REQUIRE(blind.incident.impact_start);
  CHECK_FALSE(blind.incident.detected);
  CHECK_FALSE(blind.user_reports);

  const Report reported = run_without_kernel(blind_platform(false, true), 1);
  REQUIRE(reported.incident.detected);
  CHECK(reported.incident.detected_by == "user_reports");
  // About 100 / 28 buckets after the crash, then the 2-minute hand-over.
  CHECK(*reported.incident.detected >= 300 + 120 + 30);
  CHECK(*reported.incident.detected <= 300 + 120 + 70);
  REQUIRE(reported.user_reports);
  CHECK(reported.user_reports->by_bucket.size() == 180);
  std::uint64_t before = 0;
  for (std::size_t b = 0; b < 30; ++b) before += reported.user_reports->by_bucket[b];
  CHECK(before == 0);  // nothing failed, nobody reported

  // With the pipeline independent the alert fires first, and says so.
  const Report monitored = run_without_kernel(blind_platform(true, true), 1);
  REQUIRE(monitored.incident.detected);
  CHECK(monitored.incident.detected_by == "f-availability");
  CHECK(*monitored.incident.detected < *reported.incident.detected);
}
