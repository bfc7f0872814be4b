// The scenario: validated, immutable description of a platform, its traffic, its faults and the
// response to them. Built by the loader (engine/io), read by the graph analyses, the simulation and
// the report. It knows nothing about TOML, SimGrid or files: every entity carries the source position
// it came from so that errors found later (graph cycles, say) still point into the file.
#pragma once

#include "scenario/distribution.hpp"
#include "scenario/source.hpp"
#include "scenario/status.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace faultline {

using Seconds = double;

struct ScenarioInfo {
  std::string name;
  std::string description;
  Seconds duration = 3600;
  std::uint64_t seed = 1;
  Seconds bucket = 10;
  Source source;
};

struct Zone {
  std::string name;
  std::string region;
  int hosts = 1;
  int racks = 0;                  // 0: no racks; else host i sits in rack i % racks ("<zone>/rack<i>")
  std::vector<std::string> tags;  // fault targets "tag:<t>" reach every host of the zone
  Source source;
  int cores = 8;     // of each host: threads that run at full speed at once
  double speed = 1;  // of each core, relative to the core `service[].cpu` is measured on
  double disk_bandwidth = 100;  // MB/s of each host's disk, shared by the writes in progress
};

// A link between two zones or two regions (symmetric), or a zone's own network (a == b, bandwidth
// only): a latency override, and a bandwidth that the calls crossing it share.
struct LinkOverride {
  std::string a, b;
  std::optional<Seconds> latency;  // absent: the network's latency between the two
  Source source;
  std::string name;                 // "<a><-><b>" unless named
  std::optional<double> bandwidth;  // MB/s shared by every call and reply crossing it; absent: unlimited
  std::optional<double> buffer;     // MB it queues before dropping; absent: 50 ms of its bandwidth
  // Its name, or its two ends `a<->b` in either order.
  bool named(const std::string& text) const { return text == name || text == a + "<->" + b || text == b + "<->" + a; }
};

// A named network device that several routes share (a transit gateway, a bridge between networks):
// every call and reply between two of the zones or regions it joins crosses it.
struct Device {
  std::string name;
  std::vector<std::string> joins;  // zones or regions
  double bandwidth = 0;            // MB/s shared by everything crossing it
  std::optional<double> buffer;    // MB it queues before dropping; absent: 50 ms of its bandwidth
  Source source;
};

struct Network {
  Seconds intra_zone = 0.0002;   // host to host inside one zone
  Seconds inter_zone = 0.001;    // between zones of one region
  Seconds inter_region = 0.07;   // between regions
  std::vector<LinkOverride> links;
  std::vector<Device> devices;
  Seconds sync_interval = 1;  // how often links' shares are recomputed from the traffic offered
};

// Traffic classes on links, by priority: control before rpc before bulk.
enum class TrafficClass { bulk, rpc, control };

struct HealthCheck {
  Seconds interval = 5;
  int unhealthy_threshold = 2;  // consecutive failed checks before a replica leaves rotation
  int healthy_threshold = 1;    // consecutive passed checks before it comes back
};

// How the supervisor (systemd, a kubelet) restarts a process that crashed: after `backoff`, doubled for
// each crash in a row up to `max_backoff` (a crash in a row: the process crashed before serving for
// `window`), and at most `max_restarts` starts per service in any `window` (0: no limit).
struct RestartPolicy {
  Seconds backoff = 0;
  Seconds max_backoff = 300;
  int max_restarts = 0;
  Seconds window = 600;
};

enum class ScalingSignal { cpu, queue, latency };

// Horizontal autoscaling on a signal the service itself shows (not on what its users see):
// every `interval` the wanted replicas are ceil(serving x signal / target), within [min, max]; new
// replicas start `provisioning_delay` after the decision (then take restart_time), at most `max_step`
// added per decision; replicas are removed only after the signal has asked for fewer for `cooldown`.
// The replicas beyond `replicas` (up to `max`) are placed like the others and start parked.
struct Autoscaling {
  bool enabled = false;
  ScalingSignal signal = ScalingSignal::cpu;
  double target = 0.6;  // cpu: busy share of the workers; queue: requests waiting per replica; latency: p99 seconds
  int min = 1;
  int max = 1;
  Seconds interval = 60;
  Seconds provisioning_delay = 120;
  int max_step = 4;
  Seconds cooldown = 300;
};

