// The inside of PlatformModel, shared by the files that implement it: platform_model.cpp (traffic,
// the platform's notifications, faults, the loop and the report), platform_calls.cpp (calls and
// attempts between replicas),
// platform_response.cpp (monitors, the responders, status updates and operators' actions) and
// platform_recovery.cpp (supervised restarts, autoscaling and failover). Not a public header.
#pragma once

#include "model/platform_model.hpp"

#include "metrics/incident_stages.hpp"
#include "metrics/recorder.hpp"
#include "model/autoscaler.hpp"
#include "model/event_queue.hpp"
#include "model/cache_entries.hpp"
#include "model/call_limits.hpp"
#include "model/fault_plan.hpp"
#include "model/flat_lists.hpp"
#include "model/gauge.hpp"
#include "model/host_cpu.hpp"
#include "model/outlier_detector.hpp"
#include "model/pool.hpp"
#include "model/random.hpp"
#include "model/replica_uptime.hpp"
#include "model/replication_log.hpp"
#include "model/response_cache.hpp"
#include "model/restore_work.hpp"
#include "model/restart_supervisor.hpp"
#include "model/retry_policy.hpp"
#include "model/round_robin_cursors.hpp"
#include "model/traffic_shape.hpp"
#include "model/user_reports.hpp"
#include "report/number_text.hpp"
#include "scenario/errors.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <span>
#include <fmt/format.h>

