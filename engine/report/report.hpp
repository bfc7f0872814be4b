// What one simulation run produced: the metrics of PRODUCT.md, plain data. Writers in this folder
// turn it into text, JSON, CSV and HTML strings; engine/io puts those in files.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace faultline {

// Why a call failed at a service (PRODUCT.md: error counts by cause).
enum class Cause : unsigned char { timeout, rejected, circuit_open, dependency, injected, host_down };
inline constexpr int kCauseCount = 6;
const char* to_string(Cause c);

struct Counts {
  std::uint64_t requests = 0;
  std::uint64_t ok = 0;        // successful, including degraded
  std::uint64_t degraded = 0;  // served by a fallback
  std::uint64_t failed = 0;
  double availability() const { return requests ? double(ok) / double(requests) : 1.0; }
};

struct LatencySummary {
  double p50 = 0, p95 = 0, p99 = 0, mean = 0;  // seconds
};

// Latency percentiles per bucket, in seconds; NaN in a bucket with nothing to measure. `p50` and
// `p99` are of successful requests (degraded ones included); `p50_all` and `p99_all` of every
// request, a failed one counted at the moment its caller saw it fail (at once when refused, at the
// timeout when nothing answered).
struct LatencyByBucket {
  std::vector<double> p50, p99, p50_all, p99_all;
};

// One user-facing series (a feature, a segment or a region), per bucket and in total.
struct Series {
  std::string name;
  double slo = 0;  // features only
  Counts total;
  std::vector<Counts> buckets;
  LatencySummary latency;      // of successful requests (degraded included)
  LatencySummary latency_all;  // of every request, failed ones included (see LatencyByBucket)
  // Features only:
  LatencyByBucket latency_by_bucket;
  std::vector<double> sessions_lost_by_bucket;  // represented users logged out by a request to it (scenarios with sessions)
};

struct ServiceReport {
  std::string name;
  Counts total;
  std::array<std::uint64_t, kCauseCount> errors{};  // by Cause
  LatencySummary latency;
  double time_unhealthy = 0;  // seconds in buckets below the health threshold
  // Each stretch it was unhealthy, by the incident rule (PRODUCT.md): from a bucket below the health
  // threshold to the start of the first healthy stretch of incident.stable_for after it (none: not
  // recovered by the end). ttr is the longest spell's time to recovery (null: none, or the service
  // was still unhealthy at the end), so a short flicker before a long outage does not hide it.
  struct Spell {
    double start = 0;
    std::optional<double> recovered;
  };
  std::vector<Spell> unhealthy_spells;
  std::optional<double> ttr;
  std::vector<Counts> buckets;
  LatencySummary latency_all;        // of every call to it, failed ones included (see LatencyByBucket)
  LatencyByBucket latency_by_bucket;  // of the calls to it, as their callers saw them
  // Its own side: the mean number of calls waiting in its replicas' queues over the bucket; the calls
  // its workers finished (answered, whatever the answer); of those, the ones finished after their
  // caller had given up (wasted: nobody used the answer) and the worker-seconds they took.
  std::vector<double> queue_by_bucket;
  std::vector<std::uint32_t> served_by_bucket, wasted_by_bucket;
  std::vector<double> wasted_work_by_bucket;
  std::uint64_t served = 0, wasted = 0;
  double wasted_work = 0;  // worker-seconds
  std::vector<int> ejected_by_bucket;  // most replicas ejected by outlier detection during the bucket
  // Time-weighted, from the replicas' own states (host up, process up and ready), whatever the traffic:
  double uptime = 1;                        // share of the run with at least one replica serving
  double downtime = 0;                      // seconds with no replica serving
  std::uint64_t outages = 0;                // times the last serving replica stopped
  std::vector<double> time_by_replicas_up;  // [k]: seconds with exactly k replicas serving
  std::vector<int> replicas_by_bucket;      // replicas taking traffic (ready, not standby, not parked) at each bucket's end
  std::uint64_t restarts = 0;               // processes started by the supervisor (after crashes, faults, actions)
  std::uint64_t crashes = 0;                // processes that died of a crash loop or a failed start
};