// Automatic failover (an orchestrator): the replicas in `standby` zones take no traffic while the
// others (the active ones) answer the controller's probes from `observer`. Once no active replica has
// been reachable for `hold_down`, the standby replicas are promoted: after `delay` they take the
// traffic and the old active ones are fenced off for good (no automatic fail-back; a `failover` action
// moves it back).
struct Failover {
  bool enabled = false;
  std::vector<std::string> standby;  // zones
  std::string observer;              // zone the controller probes from
  Seconds hold_down = 30;
  Seconds delay = 60;
};

// Replicated state (a stateful service with a failover): the active replicas are the primary, the
// standby ones hold a copy. A share `write_share` of the requests the primary serves are writes. With
// asynchronous replication a write is acknowledged at once and reaches the standby copy `lag` later
// (in commit order); while the standby cannot be reached (a partition, the primary's host gone) its
// copy falls behind. A promotion loses the writes the standby does not have: they diverge on the old
// primary, and once it can be reached again they are reconciled at `reconcile_rate` writes per
// second; a fail-back (a `failover` action to the old primary's zone) waits for it. With synchronous
// replication a write waits `lag` for the standby's acknowledgement, nothing is lost, and while the
// standby cannot be reached writes are refused (read-only). During a promotion the standby replicas
// serve reads and refuse writes (read-only).
enum class ReplicationMode { async, sync };
struct Replication {
  bool enabled = false;
  ReplicationMode mode = ReplicationMode::async;
  Distribution lag = Distribution::constant(1);
  double write_share = 0.1;
  double reconcile_rate = 0;  // writes per second; 0: divergent writes are never reconciled
};

enum class QueueDiscipline { fifo, lifo };
enum class LoadBalancer { round_robin, random, least_request, zone_aware };

// Envoy outlier detection: a replica that fails `consecutive_5xx` calls in a row is ejected from
// rotation for base_ejection_time x (times ejected), while at most max_ejection_percent are out.
struct OutlierDetection {
  bool enabled = false;
  int consecutive_5xx = 5;
  double base_ejection_time = 30;
  double max_ejection_percent = 10;
};

enum class PeerScope { service, zone };

// Threads a process needs: `base` plus `per_peer` for every other member of its fleet (the replicas of
// the service that are provisioned, within `peers`). Over `limit`, a start fails and a running
// process dies (it cannot create the thread), and the restart policy takes over.
struct ThreadLimit {
  bool enabled = false;
  int limit = 0;
  std::optional<int> base;  // absent: the service's workers
  double per_peer = 0;
  PeerScope peers = PeerScope::service;
};

// Memory of each process: `base` plus `per_request` for every request it holds (running or queued)
// plus what a `memory_leak` fault leaked since it started. Over `limit` the process is killed (OOM)
// and its restart policy takes over; above `pressure` of the limit, garbage-collection pauses
// stretch its service time, up to 1 + pressure_slowdown times at the limit.
struct MemoryLimit {
  bool enabled = false;
  double limit = 0;        // MB
  double base = 0;         // MB
  double per_request = 0;  // MB
  double pressure = 0.8;   // share of the limit
  double pressure_slowdown = 0;
};

// A started process's warm-up (loading caches, compiling, building routing tables): `cpu`
// core-seconds of work at speed 1 in `threads` threads on its host's cores, shared with everything
// running there. The process serves only once it is done; not done `timeout` after the process came
// up, its startup probe fails and it is killed (a crash: its restart policy restarts it).
struct Warmup {
  bool enabled = false;
  double cpu = 0;                  // core-seconds
  int threads = 1;                 // each at most one core
  std::optional<Seconds> timeout;  // absent: no limit
};