namespace faultline {

namespace platform_detail {

enum EventType : std::uint32_t {
  kArrival,
  kAttemptArrive,
  kServiceDone,
  kReply,
  kAttemptTimeout,
  kCallDeadline,
  kRetry,
  kClientRetry,
  kBucketTick,
  kFaultStep,
  kAction,
  kControlRefresh,
  kHealthOut,
  kHealthIn,
  kStage,
  kErrorCostDone,
  kUneject,
  kCacheRefresh,
  kCrash,           // a crash-looping replica crashes (a: replica, b: its epoch when scheduled)
  kStart,           // the supervisor starts a replica (a: replica, b: start token)
  kProvisioned,     // a replica the autoscaler or a scale action asked for gets its machine
  kScaleTick,       // an autoscaler decides (a: service)
  kScaleSample,     // an autoscaler's metrics are sampled (a: service)
  kFailoverProbe,   // a failover controller probes the active replicas (a: service)
  kFailoverDone,    // a promotion completes (a: service)
  kStatusUpdate,    // the cadence of status updates
  kActionEnd,       // a shed_load or kill_switch with a duration is lifted (a: action)
  kActionStep,      // the next batch of a restart, the next step of an admit (a: action, b: step)
  kServerDone,      // the next piece of work on a host's CPU or disk finishes (a: server, b: its token)
  kPoolWait,        // a call waiting for a connection has waited as long as it may (a: edge, b: call)
  kMemoryTick,      // leaking processes grow (every second while a memory_leak fault exists)
  kOomKill,         // a process over its memory limit is killed (a: replica, b: its epoch)
  kNetworkSync,     // links' shares are recomputed from the traffic of the last interval
  kPoolGrant,       // connections were given back to a pool with calls waiting (a: edge, b: caller position)
  kWarmupDeadline,  // a warming process's startup probe gives up (a: replica, b: its epoch)
  kRestoreDone,     // a restore's next tenant is back (a: action, b: its token)
  kReconcileDone,   // a service's divergent writes are reconciled (a: service)
  kBacklogReplay,   // a backlog replays its next call (a: edge, b: its token)
};

// How often an autoscaler's signal is sampled (it decides on the mean since its last decision).
inline constexpr double kScalingSamplePeriod = 1;

enum Stage : std::uint32_t { kAcknowledgeDue, kAcknowledgeFallback, kDiagnosed, kUserReportsEscalated };

struct Result {
  bool ok = true;
  bool degraded = false;
  Status status = Status::OK;
  Cause cause = Cause::dependency;
  bool connect_failure = false;
  Blame blame;
  double at = -1;  // when the failure happened where it happened (the callee's clock), -1: on arrival
};

struct UserRequest {
  int feature = 0, segment = 0, region = 0;
  std::uint32_t user = 0;
  double start = 0;
  int client_attempts = 0;
};

struct Call {
  Handle parent = 0;     // job (edge calls) or user request (root calls)
  std::uint32_t user = 0;  // the simulated user whose request it serves
  int edge = -1;         // -1: the client calling a feature's entry
  int service = 0;       // target
  int feature = 0;
  int caller_replica = -1;
  int caller_region = 0;
  int attempts = 0;
  double prev_back_off = 0;
  Handle attempt = 0;
  bool done = false;
  bool refresh = false;        // a cache refresh, not a request's call
  bool replay = false;         // a backlog's replay of a kept call, not a request's call
  bool retry_pending = false;  // a retry is scheduled (it holds a place in the retry limits)
  bool connection = false;     // holds a connection of its caller's pool for its next attempt
  bool pool_waiting = false;   // waits for one
  double wait_since = 0;
};

struct Attempt {
  Handle call = 0;
  std::uint32_t user = 0;
  int replica = -1;
  int service = 0;
  int feature = 0;
  double sent = 0;
  double back_latency = 0;
  std::uint32_t back_lane = EventQueue::kNoLane;  // the event queue's lane for the answer's hop
  int caller_host = -1;      // -1: a user's client
  bool caller_done = false;  // the caller has its answer (a reply or its own timeout)
  bool server_done = false;  // the callee will send nothing more
  bool lost = false;         // reached a dead host: the caller can only time out
  bool queued = false;       // waiting in the callee's queue
  bool retry = false;
  int edge = -1;
  int caller_slot = -1;      // the caller replica's CallLimits on this edge, -1: none
  bool connection = false;   // holds a connection of the caller's pool until the caller is done
  int flow = -1;             // its network flow across links with a bandwidth, -1: none
  Handle job = 0;            // the callee's work on it, while there is some
  double work = 0;           // worker-seconds the callee spent on it (0: none finished)
  Blame lost_blame;
  Result result;
};

struct Job {
  Handle attempt = 0;
  std::uint32_t user = 0;
  int replica = 0;
  std::uint32_t epoch = 0;
  int feature = 0;
  int pending = 0;
  bool degraded = false;
  bool done = false;
  bool write = false;       // a write to a replicated service (service[].replication)
  double enqueued_at = 0;
  double started = 0;
  Result deferred;  // the failure it replies once its error_cost is paid
  HostCpu::Ticket cpu = 0;  // its work on the host's CPU or disk, while it runs (0: none)
  double after_cpu = 0;     // time the request takes after its CPU work (latency faults)
  // Not a request's work but what a failed attempt of call `cost_of` costs its caller's worker (a log
  // write, then CPU work); `deferred` is the attempt's result, acted on once it is paid.
  Handle cost_of = 0;
  bool writing = false;     // its work is the log write (on the disk), not CPU
  bool warming = false;     // not a request's work but a starting process's warm-up, `pending` threads of it
  double work_at_start = 0; // warm-up: its host's work clock when it began
};

struct Replica {
  bool host_up = true;
  bool process_up = true;
  bool ready = true;
  bool in_rotation = true;        // health_in, and neither standby nor parked: callers pick it
  bool health_in = true;          // the health checks keep it in rotation
  bool standby = false;           // failover: kept out of traffic (a standby, or a fenced old active)
  bool reads_only = false;        // replication: a standby serving reads while its service is promoting one
  bool parked = false;            // autoscaling: switched off
  bool start_pending = false;     // dead, waiting for the supervisor's start
  bool failing_start = false;     // its last start failed (logged once per run of failures)
  bool provisioning = false;      // switched on by autoscaling or a scale action, its machine not there yet
  Handle warmup = 0;              // while its process is up and warming up (service[].warmup): that job
  double leaked = 0;              // MB its process lost to memory leaks since it started
  std::uint32_t start_token = 0;  // bumped for each start scheduled: a stale one is ignored
  double ready_expected = -1;     // when a start we asked for should be ready (for status ETAs)
  std::uint32_t epoch = 0;        // bumped when the process dies: its jobs are gone
  std::uint32_t health_token = 0; // bumped on each state change: stale health events are ignored
  int busy = 0;
  std::deque<Handle> queue;
  Blame down;                     // what took it down (a fault, a resource's limit), for blame

