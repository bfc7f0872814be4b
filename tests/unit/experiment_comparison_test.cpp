// Verdicts: which direction is better for each metric, and when an interval decides.
#include "experiment/comparison.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

using namespace faultline;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

RunMetrics run(std::uint64_t seed, std::vector<MetricValue> metrics) { return RunMetrics{seed, std::move(metrics)}; }

const MetricComparison& find(const std::vector<MetricComparison>& all, const std::string& metric) {
  for (const MetricComparison& m : all)
    if (m.metric == metric) return m;
  FAIL("no comparison of " << metric);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("experiment: availability is better higher, losses and times lower", "[experiment][compare]") {
  CHECK(better_direction("availability") == Better::higher);
  CHECK(better_direction("feature.play.availability") == Better::higher);
  for (const char* m : {"users_affected", "user_minutes_lost", "sessions_lost", "ttd", "tta", "ttm", "ttr",
                        "incidents", "degraded", "feature.play.degraded", "wasted_work"})
    CHECK(better_direction(m) == Better::lower);
  for (const char* m : {"service_calls", "requests", "impact_start", "recovered", "seed", "feature..availability",
                        "feature..degraded"})
    CHECK_FALSE(better_direction(m).has_value());
}

TEST_CASE("experiment: the verdict follows the interval and the metric's direction", "[experiment][compare]") {
  PairedDifference up;  // B higher, significantly
  up.pairs = 10;
  up.mean_difference = 0.2;
  up.ci_low = 0.1;
  up.ci_high = 0.3;
  CHECK(verdict(up, Better::higher) == Verdict::b_better);
  CHECK(verdict(up, Better::lower) == Verdict::a_better);

  PairedDifference down = up;  // B lower, significantly
  down.mean_difference = -0.2;
  down.ci_low = -0.3;
  down.ci_high = -0.1;
  CHECK(verdict(down, Better::higher) == Verdict::a_better);
  CHECK(verdict(down, Better::lower) == Verdict::b_better);

  PairedDifference unsure = up;  // the interval holds 0
  unsure.ci_low = -0.05;
  CHECK(verdict(unsure, Better::higher) == Verdict::no_significant_difference);
  CHECK(verdict(unsure, Better::lower) == Verdict::no_significant_difference);
}

TEST_CASE("experiment: identical, undefined and single pairs", "[experiment][compare]") {
  CHECK(verdict(paired_difference({3, 4, 5}, {3, 4, 5}), Better::lower) == Verdict::no_difference);
  CHECK(verdict(paired_difference({kNaN, kNaN}, {1, 2}), Better::lower) == Verdict::not_available);
  CHECK(verdict(paired_difference({1, kNaN}, {2, 5}), Better::lower) == Verdict::not_available);  // one pair differs
  CHECK(verdict(paired_difference({1, kNaN}, {1, 5}), Better::lower) == Verdict::no_difference);  // one pair, equal
  CHECK(std::string(to_string(Verdict::a_better)) == "A better");
  CHECK(std::string(to_string(Verdict::b_better)) == "B better");
  CHECK(std::string(to_string(Verdict::no_significant_difference)) == "no significant difference");
  CHECK(std::string(to_string(Verdict::no_difference)) == "no difference");
  CHECK(std::string(to_string(Verdict::not_available)) == "n/a");
}

TEST_CASE("experiment: compare_runs pairs runs by seed and compares every directed metric", "[experiment][compare]") {
  const std::vector<RunMetrics> a{
      run(7, {{"availability", 0.90}, {"feature.play.availability", 0.80}, {"ttr", 600}, {"service_calls", 100}}),
      run(8, {{"availability", 0.95}, {"feature.play.availability", 0.90}, {"ttr", kNaN}, {"service_calls", 120}}),
      run(9, {{"availability", 0.92}, {"feature.play.availability", 0.85}, {"ttr", 500}, {"service_calls", 110}}),
  };
  const std::vector<RunMetrics> b{
      run(7, {{"availability", 0.99}, {"feature.play.availability", 0.80}, {"ttr", kNaN}, {"service_calls", 90}}),
      run(8, {{"availability", 0.995}, {"feature.play.availability", 0.90}, {"ttr", 60}, {"service_calls", 95}}),
      run(9, {{"availability", 0.991}, {"feature.play.availability", 0.85}, {"ttr", 30}, {"service_calls", 99}}),
  };
  const auto all = compare_runs(a, b);
  CHECK(all.size() == 3);  // service_calls has no better direction
  CHECK(find(all, "availability").verdict == Verdict::b_better);
  CHECK(find(all, "feature.play.availability").verdict == Verdict::no_difference);
  const MetricComparison& ttr = find(all, "ttr");
  CHECK(ttr.difference.pairs == 1);  // only seed 9 has a ttr in both
  CHECK(ttr.verdict == Verdict::not_available);

  std::vector<RunMetrics> shifted = b;
  shifted[1].seed = 99;
  CHECK_THROWS_WITH(compare_runs(a, shifted), Catch::Contains("seed 8 in A but 99 in B"));
  CHECK_THROWS_AS(compare_runs(a, {b[0]}), std::invalid_argument);
}

TEST_CASE("experiment: a metric only one design has is compared on no pair", "[experiment][compare]") {
  const std::vector<RunMetrics> a{run(1, {{"availability", 0.9}, {"feature.login.availability", 0.5}}),
                                  run(2, {{"availability", 0.8}, {"feature.login.availability", 0.6}})};
  const std::vector<RunMetrics> b{run(1, {{"availability", 0.9}}), run(2, {{"availability", 0.8}})};
  const auto all = compare_runs(a, b);
  const MetricComparison& login = find(all, "feature.login.availability");
  CHECK(login.difference.pairs == 0);
  CHECK(login.verdict == Verdict::not_available);
}

TEST_CASE("experiment: no incident beats any incident time", "[experiment][compare]") {
  const double none = std::nan("");
  const auto runs = [&](std::vector<std::pair<double, double>> ttr_and_incidents) {
    std::vector<RunMetrics> out;
    for (std::size_t i = 0; i < ttr_and_incidents.size(); ++i)
      out.push_back(run(i + 1, {{"ttr", ttr_and_incidents[i].first},
                                {"recovery_span", ttr_and_incidents[i].first},
                                {"incidents", ttr_and_incidents[i].second}}));
    return out;
  };
  SECTION("B without an incident in every run") {
    const auto all = compare_runs(runs({{600, 1}, {900, 1}, {700, 1}}), runs({{none, 0}, {none, 0}, {none, 0}}));
    const MetricComparison& ttr = find(all, "ttr");
    const MetricComparison& incidents = find(all, "incidents");
    CHECK_FALSE(incidents.ranked);  // a count, compared as it is
    CHECK(find(all, "recovery_span").ranked);  // a stage's span, like its time
    CHECK(find(all, "recovery_span").verdict == Verdict::b_better);
    CHECK(ttr.ranked);
    CHECK(ttr.no_incident_a == 0);
    CHECK(ttr.no_incident_b == 3);
    CHECK(ttr.difference.pairs == 0);
    CHECK(ttr.verdict == Verdict::b_better);
  }
  SECTION("an incident that never reached the stage is left out, not ranked") {
    const auto all = compare_runs(runs({{600, 1}, {900, 1}}), runs({{none, 2}, {none, 1}}));
    CHECK_FALSE(find(all, "ttr").ranked);
    CHECK(find(all, "ttr").verdict == Verdict::not_available);
  }
  SECTION("mixed pairs: the mean rank difference decides, here with no significance") {
    const auto all = compare_runs(runs({{600, 1}, {none, 0}, {700, 1}}), runs({{none, 0}, {500, 1}, {900, 1}}));
    const MetricComparison& ttr = find(all, "ttr");
    CHECK(ttr.ranked);
    CHECK(ttr.verdict == Verdict::no_significant_difference);
    CHECK(ttr.difference.pairs == 1);  // the plain difference still shows the pair with both
  }
  SECTION("both with incidents in every pair: the plain difference decides") {
    const auto all = compare_runs(runs({{600, 1}, {900, 1}, {700, 1}}), runs({{300, 1}, {500, 1}, {350, 1}}));
    const MetricComparison& ttr = find(all, "ttr");
    CHECK_FALSE(ttr.ranked);
    CHECK(ttr.verdict == Verdict::b_better);
  }
}

TEST_CASE("experiment: an incident not recovered by the end ranks above every shorter ttr", "[experiment][compare]") {
  const double none = std::nan("");
  // One incident each, starting at 100 s of a 3,600 s run; recovered at `recovered` (none: not by the end).
  const auto runs = [&](std::vector<double> recovered) {
    std::vector<RunMetrics> out;
    for (std::size_t i = 0; i < recovered.size(); ++i)
      out.push_back(run(i + 1, {{"ttr", std::isnan(recovered[i]) ? none : recovered[i] - 100},
                                {"impact_start", 100},
                                {"recovered", recovered[i]},
                                {"incidents", 1},
                                {"run_duration", 3600}}));
    return out;
  };
  SECTION("A never recovers, B does within minutes") {
    const auto all = compare_runs(runs({none, none, none}), runs({400, 300, 500}));
    const MetricComparison& ttr = find(all, "ttr");
    CHECK(ttr.ranked);
    CHECK(ttr.not_recovered_a == 3);
    CHECK(ttr.not_recovered_b == 0);
    CHECK(ttr.difference.pairs == 0);  // no pair has two ttrs to subtract
    CHECK(ttr.verdict == Verdict::b_better);
  }
  SECTION("both censored, or a ttr longer than what the other run could show: not known, left out") {
    const auto all = compare_runs(runs({none, none}), runs({none, none}));
    const MetricComparison& ttr = find(all, "ttr");
    CHECK_FALSE(ttr.ranked);
    CHECK(ttr.verdict == Verdict::not_available);
  }
  SECTION("without the run's duration (an older sweep file) nothing is assumed") {
    std::vector<RunMetrics> a{run(1, {{"ttr", none}, {"impact_start", 100}, {"recovered", none}, {"incidents", 1}})};
    std::vector<RunMetrics> b{run(1, {{"ttr", 300}, {"impact_start", 100}, {"recovered", 400}, {"incidents", 1}})};
    CHECK_FALSE(find(compare_runs(a, b), "ttr").ranked);
  }
}