struct Service {
  std::string name;
  int replicas = 1;
  std::vector<std::string> zones;  // replicas are spread round-robin over these
  int workers = 8;                 // concurrent requests per replica
  int queue = 64;                  // waiting requests per replica beyond the workers
  Distribution service_time = Distribution::constant(0.005);
  // CPU work per request (core-seconds at speed 1), run on the host's cores and shared with
  // everything else running there; replaces service_time when set.
  std::optional<Distribution> cpu;
  Seconds restart_time = 30;
  HealthCheck health_check;
  RestartPolicy restart_policy;
  // Services that must be serving for a replica of this one to start: a replica that becomes ready
  // while one of them has no serving replica crashes at once (and is restarted by its restart_policy).
  std::vector<std::string> startup_requires;
  Autoscaling autoscaling;
  Failover failover;
  Replication replication;
  QueueDiscipline queue_discipline = QueueDiscipline::fifo;
  std::optional<Seconds> max_queue_wait;  // shed requests expected to wait longer (admission control)
  Seconds error_cost = 0;                 // worker time spent on a request that fails (logging, handling)
  bool deadline_propagation = false;      // skip work whose caller has already given up
  bool cancellation = false;              // abandon work in progress when its caller gives up
  LoadBalancer load_balancer = LoadBalancer::round_robin;  // how callers pick among its replicas
  OutlierDetection outlier_detection;
  std::vector<std::string> tags;  // fault targets "tag:<t>" reach every replica of the service
  Source source;
  ThreadLimit threads;
  MemoryLimit memory;
  // Lock contention: each request's service time is multiplied by 1 + contention x (busy workers - 1).
  double contention = 0;
  Warmup warmup;
};

enum class DependencyKind { hard, soft, control };

struct BackOff {
  Seconds base_interval = 0.025;
  Seconds max_interval = 0.25;
};

enum class Jitter { none, full, equal, decorrelated };

// Envoy retry budget: retries in flight stay under budget_percent of the requests in flight (but
// min_retry_concurrency are always allowed).
struct RetryBudget {
  bool enabled = false;
  double budget_percent = 20;
  int min_retry_concurrency = 3;
};

// gRPC retry throttling, a token bucket per caller replica and dependency: tokens start at
// max_tokens, a failed attempt takes one, a success gives back token_ratio, and retries are sent only
// while more than half the tokens are left.
struct RetryThrottling {
  bool enabled = false;
  double max_tokens = 10;
  double token_ratio = 0.1;
};

struct RetryPolicy {
  int num_retries = 0;
  std::optional<Seconds> per_try_timeout;  // absent: the dependency's timeout
  std::vector<std::string> retry_on = {"5xx", "reset", "connect-failure"};
  BackOff back_off;
  Jitter jitter = Jitter::full;
  RetryBudget retry_budget;
  RetryThrottling retry_throttling;
};

// Envoy circuit breakers of one caller replica towards one dependency: more concurrent requests,
// requests queued at the callee, or retries than these fail at once (cause circuit_open).
struct CircuitBreakers {
  bool enabled = false;
  int max_requests = 1024;
  int max_pending_requests = 1024;
  int max_retries = 3;
};

// A cache in front of a dependency: hits are served by the caller. The cached data is refreshed from
// the callee every `refresh`; it is usable until `ttl` after the last good refresh (longer when
// serve_stale), and after it expired it warms up again over `warmup` (a cold cache: misses go to the
// callee).
struct Cache {
  bool enabled = false;
  double hit_ratio = 0.9;
  Seconds ttl = 600;
  Seconds refresh = 60;
  Seconds warmup = 120;
  bool serve_stale = false;
};

enum class PoolExhausted { wait, fail };

// The connections of each caller replica to the callee: an attempt holds one from when it is sent
// until its caller has the answer or gives up. With none free, a call waits for one (up to max_wait,
// else its timeout) or fails at once.
struct ConnectionPool {
  int size = 0;  // 0: no pool
  PoolExhausted on_exhausted = PoolExhausted::wait;
  std::optional<Seconds> max_wait;
};

// What each failed attempt costs the caller's worker before it retries or gives up: CPU work on its
// host and a log write to its host's disk (synchronous: the worker waits for the write).
struct FailureCost {
  double cpu = 0;        // core-seconds at speed 1
  double log = 0;        // MB written
  double log_limit = 0;  // log writes per second per caller replica; beyond, failures go unlogged (0: no limit)
};

// A durable queue in front of a dependency (an outbox, a message queue): a call that fails is kept
// (the caller carries on, degraded) instead of failing, up to `max` kept; the queue is replayed to
// the callee in order at `replay_rate` calls per second while it has a replica serving, and a failed
// replay goes back to the head of the queue and holds the replay for `pause`. The replay is real load
// on the callee: fast enough, it can overload it again.
struct Backlog {
  bool enabled = false;
  int max = 100000;        // calls kept; beyond, a failed call fails
  double replay_rate = 100;  // calls per second
  Seconds pause = 30;      // after a failed replay
};

// What a soft dependency's failure does to the caller.
enum class Fallback { degrade, fail, ignore };