  // Ready and meant to take traffic: what counts as serving for monitors, startup requirements,
  // autoscalers and failover probes (a failover standby runs, but does not count).
  bool serving() const { return ready && !standby && !parked; }
};

struct Resolver {  // a caller's cache of what a control plane told it
  bool broken = false;
  Status status = Status::OK;
  double last_good = 0;
};

enum class MonitorMetric { feature_availability, availability, error_rate, p50, p95, p99, queue, replicas_serving };

struct MonitorState {
  MonitorMetric metric = MonitorMetric::feature_availability;
  int index = 0;
  std::vector<int> depends_on;  // services of the monitoring pipeline
  double true_since = -1;
  bool firing = false;
};

// Whether a failed call on d fails its caller (else the caller degrades or carries on).
inline bool fails_caller(const Dependency& d) {
  return d.kind == DependencyKind::hard || (d.kind == DependencyKind::soft && d.fallback == Fallback::fail);
}

inline bool carries(const std::vector<std::string>& features, const std::string& f) {
  return features.empty() || std::find(features.begin(), features.end(), f) != features.end();
}

}  // namespace platform_detail

// The three implementation files name these as their own.
using namespace platform_detail;

struct PlatformModel::Impl {
  const Scenario& s;
  const Topology& topo;
  PlatformPort& port;
  std::uint64_t seed;
  double end;
  double now = 0;
  EventQueue q;
  MetricsRecorder rec;
  TrafficShape traffic;

  RandomStream arrivals_rng, users_rng, client_rng;
  std::vector<RandomStream> service_rng, edge_rng;

  std::vector<int> feature_entry;                       // entry service of each feature
  std::vector<int> edge_target;                         // current target of each dependency
  std::vector<int> edge_from;
  FlatLists children;                                   // (service, feature) -> hard/soft edges
  FlatLists controls;                                   // (service, feature) -> control edges
  std::vector<std::uint32_t> timeout_lane;              // per edge (per-try)
  std::vector<std::uint32_t> deadline_lane;             // per edge (overall), when per_try_timeout is set
  std::uint32_t client_lane = 0;
  std::uint32_t client_retry_lane = 0;  // clients retry a fixed delay after a failure
  std::vector<Resolver> resolvers;                      // per edge (control edges only)
  std::vector<std::vector<std::vector<int>>> region_replicas;  // [service][region]
  RoundRobinCursors rr{topo};                           // per service and caller replica (or the users)
  std::vector<std::vector<std::vector<int>>> zone_replicas;  // [service][zone]
  std::vector<int> replica_pos;                         // index of a replica within its service
  std::vector<OutlierDetector> outliers;                // per service
  std::vector<std::vector<CallLimits>> limits;          // [edge][caller replica position]
  std::vector<ResponseCache> caches;                    // per edge
  // Caches that can hold bad answers (platform_cache_poison.cpp), per edge with a cache when some
  // fault has poisons_cache; empty otherwise.
  struct PoisonableCache {
    std::optional<CacheEntries> entries;
    RandomStream rng;
    std::uint64_t poisoned = 0;                       // calls answered from bad entries
    std::vector<std::uint32_t> requests_by_bucket, poisoned_by_bucket;
  };
  std::vector<PoisonableCache> poisonable;
  // Durable queues in front of dependencies (platform_backlog.cpp), per edge when one has a backlog;
  // empty otherwise.
  struct BacklogState {
    std::uint64_t length = 0;     // calls kept, not yet replayed
    int in_flight = 0;            // replays sent, not settled
    int feature = 0;              // the replays' feature (the first kept call's)
    bool ticking = false;
    std::uint64_t token = 0;
    double paused_until = -1;
    BacklogReport report;
  };
  std::vector<BacklogState> backlogs;
  std::vector<double> hold_estimate;                    // per replica: smoothed time a worker holds a request
  RandomStream lb_rng;