// A control edge counts lookups, answered from the caller's cache of what its control plane said,
// as its requests (each failed lookup a failure, each answered one a cache hit), and the refreshes
// sent to the control plane as its attempts; so its amplification is the refreshes per lookup.
struct EdgeReport {
  std::string from, to;
  std::uint64_t requests = 0;  // calls the caller wanted to make
  std::uint64_t attempts = 0;  // including retries
  std::uint64_t failures = 0;  // calls that failed after retries
  std::uint64_t cache_hits = 0;    // calls answered by the caller's cache (fresh or stale)
  std::optional<std::uint64_t> failed_refreshes;  // control edges only: refreshes that got no good answer
  std::uint64_t circuit_open = 0;  // attempts refused by the caller's circuit breakers
  std::vector<std::uint32_t> circuit_open_by_bucket;
  // Only where a fault can poison the edge's cache (fault[].poisons_cache): calls answered from bad
  // entries, and per bucket the calls wanted and those answered badly.
  std::optional<std::uint64_t> poisoned_hits;
  std::vector<std::uint32_t> requests_by_bucket, poisoned_by_bucket;
  double amplification() const { return requests ? double(attempts) / double(requests) : 0.0; }
};

// Where the time to recovery went: consecutive spans from impact_start to recovered, one per stage
// that happened in between, in order (detection: until detected, acknowledgement: until acknowledged,
// diagnosis: until diagnosed, mitigation: until mitigated, recovery: until recovered). A stage that
// never happened, or happened before an earlier one or after recovery, is null and its time goes to
// the next stage that did happen, so the spans that are present add up to the TTR.
struct TtrStages {
  std::optional<double> detection, acknowledgement, diagnosis, mitigation, recovery;
};

struct IncidentTimeline {
  std::optional<double> impact_start, detected, acknowledged, diagnosed, mitigated, recovered;
  std::string detected_by;      // monitor name
  std::string acknowledged_via; // "status_page", "fallback" (page down too long) or "" (no status page)
  std::string diagnosed_note;   // e.g. "tooling unusable for 12m30s (slowed)"
  std::string mitigated_by;     // action name
  std::string recovered_note;   // e.g. what recovered last
  static std::optional<double> since(const std::optional<double>& t, const std::optional<double>& start) {
    if (!t || !start) return std::nullopt;
    return *t - *start;
  }
  std::optional<double> ttd() const { return since(detected, impact_start); }
  std::optional<double> tta() const { return since(acknowledged, impact_start); }
  std::optional<double> ttm() const { return since(mitigated, impact_start); }
  std::optional<double> ttr() const { return since(recovered, impact_start); }
  TtrStages stages() const;  // engine/metrics/incident_stages.cpp
};

// Every incident of a run at a glance: how many, how many recovered, and over those that did the mean
// TTR and the longest (with its index in the run's incidents). The one reckoning the summary, the
// HTML cards, report.json's summary and the per-run metrics share.
struct IncidentTally {
  std::size_t count = 0, recovered = 0;
  std::optional<double> mean_ttr, worst_ttr;
  std::size_t worst = 0;  // index of the incident with the longest TTR
};
IncidentTally tally(const std::vector<IncidentTimeline>& incidents);

// A check the run was held to (metrics/expectations.hpp): a feature's SLO or an [[expect]].
struct ExpectationResult {
  std::string metric;
  std::string kind;  // "slo" or "expect"
  std::optional<double> at_least, at_most;
  double value = 0;  // NaN: an incident time the run has not got
  bool met = false;
  int line = 0;  // of the [[expect]] in the scenario file (0 for an SLO)
};

// One post on the status page (or the fallback channel), as users would have read it.
struct StatusUpdate {
  double time = 0;
  std::string state;               // investigating, identified, monitoring, resolved
  std::string message;
  std::optional<double> eta;       // estimated restoration (seconds from the start) published with it
  std::string channel;             // status_page or fallback
};