struct Dependency {
  std::string from, to;
  DependencyKind kind = DependencyKind::hard;
  double calls = 1.0;                 // mean calls per request; the fraction is a Bernoulli draw
  std::vector<std::string> features;  // empty: every feature
  Seconds timeout = 1.0;
  RetryPolicy retry_policy;
  CircuitBreakers circuit_breakers;
  Cache cache;
  Backlog backlog;
  Fallback fallback = Fallback::degrade;  // soft edges only
  // Control edges: the caller resolves `to` periodically and serves from its cache meanwhile.
  bool fail_static = true;   // keep last-known entries when the control plane errs or returns none
  Seconds refresh = 30;      // how often the caller refreshes
  Seconds cache_ttl = 300;   // how long entries stay usable after the last good refresh
  std::map<Status, Status> error_mapping;  // callee failure status -> status the caller surfaces
  Source source;
  ConnectionPool pool;
  FailureCost on_failure;
  double request_size = 0.001;  // MB carried by each attempt
  double reply_size = 0.004;    // MB carried by each reply
  TrafficClass traffic_class = TrafficClass::rpc;
};

struct Feature {
  std::string name;
  std::string entry;
  double share = 0;  // of the user request rate (normalised over features)
  double slo = 0.999;
  Source source;
};

struct TrafficStep {
  Seconds at = 0;
  double multiplier = 1;
};

enum class TrafficPattern { constant, piecewise, diurnal };

struct Segment {
  std::string name;
  double share = 1;
  std::vector<std::string> features;  // empty: every feature
  Source source;
};

struct Traffic {
  double rate = 100;             // simulated user requests per second
  double users = 1e6;            // population those requests represent
  int sample_users = 100000;     // simulated users who carry the identities for users_affected
  TrafficPattern pattern = TrafficPattern::constant;
  std::vector<TrafficStep> steps;  // piecewise: rate multiplier from `at` on
  Seconds diurnal_period = 86400;
  Seconds diurnal_peak = 72000;    // time of day of the peak
  double diurnal_trough = 0.3;     // trough rate as a fraction of the peak
  std::vector<Segment> segments;   // empty: one segment "all"
  std::map<std::string, double> region_share;  // empty: equal over regions with zones
  int tenants = 0;                 // customers the simulated users belong to, evenly (0: none)
};

enum class ClientAction { error, retry, logout, ignore };

struct Client {
  std::map<Status, ClientAction> on_status;
  int retries = 2;              // client retries for statuses mapped to "retry"
  Seconds retry_delay = 1.0;
  Seconds timeout = 10.0;
  std::string relogin_feature;  // a logged-out user's next request is this feature (empty: none)
};

enum class FaultKind {
  host_crash,
  service_crash,
  zone_outage,
  latency,
  error_rate,
  control_plane,
  region_outage,
  link_down,
  partition,
  packet_loss,
  slowdown,
  traffic_surge,
  config_rollout,
  cert_expiry,
  dns_failure,
  clock_skew,
  cpu_hog,
  link_capacity,
  memory_leak,
  slow_disk,
  limit_lowered,
  data_loss,
};
enum class SelectorMode { one, all, fixed, percent };
enum class ControlPlaneBehaviour { missing, errors };
// A one-way partition drops packets from the first side of the link to the second only.
enum class PartitionDirection { both, one_way };

// A fault that happens by chance: each of its targets fails after a draw of `failure` (time in
// service) and is back after a draw of `repair`, again and again, independently of the others.
struct FailureProcess {
  Distribution failure = Distribution::exponential(86400);
  Distribution repair = Distribution::exponential(3600);
  // Probability that a failure is a common-cause one that takes every target of the fault down at once.
  double common_cause = 0;
  // false: a target's time in service stops counting while any target of any random fault of the
  // scenario is down (a stopped series system does not wear).
  bool age_while_down = true;
};

// The users a fault hits (error_rate, latency, slowdown, an erring config_rollout): those of the
// listed segments (device classes), of a share of the tenants and a share of the users, all three
// when several are given. Calls made for no user (cache and control-plane refreshes, backlog
// replays) are outside every scope.
struct FaultScope {
  bool enabled = false;
  std::vector<std::string> segments;  // empty: every segment
  double tenants = 1;                 // share of traffic.tenants, drawn from the seed
  double users = 1;                   // share of the users, drawn from the seed
};