  std::vector<Replica> replicas;
  // Shared resources (platform_resources.cpp, platform_limits.cpp), only what the scenario loads;
  // empty otherwise. Every one has an id (Blame::resource, `resource:<name>` in the chain).
  struct ResourceState {
    std::string name, kind;
    double capacity = 0;
    std::vector<double> utilisation, backlog;  // by bucket
    std::vector<std::uint32_t> hits;           // limit hits by bucket
    double used = 0, saturated = 0;            // capacity-seconds used and seconds saturated, in total
    std::uint64_t hit_total = 0;
  };
  std::vector<ResourceState> resources;
  // Processor-sharing servers: hosts' CPUs and disks.
  struct Server {
    int resource = -1, host = -1;
    HostCpu ps{1, 1};
    double due = HostCpu::kNever;  // when its kServerDone is scheduled
    std::uint32_t token = 0;       // bumped when the schedule changes: older kServerDone are stale
  };
  std::vector<Server> servers;
  std::vector<Handle> server_finished;  // on_server_done's scratch: the jobs whose work finished together
  std::vector<int> host_cpu, host_disk;  // by host: index in servers, -1 when not modelled
  // Connection pools, by edge (resource -1: the edge has none); one pool per caller replica.
  struct CallerPool {
    int in_use = 0;
    int waiters = 0;             // calls waiting
    bool exhausted = false;      // every connection taken
    std::deque<Handle> waiting;  // calls, oldest first (entries of calls that stopped waiting are skipped)
  };
  struct EdgePool {
    int resource = -1;
    std::vector<CallerPool> callers;  // by caller replica position
    Gauge in_use, waiting, exhausted;  // over every caller; exhausted: callers with none free
    int exhausted_callers = 0;
  };
  std::vector<EdgePool> pools;
  // Failure-log rate limits, by edge and caller replica position (a token bucket: tokens, last refill).
  std::vector<std::vector<std::pair<double, double>>> log_tokens;
  std::vector<int> thread_resource;  // by service: its threads resource, -1: no thread limit
  std::vector<int> memory_resource;  // by service: its memory resource, -1: none (empty: no service has one)
  // Links with a bandwidth (platform_network.cpp), empty otherwise; flows by route and traffic class.
  static constexpr int kTrafficClasses = 3;  // TrafficClass values, also their priorities
  struct NetLink {
    int resource = -1, link = -1;
    double bandwidth = 0, buffer = 0;
    std::vector<int> faults;  // link_capacity faults on it
    double carried = 0, capacity_seconds = 0, queued = 0, saturated = 0;  // this bucket
    std::array<std::uint64_t, kTrafficClasses> drops{};
  };
  struct NetFlow {
    std::vector<int> links;
    int cls = 0;
    double offered = 0, backlog = 0, rate = 0;  // MB offered this interval, MB waiting, MB/s given
    double delay = 0, drop = 0;                 // for messages of the next interval
    int blame = 0;                              // the link (index in net_links) it queues or drops at
  };
  std::vector<NetLink> net_links;
  std::vector<NetFlow> net_flows;
  std::vector<int> zone_route;  // [zone a x zone b]: route index, -1: no link with a bandwidth between them
  RandomStream net_rng;
  double last_sync = 0;
  FaultPlan faults;
  std::size_t fault_steps_scheduled = 0;  // the plan's steps already in the queue
  ReplicaUptime uptime{topo};
  std::vector<MonitorState> monitors;
  std::vector<bool> action_done;
  std::vector<std::uint8_t> logged_out;
  int relogin_feature = -1;

  Pool<UserRequest> requests;
  Pool<Call> calls;
  Pool<Attempt> attempts;
  Pool<Job> jobs;

