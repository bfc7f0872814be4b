// Collects what happened during a run (user requests, calls to services, retries, platform events)
// into per-bucket series, and turns them into the metrics of the Report at the end.
#pragma once

#include "metrics/latency_histogram.hpp"
#include "model/gauge.hpp"
#include "model/topology.hpp"
#include "report/report.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace faultline {

enum class Outcome { ok, degraded, failed };

// Adds one request with that outcome to c (a degraded one is ok, and degraded).
void count(Counts& c, Outcome o);

// What carried a failure to a service: a fault, a dependency edge, a shared resource that was
// saturated (an index in the names given to set_resource_names), or nothing known (overload).
struct Blame {
  enum class Kind : unsigned char { none, fault, edge, resource } kind = Kind::none;
  int index = -1;
  static Blame fault(int f) { return {Kind::fault, f}; }
  static Blame edge(int e) { return {Kind::edge, e}; }
  static Blame resource(int r) { return {Kind::resource, r}; }
};

class MetricsRecorder {
 public:
  MetricsRecorder(const Scenario& s, const Topology& t);

  int bucket_count() const { return buckets_; }
  int bucket_of(double t) const;

  void user_request(int feature, int segment, int region, std::uint32_t user, double t, Outcome o, double latency);
  // A request to `feature` logged its user out.
  void logout(int feature, std::uint32_t user, double t);
  // A logged-out user logged in again (or, with no relogin feature, was served again).
  void login(std::uint32_t user);
  // One attempt at a service as its caller saw it end at t (ok, or failed with a cause at failed_at,
  // the time the failure happened where it happened, which orders the propagation chain).
  void attempt(int service, double t, bool ok, Cause cause, double latency, Blame blame, double failed_at);
  void edge_request(int edge) { ++edges_[std::size_t(edge)].requests; }
  void edge_attempt(int edge) { ++edges_[std::size_t(edge)].attempts; }
  void edge_failure(int edge) { ++edges_[std::size_t(edge)].failures; }
  void cache_hit(int edge) { ++edges_[std::size_t(edge)].cache_hits; }
  // A control edge's refresh: a call sent to its control plane (an attempt), answered or not.
  void control_refresh(int edge, bool ok) {
    EdgeReport& e = edges_[std::size_t(edge)];
    ++e.attempts;
    if (!ok) ++*e.failed_refreshes;
  }
  void circuit_open(int edge, double t) {
    EdgeReport& e = edges_[std::size_t(edge)];
    ++e.circuit_open;
    ++e.circuit_open_by_bucket[std::size_t(bucket_of(t))];
  }
  // A worker of the service finished a call at t after `work` seconds, its caller still waiting or
  // not (wasted); wasted_answer: an answer that reached its caller after it had given up.
  void served(int service, double t, double work, bool caller_gone);
  void wasted_answer(int service, double t, double work);
  // The calls waiting in the service's queues changed by `delta` at t.
  void queue_changed(int service, double t, int delta) { service_state_[std::size_t(service)].queued.add(t, delta); }
  // Outlier detection now has `count` replicas of the service ejected.
  void ejected(int service, double t, int count);
  void event(double t, std::string kind, std::string name, std::string detail = {});
  // The shared resources failures can be blamed on ("<host>.cpu"), before the first attempt.
  void set_resource_names(std::vector<std::string> names) { resource_names_ = std::move(names); }

  // Called once per bucket, in order, when simulated time passes its end.
  void close_bucket(int b);

  // Sampled metrics of closed buckets, for monitors.
  const Counts& feature_bucket(int f, int b) const { return features_[std::size_t(f)].buckets[std::size_t(b)]; }
  const Counts& service_bucket(int s, int b) const { return services_[std::size_t(s)].buckets[std::size_t(b)]; }
  // The p99 of the service's successful calls in bucket b, 0 when none.
  double service_p99(int s, int b) const;
  // Median and 95th percentile of the last closed bucket (only the latest is kept).
  double service_p50_last(int s) const { return service_state_[std::size_t(s)].p50_last; }
  double service_p95_last(int s) const { return service_state_[std::size_t(s)].p95_last; }

  // A service is unhealthy in a bucket where fewer than this share of the calls to it succeeded.
  static constexpr double kHealthyAvailability = 0.99;

  // Everything but provenance and the incident's response stages, which the model knows.
  void fill(Report& r) const;

 private:
  // A series' latency per bucket while the run goes, as histogram bins (two bytes each).
  struct BucketBins {
    std::vector<std::uint16_t> p50, p99, p50_all, p99_all;
    void resize(int buckets);
    // Closes bucket b from the histograms of its successful and of all requests, and clears them.
    void close(int b, LatencyHistogram& ok, LatencyHistogram& all);
    LatencyByBucket seconds() const;
  };
  struct FeatureState {
    LatencyHistogram ok_now, all_now;  // the current bucket's
    BucketBins bins;
    std::vector<std::uint32_t> logouts_by_bucket;  // scenarios with sessions
  };
  struct ServiceState {
    std::vector<std::array<std::uint32_t, kCauseCount>> cause_by_bucket;
    // Successful and all calls: the current bucket's, and the run's, which takes the bucket's bins
    // as it closes (LatencyHistogram::merge_counts) and the sums call by call: a call touches two
    // histograms, not four.
    LatencyHistogram ok_now, all_now, ok_total, all_total;
    BucketBins bins;
    Gauge queued;
    std::vector<std::uint32_t> blame_counts;  // by blame slot, for the current bucket
    std::vector<std::uint32_t> touched;
    double first_failure_in_bucket = -1;
    bool became_unhealthy = false;
    int ejected_now = 0;
    double p50_last = 0, p95_last = 0;
  };
  std::uint32_t blame_slot(Blame b) const;
  std::string blame_name(std::uint32_t slot) const;

  const Scenario& scenario_;
  int buckets_;
  double bucket_;
  double user_scale_;
  std::vector<Series> features_, segments_, regions_;
  std::vector<LatencyHistogram> feature_latency_, segment_latency_, region_latency_;
  std::vector<LatencyHistogram> feature_latency_all_, segment_latency_all_, region_latency_all_;
  std::vector<FeatureState> feature_state_;
  std::vector<ServiceReport> services_;
  std::vector<ServiceState> service_state_;
  std::vector<EdgeReport> edges_;
  std::vector<PropagationStep> propagation_;
  std::vector<std::string> resource_names_;
  std::vector<Event> events_;
  Counts requests_;
  // Per sampled user: ever failed, impaired now (see UsersReport), logged out now; and their counts.
  std::vector<std::uint8_t> user_failed_, user_impaired_, user_logged_out_;
  std::uint64_t affected_now_ = 0, impaired_now_ = 0, logged_out_now_ = 0;
  std::uint64_t logouts_ = 0;
  bool sessions_ = false;  // the scenario has sessions: the users' series are reported
  std::vector<std::uint64_t> affected_by_bucket_, impaired_by_bucket_, logged_out_by_bucket_, logouts_by_bucket_;
};

}  // namespace faultline