struct Fault {
  std::string name;  // default "fault[i]"
  FaultKind kind = FaultKind::host_crash;
  std::string target;
  SelectorMode mode = SelectorMode::all;
  double value = 0;
  Seconds at = 0;
  std::optional<Seconds> duration;  // absent: until an action ends it, or the end of the run
  std::optional<Seconds> every;     // repeat: a new occurrence every this long from `at`
  std::string after;                // start with each start of this fault (plus after_delay) instead of at `at`
  Seconds after_delay = 0;
  std::optional<FailureProcess> random;  // by chance instead of at `at`
  Distribution delay = Distribution::constant(0);  // latency
  double rate = 1.0;                   // error_rate, packet_loss, config_rollout: fraction of calls hit
  Status status = Status::UNAVAILABLE;  // error_rate, control_plane, config_rollout, cert_expiry, dns_failure
  ControlPlaneBehaviour behaviour = ControlPlaneBehaviour::missing;  // control_plane
  double factor = 1;                    // slowdown: service time x factor; traffic_surge: rate x factor
  PartitionDirection direction = PartitionDirection::both;  // partition
  Seconds ramp = 0;                     // config_rollout: from the first replica reached to the last
  bool crash_loop = false;              // config_rollout: reached replicas crash instead of erring
  Seconds crash_after = 10;             // config_rollout with crash_loop: time served before each crash
  Seconds ttl = 0;                      // dns_failure: how long callers' cached answers keep working
  Seconds skew = 0;                     // clock_skew: how far the targets' clocks are off
  Seconds tolerance = 300;              // clock_skew: the skew a validity check accepts
  std::vector<std::string> checked_by;  // clock_skew: services that check validity (empty: every one)
  double threads = 0;                   // cpu_hog: busy threads on each host it hits
  double leak = 0;                      // memory_leak: MB per second each process it hits loses
  // error_rate, config_rollout on a service: its failed answers are bad answers that the caches in
  // front of it keep as if good, for poison_ttl (absent: the cache's ttl).
  bool poisons_cache = false;
  std::optional<Seconds> poison_ttl;
  FaultScope scope;
  Source source;
};

enum class CompareOp { lt, le, gt, ge };

struct Monitor {
  std::string name;
  // feature.<f>.availability; service.<s>.availability|error_rate|p50_latency|p95_latency|p99_latency|
  // queue|replicas_serving
  std::string metric;
  CompareOp op = CompareOp::lt;  // `below` -> lt, `above` -> gt
  double threshold = 0;
  Seconds for_ = 0;
  // The monitoring pipeline: while one of these services (or what it hard-depends on) is not usable,
  // the monitor gets no data and neither fires nor resolves.
  std::vector<std::string> depends_on;
  Source source;
};

// Detection by the users themselves (social media, support tickets), outside every monitoring
// pipeline: affected users report at `rate` each, and `threshold` reports within `window` make an
// incident, known to the responders after a draw of `escalate`.
struct UserReports {
  bool enabled = false;
  double rate = 0.001;      // reports per affected user per hour
  double threshold = 50;    // reports
  Seconds window = 900;
  Distribution escalate = Distribution::constant(0);
};

// The people: after detection someone acknowledges (posts the first status update), then diagnoses
// (finds what to change), then acts. Each stage's length is a draw from its distribution.
struct Incident {
  Distribution acknowledge = Distribution::constant(300);  // after detection
  Distribution diagnose = Distribution::constant(900);     // after acknowledgement, with working tooling
  Distribution act = Distribution::constant(0);            // after diagnosis, for actions `after = "diagnosed"`
  Seconds stable_for = 300;   // recovery needs every feature at SLO for this long
  std::vector<std::string> tooling;  // services responders diagnose with
  double tooling_down_speed = 0.25;  // diagnosis progress rate while tooling is not usable
  std::string status_page;           // service the status page runs on (empty: always works)
  std::optional<Seconds> status_page_fallback;  // page down this long past due: post elsewhere
  std::optional<Seconds> status_update_every;   // cadence of status updates after the first
  UserReports user_reports;
  Source source;
};

enum class ActionKind { switch_dependency, rollback, restart, failover, shed_load, scale, kill_switch, admit, restore, flush_cache };
enum class Trigger { at, detected, acknowledged, diagnosed, monitor };

// A gradual action goes in steps (batches); between two steps its gate (a monitor) is looked at.
enum class RolloutUnit { replica, zone };
enum class GateFailure { pause, revert };