  // Recovery machinery, per service.
  std::vector<RestartSupervisor> supervisors;
  std::vector<std::uint64_t> starts, crashes;  // per service: process starts by the supervisor, crashes
  std::vector<std::optional<Autoscaler>> autoscalers;
  struct ScalingSamples {
    double sum = 0;
    int n = 0;
  };
  std::vector<ScalingSamples> scaling_samples;
  struct FailoverState {
    double unreachable_since = -1;
    bool promoting = false, done = false;
  };
  std::vector<FailoverState> failovers;
  std::vector<std::vector<int>> hard_closure;  // [service]: itself and what it needs, over hard and control edges
  std::vector<std::vector<int>> replicas_by_bucket;  // [service][bucket]
  // Operators' switches.
  std::vector<double> shed;                // per service: share of arriving requests refused
  std::vector<std::uint8_t> feature_killed, edge_disabled;
  double admitted = 1;                     // share of users let in
  std::vector<std::uint8_t> admit_gated;   // per feature
  RandomStream shed_rng, incident_rng;
  UserReportPath user_reports{s.incident.user_reports, s.traffic.users, s.info.bucket, seed};
  std::vector<double> action_time;         // when each scheduled action runs (-1: not scheduled)
  std::vector<int> action_service;         // per action: the service it acts on (-1: none)
  // Actions done with tooling (action[].tooling, platform_action_tooling.cpp): their delay is time that
  // passes at tooling_down_speed while the tooling is not usable, and so is each step's interval.
  struct ActionPace {
    std::vector<int> tooling;  // services
    double need = 0, done = 0, rate = 1, since = -1;  // its delay: seconds needed, passed so far, at rate since
    double unusable = 0;       // seconds it went without its tooling (delay and steps)
    std::uint64_t token = 0;   // of its kAction event (a stale one is ignored)
    std::uint64_t stretched = ~std::uint64_t(0);  // the step whose wait has been stretched already
    bool held = false;         // announced as held (an event per spell without the tooling)
  };
  std::vector<ActionPace> action_pace;
  std::vector<std::vector<int>> startup_needs;  // [service]: services that must serve for it to start
  // Gradual actions (platform_rollout.cpp): per action, how far its rollout has gone. Only actions
  // that go in steps and opt into it (a switch_dependency with a batch, any action with a gate).
  struct RolloutState {
    bool tracked = false;                // reported: its progress per bucket and its events
    int gate = -1;                       // monitor index, -1: none
    int fault = -1;                      // rollback: the fault it ends
    std::vector<int> edges;              // switch_dependency: the edges it switches
    // Batched actions: per step, the caller replicas switched (switch_dependency), the fault's units
    // taken back (rollback) or the replicas brought in (failover).
    std::vector<std::vector<int>> steps;
    std::size_t steps_done = 0;
    double share = 0;                    // of its callers switched, units rolled back, replicas restarted or
                                         // brought in, users admitted
    double started = -1, finished = -1, paused_since = -1, paused_total = 0;
    bool reverted = false;
    std::vector<double> share_by_bucket;
  };
  std::vector<RolloutState> rollouts;          // per action
  // Tenants' data lost (platform_tenants.cpp): per data_loss fault, the tenants it hits (in the
  // drawn order), which of them have no data now, and what their users saw.
  struct TenantLoss {
    int fault = -1, service = -1;
    std::vector<int> tenants;
    std::vector<std::uint8_t> hit, lost;  // by tenant
    bool begun = false;
    double begun_at = -1;                    // its first occurrence
    Counts total;                            // user requests of the hit tenants' users since it began
    std::vector<Counts> buckets;             // the same, per bucket
  };
  std::vector<TenantLoss> tenant_losses;
  std::vector<std::vector<int>> tenant_losses_at;  // by service: indexes into tenant_losses
  // Faults scoped to users (platform_scopes.cpp): per scoped fault, the requests of its users and of
  // the others since it first began.
  struct ScopedFault {
    int fault = -1;
    double share = 0;  // of the users in scope
    bool active = false;
    double began = -1, ended = -1;
    Counts inside, outside;
    std::vector<Counts> inside_buckets, outside_buckets;
  };
  std::vector<ScopedFault> scoped_faults;
  struct RestoreState {
    int loss = -1;  // index into tenant_losses (-1: not a restore)
    std::optional<RestoreWork> work;
    std::uint64_t token = 0;
    double started = -1, finished = -1;
    std::vector<double> restored_at;     // by position in the loss's tenants (-1: not yet)
  };
  std::vector<RestoreState> restores;  // per action
  // Replicated state (platform_replication.cpp), per service with service[].replication.
  struct ReplicationState {
    int service = -1;
    ReplicationLog log;
    RandomStream rng;
    std::vector<int> copy;          // the replicas holding the copy (the standby ones)
    std::vector<int> diverged_on;   // the old primary's replicas, while they hold divergent writes
    bool promoting = false;         // read-only: the standby replicas serve reads
    bool read_only = false;
    double marked = 0;              // read-only time is counted up to here
    std::uint64_t divergent = 0;    // awaiting reconciliation
    bool reconciling = false;
    double reconcile_began = 0;
    std::uint64_t lost_at_fence = 0;  // what the copy lacked when its promotion began
    std::vector<int> waiting_actions;  // fail-backs waiting for the reconciliation
    double waiting_since = -1;
    ReplicationReport report;
  };
  std::vector<ReplicationState> replication;
  std::vector<int> replication_of;  // by service: index into replication, -1 (empty: none replicates)
  std::vector<std::vector<int>> caller_target;  // per edge, by caller replica position (empty: edge_target for all)
  std::vector<std::vector<Resolver>> caller_resolvers;  // per control edge under a gradual switch, by caller position

  // The people. `incident` is the one in progress (or the last one resolved); earlier ones are closed.
  IncidentTimeline incident;
  std::vector<IncidentTimeline> closed_incidents;
  std::uint64_t incident_number = 0;  // pending stage and status events carry it: stale ones are dropped
  std::size_t incident_posts = 0;     // status updates posted for the current incident
  int status_page = -1;               // the service it runs on (-1: none, it always works)
  std::vector<int> tooling;           // services responders diagnose with
  double acknowledge_due = -1;
  double diagnosis_need = 0, diagnosis_done = 0, diagnosis_rate = 1, diagnosis_since = -1;
  double tooling_down_time = 0;
  std::uint32_t diagnosis_token = 0;
  std::vector<StatusUpdate> status_updates;
  ImpactTracker impact{s.info.bucket, s.incident.stable_for};  // the run's impacts as buckets close
  bool resolved = false;  // the current incident is over
  int next_bucket = 0;
  std::uint64_t events = 0, calls_sent = 0;
  std::size_t peak_in_flight = 0;

