#include "metrics/recorder.hpp"

#include "metrics/incident_stages.hpp"

#include <algorithm>
#include <cmath>

namespace faultline {

void count(Counts& c, Outcome o) {
  ++c.requests;
  if (o == Outcome::failed) {
    ++c.failed;
  } else {
    ++c.ok;
    if (o == Outcome::degraded) ++c.degraded;
  }
}

namespace {
Series make_series(const std::string& name, double slo, int buckets) {
  Series s;
  s.name = name;
  s.slo = slo;
  s.buckets.resize(std::size_t(buckets));
  return s;
}

// The longest time to recovery of a service's unhealthy spells; null when it had none, or when one
// had not recovered by the end (it never came back: no recovery time says how long).
std::optional<double> longest_recovery(const std::vector<ServiceReport::Spell>& spells) {
  std::optional<double> out;
  for (const ServiceReport::Spell& sp : spells) {
    if (!sp.recovered) return std::nullopt;
    out = std::max(out.value_or(0.0), *sp.recovered - sp.start);
  }
  return out;
}
}  // namespace

MetricsRecorder::MetricsRecorder(const Scenario& s, const Topology& t) : scenario_(s) {
  bucket_ = s.info.bucket;
  buckets_ = std::max(1, int(std::ceil(s.info.duration / bucket_ - 1e-9)));
  user_scale_ = s.traffic.users / double(std::max(1, s.traffic.sample_users));
  for (const Feature& f : s.features) features_.push_back(make_series(f.name, f.slo, buckets_));
  feature_latency_.resize(features_.size());
  feature_latency_all_.resize(features_.size());
  feature_state_.resize(features_.size());
  for (FeatureState& f : feature_state_) f.bins.resize(buckets_);
  if (s.traffic.segments.empty())
    segments_.push_back(make_series("all", 0, buckets_));
  for (const Segment& g : s.traffic.segments) segments_.push_back(make_series(g.name, 0, buckets_));
  for (const std::string& r : t.regions) regions_.push_back(make_series(r, 0, buckets_));
  segment_latency_.resize(segments_.size());
  region_latency_.resize(regions_.size());
  segment_latency_all_.resize(segments_.size());
  region_latency_all_.resize(regions_.size());
  std::size_t slots = s.faults.size() + s.dependencies.size() + 1;
  for (const Service& svc : s.services) {
    ServiceReport r;
    r.name = svc.name;
    r.buckets.resize(std::size_t(buckets_));
    r.queue_by_bucket.resize(std::size_t(buckets_));
    r.served_by_bucket.resize(std::size_t(buckets_));
    r.wasted_by_bucket.resize(std::size_t(buckets_));
    r.wasted_work_by_bucket.resize(std::size_t(buckets_));
    r.ejected_by_bucket.resize(std::size_t(buckets_));
    services_.push_back(std::move(r));
    ServiceState st;
    st.cause_by_bucket.resize(std::size_t(buckets_));
    st.blame_counts.assign(slots, 0);
    st.bins.resize(buckets_);
    service_state_.push_back(std::move(st));
  }
  for (const Dependency& d : s.dependencies) {
    EdgeReport e;
    e.from = d.from;
    e.to = d.to;
    e.circuit_open_by_bucket.resize(std::size_t(buckets_));
    if (d.kind == DependencyKind::control) e.failed_refreshes = 0;
    edges_.push_back(e);
  }
  const std::size_t sampled = std::size_t(std::max(1, s.traffic.sample_users));
  user_failed_.assign(sampled, 0);
  user_impaired_.assign(sampled, 0);
  user_logged_out_.assign(sampled, 0);
  for (const auto& [status, action] : s.client.on_status) sessions_ |= action == ClientAction::logout;
  if (sessions_) {
    for (auto* v : {&affected_by_bucket_, &impaired_by_bucket_, &logged_out_by_bucket_, &logouts_by_bucket_})
      v->assign(std::size_t(buckets_), 0);
    for (FeatureState& f : feature_state_) f.logouts_by_bucket.assign(std::size_t(buckets_), 0);
  }
}

void MetricsRecorder::BucketBins::resize(int buckets) {
  for (auto* v : {&p50, &p99, &p50_all, &p99_all}) v->assign(std::size_t(buckets), LatencyHistogram::kNoBin);
}

void MetricsRecorder::BucketBins::close(int b, LatencyHistogram& ok, LatencyHistogram& all) {
  const std::size_t i = std::size_t(b);
  const auto ok_bins = ok.percentile_bins(std::array{0.5, 0.99});
  const auto all_bins = all.percentile_bins(std::array{0.5, 0.99});
  p50[i] = ok_bins[0];
  p99[i] = ok_bins[1];
  p50_all[i] = all_bins[0];
  p99_all[i] = all_bins[1];
  ok.clear();
  all.clear();
}

LatencyByBucket MetricsRecorder::BucketBins::seconds() const {
  auto values = [](const std::vector<std::uint16_t>& bins) {
    std::vector<double> out;
    out.reserve(bins.size());
    for (std::uint16_t bin : bins) out.push_back(LatencyHistogram::value_of_bin(bin));
    return out;
  };
  return {values(p50), values(p99), values(p50_all), values(p99_all)};
}

namespace {
// A percentile's bin as monitors and autoscalers read it: 0 when nothing was measured.
double seconds_or_zero(std::uint16_t bin) {
  return bin == LatencyHistogram::kNoBin ? 0.0 : LatencyHistogram::value_of_bin(bin);
}
}  // namespace

double MetricsRecorder::service_p99(int s, int b) const {
  return seconds_or_zero(service_state_[std::size_t(s)].bins.p99[std::size_t(b)]);
}

int MetricsRecorder::bucket_of(double t) const {
  return std::clamp(int(t / bucket_), 0, buckets_ - 1);
}

void MetricsRecorder::user_request(int feature, int segment, int region, std::uint32_t user, double t, Outcome o,
                                   double latency) {
  int b = bucket_of(t);
  count(requests_, o);
  Series& f = features_[std::size_t(feature)];
  count(f.total, o);
  count(f.buckets[std::size_t(b)], o);
  FeatureState& fs = feature_state_[std::size_t(feature)];
  const int bin = LatencyHistogram::bin_of(latency);
  feature_latency_all_[std::size_t(feature)].add_in_bin(bin, latency);
  fs.all_now.add_in_bin(bin, latency);
  segment_latency_all_[std::size_t(segment)].add_in_bin(bin, latency);
  region_latency_all_[std::size_t(region)].add_in_bin(bin, latency);
  if (o != Outcome::failed) {
    feature_latency_[std::size_t(feature)].add_in_bin(bin, latency);
    fs.ok_now.add_in_bin(bin, latency);
    segment_latency_[std::size_t(segment)].add_in_bin(bin, latency);
    region_latency_[std::size_t(region)].add_in_bin(bin, latency);
  }
  Series& g = segments_[std::size_t(segment)];
  count(g.total, o);
  count(g.buckets[std::size_t(b)], o);
  Series& r = regions_[std::size_t(region)];
  count(r.total, o);
  count(r.buckets[std::size_t(b)], o);
  // The user's state: impaired from a failure until a request of theirs is served while logged in.
  if (o == Outcome::failed) {
    if (!user_failed_[user]) ++affected_now_;
    user_failed_[user] = 1;
    if (!user_impaired_[user]) ++impaired_now_;
    user_impaired_[user] = 1;
  } else if (user_impaired_[user] && !user_logged_out_[user]) {
    user_impaired_[user] = 0;
    --impaired_now_;
  }
}

void MetricsRecorder::logout(int feature, std::uint32_t user, double t) {
  ++logouts_;
  if (sessions_) {
    ++logouts_by_bucket_[std::size_t(bucket_of(t))];
    ++feature_state_[std::size_t(feature)].logouts_by_bucket[std::size_t(bucket_of(t))];
  }
  if (!user_logged_out_[user]) ++logged_out_now_;
  user_logged_out_[user] = 1;
}

void MetricsRecorder::login(std::uint32_t user) {
  if (!user_logged_out_[user]) return;
  user_logged_out_[user] = 0;
  --logged_out_now_;
}

std::uint32_t MetricsRecorder::blame_slot(Blame b) const {
  switch (b.kind) {
    case Blame::Kind::none: return 0;
    case Blame::Kind::fault: return 1 + std::uint32_t(b.index);
    case Blame::Kind::edge: return 1 + std::uint32_t(scenario_.faults.size()) + std::uint32_t(b.index);
    case Blame::Kind::resource:
      return 1 + std::uint32_t(scenario_.faults.size() + scenario_.dependencies.size()) + std::uint32_t(b.index);
  }
  return 0;
}

std::string MetricsRecorder::blame_name(std::uint32_t slot) const {
  if (slot == 0) return "overload";
  if (slot <= scenario_.faults.size()) return "fault:" + scenario_.faults[slot - 1].name;
  if (slot > scenario_.faults.size() + scenario_.dependencies.size())
    return "resource:" + resource_names_[slot - 1 - scenario_.faults.size() - scenario_.dependencies.size()];
  const Dependency& d = scenario_.dependencies[slot - 1 - scenario_.faults.size()];
  return "edge:" + d.from + "->" + d.to;
}

void MetricsRecorder::attempt(int service, double t, bool ok, Cause cause, double latency, Blame blame,
                              double failed_at) {
  int b = bucket_of(t);
  ServiceReport& r = services_[std::size_t(service)];
  ServiceState& st = service_state_[std::size_t(service)];
  Counts& c = r.buckets[std::size_t(b)];
  ++c.requests;
  ++r.total.requests;
  const int bin = LatencyHistogram::bin_of(latency);
  st.all_total.add_to_sum(latency);
  st.all_now.add_in_bin(bin, latency);
  if (ok) {
    ++c.ok;
    ++r.total.ok;
    st.ok_total.add_to_sum(latency);
    st.ok_now.add_in_bin(bin, latency);
    return;
  }
  ++c.failed;
  ++r.total.failed;
  ++r.errors[std::size_t(cause)];
  ++st.cause_by_bucket[std::size_t(b)][std::size_t(cause)];
  if (st.first_failure_in_bucket < 0 || failed_at < st.first_failure_in_bucket) st.first_failure_in_bucket = failed_at;
  std::uint32_t slot = blame_slot(blame);
  if (slot >= st.blame_counts.size()) st.blame_counts.resize(slot + 1, 0);  // resources: only where blamed
  if (st.blame_counts[slot]++ == 0) st.touched.push_back(slot);
}

void MetricsRecorder::served(int service, double t, double work, bool caller_gone) {
  ServiceReport& r = services_[std::size_t(service)];
  ++r.served;
  ++r.served_by_bucket[std::size_t(bucket_of(t))];
  if (caller_gone) wasted_answer(service, t, work);
}

void MetricsRecorder::wasted_answer(int service, double t, double work) {
  ServiceReport& r = services_[std::size_t(service)];
  const std::size_t b = std::size_t(bucket_of(t));
  ++r.wasted;
  ++r.wasted_by_bucket[b];
  r.wasted_work += work;
  r.wasted_work_by_bucket[b] += work;
}

void MetricsRecorder::ejected(int service, double t, int count) {
  ServiceReport& r = services_[std::size_t(service)];
  ServiceState& st = service_state_[std::size_t(service)];
  st.ejected_now = count;
  int& slot = r.ejected_by_bucket[std::size_t(bucket_of(t))];
  slot = std::max(slot, count);
}

void MetricsRecorder::event(double t, std::string kind, std::string name, std::string detail) {
  events_.push_back(Event{t, std::move(kind), std::move(name), std::move(detail)});
}

void MetricsRecorder::close_bucket(int b) {
  const double t_start = double(b) * bucket_;
  const double t_end = b + 1 == buckets_ ? std::max(scenario_.info.duration, t_start) : t_start + bucket_;
  const double length = std::max(t_end - t_start, 1e-12);
  for (FeatureState& f : feature_state_) f.bins.close(b, f.ok_now, f.all_now);
  if (sessions_) {
    affected_by_bucket_[std::size_t(b)] = affected_now_;
    impaired_by_bucket_[std::size_t(b)] = impaired_now_;
    logged_out_by_bucket_[std::size_t(b)] = logged_out_now_;
  }
  for (std::size_t s = 0; s < services_.size(); ++s) {
    ServiceReport& r = services_[s];
    ServiceState& st = service_state_[s];
    const auto last = st.ok_now.percentile_bins(std::array{0.5, 0.95});
    st.p50_last = seconds_or_zero(last[0]);
    st.p95_last = seconds_or_zero(last[1]);
    st.ok_total.merge_counts(st.ok_now);
    st.all_total.merge_counts(st.all_now);
    st.bins.close(b, st.ok_now, st.all_now);
    r.queue_by_bucket[std::size_t(b)] = st.queued.take(t_end) / length;
    // Ejections that outlast a bucket show in the next ones too.
    if (b + 1 < buckets_) r.ejected_by_bucket[std::size_t(b + 1)] = std::max(r.ejected_by_bucket[std::size_t(b + 1)], st.ejected_now);
    const Counts& c = r.buckets[std::size_t(b)];
    bool unhealthy = c.requests && c.availability() < kHealthyAvailability;
    if (unhealthy && !st.became_unhealthy) {
      st.became_unhealthy = true;
      const auto& causes = st.cause_by_bucket[std::size_t(b)];
      std::size_t worst_cause = std::size_t(std::max_element(causes.begin(), causes.end()) - causes.begin());
      // The blame with most failures; ties go to the lowest slot (faults before edges) for stability.
      std::uint32_t worst = 0, most = 0;
      std::sort(st.touched.begin(), st.touched.end());
      for (std::uint32_t slot : st.touched)
        if (st.blame_counts[slot] > most) {
          most = st.blame_counts[slot];
          worst = slot;
        }
      propagation_.push_back(PropagationStep{st.first_failure_in_bucket, r.name, blame_name(worst),
                                             to_string(Cause(worst_cause))});
    }
    for (std::uint32_t slot : st.touched) st.blame_counts[slot] = 0;
    st.touched.clear();
    st.first_failure_in_bucket = -1;
  }
}

void MetricsRecorder::fill(Report& r) const {
  r.duration = scenario_.info.duration;
  r.bucket = bucket_;
  auto summary = [](const LatencyHistogram& h) -> LatencySummary {
    return {h.percentile(0.5), h.percentile(0.95), h.percentile(0.99), h.mean()};
  };
  auto with_latency = [&summary](std::vector<Series> series, const std::vector<LatencyHistogram>& ok,
                                 const std::vector<LatencyHistogram>& all) {
    for (std::size_t i = 0; i < series.size(); ++i) {
      series[i].latency = summary(ok[i]);
      series[i].latency_all = summary(all[i]);
    }
    return series;
  };
  r.features = with_latency(features_, feature_latency_, feature_latency_all_);
  for (std::size_t f = 0; f < r.features.size(); ++f) {
    const FeatureState& fs = feature_state_[f];
    r.features[f].latency_by_bucket = fs.bins.seconds();
    for (std::uint32_t n : fs.logouts_by_bucket) r.features[f].sessions_lost_by_bucket.push_back(double(n) * user_scale_);
  }
  r.segments = with_latency(segments_, segment_latency_, segment_latency_all_);
  r.regions = with_latency(regions_, region_latency_, region_latency_all_);
  r.services = services_;
  for (std::size_t s = 0; s < r.services.size(); ++s) {
    ServiceReport& sr = r.services[s];
    sr.latency = summary(service_state_[s].ok_total);
    sr.latency_all = summary(service_state_[s].all_total);
    sr.latency_by_bucket = service_state_[s].bins.seconds();
    std::vector<bool> healthy(sr.buckets.size());
    std::size_t unhealthy = 0;
    for (std::size_t b = 0; b < sr.buckets.size(); ++b) {
      const Counts& c = sr.buckets[b];
      healthy[b] = !(c.requests && c.availability() < kHealthyAvailability);
      if (!healthy[b]) ++unhealthy;
    }
    sr.time_unhealthy = double(unhealthy) * bucket_;
    sr.unhealthy_spells.clear();
    for (const ImpactWindow& w : impact_windows(healthy, bucket_, scenario_.incident.stable_for))
      sr.unhealthy_spells.push_back({*w.impact_start, w.recovered});
    sr.ttr = longest_recovery(sr.unhealthy_spells);
  }
  r.edges = edges_;
  r.propagation = propagation_;
  // In time order; at equal times a service hit by a fault comes before those it dragged down.
  std::stable_sort(r.propagation.begin(), r.propagation.end(), [](const PropagationStep& a, const PropagationStep& b) {
    if (a.time != b.time) return a.time < b.time;
    return a.via.rfind("fault:", 0) == 0 && b.via.rfind("fault:", 0) != 0;
  });
  r.events = events_;
  std::stable_sort(r.events.begin(), r.events.end(), [](const Event& a, const Event& b) { return a.time < b.time; });

  r.summary.requests = requests_;
  std::size_t affected = std::size_t(std::count(user_failed_.begin(), user_failed_.end(), 1));
  r.summary.users_affected = double(affected) * user_scale_;
  r.summary.sessions_lost = double(logouts_) * user_scale_;
  if (sessions_) {
    UsersReport u;
    auto scaled = [this](const std::vector<std::uint64_t>& v) {
      std::vector<double> out;
      out.reserve(v.size());
      for (std::uint64_t n : v) out.push_back(double(n) * user_scale_);
      return out;
    };
    u.affected_by_bucket = scaled(affected_by_bucket_);
    u.impaired_by_bucket = scaled(impaired_by_bucket_);
    u.logged_out_by_bucket = scaled(logged_out_by_bucket_);
    u.sessions_lost_by_bucket = scaled(logouts_by_bucket_);
    r.users = std::move(u);
  }
  double lost = 0;
  for (int b = 0; b < buckets_; ++b) {
    std::uint64_t req = 0, failed = 0;
    for (const Series& f : features_) {
      req += f.buckets[std::size_t(b)].requests;
      failed += f.buckets[std::size_t(b)].failed;
    }
    if (req) lost += double(failed) / double(req) * scenario_.traffic.users * bucket_ / 60.0;
  }
  r.summary.user_minutes_lost = lost;
}

}  // namespace faultline
