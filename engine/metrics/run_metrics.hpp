// One run as a flat row of numbers: what sweeps write to CSV, what comparisons pair up and what the
// Python module turns into DataFrame rows. The column names are a contract (PRODUCT.md metric names).
#pragma once

#include "report/report.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

struct MetricValue {
  std::string name;
  double value = 0;  // NaN for an incident stage that never happened
};

struct RunMetrics {
  std::uint64_t seed = 0;
  std::vector<MetricValue> metrics;  // in the column order of metric_names()

  // NaN when the run has no metric of that name (a feature another design does not have).
  double operator[](std::string_view name) const;
};

// availability, feature.<name>.availability for each feature in scenario order, degraded (share of the
// user requests served degraded), feature.<name>.degraded for each feature, requests, users_affected,
// user_minutes_lost, sessions_lost, ttd, tta, ttm, ttr, impact_start, detected, acknowledged,
// diagnosed, mitigated, recovered, detection_span, acknowledgement_span, diagnosis_span,
// mitigation_span, recovery_span (IncidentTimeline::stages), incidents (how many; the incident
// columns are the first one's), worst_ttr and mean_ttr (over the incidents that recovered),
// service_calls; then, only in scenarios with replicated state,
// writes_lost and read_only (over every replicated service). Times are seconds.
RunMetrics run_metrics(const Report& r);

// The names run_metrics gives a run of `s`, in the same order: known before any run finishes (a CSV
// header).
std::vector<std::string> metric_names(const Scenario& s);

// Metrics in seconds (incident times and spans, read_only); of those, the times of an incident, which a
// run without one does not have.
bool is_time_metric(std::string_view name);
bool is_incident_time(std::string_view name);

// "feature.<name>.availability", "feature.<name>.degraded".
std::string feature_availability_metric(std::string_view feature);
std::string feature_degraded_metric(std::string_view feature);

}  // namespace faultline