  // Whether replica r is in `place`, a zone or a region (where a failover action moves a service).
  auto placed_in(const std::string& place) const {
    const int zone = topo.zone_index(place), region = topo.region_index(place);
    return [this, zone, region](int r) {
      const ReplicaInfo& ri = topo.replicas[std::size_t(r)];
      return ri.zone == zone || (zone < 0 && ri.region == region);
    };
  }

  // The replicas r of `sv` with in_new_set(r) take the traffic, the others stand by; used by the
  // failover controller (platform_recovery.cpp) and the failover action (platform_response.cpp).
  template <class Pred>
  void make_active(int sv, Pred in_new_set) {
    for (int r : topo.service_replicas[std::size_t(sv)]) {
      replicas[std::size_t(r)].standby = !in_new_set(r);
      update_rotation(r);
    }
  }

  // ---- platform_model.cpp (set-up, traffic, the platform, faults, the loop, the report) and
  // platform_calls.cpp (calls and attempts)
  Impl(const Scenario& sc, const Topology& t, std::uint64_t sd, PlatformPort& p);
  int find_service(const std::string& name) const;
  int service_index_or_throw(const std::string& name) const;
  void start();
  void schedule_next_arrival(double from);
  void on_arrival();
  bool admits(const UserRequest& u) const;
  void start_root_call(Handle ur);
  void on_root_result(Call& c, const Result& r);
  void finish_user_request(Handle ur, Outcome o);
  bool available(int service, int r) const;
  int round_robin(int service, int caller, const std::vector<int>& list);
  int sample_replica(int service, const std::vector<int>& list, bool least_request);
  int pick_replica(int service, int region, int zone, int caller);
  Blame down_blame(int service) const;
  int caller_slot(const Call& c) const;
  void send_attempt(Handle ch);
  void arm_timeout(const Call& c, Handle ah);
  void release_attempt_if_finished(Handle ah);
  void reply(Handle ah, const Result& r);
  void on_attempt_arrive(int r, Handle ah);
  void left_queue(Attempt& a);
  void serve_queue(int rep_index);
  void start_job(Handle jh);
  Status mapped(int edge, Status st) const;
  void on_service_done(int r, Handle jh);
  void cancel_job(Attempt& a);
  void drop_job(Handle jh);
  void finish_job(Handle jh, const Result& r);
  void on_error_cost_done(int r, Handle jh);
  void on_reply(Handle ah);
  void on_attempt_timeout(Handle ah);
  void attempt_over(Attempt& a, const Result& r);
  void complete_attempt(Handle ah, const Result& r);
  void settle_call(Handle ch, const Result& result);
  void on_retry(Handle ch);
  void on_call_deadline(Handle ch);
  void replica_down(int r);
  void update_rotation(int r);
  void on_host_state(int host, bool up, double t);
  void on_replica_down(int r, double t);
  void on_replica_ready(int r, double t);
  void become_ready(int r);
  void begin_warmup(int r);
  void on_warmed_up(Handle jh);
  void on_warmup_deadline(int r, std::uint32_t epoch);
  void on_health(int r, std::uint64_t token, bool in);
  int missing_at_start(int service) const;
  int serving_replicas(int service) const;
  bool in_standby_zone(int replica) const;
  void schedule_fault_steps();
  void on_fault_step(int k);
  void end_fault(int i, const std::string& why);
  void apply_fault_change(const FaultPlan::Change& change);
  void on_cache_refresh(int e);
  enum class BackgroundCall { cache_refresh, backlog_replay };
  void send_background_call(int e, int caller, int feature, BackgroundCall kind);
  int first_ready_replica(int service) const;  // -1: none
  void on_uneject(int r);
  void on_control_refresh(int e);
  void dispatch(const ModelEvent& e);
  void run_until(double limit);
  std::string last_features_back(const std::vector<Series>& features, double recovered) const;
  Report finish();

