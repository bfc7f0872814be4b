#include "metrics/run_metrics.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <optional>
#include <span>

namespace faultline {

namespace {

constexpr double kNever = std::numeric_limits<double>::quiet_NaN();

double or_never(const std::optional<double>& t) { return t ? *t : kNever; }

// The columns after the per-feature ones. One table serves both run_metrics and metric_names, so a
// header and its rows cannot drift apart.
// What a metric measures, where that matters to its readers: seconds an incident has (a run without
// one has none of them), other seconds, or anything else.
enum class Measure { other, incident, seconds };

struct TrailingMetric {
  const char* name;
  double (*of)(const Report&);
  Measure measure = Measure::other;
};
constexpr TrailingMetric kTrailing[] = {
    {"users_affected", [](const Report& r) { return r.summary.users_affected; }},
    {"user_minutes_lost", [](const Report& r) { return r.summary.user_minutes_lost; }},
    {"sessions_lost", [](const Report& r) { return r.summary.sessions_lost; }},
    {"ttd", [](const Report& r) { return or_never(r.incident.ttd()); }, Measure::incident},
    {"tta", [](const Report& r) { return or_never(r.incident.tta()); }, Measure::incident},
    {"ttm", [](const Report& r) { return or_never(r.incident.ttm()); }, Measure::incident},
    {"ttr", [](const Report& r) { return or_never(r.incident.ttr()); }, Measure::incident},
    {"impact_start", [](const Report& r) { return or_never(r.incident.impact_start); }, Measure::incident},
    {"detected", [](const Report& r) { return or_never(r.incident.detected); }, Measure::incident},
    {"acknowledged", [](const Report& r) { return or_never(r.incident.acknowledged); }, Measure::incident},
    {"diagnosed", [](const Report& r) { return or_never(r.incident.diagnosed); }, Measure::incident},
    {"mitigated", [](const Report& r) { return or_never(r.incident.mitigated); }, Measure::incident},
    {"recovered", [](const Report& r) { return or_never(r.incident.recovered); }, Measure::incident},
    // Where the TTR went (IncidentTimeline::stages): NaN for a stage skipped or never reached.
    {"detection_span", [](const Report& r) { return or_never(r.incident.stages().detection); }, Measure::incident},
    {"acknowledgement_span", [](const Report& r) { return or_never(r.incident.stages().acknowledgement); },
     Measure::incident},
    {"diagnosis_span", [](const Report& r) { return or_never(r.incident.stages().diagnosis); }, Measure::incident},
    {"mitigation_span", [](const Report& r) { return or_never(r.incident.stages().mitigation); }, Measure::incident},
    {"recovery_span", [](const Report& r) { return or_never(r.incident.stages().recovery); }, Measure::incident},
    // How many incidents the run had; the incident columns above are the first one's.
    {"incidents", [](const Report& r) { return double(r.incidents.size()); }},
    // Over every incident that recovered: the longest TTR and the mean (NaN when none did).
    {"worst_ttr", [](const Report& r) { return or_never(tally(r.incidents).worst_ttr); }, Measure::incident},
    {"mean_ttr", [](const Report& r) { return or_never(tally(r.incidents).mean_ttr); }, Measure::incident},
    {"service_calls", [](const Report& r) { return double(r.summary.service_calls); }},
    // Simulated seconds: an incident not recovered by then lasted at least until the end (compare ranks it).
    {"run_duration", [](const Report& r) { return r.duration; }, Measure::seconds},
    // Worker-seconds the services spent on calls finished after their caller had given up.
    {"wasted_work",
     [](const Report& r) {
       double t = 0;
       for (const ServiceReport& s : r.services) t += s.wasted_work;
       return t;
     },
     Measure::seconds},
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
     },
     Measure::seconds},
};

bool replicates(const Scenario& s) {
  return std::any_of(s.services.begin(), s.services.end(), [](const Service& v) { return v.replication.enabled; });
}

}  // namespace

namespace {

std::optional<Measure> measure_of(std::string_view name) {
  using Table = std::span<const TrailingMetric>;
  for (Table table : {Table(kTrailing), Table(kReplication)})
    for (const TrailingMetric& m : table)
      if (name == m.name) return m.measure;
  return std::nullopt;
}

}  // namespace

bool is_time_metric(std::string_view name) {
  const std::optional<Measure> m = measure_of(name);
  return m && *m != Measure::other;
}

bool is_incident_time(std::string_view name) { return measure_of(name) == Measure::incident; }

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
