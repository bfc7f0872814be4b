// report_from_json: report.json back into a Report (the parent of a forked run reads its child's report
// this way), strict about the layout so a malformed report names the key path that is wrong.
#include "report/json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace faultline {

namespace {

// ---- reading -------------------------------------------------------------------------------------
// A view of one JSON node that knows its key path, so a malformed report names what is wrong.

class Node {
 public:
  Node(const nlohmann::json& value, std::string path) : value_(value), path_(std::move(path)) {}

  Node operator[](const char* key) const {
    if (!value_.is_object()) fail("expected an object");
    auto it = value_.find(key);
    std::string child = path_.empty() ? key : path_ + "." + key;
    if (it == value_.end()) throw ReportFormatError("report JSON: missing key '" + child + "'");
    return Node(*it, std::move(child));
  }

  template <class Visit>
  void for_each(Visit visit) const {
    if (!value_.is_array()) fail("expected an array");
    for (std::size_t i = 0; i < value_.size(); ++i)
      visit(Node(value_[i], path_ + "[" + std::to_string(i) + "]"));
  }

  bool has(const char* key) const { return value_.is_object() && value_.contains(key); }

  std::size_t size() const {
    if (!value_.is_array()) fail("expected an array");
    return value_.size();
  }

  // Non-finite doubles are written as null (JSON has no NaN): read them back as NaN.
  double number() const {
    if (value_.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!value_.is_number()) fail("expected a number");
    return value_.get<double>();
  }

  std::optional<double> optional_number() const {
    if (value_.is_null()) return std::nullopt;
    return number();
  }

  std::uint64_t count() const {
    if (!value_.is_number_unsigned()) fail("expected a non-negative integer");
    return value_.get<std::uint64_t>();
  }

  bool boolean() const {
    if (!value_.is_boolean()) fail("expected true or false");
    return value_.get<bool>();
  }

  std::string text() const {
    if (!value_.is_string()) fail("expected a string");
    return value_.get<std::string>();
  }

  std::map<std::string, std::string> text_map() const {
    if (!value_.is_object()) fail("expected an object");
    std::map<std::string, std::string> out;
    for (auto it = value_.begin(); it != value_.end(); ++it)
      out[it.key()] = Node(it.value(), path_ + "." + it.key()).text();
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ReportFormatError("report JSON: " + (path_.empty() ? std::string("top level") : path_) +
                            ": " + what);
  }

