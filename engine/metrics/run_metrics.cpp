#include "metrics/run_metrics.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <optional>

namespace faultline {

namespace {

constexpr double kNever = std::numeric_limits<double>::quiet_NaN();

double or_never(const std::optional<double>& t) { return t ? *t : kNever; }

// The columns after the per-feature ones. One table serves both run_metrics and metric_names, so a
// header and its rows cannot drift apart.
struct TrailingMetric {
  const char* name;
  double (*of)(const Report&);
};
constexpr TrailingMetric kTrailing[] = {
    {"users_affected", [](const Report& r) { return r.summary.users_affected; }},
    {"user_minutes_lost", [](const Report& r) { return r.summary.user_minutes_lost; }},
    {"sessions_lost", [](const Report& r) { return r.summary.sessions_lost; }},
    {"ttd", [](const Report& r) { return or_never(r.incident.ttd()); }},
    {"tta", [](const Report& r) { return or_never(r.incident.tta()); }},
    {"ttm", [](const Report& r) { return or_never(r.incident.ttm()); }},
    {"ttr", [](const Report& r) { return or_never(r.incident.ttr()); }},
    {"impact_start", [](const Report& r) { return or_never(r.incident.impact_start); }},
    {"detected", [](const Report& r) { return or_never(r.incident.detected); }},
    {"acknowledged", [](const Report& r) { return or_never(r.incident.acknowledged); }},
    {"diagnosed", [](const Report& r) { return or_never(r.incident.diagnosed); }},
    {"mitigated", [](const Report& r) { return or_never(r.incident.mitigated); }},
    {"recovered", [](const Report& r) { return or_never(r.incident.recovered); }},
    // Where the TTR went (IncidentTimeline::stages): NaN for a stage skipped or never reached.
    {"detection_span", [](const Report& r) { return or_never(r.incident.stages().detection); }},
    {"acknowledgement_span", [](const Report& r) { return or_never(r.incident.stages().acknowledgement); }},
    {"diagnosis_span", [](const Report& r) { return or_never(r.incident.stages().diagnosis); }},
    {"mitigation_span", [](const Report& r) { return or_never(r.incident.stages().mitigation); }},
    {"recovery_span", [](const Report& r) { return or_never(r.incident.stages().recovery); }},
    // How many incidents the run had; the incident columns above are the first one's.
    {"incidents", [](const Report& r) { return double(r.incidents.size()); }},
    // Over every incident that recovered: the longest TTR and the mean (NaN when none did).
    {"worst_ttr", [](const Report& r) { return or_never(tally(r.incidents).worst_ttr); }},
    {"mean_ttr", [](const Report& r) { return or_never(tally(r.incidents).mean_ttr); }},
    {"service_calls", [](const Report& r) { return double(r.summary.service_calls); }},
};

// Only in scenarios with replicated state (service[].replication), after the others: over every
// replicated service, writes lost at failovers and seconds read-only.
constexpr TrailingMetric kReplication[] = {
    {"writes_lost",
     [](const Report& r) {
       double n = 0;
       for (const ReplicationReport& rp : r.replication) n += double(rp.writes_lost);
       return n;
     }},
    {"read_only",
     [](const Report& r) {
       double t = 0;
       for (const ReplicationReport& rp : r.replication) t += rp.read_only;
       return t;
     }},
};

bool replicates(const Scenario& s) {
  return std::any_of(s.services.begin(), s.services.end(), [](const Service& v) { return v.replication.enabled; });
}

}  // namespace

bool is_time_metric(std::string_view name) {
  for (std::string_view t : {"ttd", "tta", "ttm", "ttr", "impact_start", "detected", "acknowledged", "diagnosed",
                             "mitigated", "recovered", "detection_span", "acknowledgement_span", "diagnosis_span",
                             "mitigation_span", "recovery_span", "worst_ttr", "mean_ttr", "read_only"})
    if (name == t) return true;
  return false;
}

bool is_incident_time(std::string_view name) { return is_time_metric(name) && name != "read_only"; }

double RunMetrics::operator[](std::string_view name) const {
  for (const MetricValue& m : metrics)
    if (m.name == name) return m.value;
  return kNever;
}

std::string feature_availability_metric(std::string_view feature) {
  return "feature." + std::string(feature) + ".availability";
}

std::string feature_degraded_metric(std::string_view feature) { return "feature." + std::string(feature) + ".degraded"; }

namespace {

// Share of the requests served degraded (a soft dependency's fallback, a stale cache): 0 without requests.
double degraded_share(const Counts& c) { return c.requests ? double(c.degraded) / double(c.requests) : 0.0; }

}  // namespace

RunMetrics run_metrics(const Report& r) {
  RunMetrics out;
  out.seed = r.provenance.seed;
  out.metrics.push_back({"availability", r.summary.requests.availability()});
  for (const Series& f : r.features) out.metrics.push_back({feature_availability_metric(f.name), f.total.availability()});
  out.metrics.push_back({"degraded", degraded_share(r.summary.requests)});
  for (const Series& f : r.features) out.metrics.push_back({feature_degraded_metric(f.name), degraded_share(f.total)});
  out.metrics.push_back({"requests", double(r.summary.requests.requests)});
  for (const TrailingMetric& m : kTrailing) out.metrics.push_back({m.name, m.of(r)});
  if (!r.replication.empty())
    for (const TrailingMetric& m : kReplication) out.metrics.push_back({m.name, m.of(r)});
  return out;
}

std::vector<std::string> metric_names(const Scenario& s) {
  std::vector<std::string> out{"availability"};
  for (const Feature& f : s.features) out.push_back(feature_availability_metric(f.name));
  out.emplace_back("degraded");
  for (const Feature& f : s.features) out.push_back(feature_degraded_metric(f.name));
  out.emplace_back("requests");
  for (const TrailingMetric& m : kTrailing) out.emplace_back(m.name);
  if (replicates(s))
    for (const TrailingMetric& m : kReplication) out.emplace_back(m.name);
  return out;
}

}  // namespace faultline