struct Action {
  std::string name;
  ActionKind kind = ActionKind::rollback;
  Trigger trigger = Trigger::at;
  Seconds at = 0;          // Trigger::at
  std::string monitor;     // Trigger::monitor
  Seconds delay = 0;       // after the trigger
  std::string fault;       // rollback: the fault it ends; restore: the data_loss fault it repairs
  std::string service;     // restart, failover, shed_load, scale: the service acted on
  std::vector<std::string> services;  // switch_dependency: callers switched (empty: all callers)
  std::string from, to;    // switch_dependency: old and new target; failover: `to` = zone or region made active
  // restart: replicas per step; switch_dependency: callers (or zones) per step; rollback: the fault's
  // replicas or hosts (or zones) per step; failover: replicas (or zones) of `to` per step (0: all at once)
  int batch = 0;
  Seconds interval = 0;    // restart, switch_dependency, rollback, failover: time between steps
  RolloutUnit by = RolloutUnit::replica;  // switch_dependency, rollback, failover: what a batch counts
  std::string gate;        // stepped actions and admit: monitor whose firing holds the next step
  GateFailure on_gate_failure = GateFailure::pause;  // pause (wait an interval, look again) or revert
  double fraction = 0;     // shed_load: share of the service's incoming requests refused
  int replicas = 0;        // scale: replicas wanted
  std::string feature;     // kill_switch: the feature turned off (its requests fail at once) ...
  std::string dependency;  // ... or the dependency "from->to" turned off (calls skipped, as by a fallback); flush_cache: whose cache
  std::vector<std::string> features;  // admit: features gated (empty: all)
  double step = 0.1;       // admit: share of users admitted per step
  Seconds every = 300;     // admit: time between steps
  // restore: each lost tenant's data is `size` units (a lognormal spread of `size_stddev` when > 0),
  // copied by `parallelism` streams of `rate` units per second each, together at most `bandwidth`.
  double size = 0;
  double size_stddev = 0;
  double rate = 0;
  int parallelism = 1;
  double bandwidth = 0;    // 0: no shared limit
  std::optional<Seconds> duration;  // shed_load, kill_switch: lifted after this (absent: stays)
  std::optional<bool> mitigates;    // counts as mitigation (absent: per kind, see SCHEMA.md)
  // Services the action is carried out with (a deploy system, a console): while one is not usable its
  // delay, and each step's interval, pass at `tooling_down_speed` (0: it waits for them).
  std::vector<std::string> tooling;
  double tooling_down_speed = 0;
  Source source;
};

// [[expect]]: a per-run metric (metrics/run_metrics.hpp names) against a bound, checked after every run.
struct Expectation {
  std::string metric;
  std::optional<double> at_least, at_most;  // seconds for the time metrics
  Source source;
};

struct Scenario {
  int schema_version = 1;
  ScenarioInfo info;
  std::vector<Zone> zones;
  Network network;
  std::vector<Service> services;
  std::vector<Dependency> dependencies;
  std::vector<Feature> features;
  Traffic traffic;
  Client client;
  std::vector<Fault> faults;
  std::vector<Monitor> monitors;
  Incident incident;
  std::vector<Action> actions;
  std::vector<Expectation> expectations;
  std::string origin;  // file the scenario came from ("<embedded>" for the demo)
  std::string text_hash;  // hash of the source text, for provenance
  std::map<std::string, std::string> overrides;  // --set KEY=VALUE applied, for provenance

  const Service* find_service(const std::string& name) const;
  const Zone* find_zone(const std::string& name) const;
  const Feature* find_feature(const std::string& name) const;
  const Fault* find_fault(const std::string& name) const;
  std::vector<std::string> regions() const;  // in order of first appearance
};

// What a fault of this kind hits one by one where its target names several: hosts (host_crash,
// slow_disk, cpu_hog), replicas (a service crash, a rollout, a latency ...; unless it is written on a
// dependency or a link), or nothing (a zone or region at once, a link, a control plane, traffic).
enum class FaultUnit { host, replica, none };
FaultUnit fault_unit(FaultKind k);

const char* to_string(DependencyKind k);
const char* to_string(FaultKind k);
const char* to_string(ActionKind k);
const char* to_string(ScalingSignal s);
const char* to_string(ClientAction a);
const char* to_string(SelectorMode m);

}  // namespace faultline
