// Comparing two designs: the same N seeds on both (common random numbers), then for each metric that
// has a better direction the paired difference B - A, its 95% confidence interval and a verdict.
#pragma once

#include "experiment/paired_difference.hpp"
#include "metrics/run_metrics.hpp"
#include "experiment/sweep.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

enum class Better { higher, lower };

// Availability (overall and per feature) is better higher; the degraded shares (overall and per
// feature), users_affected, user_minutes_lost,
// sessions_lost, ttd, tta, ttm, ttr, the stage spans and incidents lower. Other columns (stage times,
// requests, service_calls) describe a run without being better one way: nullopt.
std::optional<Better> better_direction(std::string_view metric);

enum class Verdict {
  a_better,
  b_better,
  no_significant_difference,  // the confidence interval holds 0
  no_difference,              // identical in every pair
  not_available,              // no pair in which both are defined, or a single differing pair
};
// "A better", "B better", "no significant difference", "no difference", "n/a".
const char* to_string(Verdict v);

// The interval excluding 0 decides, in the metric's better direction.
Verdict verdict(const PairedDifference& d, Better better);

struct MetricComparison {
  std::string metric;
  Better better = Better::higher;
  PairedDifference difference;  // B - A, over the pairs in which both have a value
  Verdict verdict = Verdict::not_available;
  // Incident times (ttd, tta, ttm, ttr and the stage spans) where a run of one side has no incident
  // and the other's has a time: no incident is better than any time. Then every pair is ranked (-1, 0
  // or +1, B - A; a pair where an incident never reached the stage is left out) and the verdict is
  // the interval of the mean rank difference.
  // A ttr the incident did not get (not recovered by the end of the run) ranks above every shorter
  // time: it lasted at least the rest of the run.
  bool ranked = false;
  std::size_t no_incident_a = 0, no_incident_b = 0;      // runs without an incident
  std::size_t not_recovered_a = 0, not_recovered_b = 0;  // runs whose incident had not recovered (ttr)
};

struct Comparison {
  std::vector<RunMetrics> a, b;  // run i of each had the same seed
  std::vector<MetricComparison> metrics;
};

// Every metric with a better direction found in either design's runs (A's order, then B's own),
// paired run by run. Throws std::invalid_argument when the designs' runs do not share their seeds.
std::vector<MetricComparison> compare_runs(const std::vector<RunMetrics>& a, const std::vector<RunMetrics>& b);

// The two designs as a plan of two points labelled by the column "design" ("A", "B"), both with the
// seeds `seed`, seed + 1, ... (default: A's scenario seed), whatever B's own seed.
SweepPlan plan_comparison(const Scenario& a, const Scenario& b, std::size_t runs,
                          std::optional<std::uint64_t> seed = std::nullopt);

// The comparison from every run of a plan_comparison plan, in any order.
Comparison compare_finished_runs(const std::vector<FinishedRun>& runs);

// Plans, runs (`jobs` at a time) and compares, without a file.
Comparison compare_designs(const Scenario& a, const Scenario& b, std::size_t runs, unsigned jobs,
                           std::optional<std::uint64_t> seed = std::nullopt, const SweepCallbacks& callbacks = {});

}  // namespace faultline