  const nlohmann::json& value_;
  std::string path_;
};

LatencySummary read_latency(const Node& n) {
  return {n["p50"].number(), n["p95"].number(), n["p99"].number(), n["mean"].number()};
}

// An array of numbers (null reads as NaN), or of counts as T.
std::vector<double> numbers(const Node& n) {
  std::vector<double> out;
  n.for_each([&](const Node& v) { out.push_back(v.number()); });
  return out;
}

template <class T>
std::vector<T> counts(const Node& n) {
  std::vector<T> out;
  n.for_each([&](const Node& v) { out.push_back(T(v.count())); });
  return out;
}

// Absent (a report of an older version, or a segment) reads as no per-bucket latency.
LatencyByBucket read_latency_by_bucket(const Node& n) {
  LatencyByBucket l;
  if (n.has("p99_by_bucket")) l.p99 = numbers(n["p99_by_bucket"]);
  if (!n.has("p50_by_bucket")) return l;
  l.p50 = numbers(n["p50_by_bucket"]);
  l.p50_all = numbers(n["p50_all_by_bucket"]);
  l.p99_all = numbers(n["p99_all_by_bucket"]);
  return l;
}

Counts read_total(const Node& n) {
  Counts c;
  c.requests = n["requests"].count();
  c.ok = n["ok"].count();
  c.degraded = n["degraded"].count();
  c.failed = n["failed"].count();
  return c;
}

std::vector<Counts> read_buckets(const Node& n) {
  std::vector<Counts> out(n["requests"].size());
  auto column = [&](const char* key, std::uint64_t Counts::*field) {
    Node values = n[key];
    if (values.size() != out.size())
      throw ReportFormatError(std::string("report JSON: bucket arrays differ in length at '") + key +
                              "'");
    std::size_t i = 0;
    values.for_each([&](const Node& v) { out[i++].*field = v.count(); });
  };
  column("requests", &Counts::requests);
  column("ok", &Counts::ok);
  column("degraded", &Counts::degraded);
  column("failed", &Counts::failed);
  return out;
}

std::vector<Series> read_series(const Node& n) {
  std::vector<Series> out;
  n.for_each([&](const Node& s) {
    Series series;
    series.name = s["name"].text();
    series.slo = s["slo"].number();
    series.total = read_total(s);
    series.buckets = read_buckets(s["buckets"]);
    series.latency = read_latency(s["latency"]);
    if (s.has("latency_all")) series.latency_all = read_latency(s["latency_all"]);
    series.latency_by_bucket = read_latency_by_bucket(s);
    if (s.has("sessions_lost_by_bucket")) series.sessions_lost_by_bucket = numbers(s["sessions_lost_by_bucket"]);
    out.push_back(std::move(series));
  });
  return out;
}

std::vector<ServiceReport> read_services(const Node& n) {
  std::vector<ServiceReport> out;
  n.for_each([&](const Node& s) {
    ServiceReport service;
    service.name = s["name"].text();
    service.total = read_total(s);
    Node errors = s["errors"];
    for (int c = 0; c < kCauseCount; ++c) service.errors[c] = errors[to_string(Cause(c))].count();
    service.latency = read_latency(s["latency"]);
    service.time_unhealthy = s["time_unhealthy"].number();
    service.ttr = s["ttr"].optional_number();
    if (s.has("unhealthy_spells"))
      s["unhealthy_spells"].for_each([&](const Node& sp) {
        service.unhealthy_spells.push_back({sp["start"].number(), sp["recovered"].optional_number()});
      });
    if (s.has("latency_all")) service.latency_all = read_latency(s["latency_all"]);
    service.buckets = read_buckets(s["buckets"]);
    service.latency_by_bucket = read_latency_by_bucket(s);
    if (s.has("served")) {
      service.served = s["served"].count();
      service.wasted = s["wasted"].count();
      service.wasted_work = s["wasted_work"].number();
      service.queue_by_bucket = numbers(s["queue_by_bucket"]);
      service.served_by_bucket = counts<std::uint32_t>(s["served_by_bucket"]);
      service.wasted_by_bucket = counts<std::uint32_t>(s["wasted_by_bucket"]);
      service.wasted_work_by_bucket = numbers(s["wasted_work_by_bucket"]);
    }
    service.ejected_by_bucket = counts<int>(s["ejected_by_bucket"]);
    service.uptime = s["uptime"].number();
    service.outages = s["outages"].count();
    service.downtime = s["downtime"].number();
    service.time_by_replicas_up = numbers(s["time_by_replicas_up"]);
    service.replicas_by_bucket = counts<int>(s["replicas_by_bucket"]);
    service.restarts = s["restarts"].count();
    service.crashes = s["crashes"].count();
    out.push_back(std::move(service));
  });
  return out;
}

// ttd, tta, ttm, ttr and stages are derived from the times: written for readers, not read back.
IncidentTimeline read_incident(const Node& n) {
  IncidentTimeline i;
  i.impact_start = n["impact_start"].optional_number();
  i.detected = n["detected"].optional_number();
  i.acknowledged = n["acknowledged"].optional_number();
  i.diagnosed = n["diagnosed"].optional_number();
  i.mitigated = n["mitigated"].optional_number();
  i.recovered = n["recovered"].optional_number();
  i.detected_by = n["detected_by"].text();
  i.acknowledged_via = n["acknowledged_via"].text();
  i.diagnosed_note = n["diagnosed_note"].text();
  i.mitigated_by = n["mitigated_by"].text();
  i.recovered_note = n["recovered_note"].text();
  return i;
}

}  // namespace

