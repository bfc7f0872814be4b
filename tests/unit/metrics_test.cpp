// Latency percentiles, the incident stages computed from per-bucket availability and the split of
// the time to recovery into stage spans.
#include "metrics/run_metrics.hpp"
#include "metrics/incident_stages.hpp"
#include "metrics/latency_histogram.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace faultline;
using faultline::testing::stage_sum;

namespace {

// An incident at 100 s, detected at 160, acknowledged at 400, diagnosed at 1000, mitigated at 1300
// and recovered at 1900.
IncidentTimeline full_incident() {
  IncidentTimeline i;
  i.impact_start = 100;
  i.detected = 160;
  i.acknowledged = 400;
  i.diagnosed = 1000;
  i.mitigated = 1300;
  i.recovered = 1900;
  return i;
}

}  // namespace

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

TEST_CASE("a run has one incident per impact separated by a stable stretch", "[metrics]") {
  // buckets of 10 s, stable_for 30 s: bad at 10; good 20-40 (stable); bad 50-60; good 70-90; bad at 100
  const std::vector<bool> healthy = {true, false, true, true, true, false, false, true, true, true, false};
  const std::vector<ImpactWindow> w = impact_windows(healthy, 10, 30);
  REQUIRE(w.size() == 3);
  CHECK(*w[0].impact_start == 10);
  CHECK(*w[0].recovered == 20);
  CHECK(*w[1].impact_start == 50);
  CHECK(*w[1].recovered == 70);
  CHECK(*w[2].impact_start == 100);
  CHECK_FALSE(w[2].recovered);  // the run ends first
  // A bad bucket inside the stable stretch belongs to the same incident.
  const std::vector<bool> flicker = {false, true, true, false, true, true, true};
  const std::vector<ImpactWindow> one = impact_windows(flicker, 10, 30);
  REQUIRE(one.size() == 1);
  CHECK(*one[0].recovered == 40);
  CHECK(impact_windows(std::vector<bool>(4, true), 10, 30).empty());
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

TEST_CASE("the stage spans of a complete incident are the gaps between its stages", "[metrics][stages]") {
  const IncidentTimeline i = full_incident();
  const TtrStages s = i.stages();
  CHECK(s.detection == std::optional<double>(60));
  CHECK(s.acknowledgement == std::optional<double>(240));
  CHECK(s.diagnosis == std::optional<double>(600));
  CHECK(s.mitigation == std::optional<double>(300));
  CHECK(s.recovery == std::optional<double>(600));
  CHECK(stage_sum(s) == *i.ttr());
}

TEST_CASE("a stage that never happened is null and its time goes to the next stage", "[metrics][stages]") {
  IncidentTimeline i = full_incident();
  i.diagnosed.reset();
  TtrStages s = i.stages();
  CHECK_FALSE(s.diagnosis);
  CHECK(s.mitigation == std::optional<double>(900));  // from acknowledged at 400 to mitigated at 1300
  CHECK(stage_sum(s) == *i.ttr());

  i.detected.reset();
  i.acknowledged.reset();
  s = i.stages();
  CHECK_FALSE(s.detection);
  CHECK_FALSE(s.acknowledgement);
  CHECK(s.mitigation == std::optional<double>(1200));
  CHECK(s.recovery == std::optional<double>(600));
  CHECK(stage_sum(s) == *i.ttr());
}

TEST_CASE("a stage out of order is null and the spans still add up to the TTR", "[metrics][stages]") {
  IncidentTimeline i = full_incident();
  i.acknowledged = 130;  // before it was detected (at 160)
  TtrStages s = i.stages();
  CHECK(s.detection == std::optional<double>(60));
  CHECK_FALSE(s.acknowledgement);
  CHECK(s.diagnosis == std::optional<double>(840));  // from detected at 160
  CHECK(stage_sum(s) == *i.ttr());

  // Detected before the impact started (an alert on something users did not feel yet).
  i = full_incident();
  i.detected = 50;
  s = i.stages();
  CHECK_FALSE(s.detection);
  CHECK(s.acknowledgement == std::optional<double>(300));
  CHECK(stage_sum(s) == *i.ttr());

  // Two stages at the same moment: both present, the second with a zero span.
  i = full_incident();
  i.acknowledged = 160;
  s = i.stages();
  CHECK(s.acknowledgement == std::optional<double>(0));
  CHECK(s.diagnosis == std::optional<double>(840));
}

TEST_CASE("a stage after recovery is null: recovery takes the time from the last stage before it",
          "[metrics][stages]") {
  IncidentTimeline i = full_incident();
  i.mitigated = 2500;  // the action ran after users were fine again
  const TtrStages s = i.stages();
  CHECK(s.diagnosis == std::optional<double>(600));
  CHECK_FALSE(s.mitigation);
  CHECK(s.recovery == std::optional<double>(900));  // from diagnosed at 1000
  CHECK(stage_sum(s) == *i.ttr());
}

TEST_CASE("without recovery the stages reached keep their spans and recovery is null", "[metrics][stages]") {
  IncidentTimeline i = full_incident();
  i.recovered.reset();
  i.mitigated = 2500;  // nothing to be after: still a stage
  const TtrStages s = i.stages();
  CHECK(s.detection == std::optional<double>(60));
  CHECK(s.diagnosis == std::optional<double>(600));
  CHECK(s.mitigation == std::optional<double>(1500));
  CHECK_FALSE(s.recovery);
}

TEST_CASE("without an impact start every stage span is null", "[metrics][stages]") {
  IncidentTimeline i = full_incident();
  i.impact_start.reset();
  const TtrStages s = i.stages();
  for (const auto* span : {&s.detection, &s.acknowledgement, &s.diagnosis, &s.mitigation, &s.recovery})
    CHECK_FALSE(*span);
  CHECK_FALSE(IncidentTimeline{}.stages().recovery);
}

TEST_CASE("run metrics give each stage span, NaN when it is null", "[metrics][stages]") {
  Report r;
  r.incident = full_incident();
  r.incident.diagnosed.reset();
  const RunMetrics m = run_metrics(r);
  CHECK(m["detection_span"] == 60);
  CHECK(m["acknowledgement_span"] == 240);
  CHECK(std::isnan(m["diagnosis_span"]));
  CHECK(m["mitigation_span"] == 900);
  CHECK(m["recovery_span"] == 600);
  CHECK(m["ttr"] == m["detection_span"] + m["acknowledgement_span"] + m["mitigation_span"] + m["recovery_span"]);
}

TEST_CASE("run metrics give the worst and mean TTR over the incidents that recovered", "[metrics]") {
  Report r;
  CHECK(std::isnan(run_metrics(r)["worst_ttr"]));
  CHECK(std::isnan(run_metrics(r)["mean_ttr"]));
  IncidentTimeline first = full_incident(), second, unrecovered;
  second.impact_start = 10000;
  second.recovered = 10000 + 4 * full_incident().ttr().value();
  unrecovered.impact_start = 20000;
  r.incidents = {first, second, unrecovered};
  r.incident = first;
  const RunMetrics m = run_metrics(r);
  const double t = full_incident().ttr().value();
  CHECK(m["incidents"] == 3);
  CHECK(m["ttr"] == t);  // the first incident's
  CHECK(m["worst_ttr"] == Approx(4 * t));
  CHECK(m["mean_ttr"] == Approx(2.5 * t));
}
