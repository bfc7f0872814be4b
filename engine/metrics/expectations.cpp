#include "metrics/expectations.hpp"

#include "metrics/run_metrics.hpp"

#include <algorithm>
#include <cmath>

namespace faultline {

namespace {

ExpectationResult judged(ExpectationResult e, const RunMetrics& m, bool had_incident) {
  e.value = m[e.metric];
  if (std::isnan(e.value)) {
    e.met = is_incident_time(e.metric) && !had_incident;
    return e;
  }
  e.met = (!e.at_least || e.value >= *e.at_least) && (!e.at_most || e.value <= *e.at_most);
  return e;
}

}  // namespace

std::vector<ExpectationResult> check_expectations(const Scenario& s, const Report& r) {
  const RunMetrics m = run_metrics(r);
  const bool had_incident = !r.incidents.empty() || r.incident.impact_start.has_value();
  std::vector<ExpectationResult> out;
  for (const Feature& f : s.features) {
    ExpectationResult e;
    e.metric = feature_availability_metric(f.name);
    e.kind = "slo";
    e.at_least = f.slo;
    out.push_back(judged(std::move(e), m, had_incident));
  }
  for (const Expectation& x : s.expectations) {
    ExpectationResult e;
    e.metric = x.metric;
    e.kind = "expect";
    e.at_least = x.at_least;
    e.at_most = x.at_most;
    e.line = x.source.line;
    out.push_back(judged(std::move(e), m, had_incident));
  }
  return out;
}

bool states_expectations(const std::vector<ExpectationResult>& checks) {
  return std::any_of(checks.begin(), checks.end(), [](const ExpectationResult& e) { return e.kind == "expect"; });
}

std::size_t missed(const std::vector<ExpectationResult>& checks) {
  return std::size_t(std::count_if(checks.begin(), checks.end(), [](const ExpectationResult& e) { return !e.met; }));
}

}  // namespace faultline
