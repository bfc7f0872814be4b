#include "report/json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace faultline {

namespace {

using nlohmann::ordered_json;

// ---- writing -------------------------------------------------------------------------------------
// nlohmann prints doubles as the shortest text that round-trips (Grisu2), so the wire format loses
// nothing and the same double always gives the same characters.

ordered_json optional_number(const std::optional<double>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

ordered_json latency_json(const LatencySummary& l) {
  return {{"p50", l.p50}, {"p95", l.p95}, {"p99", l.p99}, {"mean", l.mean}};
}

ordered_json buckets_json(const std::vector<Counts>& buckets) {
  ordered_json requests = ordered_json::array(), ok = ordered_json::array(),
               degraded = ordered_json::array(), failed = ordered_json::array();
  for (const Counts& c : buckets) {
    requests.push_back(c.requests);
    ok.push_back(c.ok);
    degraded.push_back(c.degraded);
    failed.push_back(c.failed);
  }
  return {{"requests", std::move(requests)}, {"ok", std::move(ok)},
          {"degraded", std::move(degraded)}, {"failed", std::move(failed)}};
}

// Per-bucket seconds; null in a bucket with nothing measured (nlohmann writes NaN as null).
void add_latency_by_bucket(ordered_json& out, const LatencyByBucket& l) {
  if (l.p50.empty()) return;
  out["p50_by_bucket"] = l.p50;
  out["p99_by_bucket"] = l.p99;
  out["p50_all_by_bucket"] = l.p50_all;
  out["p99_all_by_bucket"] = l.p99_all;
}

ordered_json series_json(const std::vector<Series>& all) {
  ordered_json out = ordered_json::array();
  for (const Series& s : all) {
    out.push_back({{"name", s.name},
                   {"slo", s.slo},
                   {"availability", s.total.availability()},
                   {"requests", s.total.requests},
                   {"ok", s.total.ok},
                   {"degraded", s.total.degraded},
                   {"failed", s.total.failed},
                   {"latency", latency_json(s.latency)},
                   {"latency_all", latency_json(s.latency_all)},
                   {"buckets", buckets_json(s.buckets)}});
    add_latency_by_bucket(out.back(), s.latency_by_bucket);  // features
    if (!s.sessions_lost_by_bucket.empty()) out.back()["sessions_lost_by_bucket"] = s.sessions_lost_by_bucket;
  }
  return out;
}

ordered_json spells_json(const std::vector<ServiceReport::Spell>& spells) {
  ordered_json out = ordered_json::array();
  for (const ServiceReport::Spell& sp : spells) out.push_back({{"start", sp.start}, {"recovered", optional_number(sp.recovered)}});
  return out;
}

ordered_json services_json(const std::vector<ServiceReport>& services) {
  ordered_json out = ordered_json::array();
  for (const ServiceReport& s : services) {
    ordered_json errors = ordered_json::object();
    for (int c = 0; c < kCauseCount; ++c) errors[to_string(Cause(c))] = s.errors[c];
    out.push_back({{"name", s.name},
                   {"availability", s.total.availability()},
                   {"requests", s.total.requests},
                   {"ok", s.total.ok},
                   {"degraded", s.total.degraded},
                   {"failed", s.total.failed},
                   {"errors", std::move(errors)},
                   {"latency", latency_json(s.latency)},
                   {"latency_all", latency_json(s.latency_all)},
                   {"time_unhealthy", s.time_unhealthy},
                   {"ttr", optional_number(s.ttr)},
                   {"unhealthy_spells", spells_json(s.unhealthy_spells)},
                   {"served", s.served},
                   {"wasted", s.wasted},
                   {"wasted_work", s.wasted_work},
                   {"buckets", buckets_json(s.buckets)}});
    ordered_json& o = out.back();
    add_latency_by_bucket(o, s.latency_by_bucket);
    o["queue_by_bucket"] = s.queue_by_bucket;
    o["served_by_bucket"] = s.served_by_bucket;
    o["wasted_by_bucket"] = s.wasted_by_bucket;
    o["wasted_work_by_bucket"] = s.wasted_work_by_bucket;
    o["ejected_by_bucket"] = s.ejected_by_bucket;
    o["uptime"] = s.uptime;
    o["downtime"] = s.downtime;
    o["outages"] = s.outages;
    o["time_by_replicas_up"] = s.time_by_replicas_up;
    o["replicas_by_bucket"] = s.replicas_by_bucket;
    o["restarts"] = s.restarts;
    o["crashes"] = s.crashes;
  }
  return out;
}

ordered_json provenance_json(const Provenance& p) {
  ordered_json overrides = ordered_json::object(), parameters = ordered_json::object();
  for (const auto& [k, v] : p.overrides) overrides[k] = v;  // std::map: sorted, hence stable
  for (const auto& [k, v] : p.parameters) parameters[k] = v;
  return {{"faultline_version", p.faultline_version},
          {"scenario_name", p.scenario_name},
          {"scenario_origin", p.scenario_origin},
          {"scenario_hash", p.scenario_hash},
          {"scenario_description", p.scenario_description},
          {"seed", p.seed},
          {"overrides", std::move(overrides)},
          {"parameters", std::move(parameters)}};
}

ordered_json stages_json(const TtrStages& s) {
  return {{"detection", optional_number(s.detection)},
          {"acknowledgement", optional_number(s.acknowledgement)},
          {"diagnosis", optional_number(s.diagnosis)},
          {"mitigation", optional_number(s.mitigation)},
          {"recovery", optional_number(s.recovery)}};
}

ordered_json incident_json(const IncidentTimeline& i) {
  return {{"impact_start", optional_number(i.impact_start)},
          {"detected", optional_number(i.detected)},
          {"acknowledged", optional_number(i.acknowledged)},
          {"diagnosed", optional_number(i.diagnosed)},
          {"mitigated", optional_number(i.mitigated)},
          {"recovered", optional_number(i.recovered)},
          {"detected_by", i.detected_by},
          {"acknowledged_via", i.acknowledged_via},
          {"diagnosed_note", i.diagnosed_note},
          {"mitigated_by", i.mitigated_by},
          {"recovered_note", i.recovered_note},
          {"ttd", optional_number(i.ttd())},
          {"tta", optional_number(i.tta())},
          {"ttm", optional_number(i.ttm())},
          {"ttr", optional_number(i.ttr())},
          {"stages", stages_json(i.stages())}};
}

ordered_json expectations_json(const std::vector<ExpectationResult>& all) {
  ordered_json out = ordered_json::array();
  for (const ExpectationResult& e : all)
    out.push_back({{"metric", e.metric},
                   {"kind", e.kind},
                   {"at_least", optional_number(e.at_least)},
                   {"at_most", optional_number(e.at_most)},
                   {"value", std::isnan(e.value) ? ordered_json() : ordered_json(e.value)},
                   {"met", e.met},
                   {"line", e.line}});
  return out;
}

ordered_json incidents_json(const std::vector<IncidentTimeline>& all) {
  ordered_json out = ordered_json::array();
  for (const IncidentTimeline& i : all) out.push_back(incident_json(i));
  return out;
}

// The run's totals, with its incidents at a glance (derived from "incidents": not read back).
ordered_json summary_json(const Summary& s, const IncidentTally& t) {
  return {{"requests", s.requests.requests},
          {"ok", s.requests.ok},
          {"degraded", s.requests.degraded},
          {"failed", s.requests.failed},
          {"availability", s.requests.availability()},
          {"users_affected", s.users_affected},
          {"user_minutes_lost", s.user_minutes_lost},
          {"sessions_lost", s.sessions_lost},
          {"service_calls", s.service_calls},
          {"events", s.events},
          {"peak_in_flight", s.peak_in_flight},
          {"incidents", t.count},
          {"worst_ttr", optional_number(t.worst_ttr)},
          {"mean_ttr", optional_number(t.mean_ttr)}};
}

// Two-space indentation like dump(2), except that an array of numbers or strings stays on one line:
// a run has hundreds of buckets per series and a value per line would make the file unreadable.
// Scalars still go through dump(), so numbers are printed exactly as nlohmann prints them.
void write_pretty(const ordered_json& j, int depth, std::string& out) {
  const auto dump = [](const ordered_json& v) {
    return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  const std::string indent(2 * (depth + 1), ' '), closing(2 * depth, ' ');
  if (j.is_object() && !j.empty()) {
    out += "{\n";
    bool first = true;
    for (auto it = j.begin(); it != j.end(); ++it) {
      out += first ? "" : ",\n";
      first = false;
      out += indent + dump(ordered_json(it.key())) + ": ";
      write_pretty(it.value(), depth + 1, out);
    }
    out += "\n" + closing + "}";
  } else if (j.is_array() && !j.empty() &&
             std::any_of(j.begin(), j.end(), [](const ordered_json& v) { return v.is_structured(); })) {
    out += "[\n";
    for (std::size_t i = 0; i < j.size(); ++i) {
      out += (i ? ",\n" : "") + indent;
      write_pretty(j[i], depth + 1, out);
    }
    out += "\n" + closing + "]";
  } else if (j.is_array()) {
    out += "[";
    for (std::size_t i = 0; i < j.size(); ++i) out += (i ? ", " : "") + dump(j[i]);
    out += "]";
  } else {
    out += dump(j);
  }
}

}  // namespace

std::string report_to_json(const Report& r) {
  ordered_json edges = ordered_json::array();
  for (const EdgeReport& e : r.edges) {
    edges.push_back({{"from", e.from},
                     {"to", e.to},
                     {"requests", e.requests},
                     {"attempts", e.attempts},
                     {"failures", e.failures},
                     {"amplification", e.amplification()},
                     {"cache_hits", e.cache_hits},
                     {"circuit_open", e.circuit_open},
                     {"circuit_open_by_bucket", e.circuit_open_by_bucket}});
    if (e.failed_refreshes) edges.back()["failed_refreshes"] = *e.failed_refreshes;  // control edges
    if (e.poisoned_hits) {  // only where a fault can poison its cache
      edges.back()["poisoned_hits"] = *e.poisoned_hits;
      edges.back()["requests_by_bucket"] = e.requests_by_bucket;
      edges.back()["poisoned_by_bucket"] = e.poisoned_by_bucket;
    }
  }
  ordered_json resources = ordered_json::array();
  for (const ResourceReport& res : r.resources) {
    resources.push_back({{"name", res.name},
                         {"kind", res.kind},
                         {"capacity", res.capacity},
                         {"utilisation", res.utilisation},
                         {"peak_utilisation", res.peak_utilisation},
                         {"saturated_time", res.saturated_time},
                         {"utilisation_by_bucket", res.utilisation_by_bucket},
                         {"backlog_by_bucket", res.backlog_by_bucket},
                         {"limit_hits", res.limit_hits},
                         {"limit_hits_by_bucket", res.limit_hits_by_bucket}});
    if (!res.drops_by_class.empty()) resources.back()["drops_by_class"] = res.drops_by_class;
  }
  ordered_json propagation = ordered_json::array();
  for (const PropagationStep& p : r.propagation)
    propagation.push_back(
        {{"time", p.time}, {"service", p.service}, {"via", p.via}, {"cause", p.cause}});
  ordered_json events = ordered_json::array();
  for (const Event& e : r.events)
    events.push_back({{"time", e.time}, {"kind", e.kind}, {"name", e.name}, {"detail", e.detail}});
  ordered_json status_updates = ordered_json::array();
  for (const StatusUpdate& u : r.status_updates)
    status_updates.push_back({{"time", u.time},
                              {"state", u.state},
                              {"message", u.message},
                              {"eta", optional_number(u.eta)},
                              {"channel", u.channel}});

  ordered_json out = {{"provenance", provenance_json(r.provenance)},
                      {"duration", r.duration},
                      {"bucket", r.bucket},
                      {"summary", summary_json(r.summary, tally(r.incidents))},
                      {"incident", incident_json(r.incident)},
                      {"incidents", incidents_json(r.incidents)},
                      {"expectations", expectations_json(r.expectations)},
                      {"features", series_json(r.features)},
                      {"segments", series_json(r.segments)},
                      {"regions", series_json(r.regions)},
                      {"services", services_json(r.services)},
                      {"edges", std::move(edges)},
                      {"propagation", std::move(propagation)},
                      {"events", std::move(events)},
                      {"status_updates", std::move(status_updates)}};
  // Only scenarios that model resources have the section: reports of the others stay as they were.
  if (!r.resources.empty()) out["resources"] = std::move(resources);
  if (!r.rollouts.empty()) {  // likewise for gradual actions
    ordered_json rollouts = ordered_json::array();
    for (const RolloutReport& ro : r.rollouts)
      rollouts.push_back({{"action", ro.action},
                          {"kind", ro.kind},
                          {"unit", ro.unit},
                          {"steps", ro.steps},
                          {"started", optional_number(ro.started)},
                          {"finished", optional_number(ro.finished)},
                          {"paused_time", ro.paused_time},
                          {"reverted", ro.reverted},
                          {"share_by_bucket", ro.share_by_bucket}});
    out["rollouts"] = std::move(rollouts);
  }
  if (!r.restores.empty()) {  // likewise for restores
    ordered_json restores = ordered_json::array();
    for (const RestoreReport& re : r.restores) {
      ordered_json restored_at = ordered_json::array();  // null: not back by the end
      for (double t : re.restored_at) restored_at.push_back(std::isnan(t) ? ordered_json(nullptr) : ordered_json(t));
      restores.push_back({{"action", re.action},
                          {"fault", re.fault},
                          {"service", re.service},
                          {"tenants", re.tenants},
                          {"tenant_ids", re.tenant_ids},
                          {"size", re.size},
                          {"lost_at", optional_number(re.lost_at)},
                          {"started", optional_number(re.started)},
                          {"finished", optional_number(re.finished)},
                          {"restored_at", std::move(restored_at)},
                          {"share_by_bucket", re.share_by_bucket},
                          {"availability", re.requests.availability()},
                          {"requests", re.requests.requests},
                          {"ok", re.requests.ok},
                          {"degraded", re.requests.degraded},
                          {"failed", re.requests.failed},
                          {"buckets", buckets_json(re.buckets)}});
    }
    out["restores"] = std::move(restores);
  }
  if (!r.scoped_faults.empty()) {  // likewise for faults scoped to users
    ordered_json scoped = ordered_json::array();
    const auto counts = [](const Counts& c, const std::vector<Counts>& buckets) {
      return ordered_json{{"availability", c.availability()}, {"requests", c.requests}, {"ok", c.ok},
                          {"degraded", c.degraded},           {"failed", c.failed},     {"buckets", buckets_json(buckets)}};
    };
    for (const ScopedFaultReport& sf : r.scoped_faults)
      scoped.push_back({{"fault", sf.fault},
                        {"users_in_scope", sf.users_in_scope},
                        {"began", optional_number(sf.began)},
                        {"ended", optional_number(sf.ended)},
                        {"recovered", optional_number(sf.recovered)},
                        {"inside", counts(sf.inside, sf.inside_buckets)},
                        {"outside", counts(sf.outside, sf.outside_buckets)}});
    out["scoped_faults"] = std::move(scoped);
  }
  if (!r.replication.empty()) {  // likewise for replicated state
    ordered_json replication = ordered_json::array();
    for (const ReplicationReport& rp : r.replication) {
      ordered_json writes = ordered_json::array(), lost = ordered_json::array(), refused = ordered_json::array(),
                   awaiting = ordered_json::array(), read_only = ordered_json::array();
      for (const ReplicationBucket& b : rp.buckets) {
        writes.push_back(b.writes);
        lost.push_back(b.lost);
        refused.push_back(b.refused);
        awaiting.push_back(b.awaiting);
        read_only.push_back(b.read_only);
      }
      replication.push_back({{"service", rp.service},
                             {"mode", rp.mode},
                             {"writes", rp.writes},
                             {"writes_lost", rp.writes_lost},
                             {"writes_refused", rp.writes_refused},
                             {"writes_reconciled", rp.writes_reconciled},
                             {"writes_awaiting", rp.writes_awaiting},
                             {"writes_discarded", rp.writes_discarded},
                             {"read_only", rp.read_only},
                             {"failed_over_at", optional_number(rp.failed_over_at)},
                             {"reconciliation_started", optional_number(rp.reconciliation_started)},
                             {"reconciled_at", optional_number(rp.reconciled_at)},
                             {"failback_waited", rp.failback_waited},
                             {"writes_by_bucket", std::move(writes)},
                             {"lost_by_bucket", std::move(lost)},
                             {"refused_by_bucket", std::move(refused)},
                             {"awaiting_by_bucket", std::move(awaiting)},
                             {"read_only_by_bucket", std::move(read_only)}});
    }
    out["replication"] = std::move(replication);
  }
  if (!r.backlogs.empty()) {  // likewise for backlogs
    ordered_json backlogs = ordered_json::array();
    for (const BacklogReport& b : r.backlogs)
      backlogs.push_back({{"dependency", b.dependency},
                          {"kept", b.kept},
                          {"replayed", b.replayed},
                          {"dropped", b.dropped},
                          {"max_length", b.max_length},
                          {"replay_rate", b.replay_rate},
                          {"first_kept", optional_number(b.first_kept)},
                          {"drained_at", optional_number(b.drained_at)},
                          {"failed_replays", b.failed_replays},
                          {"length_by_bucket", b.length_by_bucket},
                          {"kept_by_bucket", b.kept_by_bucket},
                          {"replayed_by_bucket", b.replayed_by_bucket}});
    out["backlogs"] = std::move(backlogs);
  }
  if (r.users)
    out["users"] = {{"affected_by_bucket", r.users->affected_by_bucket},
                    {"impaired_by_bucket", r.users->impaired_by_bucket},
                    {"logged_out_by_bucket", r.users->logged_out_by_bucket},
                    {"sessions_lost_by_bucket", r.users->sessions_lost_by_bucket}};
  if (r.user_reports)
    out["user_reports"] = {{"threshold", r.user_reports->threshold},
                           {"window", r.user_reports->window},
                           {"reports_by_bucket", r.user_reports->by_bucket}};
  // Invalid UTF-8 (never expected: names come from TOML, which is UTF-8) is replaced rather than
  // allowed to lose the whole report.
  std::string text;
  write_pretty(out, 0, text);
  return text + "\n";
}

}  // namespace faultline
