#include "report/timeline_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace faultline {

namespace {

// RFC 4180: quote a field only when it holds a separator, a quote or a line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Per-bucket state of a service: replicas ejected by outlier detection, calls to it refused by its
// callers' circuit breakers, replicas serving, and its own side (queue, calls served, wasted work).
// Empty for the other kinds of rows.
struct ServiceState {
  const ServiceReport* service = nullptr;
  std::vector<std::uint64_t> circuit_open;
};

// What a feature or service row has beyond counts: latency per bucket, and a feature's sessions lost.
struct RowExtras {
  const LatencyByBucket* latency = nullptr;
  const std::vector<double>* sessions_lost = nullptr;
};

std::string number_or_empty(const std::vector<double>& v, std::size_t i) {
  return i < v.size() && !std::isnan(v[i]) ? fmt::format("{:.9g}", v[i]) : std::string{};
}

template <class T>
std::string count_or_empty(const std::vector<T>& v, std::size_t i) {
  return i < v.size() ? std::to_string(v[i]) : std::string{};
}

// Bucket i's start and end; the last bucket ends with the run, which need not be a whole number of buckets.
std::pair<double, double> bucket_span(const Report& r, std::size_t i) {
  const double t_start = double(i) * r.bucket;
  return {t_start, std::min(double(i + 1) * r.bucket, std::max(r.duration, t_start))};
}

// Column groups after the twelve every row has, each there only when the report has what it shows:
// resources (utilisation, backlog, limit_hits), a share done (rollouts, restores) and the users'
// state (scenarios with sessions), replicated state (writes, lost, refused, awaiting reconciliation,
// seconds read-only), backlogs (calls kept, replayed, length at the bucket's end). A row gives the groups it fills; the others are left empty.
struct Tail {
  std::string resources, share, users, replication, backlog;  // the group's fields without a leading comma (empty: none)
};

// A tail with one group filled.
Tail tail_with(std::string Tail::*group, std::string fields) {
  Tail t;
  t.*group = std::move(fields);
  return t;
}

std::string row_end(const Report& r, const Tail& t) {
  std::string out;
  auto group = [&out](bool present, const std::string& fields, const char* blank) {
    if (present) out += fields.empty() ? blank : "," + fields;
  };
  group(!r.resources.empty(), t.resources, ",,,");
  group(!r.rollouts.empty() || !r.restores.empty(), t.share, ",");
  group(r.users.has_value(), t.users, ",,,,");
  group(!r.replication.empty(), t.replication, ",,,,,");
  group(!r.backlogs.empty(), t.backlog, ",,,");
  return out + "\n";
}

void append_rows(std::string& out, const Report& r, const char* kind, const std::string& name,
                 const std::vector<Counts>& buckets, const ServiceState& service = {},
                 const std::vector<double>* share = nullptr, const RowExtras& extras = {}) {
  const std::string label = csv_field(name);
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const Counts& c = buckets[i];
    const auto [t_start, t_end] = bucket_span(r, i);
    std::string availability = c.requests ? fmt::format("{:.9g}", c.availability()) : "";
    std::string ejected, circuit_open, replicas, queue, served, throughput, wasted, wasted_work;
    if (const ServiceReport* s = service.service) {
      ejected = i < s->ejected_by_bucket.size() ? std::to_string(s->ejected_by_bucket[i]) : "0";
      circuit_open = i < service.circuit_open.size() ? std::to_string(service.circuit_open[i]) : "0";
      // Unknown (a report without the per-bucket count) is empty, not a service with no replica.
      replicas = count_or_empty(s->replicas_by_bucket, i);
      queue = number_or_empty(s->queue_by_bucket, i);
      served = count_or_empty(s->served_by_bucket, i);
      if (i < s->served_by_bucket.size() && t_end > t_start)
        throughput = fmt::format("{:.9g}", double(s->served_by_bucket[i]) / (t_end - t_start));
      wasted = count_or_empty(s->wasted_by_bucket, i);
      wasted_work = number_or_empty(s->wasted_work_by_bucket, i);
    }
    std::string latency = ",,,";
    if (const LatencyByBucket* l = extras.latency; l && !l->p50.empty())
      latency = fmt::format("{},{},{},{}", number_or_empty(l->p50, i), number_or_empty(l->p99, i),
                            number_or_empty(l->p50_all, i), number_or_empty(l->p99_all, i));
    out += fmt::format("{:.9g},{:.9g},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}", t_start, t_end, kind, label,
                       c.requests, c.ok, c.degraded, c.failed, availability, ejected, circuit_open, replicas, latency,
                       queue, served, throughput, wasted, wasted_work);
    Tail tail;
    if (share && i < share->size()) tail.share = fmt::format("{:.9g}", (*share)[i]);
    if (extras.sessions_lost && i < extras.sessions_lost->size())
      tail.users = fmt::format("{:.9g},,,", (*extras.sessions_lost)[i]);
    out += row_end(r, tail);
  }
}

// Rows without request counts: the time span and the name, then the tail.
void append_bare_row(std::string& out, const Report& r, std::size_t i, const char* kind, const std::string& label,
                     const Tail& tail) {
  const auto [t_start, t_end] = bucket_span(r, i);
  out += fmt::format("{:.9g},{:.9g},{},{},,,,,,,,,,,,,,,,,", t_start, t_end, kind, label);
  out += row_end(r, tail);
}

