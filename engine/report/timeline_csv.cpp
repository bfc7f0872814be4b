#include "report/timeline_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
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
// callers' circuit breakers, replicas serving. Empty for the other kinds of rows.
struct ServiceState {
  const std::vector<int>* ejected = nullptr;
  std::vector<std::uint64_t> circuit_open;
  const std::vector<int>* replicas = nullptr;
};

// Bucket i's start and end; the last bucket ends with the run, which need not be a whole number of buckets.
std::pair<double, double> bucket_span(const Report& r, std::size_t i) {
  const double t_start = double(i) * r.bucket;
  return {t_start, std::min(double(i + 1) * r.bucket, std::max(r.duration, t_start))};
}

void append_rows(std::string& out, const Report& r, const char* kind, const std::string& name,
                 const std::vector<Counts>& buckets, const ServiceState& service = {}) {
  const std::string label = csv_field(name);
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const Counts& c = buckets[i];
    const auto [t_start, t_end] = bucket_span(r, i);
    std::string availability = c.requests ? fmt::format("{:.9g}", c.availability()) : "";
    std::string ejected, circuit_open, replicas;
    if (service.ejected) {
      ejected = i < service.ejected->size() ? std::to_string((*service.ejected)[i]) : "0";
      circuit_open = i < service.circuit_open.size() ? std::to_string(service.circuit_open[i]) : "0";
      // Unknown (a report without the per-bucket count) is empty, not a service with no replica.
      if (i < service.replicas->size()) replicas = std::to_string((*service.replicas)[i]);
    }
    out += fmt::format("{:.9g},{:.9g},{},{},{},{},{},{},{},{},{},{}", t_start, t_end, kind, label, c.requests,
                       c.ok, c.degraded, c.failed, availability, ejected, circuit_open, replicas);
    out += r.resources.empty() ? "" : ",,,";
    out += r.rollouts.empty() ? "\n" : ",\n";
  }
}

// Resource rows: no request counts, their utilisation, backlog and limit hits per bucket.
void append_resource_rows(std::string& out, const Report& r, const ResourceReport& res) {
  const std::string label = csv_field(res.name);
  for (std::size_t i = 0; i < res.utilisation_by_bucket.size(); ++i) {
    const auto [t_start, t_end] = bucket_span(r, i);
    const double backlog = i < res.backlog_by_bucket.size() ? res.backlog_by_bucket[i] : 0;
    const std::uint32_t hits = i < res.limit_hits_by_bucket.size() ? res.limit_hits_by_bucket[i] : 0;
    out += fmt::format("{:.9g},{:.9g},resource,{},,,,,,,,,{:.9g},{:.9g},{}", t_start, t_end, label,
                       res.utilisation_by_bucket[i], backlog, hits);
    out += r.rollouts.empty() ? "\n" : ",\n";
  }
}

// Rollout rows (gradual actions): only the share done at the bucket's end.
void append_rollout_rows(std::string& out, const Report& r, const RolloutReport& ro) {
  const std::string label = csv_field(ro.action);
  for (std::size_t i = 0; i < ro.share_by_bucket.size(); ++i) {
    const auto [t_start, t_end] = bucket_span(r, i);
    out += fmt::format("{:.9g},{:.9g},rollout,{},,,,,,,,,{}{:.9g}\n", t_start, t_end, label,
                       r.resources.empty() ? "" : ",,,", ro.share_by_bucket[i]);
  }
}

}  // namespace

std::string timeline_csv(const Report& r) {
  std::string out = "t_start,t_end,kind,name,requests,ok,degraded,failed,availability,ejected,circuit_open,replicas";
  out += r.resources.empty() ? "" : ",utilisation,backlog,limit_hits";
  out += r.rollouts.empty() ? "\n" : ",share_done\n";
  for (const Series& s : r.features) append_rows(out, r, "feature", s.name, s.buckets);
  for (const Series& s : r.segments) append_rows(out, r, "segment", s.name, s.buckets);
  for (const Series& s : r.regions) append_rows(out, r, "region", s.name, s.buckets);
  for (const ServiceReport& s : r.services) {
    ServiceState state;
    state.ejected = &s.ejected_by_bucket;
    state.replicas = &s.replicas_by_bucket;
    state.circuit_open.assign(s.buckets.size(), 0);
    for (const EdgeReport& e : r.edges)
      if (e.to == s.name)
        for (std::size_t b = 0; b < e.circuit_open_by_bucket.size() && b < s.buckets.size(); ++b)
          state.circuit_open[b] += e.circuit_open_by_bucket[b];
    append_rows(out, r, "service", s.name, s.buckets, state);
  }
  for (const ResourceReport& res : r.resources) append_resource_rows(out, r, res);
  for (const RolloutReport& ro : r.rollouts) append_rollout_rows(out, r, ro);
  return out;
}

}  // namespace faultline