  // ---- platform_resources.cpp: the resources' book, hosts' CPUs and disks shared by the work on them
  void set_up_resources();
  int add_resource(std::string name, std::string kind, double capacity);
  void hit_limit(int resource);
  bool runs_on_cpu(int service) const { return s.services[std::size_t(service)].cpu.has_value(); }
  const Distribution& service_time_of(int service) const {
    const Service& svc = s.services[std::size_t(service)];
    return svc.cpu ? *svc.cpu : svc.service_time;
  }
  void start_cpu_work(Handle jh, double work, double after);
  void start_disk_write(Handle jh, double mb);
  void on_server_done(int c, std::uint64_t token);
  void schedule_server(int c);
  int server_of(const Job& j) const;
  void stop_cpu_work(Job& j);
  void drop_cpu_work_of(int replica);
  void set_cpu_background(const std::vector<int>& hosts);
  void set_disk_speed(const std::vector<int>& hosts);
  Blame overload_blame(int replica) const;
  void close_resource_bucket(int b);
  void fill_resources(Report& r);

  // ---- platform_network.cpp: links' bandwidth shared by the calls crossing them
  void set_up_network();
  int network_flow(int host_a, int host_b, int edge) const;
  bool cross_network(int flow, double mb, double& delay, Blame& blame);
  void on_network_sync();
  void close_network_bucket(int b, double length);
  void fill_network(Report& r);

  // ---- platform_limits.cpp: per-process limits (threads, connection pools) and what failures cost
  void set_up_limits();
  void close_limit_buckets(int b, double length);
  bool pooled(int edge) const { return !pools.empty() && pools[std::size_t(edge)].resource >= 0; }
  bool take_connection(Handle ch);
  void give_back_connection(int edge, int slot);
  void stop_waiting(Call& c);
  void on_pool_grant(int edge, int slot);
  void on_pool_wait(int edge, Handle ch);
  bool pays_for_failure(const Call& c) const;
  void pay_for_failure(Handle ch, const Result& r);
  void failure_paid(Handle jh);
  int fleet_members(int r) const;
  double threads_needed(int r) const;
  bool over_thread_limit(int r) const;
  void check_thread_limits(int service);
  int thread_limit(int service) const;
  int pool_size(int edge) const;
  void set_pool_level(EdgePool& p, CallerPool& cp, int size);
  void hand_connection(EdgePool& p, CallerPool& cp, int size, Call& c);
  double pool_wait_limit(int edge) const;
  void on_limit_changed(int fault);
  void after_failed_attempt(Handle ch, const Result& r);
  double memory_use(int r) const;
  double memory_slowdown(int r) const;
  void check_memory(int r);
  void on_memory_tick();
  void on_oom_kill(int r, std::uint32_t epoch);

  // ---- platform_replication.cpp: writes, their copy, promotions that lose some, reconciliation
  void set_up_replication();
  ReplicationState* replication_at(int sv);  // null: the service does not replicate
  const ReplicationState* replication_at(int sv) const;
  bool is_write(int service, int replica);        // draws whether a job is a write
  bool commit_write(int service, int replica);   // false: refused (read-only)
  void replication_changed();                    // hosts, processes or the network changed
  bool copy_reachable(const ReplicationState& st) const;
  void begin_promotion(int sv);                  // the failover controller fenced the primary
  void primary_changed(int sv);                  // make_active moved the primary
  bool failback_blocked(int a);                  // a failover action must wait for reconciliation
  int failback_waits_for(int a) const;
  void on_reconcile_done(int sv);
  void close_replication_bucket(int b);
  double reconciliation_estimate() const;  // when the divergent writes should be reconciled (-1: none)
  std::string waiting_failbacks() const;   // fail-back actions waiting for a reconciliation
  void fill_replication(Report& r);

  // ---- platform_tenants.cpp: data lost per tenant, and restores that bring it back
  void set_up_tenants();
  void on_tenant_loss_changed(int f);
  int data_lost(int service, std::uint32_t user) const;  // the data_loss fault that strikes, or -1
  void count_tenant_request(std::uint32_t user, Outcome o);
  void start_restore(int a);
  void on_restore_done(int a, std::uint64_t token);
  void schedule_restore(int a);
  double restore_estimate() const;  // when the restores under way should end (-1: none)
  void fill_restores(Report& r) const;
  // ---- platform_scopes.cpp: faults scoped to users
  void set_up_scopes();
  void on_scoped_fault_changed(int f);
  void count_scoped_request(std::uint32_t user, Outcome o);
  void fill_scoped_faults(Report& r) const;