// Resource rows: their utilisation, backlog and limit hits per bucket.
void append_resource_rows(std::string& out, const Report& r, const ResourceReport& res) {
  const std::string label = csv_field(res.name);
  for (std::size_t i = 0; i < res.utilisation_by_bucket.size(); ++i) {
    const double backlog = i < res.backlog_by_bucket.size() ? res.backlog_by_bucket[i] : 0;
    const std::uint32_t hits = i < res.limit_hits_by_bucket.size() ? res.limit_hits_by_bucket[i] : 0;
    append_bare_row(out, r, i, "resource", label,
                    tail_with(&Tail::resources, fmt::format("{:.9g},{:.9g},{}", res.utilisation_by_bucket[i], backlog, hits)));
  }
}

// Rollout rows (gradual actions): only the share done at the bucket's end.
void append_rollout_rows(std::string& out, const Report& r, const RolloutReport& ro) {
  const std::string label = csv_field(ro.action);
  for (std::size_t i = 0; i < ro.share_by_bucket.size(); ++i)
    append_bare_row(out, r, i, "rollout", label, tail_with(&Tail::share, fmt::format("{:.9g}", ro.share_by_bucket[i])));
}

// The users' row per bucket: sessions lost in it, and at its end those logged out, affected so far and
// the share of those recovered (empty while nobody was affected).
void append_user_rows(std::string& out, const Report& r, const UsersReport& u) {
  for (std::size_t i = 0; i < u.affected_by_bucket.size(); ++i) {
    const double affected = u.affected_by_bucket[i];
    const std::string recovered =
        affected > 0 ? fmt::format("{:.9g}", 1 - u.impaired_by_bucket[i] / affected) : std::string{};
    append_bare_row(out, r, i, "users", "all",
                    tail_with(&Tail::users, fmt::format("{:.9g},{:.9g},{:.9g},{}", u.sessions_lost_by_bucket[i],
                                         u.logged_out_by_bucket[i], affected, recovered)));
  }
}

// A replicated service's row per bucket: writes acknowledged, lost at a promotion and refused in it,
// divergent writes awaiting reconciliation at its end, and seconds read-only.
void append_replication_rows(std::string& out, const Report& r, const ReplicationReport& rp) {
  const std::string label = csv_field(rp.service);
  for (std::size_t i = 0; i < rp.buckets.size(); ++i) {
    const ReplicationBucket& b = rp.buckets[i];
    append_bare_row(out, r, i, "replication", label,
                    tail_with(&Tail::replication, fmt::format("{},{},{},{},{:.9g}", b.writes, b.lost, b.refused, b.awaiting, b.read_only)));
  }
}

// A backlog's row per bucket: calls kept and replayed in it, and the calls waiting at its end.
void append_backlog_rows(std::string& out, const Report& r, const BacklogReport& b) {
  const std::string label = csv_field(b.dependency);
  for (std::size_t i = 0; i < b.length_by_bucket.size(); ++i) {
    Tail tail;
    tail.backlog = fmt::format("{},{},{}", i < b.kept_by_bucket.size() ? b.kept_by_bucket[i] : 0,
                               i < b.replayed_by_bucket.size() ? b.replayed_by_bucket[i] : 0, b.length_by_bucket[i]);
    append_bare_row(out, r, i, "backlog", label, tail);
  }
}

}  // namespace

std::string timeline_csv(const Report& r) {
  std::string out =
      "t_start,t_end,kind,name,requests,ok,degraded,failed,availability,ejected,circuit_open,replicas,"
      "p50,p99,p50_all,p99_all,queue,served,throughput,wasted,wasted_work";
  out += r.resources.empty() ? "" : ",utilisation,backlog,limit_hits";
  out += r.rollouts.empty() && r.restores.empty() ? "" : ",share_done";
  out += r.users ? ",sessions_lost,logged_out,users_affected,users_recovered" : "";
  out += r.replication.empty() ? "" : ",writes,writes_lost,writes_refused,writes_awaiting,read_only";
  out += r.backlogs.empty() ? "\n" : ",backlog_kept,backlog_replayed,backlog_length\n";
  for (const Series& s : r.features)
    append_rows(out, r, "feature", s.name, s.buckets, {}, nullptr, {&s.latency_by_bucket, &s.sessions_lost_by_bucket});
  for (const Series& s : r.segments) append_rows(out, r, "segment", s.name, s.buckets);
  for (const Series& s : r.regions) append_rows(out, r, "region", s.name, s.buckets);
  for (const ServiceReport& s : r.services) {
    ServiceState state;
    state.service = &s;
    state.circuit_open.assign(s.buckets.size(), 0);
    for (const EdgeReport& e : r.edges)
      if (e.to == s.name)
        for (std::size_t b = 0; b < e.circuit_open_by_bucket.size() && b < s.buckets.size(); ++b)
          state.circuit_open[b] += e.circuit_open_by_bucket[b];
    append_rows(out, r, "service", s.name, s.buckets, state, nullptr, {&s.latency_by_bucket, nullptr});
  }
  for (const ResourceReport& res : r.resources) append_resource_rows(out, r, res);
  for (const RolloutReport& ro : r.rollouts) append_rollout_rows(out, r, ro);
  // Restore rows: the hit tenants' users' requests, and the share of those tenants back.
  for (const RestoreReport& re : r.restores) append_rows(out, r, "restore", re.action, re.buckets, {}, &re.share_by_bucket);
  // Scoped fault rows: the requests of its users, then of the others.
  for (const ScopedFaultReport& sf : r.scoped_faults) {
    append_rows(out, r, "scope", sf.fault, sf.inside_buckets);
    append_rows(out, r, "scope_others", sf.fault, sf.outside_buckets);
  }
  if (r.users) append_user_rows(out, r, *r.users);
  for (const ReplicationReport& rp : r.replication) append_replication_rows(out, r, rp);
  for (const BacklogReport& b : r.backlogs) append_backlog_rows(out, r, b);
  return out;
}

}  // namespace faultline