// A resource replicas share (a host's CPU) and how loaded it was, in total and per bucket.
struct ResourceReport {
  std::string name;                 // "<host>.cpu", "<host>.disk", "<from>-><to>.pool", "<service>.threads"
  std::string kind;                 // "cpu", "disk", "pool", "threads"
  double capacity = 0;              // cpu: cores x speed; disk: MB/s; pool: connections; threads: per process
  double utilisation = 0;           // share of the capacity busy over the run
  double peak_utilisation = 0;      // of the busiest bucket
  double saturated_time = 0;        // seconds with more demand than capacity (cpu, disk), or at the limit
  std::vector<double> utilisation_by_bucket;
  // Mean work waiting: cpu, threads waiting for a core; disk, writes beyond the first; pool, calls
  // waiting for a connection; threads, none.
  std::vector<double> backlog_by_bucket;
  std::uint64_t limit_hits = 0;           // times the limit turned something away (pool, threads)
  std::vector<std::uint32_t> limit_hits_by_bucket;
  std::map<std::string, std::uint64_t> drops_by_class;  // link: messages dropped, by traffic class
};

// A gradual action (a switch_dependency in batches, an action with a gate) and how far it went.
struct RolloutReport {
  std::string action;
  std::string kind;                 // the action's kind
  std::string unit;                 // what its share counts: "callers", "replicas" or "users"
  int steps = 0;                    // steps taken
  std::optional<double> started, finished;  // first and last step (finished: nothing left to do)
  double paused_time = 0;           // seconds its gate held a step, or its tooling was unusable
  bool reverted = false;            // its gate failed and it was moved back
  std::vector<double> share_by_bucket;  // share done at each bucket's end
};

// A restore of the data a data_loss fault deleted, tenant by tenant, and what the tenants hit saw.
struct RestoreReport {
  std::string action;
  std::string fault;
  std::string service;               // where the data was lost
  int tenants = 0;                   // tenants hit
  std::vector<int> tenant_ids;       // which, in the order the restore takes them
  double size = 0;                   // units to copy in all
  std::optional<double> lost_at;            // the data loss began
  std::optional<double> started, finished;  // first stream started, last tenant back
  std::vector<double> restored_at;   // per tenant hit, in the order the restore takes them (NaN: not back by the end)
  std::vector<double> share_by_bucket;  // share of the tenants hit that are back at each bucket's end
  Counts requests;                   // the hit tenants' users' requests, from the loss on
  std::vector<Counts> buckets;       // the same, per bucket
};

// A fault scoped to some users (fault[].scope): what its users and the others saw from its first
// start on, and when its users recovered (from then on each bucket of their requests met the lowest
// feature SLO).
struct ScopedFaultReport {
  std::string fault;
  double users_in_scope = 0;  // share of the users
  std::optional<double> began, ended, recovered;  // first start; last end and recovery (null: not by the end)
  Counts inside, outside;     // requests of the users in scope and of the others, from `began` on
  std::vector<Counts> inside_buckets, outside_buckets;
};

// A service with replicated state (service[].replication): its writes, what a promotion lost, their
// reconciliation and the time it spent read-only. Per bucket: writes acknowledged, lost at a
// promotion, refused (read-only), divergent writes awaiting reconciliation at the bucket's end, and
// seconds read-only.
struct ReplicationBucket {
  std::uint64_t writes = 0, lost = 0, refused = 0, awaiting = 0;
  double read_only = 0;
};
struct ReplicationReport {
  std::string service;
  std::string mode;                        // "async" or "sync"
  std::uint64_t writes = 0;                // acknowledged by a primary
  std::uint64_t writes_lost = 0;           // acknowledged, then missing on the promoted copy
  std::uint64_t writes_refused = 0;        // refused while read-only
  std::uint64_t writes_reconciled = 0;     // divergent writes brought back
  std::uint64_t writes_awaiting = 0;       // divergent writes not reconciled by the end
  std::uint64_t writes_discarded = 0;      // divergent writes dropped by a fail-back (no reconciliation)
  double read_only = 0;                    // seconds
  std::optional<double> failed_over_at, reconciliation_started, reconciled_at;
  double failback_waited = 0;              // seconds fail-back actions waited for reconciliation
  std::vector<ReplicationBucket> buckets;
};