  // ---- platform_response.cpp: monitors, the responders, status updates, actions
  void resolve_response();
  bool status_page_usable() const;
  void on_bucket_tick(int b);
  bool usable(int service) const;
  double monitor_value(const MonitorState& st, int b, bool& have) const;
  void evaluate_monitors(int b);
  void schedule_action(int a, double at, double triggered = -1);  // triggered: now unless later
  void schedule_actions(Trigger trigger, const std::string& monitor);
  void on_alert(int m);
  void evaluate_user_reports(int b);
  double failed_share(int b) const;
  void declare_detected(const std::string& by);
  void try_acknowledge(bool fallback);
  void start_diagnosis();
  bool tooling_usable() const;
  void progress_diagnosis();
  void schedule_diagnosis();
  void on_stage(std::uint32_t stage, std::uint64_t token);
  void track_resolution(int b);
  bool bucket_healthy(int b) const;
  std::string impact_text() const;
  bool action_mitigates_by_default(const Action& act) const;
  std::optional<double> restoration_estimate() const;
  bool action_done_at(int a) const;
  void post_status(std::string state, std::string channel);
  std::string current_state() const;
  void on_status_update(std::uint64_t number);
  void open_next_incident();
  void on_action(int a, std::uint64_t token = 0);
  // ---- platform_backlog.cpp
  void set_up_backlogs();
  bool keep_in_backlog(int edge, int feature);  // a failed call kept for replay (false: full, or no backlog)
  void schedule_replay(int edge, double at);
  void on_backlog_replay(int edge, std::uint64_t token);
  void replay_settled(int edge, bool ok);
  void close_backlog_bucket(int b);
  void fill_backlogs(Report& r);
  // ---- platform_cache_poison.cpp
  void set_up_cache_poisoning();
  int poisoned_hit(int edge, int callee);  // a cache hit on edge: the fault whose bad answer it gets, or -1
  void count_cached_call(int edge);        // a call on an edge whose cache can be poisoned
  bool flush_cache(int a, std::string& detail);
  void fill_poisoned_caches(Report& r) const;
  // ---- platform_action_tooling.cpp
  void set_up_action_tooling();
  double action_tooling_rate(int a) const;  // 1 with its tooling usable, else its tooling_down_speed
  void progress_action_pace();              // once a bucket: the tooling looked at again
  static constexpr std::uint64_t kBeginPace = ~std::uint64_t(0);  // an at-triggered action's pace begins
  void begin_pace(int a);
  void schedule_paced_action(int a);
  bool paced_action_due(int a, std::uint64_t token);  // false: a stale event
  bool tooling_holds_step(int a, std::uint64_t k);
  std::string tooling_note(int a) const;
  int restart_batch(int a, std::uint64_t k);
  void set_kill_switch(const Action& act, bool on);
  void on_action_end(int a);
  void on_action_step(int a, std::uint64_t k);

  // ---- platform_rollout.cpp: gradual actions, their steps and gates
  void set_up_rollouts();
  int target_of(int edge, int caller_replica) const {
    const auto& per_caller = caller_target[std::size_t(edge)];
    return per_caller.empty() ? edge_target[std::size_t(edge)] : per_caller[std::size_t(replica_pos[std::size_t(caller_replica)])];
  }
  const Resolver& resolver_of(int edge, int caller_replica) const {
    const auto& per_caller = caller_resolvers[std::size_t(edge)];
    return per_caller.empty() ? resolvers[std::size_t(edge)] : per_caller[std::size_t(replica_pos[std::size_t(caller_replica)])];
  }
  std::vector<int> switched_edges(int a) const;
  std::vector<std::vector<int>> rollout_steps(int a) const;
  std::string start_rollout(int a);
  void rollout_step(int a);
  void revert_switch(int a);
  bool gate_holds(int a, std::uint64_t k);
  int rollout_steps_left(int a) const;
  double rollout_length(int a) const;
  std::string rollout_unit(int a) const;
  void record_rollouts(int b);
  void fill_rollouts(Report& r) const;
  void refresh_control(int e, std::span<Resolver* const> askers, int cp);

  // ---- platform_recovery.cpp: supervised restarts, autoscaling, failover
  void set_up_recovery();
  void restart(int r, bool crashed);
  void on_start(int r, std::uint32_t token);
  void on_crash(int r, std::uint32_t epoch);
  void sample_scaling_signal(int sv);
  int active_replicas(int sv) const;
  void on_scale_tick(int sv);
  void set_active(int sv, int want);
  void on_provisioned(int r, std::uint32_t token);
  void on_failover_probe(int sv);
  void on_failover_done(int sv);
};

}  // namespace faultline
