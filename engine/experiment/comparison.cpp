#include "experiment/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace faultline {

std::optional<Better> better_direction(std::string_view metric) {
  constexpr std::string_view feature_prefix = "feature.";
  const auto of_feature = [&](std::string_view suffix) {
    return metric.size() > feature_prefix.size() + suffix.size() && metric.starts_with(feature_prefix) &&
           metric.ends_with(suffix);
  };
  if (metric == "availability" || of_feature(".availability")) return Better::higher;
  if (metric == "degraded" || of_feature(".degraded")) return Better::lower;
  for (std::string_view lower : {"users_affected", "user_minutes_lost", "sessions_lost", "ttd", "tta", "ttm", "ttr",
                                  "detection_span", "acknowledgement_span", "diagnosis_span", "mitigation_span",
                                  "recovery_span", "incidents", "worst_ttr", "mean_ttr", "wasted_work", "writes_lost",
                                  "read_only"})
    if (metric == lower) return Better::lower;
  return std::nullopt;
}

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::a_better: return "A better";
    case Verdict::b_better: return "B better";
    case Verdict::no_significant_difference: return "no significant difference";
    case Verdict::no_difference: return "no difference";
    case Verdict::not_available: return "n/a";
  }
  return "n/a";
}

Verdict verdict(const PairedDifference& d, Better better) {
  if (d.pairs == 0) return Verdict::not_available;
  if (d.identical) return Verdict::no_difference;
  if (d.pairs < 2) return Verdict::not_available;  // one differing pair: no interval to judge by
  const bool b_higher = d.ci_low > 0, b_lower = d.ci_high < 0;
  if (!b_higher && !b_lower) return Verdict::no_significant_difference;
  return (b_higher == (better == Better::higher)) ? Verdict::b_better : Verdict::a_better;
}

namespace {

// An incident time as a rank: -inf for a run without an incident, else the time. A ttr the incident
// never got (not recovered by the end of the run) is at least the run's end minus its impact start:
// `at_least`. NaN when the incident never reached the stage otherwise, or the run does not say how
// many incidents it had: such a pair is left out, as an undetected incident may be a small one
// rather than a worse one.
struct RankedTime {
  double at = std::nan("");
  bool at_least = false;
};

RankedTime ranked_time(const RunMetrics& run, std::string_view name) {
  const double v = run[name];
  if (!std::isnan(v)) return {v, false};
  if (run["incidents"] == 0) return {-std::numeric_limits<double>::infinity(), false};
  const double start = run["impact_start"], end = run["run_duration"];
  if (name == "ttr" && std::isnan(run["recovered"]) && !std::isnan(start) && !std::isnan(end))
    return {end - start, true};
  return {};
}

// B's time against A's: -1, 0 or +1, or NaN when it is not known (one or both only a lower bound
// that does not decide, or a time missing).
double rank_of(const RankedTime& x, const RankedTime& y) {
  if (std::isnan(x.at) || std::isnan(y.at) || (x.at_least && y.at_least)) return std::nan("");
  if (x.at_least) return y.at < x.at ? -1.0 : std::nan("");  // x is at least x.at
  if (y.at_least) return x.at < y.at ? 1.0 : std::nan("");
  return double((y.at > x.at) - (y.at < x.at));
}

// Ranks the pairs of an incident time when a run of one side has no incident, or did not recover,
// and the other's has a time; false when no pair is so (the plain difference decides).
bool rank_incident_time(const std::vector<RunMetrics>& a, const std::vector<RunMetrics>& b, MetricComparison& c) {
  std::vector<double> zero, rank;
  bool one_sided = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const RankedTime x = ranked_time(a[i], c.metric), y = ranked_time(b[i], c.metric);
    c.no_incident_a += std::isinf(x.at);
    c.no_incident_b += std::isinf(y.at);
    c.not_recovered_a += x.at_least;
    c.not_recovered_b += y.at_least;
    const double r = rank_of(x, y);
    one_sided |= !std::isnan(r) && (std::isinf(x.at) != std::isinf(y.at) || x.at_least != y.at_least);
    zero.push_back(0);
    rank.push_back(r);
  }
  if (!one_sided) return false;
  c.ranked = true;
  c.verdict = verdict(paired_difference(zero, rank), c.better);
  return true;
}

}  // namespace

std::vector<MetricComparison> compare_runs(const std::vector<RunMetrics>& a, const std::vector<RunMetrics>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("compare: the designs have different numbers of runs");
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].seed != b[i].seed)
      throw std::invalid_argument("compare: run " + std::to_string(i) + " has seed " + std::to_string(a[i].seed) +
                                  " in A but " + std::to_string(b[i].seed) + " in B");

  std::vector<std::string> names;
  for (const auto* design : {&a, &b})
    for (const RunMetrics& run : *design)
      for (const MetricValue& m : run.metrics)
        if (better_direction(m.name) && std::find(names.begin(), names.end(), m.name) == names.end())
          names.push_back(m.name);

  std::vector<MetricComparison> out;
  for (const std::string& name : names) {
    std::vector<double> va, vb;
    for (std::size_t i = 0; i < a.size(); ++i) {
      va.push_back(a[i][name]);
      vb.push_back(b[i][name]);
    }
    MetricComparison c;
    c.metric = name;
    c.better = *better_direction(name);
    c.difference = paired_difference(va, vb);
    // (An incident's absolute stage times have no better direction, so only its spans get here.)
    if (!is_incident_time(name) || !rank_incident_time(a, b, c)) c.verdict = verdict(c.difference, c.better);
    out.push_back(std::move(c));
  }
  return out;
}

SweepPlan plan_comparison(const Scenario& a, const Scenario& b, std::size_t runs, std::optional<std::uint64_t> seed) {
  SweepPlan plan;
  plan.label_columns = {"design"};
  plan.runs_per_point = runs;
  const std::uint64_t base = seed ? *seed : a.info.seed;
  plan.points.push_back({{"A"}, a, base, config_hash(a)});
  plan.points.push_back({{"B"}, b, base, config_hash(b)});
  return plan;
}

Comparison compare_finished_runs(const std::vector<FinishedRun>& runs) {
  std::vector<FinishedRun> sorted = runs;
  std::sort(sorted.begin(), sorted.end(), [](const FinishedRun& x, const FinishedRun& y) {
    return std::pair(x.planned.point, x.planned.replicate) < std::pair(y.planned.point, y.planned.replicate);
  });
  Comparison c;
  for (const FinishedRun& run : sorted) {
    if (run.planned.point > 1) throw std::invalid_argument("compare: a run of a third design");
    (run.planned.point == 0 ? c.a : c.b).push_back(run.metrics);
  }
  c.metrics = compare_runs(c.a, c.b);
  return c;
}

Comparison compare_designs(const Scenario& a, const Scenario& b, std::size_t runs, unsigned jobs,
                           std::optional<std::uint64_t> seed, const SweepCallbacks& callbacks) {
  const SweepPlan plan = plan_comparison(a, b, runs, seed);
  std::vector<FinishedRun> finished;
  SweepCallbacks collecting = callbacks;
  collecting.on_finished = [&](const FinishedRun& run) {
    finished.push_back(run);
    if (callbacks.on_finished) callbacks.on_finished(run);
  };
  run_sweep(plan, all_runs(plan), jobs, collecting);
  return compare_finished_runs(finished);
}

}  // namespace faultline