// A durable queue in front of a dependency (dependency[].backlog): failed calls kept, replayed to the
// callee, dropped (the queue was full), and its length at each bucket's end.
struct BacklogReport {
  std::string dependency;  // "from->to"
  std::uint64_t kept = 0, replayed = 0, dropped = 0, max_length = 0;
  double replay_rate = 0;
  std::optional<double> first_kept, drained_at;  // drained: empty again after its last kept call
  std::uint64_t failed_replays = 0;              // replays that failed (each went back to the head, holding the replay for `pause`)
  std::vector<std::uint64_t> length_by_bucket;
  std::vector<std::uint32_t> kept_by_bucket, replayed_by_bucket;
};

// The users over time, in reports of scenarios with sessions (a status the client maps to logout):
// represented users (sampled x users / sample_users) at each bucket's end. A user is affected from
// their first failed request; impaired while their latest request failed or, logged out, until they
// have logged in again; recovered otherwise.
struct UsersReport {
  std::vector<double> affected_by_bucket;       // affected so far
  std::vector<double> impaired_by_bucket;       // affected and not recovered
  std::vector<double> logged_out_by_bucket;     // logged out and not logged in again
  std::vector<double> sessions_lost_by_bucket;  // logged out in the bucket (their sum: summary.sessions_lost)
};

// Detection by the users themselves (incident.user_reports): their reports per bucket.
struct UserReportsReport {
  double threshold = 0;  // reports within `window` that raise an incident
  double window = 0;     // seconds
  std::vector<std::uint64_t> by_bucket;
};

// A service that became unhealthy and what carried the failure to it.
struct PropagationStep {
  double time = 0;
  std::string service;
  std::string via;    // "fault:<name>", "edge:<from>-><to>" or "resource:<name>" (a saturated resource)
  std::string cause;  // dominant cause in its first unhealthy bucket
};

// Something that happened to the platform or the response: fault start/end, alert, action.
struct Event {
  double time = 0;
  std::string kind;    // fault_start, fault_end, alert, action, detected, acknowledged, ...
  std::string name;
  std::string detail;
};

struct Provenance {
  std::string faultline_version;
  std::string scenario_name;
  std::string scenario_origin;
  std::string scenario_hash;
  std::string scenario_description;  // scenario.description, as written
  std::uint64_t seed = 0;
  std::map<std::string, std::string> overrides;
  std::map<std::string, std::string> parameters;  // resolved top-level parameters
};

struct Summary {
  Counts requests;               // user requests, after client retries
  double users_affected = 0;     // represented users with >= 1 failed request
  double user_minutes_lost = 0;
  double sessions_lost = 0;      // represented users logged out
  std::uint64_t service_calls = 0;  // calls simulated (attempts), for speed figures
  std::uint64_t events = 0;         // simulation events processed
  std::uint64_t peak_in_flight = 0; // most user requests unanswered at once
};

struct Report {
  Provenance provenance;
  double duration = 0;
  double bucket = 0;
  Summary summary;
  IncidentTimeline incident;             // the first incident (empty when there was none)
  std::vector<IncidentTimeline> incidents;  // every incident of the run, in order (incident is the first)
  std::vector<ExpectationResult> expectations;  // the SLOs, then the scenario's [[expect]]
  std::vector<Series> features;
  std::vector<Series> segments;
  std::vector<Series> regions;
  std::vector<ServiceReport> services;
  std::vector<EdgeReport> edges;
  std::vector<ResourceReport> resources;  // only those something loaded (empty: none modelled)
  std::vector<PropagationStep> propagation;
  std::vector<Event> events;
  std::vector<StatusUpdate> status_updates;
  std::vector<RolloutReport> rollouts;   // only gradual actions (empty: none)
  std::vector<RestoreReport> restores;   // only restore actions (empty: none)
  std::vector<ScopedFaultReport> scoped_faults;  // only faults with a scope (empty: none)
  std::optional<UserReportsReport> user_reports;  // only when the scenario models them
  std::vector<ReplicationReport> replication;
  std::vector<BacklogReport> backlogs;  // only dependencies with a backlog (empty: none)  // only services with service[].replication (empty: none)
  std::optional<UsersReport> users;      // only in scenarios with sessions (a status mapped to logout)
};

}  // namespace faultline