Report report_from_json(std::string_view text) {
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    throw ReportFormatError(std::string("report JSON: ") + e.what());
  }
  const Node root(parsed, "");
  Report r;

  Node p = root["provenance"];
  r.provenance.faultline_version = p["faultline_version"].text();
  r.provenance.scenario_name = p["scenario_name"].text();
  r.provenance.scenario_origin = p["scenario_origin"].text();
  r.provenance.scenario_hash = p["scenario_hash"].text();
  if (p.has("scenario_description")) r.provenance.scenario_description = p["scenario_description"].text();
  r.provenance.seed = p["seed"].count();
  r.provenance.overrides = p["overrides"].text_map();
  r.provenance.parameters = p["parameters"].text_map();

  r.duration = root["duration"].number();
  r.bucket = root["bucket"].number();

  Node s = root["summary"];
  r.summary.requests = read_total(s);
  r.summary.users_affected = s["users_affected"].number();
  r.summary.user_minutes_lost = s["user_minutes_lost"].number();
  r.summary.sessions_lost = s["sessions_lost"].number();
  r.summary.service_calls = s["service_calls"].count();
  r.summary.events = s["events"].count();
  r.summary.peak_in_flight = s["peak_in_flight"].count();

  r.incident = read_incident(root["incident"]);
  root["incidents"].for_each([&](const Node& n) { r.incidents.push_back(read_incident(n)); });
  if (root.has("expectations"))
    root["expectations"].for_each([&](const Node& n) {
      ExpectationResult e;
      e.metric = n["metric"].text();
      e.kind = n["kind"].text();
      e.at_least = n["at_least"].optional_number();
      e.at_most = n["at_most"].optional_number();
      e.value = n["value"].optional_number().value_or(std::numeric_limits<double>::quiet_NaN());
      e.met = n["met"].boolean();
      e.line = int(n["line"].count());
      r.expectations.push_back(std::move(e));
    });

  r.features = read_series(root["features"]);
  r.segments = read_series(root["segments"]);
  r.regions = read_series(root["regions"]);
  r.services = read_services(root["services"]);

  root["edges"].for_each([&](const Node& e) {
    EdgeReport edge;
    edge.from = e["from"].text();
    edge.to = e["to"].text();
    edge.requests = e["requests"].count();
    edge.attempts = e["attempts"].count();
    edge.failures = e["failures"].count();
    edge.cache_hits = e["cache_hits"].count();
    edge.circuit_open = e["circuit_open"].count();
    e["circuit_open_by_bucket"].for_each(
        [&](const Node& v) { edge.circuit_open_by_bucket.push_back(std::uint32_t(v.count())); });
    if (e.has("failed_refreshes")) edge.failed_refreshes = e["failed_refreshes"].count();
    if (e.has("poisoned_hits")) {
      edge.poisoned_hits = e["poisoned_hits"].count();
      edge.requests_by_bucket = counts<std::uint32_t>(e["requests_by_bucket"]);
      edge.poisoned_by_bucket = counts<std::uint32_t>(e["poisoned_by_bucket"]);
    }
    r.edges.push_back(std::move(edge));
  });
  if (root.has("resources"))
    root["resources"].for_each([&](const Node& n) {
      ResourceReport res;
      res.name = n["name"].text();
      res.kind = n["kind"].text();
      res.capacity = n["capacity"].number();
      res.utilisation = n["utilisation"].number();
      res.peak_utilisation = n["peak_utilisation"].number();
      res.saturated_time = n["saturated_time"].number();
      res.utilisation_by_bucket = numbers(n["utilisation_by_bucket"]);
      res.backlog_by_bucket = numbers(n["backlog_by_bucket"]);
      res.limit_hits = n["limit_hits"].count();
      res.limit_hits_by_bucket = counts<std::uint32_t>(n["limit_hits_by_bucket"]);
      if (n.has("drops_by_class"))
        for (const char* cls : {"bulk", "rpc", "control"}) res.drops_by_class[cls] = n["drops_by_class"][cls].count();
      r.resources.push_back(std::move(res));
    });
  root["propagation"].for_each([&](const Node& n) {
    r.propagation.push_back({n["time"].number(), n["service"].text(), n["via"].text(), n["cause"].text()});
  });
  root["events"].for_each([&](const Node& n) {
    r.events.push_back({n["time"].number(), n["kind"].text(), n["name"].text(), n["detail"].text()});
  });
  root["status_updates"].for_each([&](const Node& n) {
    r.status_updates.push_back(
        {n["time"].number(), n["state"].text(), n["message"].text(), n["eta"].optional_number(), n["channel"].text()});
  });
  if (root.has("rollouts"))
    root["rollouts"].for_each([&](const Node& n) {
      RolloutReport ro;
      ro.action = n["action"].text();
      ro.kind = n["kind"].text();
      ro.unit = n["unit"].text();
      ro.steps = int(n["steps"].count());
      ro.started = n["started"].optional_number();
      ro.finished = n["finished"].optional_number();
      ro.paused_time = n["paused_time"].number();
      ro.reverted = n["reverted"].boolean();
      ro.share_by_bucket = numbers(n["share_by_bucket"]);
      r.rollouts.push_back(std::move(ro));
    });
  if (root.has("restores"))
    root["restores"].for_each([&](const Node& n) {
      RestoreReport re;
      re.action = n["action"].text();
      re.fault = n["fault"].text();
      re.service = n["service"].text();
      re.tenants = int(n["tenants"].count());
      re.tenant_ids = counts<int>(n["tenant_ids"]);
      re.size = n["size"].number();
      re.lost_at = n["lost_at"].optional_number();
      re.started = n["started"].optional_number();
      re.finished = n["finished"].optional_number();
      re.restored_at = numbers(n["restored_at"]);
      re.share_by_bucket = numbers(n["share_by_bucket"]);
      re.requests = read_total(n);
      re.buckets = read_buckets(n["buckets"]);
      r.restores.push_back(std::move(re));
    });
  if (root.has("scoped_faults"))
    root["scoped_faults"].for_each([&](const Node& n) {
      ScopedFaultReport sf;
      sf.fault = n["fault"].text();
      sf.users_in_scope = n["users_in_scope"].number();
      sf.began = n["began"].optional_number();
      sf.ended = n["ended"].optional_number();
      sf.recovered = n["recovered"].optional_number();
      sf.inside = read_total(n["inside"]);
      sf.inside_buckets = read_buckets(n["inside"]["buckets"]);
      sf.outside = read_total(n["outside"]);
      sf.outside_buckets = read_buckets(n["outside"]["buckets"]);
      r.scoped_faults.push_back(std::move(sf));
    });
  if (root.has("replication"))
    root["replication"].for_each([&](const Node& n) {
      ReplicationReport rp;
      rp.service = n["service"].text();
      rp.mode = n["mode"].text();
      rp.writes = n["writes"].count();
      rp.writes_lost = n["writes_lost"].count();
      rp.writes_refused = n["writes_refused"].count();
      rp.writes_reconciled = n["writes_reconciled"].count();
      rp.writes_awaiting = n["writes_awaiting"].count();
      rp.writes_discarded = n["writes_discarded"].count();
      rp.read_only = n["read_only"].number();
      rp.failed_over_at = n["failed_over_at"].optional_number();
      rp.reconciliation_started = n["reconciliation_started"].optional_number();
      rp.reconciled_at = n["reconciled_at"].optional_number();
      rp.failback_waited = n["failback_waited"].number();
      n["writes_by_bucket"].for_each([&](const Node& v) { rp.buckets.push_back({v.count(), 0, 0, 0, 0}); });
      std::size_t i = 0;
      const auto column = [&](const char* key, auto set) {
        i = 0;
        n[key].for_each([&](const Node& v) {
          if (i < rp.buckets.size()) set(rp.buckets[i], v);
          ++i;
        });
      };
      column("lost_by_bucket", [](ReplicationBucket& b, const Node& v) { b.lost = v.count(); });
      column("refused_by_bucket", [](ReplicationBucket& b, const Node& v) { b.refused = v.count(); });
      column("awaiting_by_bucket", [](ReplicationBucket& b, const Node& v) { b.awaiting = v.count(); });
      column("read_only_by_bucket", [](ReplicationBucket& b, const Node& v) { b.read_only = v.number(); });
      r.replication.push_back(std::move(rp));
    });
  if (root.has("backlogs"))
    root["backlogs"].for_each([&](const Node& n) {
      BacklogReport b;
      b.dependency = n["dependency"].text();
      b.kept = n["kept"].count();
      b.replayed = n["replayed"].count();
      b.dropped = n["dropped"].count();
      b.max_length = n["max_length"].count();
      b.replay_rate = n["replay_rate"].number();
      b.first_kept = n["first_kept"].optional_number();
      b.drained_at = n["drained_at"].optional_number();
      b.failed_replays = n["failed_replays"].count();
      b.length_by_bucket = counts<std::uint64_t>(n["length_by_bucket"]);
      b.kept_by_bucket = counts<std::uint32_t>(n["kept_by_bucket"]);
      b.replayed_by_bucket = counts<std::uint32_t>(n["replayed_by_bucket"]);
      r.backlogs.push_back(std::move(b));
    });
  if (root.has("users")) {
    const Node n = root["users"];
    UsersReport u;
    for (auto [key, series] : {std::pair{"affected_by_bucket", &u.affected_by_bucket},
                               std::pair{"impaired_by_bucket", &u.impaired_by_bucket},
                               std::pair{"logged_out_by_bucket", &u.logged_out_by_bucket},
                               std::pair{"sessions_lost_by_bucket", &u.sessions_lost_by_bucket}})
      *series = numbers(n[key]);
    r.users = std::move(u);
  }
  if (root.has("user_reports")) {
    const Node n = root["user_reports"];
    UserReportsReport u;
    u.threshold = n["threshold"].number();
    u.window = n["window"].number();
    u.by_bucket = counts<std::uint64_t>(n["reports_by_bucket"]);
    r.user_reports = std::move(u);
  }
  return r;
}

}  // namespace faultline
