#include "model/platform_model.hpp"

#include "metrics/incident_stages.hpp"
#include "metrics/recorder.hpp"
#include "model/autoscaler.hpp"
#include "model/event_queue.hpp"
#include "model/call_limits.hpp"
#include "model/fault_plan.hpp"
#include "model/outlier_detector.hpp"
#include "model/pool.hpp"
#include "model/random.hpp"
#include "model/replica_uptime.hpp"
#include "model/response_cache.hpp"
#include "model/restart_supervisor.hpp"
#include "model/retry_policy.hpp"
#include "model/traffic_shape.hpp"
#include "report/number_text.hpp"
#include "scenario/errors.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <fmt/format.h>

namespace faultline {

namespace {

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
};

// How often an autoscaler's signal is sampled (it decides on the mean since its last decision).
constexpr double kScalingSamplePeriod = 1;

enum Stage : std::uint32_t { kAcknowledgeDue, kAcknowledgeFallback, kDiagnosed };

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
  bool retry_pending = false;  // a retry is scheduled (it holds a place in the retry limits)
};

struct Attempt {
  Handle call = 0;
  int replica = -1;
  int service = 0;
  int feature = 0;
  double sent = 0;
  double back_latency = 0;
  int caller_host = -1;      // -1: a user's client
  bool caller_done = false;  // the caller has its answer (a reply or its own timeout)
  bool server_done = false;  // the callee will send nothing more
  bool lost = false;         // reached a dead host: the caller can only time out
  bool queued = false;       // waiting in the callee's queue
  bool retry = false;
  int edge = -1;
  int caller_slot = -1;      // the caller replica's CallLimits on this edge, -1: none
  Handle job = 0;            // the callee's work on it, while there is some
  Blame lost_blame;
  Result result;
};

struct Job {
  Handle attempt = 0;
  int replica = 0;
  std::uint32_t epoch = 0;
  int feature = 0;
  int pending = 0;
  bool degraded = false;
  bool done = false;
  double enqueued_at = 0;
  double started = 0;
  Result deferred;  // the failure it replies once its error_cost is paid
};

struct Replica {
  bool host_up = true;
  bool process_up = true;
  bool ready = true;
  bool in_rotation = true;        // health_in, and neither standby nor parked: callers pick it
  bool health_in = true;          // the health checks keep it in rotation
  bool standby = false;           // failover: kept out of traffic (a standby, or a fenced old active)
  bool parked = false;            // autoscaling: switched off
  bool start_pending = false;     // dead, waiting for the supervisor's start
  bool failing_start = false;     // its last start failed (logged once per run of failures)
  std::uint32_t start_token = 0;  // bumped for each start scheduled: a stale one is ignored
  double ready_expected = -1;     // when a start we asked for should be ready (for status ETAs)
  std::uint32_t epoch = 0;        // bumped when the process dies: its jobs are gone
  std::uint32_t health_token = 0; // bumped on each state change: stale health events are ignored
  int busy = 0;
  std::deque<Handle> queue;
  int down_fault = -1;            // the fault that took it down, for blame
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

bool carries(const std::vector<std::string>& features, const std::string& f) {
  return features.empty() || std::find(features.begin(), features.end(), f) != features.end();
}

}  // namespace

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

  std::vector<int> service_of_name_index;
  std::vector<int> feature_entry;                       // entry service of each feature
  std::vector<int> edge_target;                         // current target of each dependency
  std::vector<int> edge_from;
  std::vector<std::vector<std::vector<int>>> children;  // [service][feature] -> hard/soft edges
  std::vector<std::vector<std::vector<int>>> controls;  // [service][feature] -> control edges
  std::vector<std::uint32_t> timeout_lane;              // per edge (per-try)
  std::vector<std::uint32_t> deadline_lane;             // per edge (overall), when per_try_timeout is set
  std::uint32_t client_lane = 0;
  std::vector<Resolver> resolvers;                      // per edge (control edges only)
  std::vector<std::vector<std::vector<int>>> region_replicas;  // [service][region]
  std::vector<std::vector<std::uint32_t>> rr;           // round-robin cursor per service and caller replica (+1)
  std::vector<std::vector<std::vector<int>>> zone_replicas;  // [service][zone]
  std::vector<int> replica_pos;                         // index of a replica within its service
  std::vector<OutlierDetector> outliers;                // per service
  std::vector<std::vector<CallLimits>> limits;          // [edge][caller replica position]
  std::vector<ResponseCache> caches;                    // per edge
  std::vector<double> hold_estimate;                    // per replica: smoothed time a worker holds a request
  RandomStream lb_rng;

  std::vector<Replica> replicas;
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
  std::vector<double> action_time;         // when each scheduled action runs (-1: not scheduled)

  // The people.
  IncidentTimeline incident;
  double acknowledge_due = -1;
  double diagnosis_need = 0, diagnosis_done = 0, diagnosis_rate = 1, diagnosis_since = -1;
  double tooling_down_time = 0;
  std::uint32_t diagnosis_token = 0;
  std::vector<StatusUpdate> status_updates;
  bool impact_seen = false, resolved = false;
  double resolved_since = 0;
  std::size_t healthy_buckets = 0;
  int next_bucket = 0;
  std::uint64_t events = 0, calls_sent = 0;
  std::size_t peak_in_flight = 0;

  Impl(const Scenario& sc, const Topology& t, std::uint64_t sd, PlatformPort& p)
      : s(sc), topo(t), port(p), seed(sd), end(sc.info.duration), rec(sc, t),
        traffic(sc, int(t.regions.size())), faults(sc, t, sd), lb_rng(sd, "load_balancer"), arrivals_rng(sd, "traffic.arrivals"), users_rng(sd, "traffic.users"),
        client_rng(sd, "client"), shed_rng(sd, "shed_load"), incident_rng(sd, "incident") {
    const std::size_t ns = s.services.size(), nf = s.features.size(), ne = s.dependencies.size();
    for (const Service& svc : s.services) service_rng.emplace_back(sd, "service." + svc.name);
    auto service_index = [&](const std::string& name) {
      for (std::size_t i = 0; i < ns; ++i)
        if (s.services[i].name == name) return int(i);
      throw InternalError("unknown service '" + name + "' in a validated scenario");
    };
    for (const Feature& f : s.features) feature_entry.push_back(service_index(f.entry));
    children.assign(ns, std::vector<std::vector<int>>(nf));
    controls.assign(ns, std::vector<std::vector<int>>(nf));
    resolvers.resize(ne);
    for (std::size_t e = 0; e < ne; ++e) {
      const Dependency& d = s.dependencies[e];
      edge_rng.emplace_back(sd, "dependency." + d.from + "->" + d.to);
      int from = service_index(d.from);
      edge_from.push_back(from);
      edge_target.push_back(service_index(d.to));
      for (std::size_t f = 0; f < nf; ++f)
        if (carries(d.features, s.features[f].name))
          (d.kind == DependencyKind::control ? controls : children)[std::size_t(from)][f].push_back(int(e));
      double per_try = d.retry_policy.per_try_timeout.value_or(d.timeout);
      timeout_lane.push_back(q.lane_for(per_try));
      deadline_lane.push_back(d.retry_policy.per_try_timeout ? q.lane_for(d.timeout) : 0);
    }
    client_lane = q.lane_for(s.client.timeout);
    region_replicas.assign(ns, std::vector<std::vector<int>>(topo.regions.size()));
    for (std::size_t r = 0; r < topo.replicas.size(); ++r)
      region_replicas[std::size_t(topo.replicas[r].service)][std::size_t(topo.replicas[r].region)].push_back(int(r));
    rr.assign(ns, std::vector<std::uint32_t>(topo.replicas.size() + 1, 0));
    zone_replicas.assign(ns, std::vector<std::vector<int>>(topo.zones.size()));
    replica_pos.assign(topo.replicas.size(), 0);
    for (std::size_t sv = 0; sv < ns; ++sv) {
      const auto& reps = topo.service_replicas[sv];
      for (std::size_t i = 0; i < reps.size(); ++i) {
        replica_pos[std::size_t(reps[i])] = int(i);
        zone_replicas[sv][std::size_t(topo.replicas[std::size_t(reps[i])].zone)].push_back(reps[i]);
      }
      outliers.emplace_back(s.services[sv].outlier_detection, int(reps.size()));
    }
    for (std::size_t e = 0; e < ne; ++e) {
      const Dependency& d = s.dependencies[e];
      limits.emplace_back(topo.service_replicas[std::size_t(edge_from[e])].size(),
                          CallLimits(d.circuit_breakers, d.retry_policy.retry_budget, d.retry_policy.retry_throttling));
      caches.emplace_back(d.cache);
    }
    for (const ReplicaInfo& ri : topo.replicas)
      hold_estimate.push_back(s.services[std::size_t(ri.service)].service_time.expected());
    replicas.resize(topo.replicas.size());
    action_done.assign(s.actions.size(), false);
    logged_out.assign(std::size_t(std::max(1, s.traffic.sample_users)), 0);
    if (!s.client.relogin_feature.empty())
      for (std::size_t f = 0; f < nf; ++f)
        if (s.features[f].name == s.client.relogin_feature) relogin_feature = int(f);
    resolve_monitors();
    set_up_recovery();
  }

  // ---- set-up -------------------------------------------------------------------------------

  int find_service(const std::string& name) const {
    for (std::size_t i = 0; i < s.services.size(); ++i)
      if (s.services[i].name == name) return int(i);
    return -1;
  }

  void resolve_monitors() {
    static const std::pair<const char*, MonitorMetric> kServiceMetrics[] = {
        {"availability", MonitorMetric::availability}, {"error_rate", MonitorMetric::error_rate},
        {"p50_latency", MonitorMetric::p50},           {"p95_latency", MonitorMetric::p95},
        {"p99_latency", MonitorMetric::p99},           {"queue", MonitorMetric::queue},
        {"replicas_serving", MonitorMetric::replicas_serving}};
    for (const Monitor& m : s.monitors) {
      MonitorState st;
      // metric: feature.<name>.availability | service.<name>.<one of kServiceMetrics>
      auto first = m.metric.find('.');
      auto last = m.metric.rfind('.');
      std::string scope = m.metric.substr(0, first), name = m.metric.substr(first + 1, last - first - 1),
                  what = m.metric.substr(last + 1);
      st.index = -1;
      if (scope == "feature") {
        for (std::size_t f = 0; f < s.features.size(); ++f)
          if (s.features[f].name == name) st.index = int(f);
      } else {
        st.index = find_service(name);
        bool known = false;
        for (const auto& [key, metric] : kServiceMetrics)
          if (what == key) {
            st.metric = metric;
            known = true;
          }
        if (!known) st.index = -1;
      }
      if (st.index < 0) throw InternalError("monitor metric '" + m.metric + "' names nothing");
      for (const std::string& d : m.depends_on) st.depends_on.push_back(service_index_or_throw(d));
      monitors.push_back(st);
    }
  }

  int service_index_or_throw(const std::string& name) const {
    int i = find_service(name);
    if (i < 0) throw InternalError("unknown service '" + name + "' in a validated scenario");
    return i;
  }

  void set_up_recovery() {
    const std::size_t ns = s.services.size();
    for (std::size_t sv = 0; sv < ns; ++sv) {
      const Service& svc = s.services[sv];
      supervisors.emplace_back(svc.restart_policy, int(topo.service_replicas[sv].size()));
      autoscalers.emplace_back();
      if (svc.autoscaling.enabled) autoscalers.back().emplace(svc.autoscaling);
    }
    scaling_samples.resize(ns);
    starts.assign(ns, 0);
    crashes.assign(ns, 0);
    failovers.resize(ns);
    replicas_by_bucket.assign(ns, std::vector<int>(std::size_t(rec.bucket_count()), 0));
    shed.assign(ns, 0);
    feature_killed.assign(s.features.size(), 0);
    edge_disabled.assign(s.dependencies.size(), 0);
    admit_gated.assign(s.features.size(), 0);
    action_time.assign(s.actions.size(), -1);
    // What each service needs to be usable: itself and, transitively, its hard and control dependencies.
    hard_closure.resize(ns);
    for (std::size_t sv = 0; sv < ns; ++sv) {
      std::vector<int>& seen = hard_closure[sv];
      seen.push_back(int(sv));
      for (std::size_t k = 0; k < seen.size(); ++k)
        for (std::size_t e = 0; e < s.dependencies.size(); ++e)
          if (edge_from[e] == seen[k] && s.dependencies[e].kind != DependencyKind::soft &&
              std::find(seen.begin(), seen.end(), edge_target[e]) == seen.end())
            seen.push_back(edge_target[e]);
    }
    for (std::size_t r = 0; r < topo.replicas.size(); ++r) {
      Replica& rep = replicas[r];
      const ReplicaInfo& ri = topo.replicas[r];
      const Failover& fo = s.services[std::size_t(ri.service)].failover;
      rep.parked = ri.parked;
      rep.standby = fo.enabled && std::find(fo.standby.begin(), fo.standby.end(), topo.zones[std::size_t(ri.zone)]) !=
                                      fo.standby.end();
      if (rep.parked) {
        rep.process_up = rep.ready = false;
        uptime.set_serving(int(r), false, 0);
      }
      update_rotation(int(r));
    }
  }

  void start() {
    for (std::size_t r = 0; r < topo.replicas.size(); ++r)
      if (replicas[r].parked) port.command(0, PlatformCommand{PlatformCommand::Kind::kill_replicas, {}, {int(r)}});
    for (std::size_t sv = 0; sv < s.services.size(); ++sv) {
      const Service& svc = s.services[sv];
      if (svc.failover.enabled) q.push(svc.health_check.interval, kFailoverProbe, std::uint32_t(sv));
      if (!svc.autoscaling.enabled) continue;
      q.push(svc.autoscaling.interval, kScaleTick, std::uint32_t(sv));
      q.push(kScalingSamplePeriod, kScaleSample, std::uint32_t(sv));
    }
    schedule_next_arrival(0);
    q.push(std::min(end, s.info.bucket), kBucketTick, 0);
    schedule_fault_steps();
    for (std::size_t a = 0; a < s.actions.size(); ++a)
      if (s.actions[a].trigger == Trigger::at) schedule_action(int(a), s.actions[a].at + s.actions[a].delay);
    for (std::size_t e = 0; e < s.dependencies.size(); ++e) {
      const Dependency& d = s.dependencies[e];
      if (d.cache.enabled) q.push(edge_rng[e].uniform(0, d.cache.refresh), kCacheRefresh, std::uint32_t(e));
      if (d.kind != DependencyKind::control) continue;
      // Callers refresh out of phase with each other, as real resolvers do.
      q.push(edge_rng[e].uniform(0, d.refresh), kControlRefresh, std::uint32_t(e));
    }
  }

  // ---- traffic ------------------------------------------------------------------------------

  void schedule_next_arrival(double from) {
    // Non-homogeneous Poisson arrivals by thinning against the peak rate.
    double t = from;
    double peak = traffic.max_candidate_rate();
    if (peak <= 0) return;
    while (true) {
      t += arrivals_rng.exponential(1.0 / peak);
      if (t >= end) return;
      if (arrivals_rng.uniform() * peak < traffic.rate_at(t) * traffic.surge_headroom()) break;
    }
    q.push(t, kArrival);
  }

  void on_arrival() {
    schedule_next_arrival(now);
    TrafficShape::Draw d = traffic.draw(users_rng);
    // Traffic surges: of the candidate arrivals, each kind of request keeps its surge's share.
    if (traffic.surge_headroom() > 1 &&
        !arrivals_rng.bernoulli(faults.traffic_multiplier(d.feature, d.segment, traffic.region_of(d.user)) /
                                traffic.surge_headroom()))
      return;
    Handle h = requests.acquire();
    UserRequest& u = requests[h];
    u.feature = d.feature;
    if (relogin_feature >= 0 && logged_out[d.user]) u.feature = relogin_feature;
    u.segment = d.segment;
    u.user = d.user;
    u.region = traffic.region_of(d.user);
    u.start = now;
    peak_in_flight = std::max(peak_in_flight, requests.live());
    if (feature_killed[std::size_t(u.feature)] || !admits(u)) {  // turned away at the edge
      finish_user_request(h, Outcome::failed);
      return;
    }
    start_root_call(h);
  }

  // Re-admission in steps lets in a fixed share of the users (by a hash of who they are), not of requests.
  bool admits(const UserRequest& u) const {
    if (admitted >= 1 || !admit_gated[std::size_t(u.feature)]) return true;
    return double(std::uint32_t(u.user * 2654435761u)) / 4294967296.0 < admitted;
  }

  void start_root_call(Handle ur) {
    UserRequest& u = requests[ur];
    ++u.client_attempts;
    Handle ch = calls.acquire();
    Call& c = calls[ch];
    c.parent = ur;
    c.edge = -1;
    c.service = feature_entry[std::size_t(u.feature)];
    c.feature = u.feature;
    c.caller_region = u.region;
    send_attempt(ch);
  }

  void on_root_result(Call& c, const Result& r) {
    Handle ur = c.parent;
    UserRequest& u = requests[ur];
    if (r.ok) {
      if (u.feature == relogin_feature) logged_out[u.user] = 0;
      finish_user_request(ur, r.degraded ? Outcome::degraded : Outcome::ok);
      return;
    }
    auto it = s.client.on_status.find(r.status);
    ClientAction action = it == s.client.on_status.end() ? ClientAction::error : it->second;
    switch (action) {
      case ClientAction::logout:
        if (!logged_out[u.user]) {
          logged_out[u.user] = 1;
          rec.logout(u.user);
        }
        finish_user_request(ur, Outcome::failed);
        return;
      case ClientAction::retry:
        if (u.client_attempts <= s.client.retries) {
          q.push(now + s.client.retry_delay, kClientRetry, 0, ur);
          return;
        }
        finish_user_request(ur, Outcome::failed);
        return;
      case ClientAction::ignore: finish_user_request(ur, Outcome::degraded); return;
      case ClientAction::error: finish_user_request(ur, Outcome::failed); return;
    }
  }

  void finish_user_request(Handle ur, Outcome o) {
    const UserRequest& u = requests[ur];
    rec.user_request(u.feature, u.segment, u.region, u.user, now, o, now - u.start);
    requests.release(ur);
  }

  // ---- calls and attempts -------------------------------------------------------------------

  bool available(int service, int r) const {
    return replicas[std::size_t(r)].in_rotation && !outliers[std::size_t(service)].ejected(replica_pos[std::size_t(r)]);
  }

  // The next available replica of `list` in round-robin order, or -1. Each caller replica keeps its
  // own cursor, as each Envoy does: a cursor shared by all callers would pair callers and callees in
  // lockstep.
  int round_robin(int service, int caller, const std::vector<int>& list) {
    std::uint32_t& cursor = rr[std::size_t(service)][std::size_t(caller + 1)];
    for (std::size_t i = 0; i < list.size(); ++i) {
      int r = list[(cursor + i) % list.size()];
      if (available(service, r)) {
        cursor += std::uint32_t(i + 1);
        return r;
      }
    }
    return -1;
  }

  // Random choice (one candidate) or the better of two random choices (least_request).
  int sample_replica(int service, const std::vector<int>& list, bool least_request) {
    thread_local std::vector<int> candidates;
    candidates.clear();
    for (int r : list)
      if (available(service, r)) candidates.push_back(r);
    if (candidates.empty()) return -1;
    int a = candidates[lb_rng.below(candidates.size())];
    if (!least_request || candidates.size() == 1) return a;
    // The second choice among the others (power of two choices).
    std::size_t ia = std::size_t(std::find(candidates.begin(), candidates.end(), a) - candidates.begin());
    std::size_t ib = (ia + 1 + lb_rng.below(candidates.size() - 1)) % candidates.size();
    int b = candidates[ib];
    auto load = [&](int r) { return replicas[std::size_t(r)].busy + int(replicas[std::size_t(r)].queue.size()); };
    return load(b) < load(a) ? b : a;
  }

  // Callers stay in their region while it has an available replica (zone_aware: in their zone first).
  int pick_replica(int service, int region, int zone, int caller) {
    const Service& svc = s.services[std::size_t(service)];
    // Called for every attempt: the tiers are a fixed array, not a vector allocated each time.
    const bool zone_first = svc.load_balancer == LoadBalancer::zone_aware && zone >= 0;
    const std::array<const std::vector<int>*, 3> tiers = {
        zone_first ? &zone_replicas[std::size_t(service)][std::size_t(zone)] : nullptr,
        &region_replicas[std::size_t(service)][std::size_t(region)], &topo.service_replicas[std::size_t(service)]};
    for (const std::vector<int>* tier : tiers) {
      if (!tier) continue;
      int r = -1;
      switch (svc.load_balancer) {
        case LoadBalancer::round_robin:
        case LoadBalancer::zone_aware: r = round_robin(service, caller, *tier); break;
        case LoadBalancer::random: r = sample_replica(service, *tier, false); break;
        case LoadBalancer::least_request: r = sample_replica(service, *tier, true); break;
      }
      if (r >= 0) return r;
    }
    return -1;
  }

  Blame down_blame(int service) const {
    for (int r : topo.service_replicas[std::size_t(service)])
      if (replicas[std::size_t(r)].down_fault >= 0) return Blame::fault(replicas[std::size_t(r)].down_fault);
    return {};
  }

  int caller_slot(const Call& c) const {
    return c.edge >= 0 && c.caller_replica >= 0 && !c.refresh ? replica_pos[std::size_t(c.caller_replica)] : -1;
  }

  void send_attempt(Handle ch) {
    Call& c = calls[ch];
    const bool retry = c.attempts > 0;
    const int slot = caller_slot(c);
    if (retry) c.retry_pending = false;  // the retry's place in the limits passes to its attempt
    if (slot >= 0 && !limits[std::size_t(c.edge)][std::size_t(slot)].may_send()) {
      if (retry) limits[std::size_t(c.edge)][std::size_t(slot)].retry_abandoned();
      // A circuit breaker overflows: the caller fails the call at once, without a network trip.
      rec.attempt(c.service, now, false, Cause::circuit_open, 0.0, Blame::edge(c.edge), now);
      rec.circuit_open(c.edge, now);
      settle_call(ch, Result{false, false, Status::UNAVAILABLE, Cause::circuit_open, false, Blame::edge(c.edge), now});
      return;
    }
    ++c.attempts;
    ++calls_sent;
    if (c.edge >= 0 && !c.refresh) rec.edge_attempt(c.edge);
    Handle ah = attempts.acquire();
    Attempt& a = attempts[ah];
    c.attempt = ah;
    a.call = ch;
    a.service = c.service;
    a.feature = c.feature;
    a.sent = now;
    a.retry = retry;
    a.edge = c.edge;
    a.caller_slot = slot;
    if (slot >= 0) limits[std::size_t(c.edge)][std::size_t(slot)].attempt_sent();
    int caller_host = c.caller_replica >= 0 ? topo.replicas[std::size_t(c.caller_replica)].host : -1;
    a.caller_host = caller_host;
    int caller_zone = c.caller_replica >= 0 ? topo.replicas[std::size_t(c.caller_replica)].zone : -1;
    int r = pick_replica(c.service, c.caller_region, caller_zone, c.caller_replica);
    a.replica = r;
    if (r < 0) {  // no healthy upstream: refused at once
      a.server_done = true;
      complete_attempt(ah, Result{false, false, Status::UNAVAILABLE, Cause::host_down, true, down_blame(c.service)});
      return;
    }
    const ReplicaInfo& ri = topo.replicas[std::size_t(r)];
    double there, back;
    if (caller_host >= 0) {
      there = port.latency(caller_host, ri.host);
      back = port.latency(ri.host, caller_host);
    } else {  // the user's client: no cost inside its region, the inter-region hop otherwise
      there = back = ri.region == c.caller_region ? 0.0 : s.network.inter_region;
    }
    if (c.edge >= 0 && faults.touches_edge(c.edge)) {
      {
        there += faults.added_delay_on(c.edge);
        if (int f = faults.injected_error_on(c.edge); f >= 0) {  // an abort injected on the path, as a fault filter does
          a.server_done = true;
          a.result = Result{false, false, s.faults[std::size_t(f)].status, Cause::injected, false, Blame::fault(f)};
          q.push(now + there + back, kReply, 0, ah);
          arm_timeout(c, ah);
          return;
        }
      }
    }
    if (faults.touches_paths()) {
      FaultPlan::Transit path = faults.transit(caller_host, c.caller_replica, c.edge, r, now);
      there += path.delay_there;
      back += path.delay_back;
      if (path.fault >= 0) {  // lost on the way, or refused by a handshake, a resolver or a token check
        a.server_done = true;
        if (path.lost) {
          a.lost_blame = Blame::fault(path.fault);
        } else {
          a.result = Result{false, false, path.status, Cause::injected, false, Blame::fault(path.fault)};
          q.push(path.at_once ? now : now + there + back, kReply, 0, ah);
        }
        arm_timeout(c, ah);
        return;
      }
    }
    a.back_latency = back;
    q.push(now + there, kAttemptArrive, std::uint32_t(r), ah);
    arm_timeout(c, ah);
  }

  void arm_timeout(const Call& c, Handle ah) {
    q.push_lane(c.edge >= 0 ? timeout_lane[std::size_t(c.edge)] : client_lane, now, kAttemptTimeout, 0, ah);
    if (c.edge >= 0 && c.attempts == 1 && s.dependencies[std::size_t(c.edge)].retry_policy.per_try_timeout)
      q.push_lane(deadline_lane[std::size_t(c.edge)], now, kCallDeadline, 0, attempts[ah].call);
  }

  void release_attempt_if_finished(Handle ah) {
    const Attempt& a = attempts[ah];
    if (a.caller_done && a.server_done) attempts.release(ah);
  }

  // The callee's side is over: answer the caller (if still listening) after the network delay.
  void reply(Handle ah, const Result& r) {
    Attempt& a = attempts[ah];
    a.server_done = true;
    if (a.caller_done) {
      attempts.release(ah);
      return;
    }
    if (a.caller_host >= 0 && faults.touches_paths())
      if (int f = faults.reply_lost(topo.replicas[std::size_t(a.replica)].host, a.caller_host); f >= 0) {
        a.lost_blame = Blame::fault(f);  // the answer is cut off on its way back: the caller times out
        return;
      }
    a.result = r;
    if (!r.ok && r.at < 0) a.result.at = now;
    q.push(now + a.back_latency, kReply, 0, ah);
  }

  void on_attempt_arrive(int r, Handle ah) {
    Attempt& a = attempts[ah];
    Replica& rep = replicas[std::size_t(r)];
    if (!rep.host_up) {  // nothing answers: the caller will time out
      a.server_done = true;
      a.lost = true;
      a.lost_blame = rep.down_fault >= 0 ? Blame::fault(rep.down_fault) : Blame{};
      release_attempt_if_finished(ah);
      return;
    }
    if (!rep.process_up || !rep.ready) {  // host up, nothing listening: refused
      reply(ah, Result{false, false, Status::UNAVAILABLE, Cause::host_down, true,
                       rep.down_fault >= 0 ? Blame::fault(rep.down_fault) : Blame{}});
      return;
    }
    const Service& svc = s.services[std::size_t(a.service)];
    if (shed[std::size_t(a.service)] > 0 && shed_rng.bernoulli(shed[std::size_t(a.service)])) {
      reply(ah, Result{false, false, Status::UNAVAILABLE, Cause::rejected, false, {}});
      return;
    }
    Handle jh = jobs.acquire();
    Job& j = jobs[jh];
    j.attempt = ah;
    a.job = jh;
    j.replica = r;
    j.epoch = rep.epoch;
    j.feature = a.feature;
    if (rep.busy < svc.workers) {
      start_job(jh);
      return;
    }
    // Admission control: shed a request whose expected wait is over the bound, before it waits.
    bool too_long = svc.max_queue_wait &&
                    double(rep.queue.size() + 1) * hold_estimate[std::size_t(r)] / svc.workers > *svc.max_queue_wait;
    if (int(rep.queue.size()) < svc.queue && !too_long) {
      j.enqueued_at = now;
      rep.queue.push_back(jh);
      a.queued = true;
      if (a.caller_slot >= 0) limits[std::size_t(a.edge)][std::size_t(a.caller_slot)].queued_at_callee();
    } else {
      jobs.release(jh);
      reply(ah, Result{false, false, Status::UNAVAILABLE, Cause::rejected, false, {}});
    }
  }

  void left_queue(Attempt& a) {
    if (!a.queued) return;
    a.queued = false;
    if (a.caller_slot >= 0) limits[std::size_t(a.edge)][std::size_t(a.caller_slot)].left_callee_queue();
  }

  // Free workers take queued requests: oldest first (fifo) or newest first (lifo), skipping those
  // that waited too long (load shedding) or whose caller gave up (deadline propagation).
  void serve_queue(int rep_index) {
    Replica& rep = replicas[std::size_t(rep_index)];
    const Service& svc = s.services[std::size_t(topo.replicas[std::size_t(rep_index)].service)];
    while (!rep.queue.empty() && rep.busy < svc.workers) {
      Handle next;
      if (svc.queue_discipline == QueueDiscipline::lifo) {
        next = rep.queue.back();
        rep.queue.pop_back();
      } else {
        next = rep.queue.front();
        rep.queue.pop_front();
      }
      Handle ah = jobs[next].attempt;
      left_queue(attempts[ah]);
      if ((svc.deadline_propagation || svc.cancellation) && attempts[ah].caller_done) {
        jobs.release(next);
        attempts[ah].server_done = true;
        release_attempt_if_finished(ah);
        continue;
      }
      if (svc.max_queue_wait && now - jobs[next].enqueued_at > *svc.max_queue_wait) {
        jobs.release(next);
        reply(ah, Result{false, false, Status::UNAVAILABLE, Cause::rejected, false, {}});
        continue;
      }
      start_job(next);
    }
  }

  void start_job(Handle jh) {
    Job& j = jobs[jh];
    Replica& rep = replicas[std::size_t(j.replica)];
    ++rep.busy;
    j.started = now;
    int service = topo.replicas[std::size_t(j.replica)].service;
    // A caller whose resolver lost its entries cannot reach anything: it fails before doing work.
    for (int e : controls[std::size_t(service)][std::size_t(j.feature)]) {
      const Resolver& res = resolvers[std::size_t(e)];
      if (res.broken) {
        finish_job(jh, Result{false, false, mapped(e, res.status), Cause::dependency, false, Blame::edge(e)});
        return;
      }
    }
    double t = service_rng[std::size_t(service)].sample(s.services[std::size_t(service)].service_time);
    if (faults.touches_service(service))
      t = t * faults.slowdown_at(service, j.replica) + faults.added_delay_at(service, j.replica);
    q.push(now + t, kServiceDone, std::uint32_t(j.replica), jh);
  }

  Status mapped(int edge, Status st) const {
    const auto& m = s.dependencies[std::size_t(edge)].error_mapping;
    auto it = m.find(st);
    return it == m.end() ? st : it->second;
  }

  void on_service_done(int r, Handle jh) {
    if (!jobs.alive(jh)) return;
    Job& j = jobs[jh];
    if (j.epoch != replicas[std::size_t(r)].epoch) {  // the process died under it
      drop_job(jh);
      return;
    }
    int service = topo.replicas[std::size_t(r)].service;
    if (s.services[std::size_t(service)].deadline_propagation && attempts[j.attempt].caller_done) {
      // Nobody waits for the answer: no calls to dependencies on its behalf.
      finish_job(jh, Result{true, false, Status::OK, Cause::dependency, false, {}});
      return;
    }
    if (faults.touches_service(service)) {
      if (int f = faults.injected_error_at(service, r); f >= 0) {
        finish_job(jh, Result{false, false, s.faults[std::size_t(f)].status, Cause::injected, false, Blame::fault(f)});
        return;
      }
    }
    const auto& edges = children[std::size_t(service)][std::size_t(j.feature)];
    int feature = j.feature;
    for (int e : edges) {
      const Dependency& d = s.dependencies[std::size_t(e)];
      if (edge_disabled[std::size_t(e)]) {  // a kill switch turned the call off: served without it
        jobs[jh].degraded = true;
        continue;
      }
      int n = int(d.calls);
      if (edge_rng[std::size_t(e)].bernoulli(d.calls - n)) ++n;
      for (int k = 0; k < n; ++k) {
        if (d.cache.enabled && caches[std::size_t(e)].hit(now, edge_rng[std::size_t(e)])) {
          rec.edge_request(e);
          rec.cache_hit(e);
          continue;
        }
        Handle ch = calls.acquire();
        Call& c = calls[ch];
        c.parent = jh;
        c.edge = e;
        c.service = edge_target[std::size_t(e)];
        c.feature = feature;
        c.caller_replica = r;
        c.caller_region = topo.replicas[std::size_t(r)].region;
        ++jobs[jh].pending;
        rec.edge_request(e);
        limits[std::size_t(e)][std::size_t(replica_pos[std::size_t(r)])].call_started();
        send_attempt(ch);
        if (!jobs.alive(jh) || jobs[jh].done) return;  // a child failed at once and failed the job
      }
    }
    if (jobs[jh].pending == 0) finish_job(jh, Result{true, jobs[jh].degraded, Status::OK, Cause::dependency, false, {}});
  }

  // The caller gave up on `a`: a callee that supports cancellation stops the work in progress and
  // frees its worker (queued work is skipped when it reaches a worker).
  void cancel_job(Attempt& a) {
    if (!jobs.alive(a.job)) return;
    Job& j = jobs[a.job];
    const int rep_index = j.replica;
    const Service& svc = s.services[std::size_t(topo.replicas[std::size_t(rep_index)].service)];
    if (!svc.cancellation || j.done || a.queued || j.epoch != replicas[std::size_t(rep_index)].epoch) return;
    jobs.release(a.job);
    a.server_done = true;
    --replicas[std::size_t(rep_index)].busy;
    serve_queue(rep_index);
  }

  void drop_job(Handle jh) {
    Handle ah = jobs[jh].attempt;
    jobs.release(jh);
    Attempt& a = attempts[ah];
    left_queue(a);
    a.server_done = true;
    a.lost = true;
    release_attempt_if_finished(ah);
  }

  void finish_job(Handle jh, const Result& r) {
    Job& j = jobs[jh];
    const Service& svc = s.services[std::size_t(topo.replicas[std::size_t(j.replica)].service)];
    if (!r.ok && svc.error_cost > 0 && !j.done) {
      // Handling the failure (logging, error paths) keeps the worker busy a little longer.
      j.done = true;
      j.deferred = r;
      q.push(now + svc.error_cost, kErrorCostDone, std::uint32_t(j.replica), jh);
      return;
    }
    j.done = true;
    int rep_index = j.replica;
    Handle ah = j.attempt;
    double held = now - j.started;
    jobs.release(jh);
    Replica& rep = replicas[std::size_t(rep_index)];
    --rep.busy;
    hold_estimate[std::size_t(rep_index)] += 0.1 * (held - hold_estimate[std::size_t(rep_index)]);
    reply(ah, r);
    serve_queue(rep_index);
  }

  void on_error_cost_done(int r, Handle jh) {
    if (!jobs.alive(jh)) return;
    if (jobs[jh].epoch != replicas[std::size_t(r)].epoch) {
      drop_job(jh);
      return;
    }
    Result deferred = jobs[jh].deferred;
    finish_job(jh, deferred);
  }

  void on_reply(Handle ah) {
    // The caller may have timed out and the attempt been recycled while the answer travelled.
    if (!attempts.alive(ah)) return;
    Attempt& a = attempts[ah];
    if (a.caller_done) {
      release_attempt_if_finished(ah);
      return;
    }
    Result r = a.result;
    complete_attempt(ah, r);
  }

  void on_attempt_timeout(Handle ah) {
    if (!attempts.alive(ah)) return;
    Attempt& a = attempts[ah];
    if (a.caller_done) return;
    // lost: the callee's host was down; a fault that dropped the attempt on the network blames itself.
    Result r{false, false, Status::DEADLINE_EXCEEDED, a.lost ? Cause::host_down : Cause::timeout, false, a.lost_blame};
    complete_attempt(ah, r);
  }

  // The caller has the answer to one attempt: record it, then retry, or settle the call.
  void attempt_over(Attempt& a, const Result& r) {
    a.caller_done = true;
    if (a.caller_slot >= 0) {
      CallLimits& l = limits[std::size_t(a.edge)][std::size_t(a.caller_slot)];
      l.attempt_ended(a.retry);
      if (r.ok) l.attempt_succeeded();
      else l.attempt_failed();
    }
    if (!r.ok && a.job && !a.server_done) cancel_job(a);
    if (a.replica >= 0) {
      bool server_error = !r.ok && (is_server_error(r.status) || r.cause == Cause::timeout);
      OutlierDetector& od = outliers[std::size_t(a.service)];
      int pos = replica_pos[std::size_t(a.replica)];
      if (auto until = od.record(pos, server_error, now)) {
        rec.event(now, "outlier_ejected", topo.replicas[std::size_t(a.replica)].name,
                  fmt::format("until +{:.0f}s", *until - now));
        rec.ejected(a.service, now, od.ejected_count());
        q.push(*until, kUneject, std::uint32_t(a.replica));
      }
    }
  }

  void complete_attempt(Handle ah, const Result& r) {
    Attempt& a = attempts[ah];
    attempt_over(a, r);
    Handle ch = a.call;
    rec.attempt(a.service, now, r.ok, r.cause, now - a.sent, r.blame, r.at >= 0 ? r.at : now);
    release_attempt_if_finished(ah);
    if (!calls.alive(ch)) return;
    Call& c = calls[ch];
    if (c.done || c.attempt != ah) return;
    if (c.edge < 0) {
      c.done = true;
      Call copy = c;
      calls.release(ch);
      on_root_result(copy, r);
      return;
    }
    if (!r.ok) {
      const RetryPolicy& p = s.dependencies[std::size_t(c.edge)].retry_policy;
      AttemptFailure af{r.status, r.cause, r.connect_failure};
      int slot = caller_slot(c);
      bool within_limits = slot < 0 || limits[std::size_t(c.edge)][std::size_t(slot)].may_retry();
      if (c.attempts <= p.num_retries && retry_allowed(p, af) && within_limits) {
        c.prev_back_off = retry_back_off(p, c.attempts, c.prev_back_off, edge_rng[std::size_t(c.edge)]);
        if (slot >= 0) limits[std::size_t(c.edge)][std::size_t(slot)].retry_scheduled();
        c.retry_pending = true;
        q.push(now + c.prev_back_off, kRetry, 0, ch);
        return;
      }
    }
    settle_call(ch, r);
  }

  void settle_call(Handle ch, const Result& result) {
    Call& c = calls[ch];
    c.done = true;
    int edge = c.edge;
    Handle parent = c.parent;
    bool refresh = c.refresh;
    int slot = caller_slot(c);
    if (c.retry_pending && slot >= 0) limits[std::size_t(edge)][std::size_t(slot)].retry_abandoned();
    calls.release(ch);
    if (refresh) {
      caches[std::size_t(edge)].refreshed(result.ok, now);
      return;
    }
    if (slot >= 0) limits[std::size_t(edge)][std::size_t(slot)].call_ended();
    Result r = result;
    if (!r.ok && s.dependencies[std::size_t(edge)].cache.enabled && caches[std::size_t(edge)].can_serve_stale()) {
      r = Result{};  // answered from the expired cache (fail static)
      rec.cache_hit(edge);
    }
    if (!r.ok) rec.edge_failure(edge);
    if (!jobs.alive(parent)) return;
    Job& j = jobs[parent];
    if (j.done) return;
    if (j.epoch != replicas[std::size_t(j.replica)].epoch) {  // the caller's process died while it waited
      drop_job(parent);
      return;
    }
    --j.pending;
    if (r.ok) {
      j.degraded |= r.degraded;
    } else {
      const Dependency& d = s.dependencies[std::size_t(edge)];
      bool fails_caller = d.kind == DependencyKind::hard || (d.kind == DependencyKind::soft && d.fallback == Fallback::fail);
      if (fails_caller) {
        finish_job(parent, Result{false, false, mapped(edge, r.status), Cause::dependency, false, Blame::edge(edge)});
        return;
      }
      if (d.fallback == Fallback::degrade) j.degraded = true;
    }
    if (j.pending == 0) finish_job(parent, Result{true, j.degraded, Status::OK, Cause::dependency, false, {}});
  }

  void on_retry(Handle ch) {
    if (!calls.alive(ch) || calls[ch].done) return;
    send_attempt(ch);
  }

  void on_call_deadline(Handle ch) {
    if (!calls.alive(ch) || calls[ch].done) return;
    Call& c = calls[ch];
    if (attempts.alive(c.attempt)) {
      Attempt& a = attempts[c.attempt];
      if (!a.caller_done) {
        attempt_over(a, Result{false, false, Status::DEADLINE_EXCEEDED, Cause::timeout, false, {}});
        rec.attempt(a.service, now, false, Cause::timeout, now - a.sent, {}, now);
        release_attempt_if_finished(c.attempt);
      }
    }
    settle_call(ch, Result{false, false, Status::DEADLINE_EXCEEDED, Cause::timeout, false, {}});
  }

  // ---- the platform under the model ----------------------------------------------------------

  void replica_down(int r) {
    Replica& rep = replicas[std::size_t(r)];
    bool was_serving = rep.process_up && rep.ready;
    uptime.set_serving(r, false, now);
    rep.process_up = false;
    rep.ready = false;
    ++rep.epoch;
    rep.busy = 0;
    for (Handle jh : rep.queue) drop_job(jh);
    rep.queue.clear();
    ++rep.health_token;
    if (was_serving || rep.health_in) {
      const HealthCheck& hc = s.services[std::size_t(topo.replicas[std::size_t(r)].service)].health_check;
      q.push(now + hc.interval * hc.unhealthy_threshold, kHealthOut, std::uint32_t(r), rep.health_token);
    }
  }

  void update_rotation(int r) {
    Replica& rep = replicas[std::size_t(r)];
    rep.in_rotation = rep.health_in && !rep.standby && !rep.parked;
  }

  void on_host_state(int host, bool up, double t) {
    now = std::max(now, t);
    for (int r : topo.host_replicas[std::size_t(host)]) {
      Replica& rep = replicas[std::size_t(r)];
      if (!up) {
        rep.host_up = false;
        replica_down(r);
      } else {
        rep.host_up = true;
      }
    }
  }

  void on_replica_down(int r, double t) {
    now = std::max(now, t);
    replica_down(r);
  }

  void on_replica_ready(int r, double t) {
    now = std::max(now, t);
    Replica& rep = replicas[std::size_t(r)];
    rep.host_up = true;
    rep.start_pending = false;
    rep.ready_expected = -1;
    const int service = topo.replicas[std::size_t(r)].service;
    if (rep.parked) {  // a rebooted host started a replica the autoscaler had switched off
      port.command(now, PlatformCommand{PlatformCommand::Kind::kill_replicas, {}, {r}});
      return;
    }
    rep.process_up = true;
    if (int missing = missing_at_start(service); missing >= 0) {  // it cannot start without it: it dies
      if (!rep.failing_start)
        rec.event(now, "start_failed", topo.replicas[std::size_t(r)].name,
                  s.services[std::size_t(missing)].name + " not serving; restarting per its restart_policy");
      rep.failing_start = true;
      restart(r, true);
      return;
    }
    rep.failing_start = false;
    rep.ready = true;
    rep.down_fault = -1;
    uptime.set_serving(r, true, now);
    supervisors[std::size_t(service)].ready(replica_pos[std::size_t(r)], now);
    ++rep.health_token;
    const HealthCheck& hc = s.services[std::size_t(service)].health_check;
    q.push(now + hc.interval * hc.healthy_threshold, kHealthIn, std::uint32_t(r), rep.health_token);
    if (double after = faults.crash_loop_after(r); after >= 0) q.push(now + after, kCrash, std::uint32_t(r), rep.epoch);
  }

  void on_health(int r, std::uint64_t token, bool in) {
    Replica& rep = replicas[std::size_t(r)];
    if (token != rep.health_token) return;
    rep.health_in = in;
    update_rotation(r);
  }

  // A required service with no replica serving, or -1.
  int missing_at_start(int service) const {
    for (const std::string& name : s.services[std::size_t(service)].startup_requires) {
      int need = find_service(name);
      if (need >= 0 && serving_replicas(need) == 0) return need;
    }
    return -1;
  }

  // Replicas serving and meant to take traffic (a failover standby is running but does not count).
  int serving_replicas(int service) const {
    int n = 0;
    for (int r : topo.service_replicas[std::size_t(service)]) {
      const Replica& rep = replicas[std::size_t(r)];
      n += rep.ready && !rep.standby && !rep.parked;
    }
    return n;
  }

  // ---- restarts: every start of a process goes through its service's supervisor --------------

  // Kills the replica if it runs and starts it when the supervisor allows; `crashed`: it died of a
  // crash (back-off applies) rather than being restarted on purpose.
  void restart(int r, bool crashed) {
    Replica& rep = replicas[std::size_t(r)];
    if (rep.start_pending || rep.parked) return;
    const int service = topo.replicas[std::size_t(r)].service;
    const double at = supervisors[std::size_t(service)].grant(replica_pos[std::size_t(r)], crashed, now);
    if (crashed) ++crashes[std::size_t(service)];
    if (at <= now) {
      ++starts[std::size_t(service)];
      port.command(now, PlatformCommand{PlatformCommand::Kind::restart_replicas, {}, {r}});
      rep.ready_expected = now + s.services[std::size_t(service)].restart_time;
      return;
    }
    port.command(now, PlatformCommand{PlatformCommand::Kind::kill_replicas, {}, {r}});
    rep.start_pending = true;
    rep.ready_expected = at + s.services[std::size_t(service)].restart_time;
    q.push(at, kStart, std::uint32_t(r), ++rep.start_token);
  }

  void on_start(int r, std::uint32_t token) {
    Replica& rep = replicas[std::size_t(r)];
    if (token != rep.start_token || !rep.start_pending) return;
    rep.start_pending = false;
    if (rep.parked || rep.process_up || faults.holds(r)) return;  // started by a host reboot, or held dead again
    ++starts[std::size_t(topo.replicas[std::size_t(r)].service)];
    port.command(now, PlatformCommand{PlatformCommand::Kind::restart_replicas, {}, {r}});
  }

  void on_crash(int r, std::uint32_t epoch) {
    const Replica& rep = replicas[std::size_t(r)];
    if (epoch != rep.epoch || !rep.ready || faults.crash_loop_after(r) < 0) return;
    restart(r, true);
  }

  // ---- faults, monitors, actions -------------------------------------------------------------

  // The fault plan's steps (an occurrence starting or ending, a rollout reaching a replica, a crash
  // loop's next crash) become events as the plan makes them known.
  void schedule_fault_steps() {
    for (; fault_steps_scheduled < faults.steps().size(); ++fault_steps_scheduled)
      q.push(faults.steps()[fault_steps_scheduled].time, kFaultStep, std::uint32_t(fault_steps_scheduled));
  }

  void on_fault_step(int k) { apply_fault_change(faults.advance(k)); }

  void end_fault(int i, const std::string& why) {
    if (!faults.active(i)) return;
    apply_fault_change(faults.end(i, why));
  }

  void apply_fault_change(const FaultPlan::Change& change) {
    for (const FaultPlan::Change::Note& n : change.notes)
      rec.event(now, n.kind, s.faults[std::size_t(change.fault)].name, n.detail);
    for (const PlatformCommand& command : change.commands) {
      // Replicas taken down by the fault blame it until they are ready again.
      if (command.kind == PlatformCommand::Kind::hosts_down)
        for (int h : command.hosts)
          for (int r : topo.host_replicas[std::size_t(h)]) replicas[std::size_t(r)].down_fault = change.fault;
      if (command.kind == PlatformCommand::Kind::kill_replicas || command.kind == PlatformCommand::Kind::restart_replicas)
        for (int r : command.replicas) replicas[std::size_t(r)].down_fault = change.fault;
      if (command.kind == PlatformCommand::Kind::restart_replicas) {  // through the supervisor
        for (int r : command.replicas) restart(r, false);
        continue;
      }
      if (command.kind == PlatformCommand::Kind::hosts_up)
        for (int h : command.hosts)
          for (int r : topo.host_replicas[std::size_t(h)])
            replicas[std::size_t(r)].ready_expected = now + s.services[std::size_t(topo.replicas[std::size_t(r)].service)].restart_time;
      port.command(now, command);
    }
    schedule_fault_steps();
  }

  // The caller refreshes its cache with a real call to the callee, from one of its replicas.
  void on_cache_refresh(int e) {
    const Dependency& d = s.dependencies[std::size_t(e)];
    q.push(now + d.cache.refresh, kCacheRefresh, std::uint32_t(e));
    int caller = -1;
    for (int r : topo.service_replicas[std::size_t(edge_from[std::size_t(e)])])
      if (replicas[std::size_t(r)].ready) {
        caller = r;
        break;
      }
    if (caller < 0) return;  // nothing left to refresh it
    int feature = 0;
    for (std::size_t f = 0; f < s.features.size(); ++f)
      if (carries(d.features, s.features[f].name)) {
        feature = int(f);
        break;
      }
    Handle ch = calls.acquire();
    Call& c = calls[ch];
    c.parent = 0;  // no job waits for it
    c.refresh = true;
    c.edge = e;
    c.service = edge_target[std::size_t(e)];
    c.feature = feature;
    c.caller_replica = caller;
    c.caller_region = topo.replicas[std::size_t(caller)].region;
    send_attempt(ch);
  }

  void on_uneject(int r) {
    int service = topo.replicas[std::size_t(r)].service;
    outliers[std::size_t(service)].return_to_rotation(replica_pos[std::size_t(r)]);
    rec.event(now, "outlier_returned", topo.replicas[std::size_t(r)].name);
    rec.ejected(service, now, outliers[std::size_t(service)].ejected_count());
  }

  void on_control_refresh(int e) {
    Resolver& res = resolvers[std::size_t(e)];
    const Dependency& d = s.dependencies[std::size_t(e)];
    int cp = edge_target[std::size_t(e)];
    // What the control plane answers now.
    FaultPlan::ControlAnswer answer = faults.control_plane_answer(cp);
    bool ok = answer.ok, missing = answer.missing;
    Status status = answer.status;
    Blame blame = answer.fault >= 0 ? Blame::fault(answer.fault) : Blame{};
    if (ok) {
      bool any = false;
      for (int r : topo.service_replicas[std::size_t(cp)]) any |= replicas[std::size_t(r)].in_rotation && replicas[std::size_t(r)].ready;
      if (!any) {
        ok = false;
        status = Status::UNAVAILABLE;
        blame = down_blame(cp);
      }
    }
    // The refresh is a call to the control plane: it takes one of its service times.
    double took = service_rng[std::size_t(cp)].sample(s.services[std::size_t(cp)].service_time);
    rec.attempt(cp, now, ok, ok ? Cause::dependency : (blame.kind == Blame::Kind::fault ? Cause::injected : Cause::host_down),
                took, blame, now);
    if (ok) {
      res.broken = false;
      res.last_good = now;
    } else if (!d.fail_static) {
      // An authoritative "no such entry" replaces the cache at once; errors only once it has expired.
      if (missing || now - res.last_good > d.cache_ttl) {
        res.broken = true;
        res.status = status;
      }
    }
    q.push(now + d.refresh, kControlRefresh, std::uint32_t(e));
  }

  void on_bucket_tick(int b) {
    rec.close_bucket(b);
    next_bucket = b + 1;
    for (std::size_t sv = 0; sv < s.services.size(); ++sv) replicas_by_bucket[sv][std::size_t(b)] = serving_replicas(int(sv));
    evaluate_monitors(b);
    track_resolution(b);
    if (incident.detected && !incident.acknowledged && now >= acknowledge_due) try_acknowledge(false);
    if (diagnosis_since >= 0 && !incident.diagnosed) progress_diagnosis();
    double next = std::min(end, (b + 2) * s.info.bucket);
    if (b + 1 < rec.bucket_count()) q.push(next, kBucketTick, std::uint32_t(b + 1));
  }

  // Whether responders (or a monitoring pipeline) can use a service now: it and everything it
  // hard-depends on have a replica serving and answered at least half their calls in the last bucket.
  bool usable(int service) const {
    const int b = next_bucket - 1;
    for (int m : hard_closure[std::size_t(service)]) {
      if (serving_replicas(m) == 0) return false;
      if (b < 0) continue;
      const Counts& c = rec.service_bucket(m, b);
      if (c.requests > 0 && c.availability() < 0.5) return false;
    }
    return true;
  }

  double monitor_value(const MonitorState& st, int b, bool& have) const {
    have = true;
    switch (st.metric) {
      case MonitorMetric::feature_availability: {
        const Counts& c = rec.feature_bucket(st.index, b);
        have = c.requests > 0;
        return c.availability();
      }
      case MonitorMetric::availability:
      case MonitorMetric::error_rate: {
        const Counts& c = rec.service_bucket(st.index, b);
        have = c.requests > 0;
        return st.metric == MonitorMetric::availability ? c.availability() : 1 - c.availability();
      }
      case MonitorMetric::p50:
      case MonitorMetric::p95:
      case MonitorMetric::p99:
        have = rec.service_bucket(st.index, b).requests > 0;
        return st.metric == MonitorMetric::p50   ? rec.service_p50_last(st.index)
               : st.metric == MonitorMetric::p95 ? rec.service_p95_last(st.index)
                                                 : rec.service_p99(st.index, b);
      case MonitorMetric::queue: {  // requests waiting per serving replica, sampled at the bucket's end
        int waiting = 0;
        for (int r : topo.service_replicas[std::size_t(st.index)]) waiting += int(replicas[std::size_t(r)].queue.size());
        return double(waiting) / std::max(1, serving_replicas(st.index));
      }
      case MonitorMetric::replicas_serving: return serving_replicas(st.index);
    }
    return 0;
  }

  void evaluate_monitors(int b) {
    const double bucket_start = b * s.info.bucket;
    for (std::size_t m = 0; m < monitors.size(); ++m) {
      MonitorState& st = monitors[m];
      const Monitor& mon = s.monitors[m];
      // No data through a broken pipeline: the alert can neither fire nor resolve.
      bool blind = false;
      for (int d : st.depends_on) blind |= !usable(d);
      if (blind) {
        if (!st.firing) st.true_since = -1;
        continue;
      }
      bool have = true;
      double v = monitor_value(st, b, have);
      bool cond = have && (mon.op == CompareOp::lt ? v < mon.threshold
                           : mon.op == CompareOp::le ? v <= mon.threshold
                           : mon.op == CompareOp::gt ? v > mon.threshold
                                                     : v >= mon.threshold);
      if (!cond) {
        if (st.firing) rec.event(now, "alert_resolved", mon.name, fmt::format("{} = {:.4g}", mon.metric, v));
        st.firing = false;
        st.true_since = -1;
        continue;
      }
      if (st.true_since < 0) st.true_since = bucket_start;
      if (!st.firing && now - st.true_since >= mon.for_ - 1e-9) {
        st.firing = true;
        rec.event(now, "alert", mon.name, fmt::format("{} = {:.4g}", mon.metric, v));
        on_alert(int(m));
      }
    }
  }

  // ---- the people ------------------------------------------------------------------------------

  void schedule_action(int a, double at) {
    action_time[std::size_t(a)] = at;
    q.push(at, kAction, std::uint32_t(a));
  }

  void schedule_actions(Trigger trigger, const std::string& monitor) {
    for (std::size_t a = 0; a < s.actions.size(); ++a) {
      const Action& act = s.actions[a];
      if (act.trigger != trigger || (trigger == Trigger::monitor && act.monitor != monitor)) continue;
      if (action_done[a]) continue;
      action_done[a] = true;
      double wait = act.delay;
      if (trigger == Trigger::diagnosed) wait += incident_rng.sample(s.incident.act);
      schedule_action(int(a), now + wait);
    }
  }

  void on_alert(int m) {
    schedule_actions(Trigger::monitor, s.monitors[std::size_t(m)].name);
    if (incident.detected) return;
    incident.detected = now;
    incident.detected_by = s.monitors[std::size_t(m)].name;
    rec.event(now, "detected", s.monitors[std::size_t(m)].name);
    schedule_actions(Trigger::detected, {});
    acknowledge_due = now + incident_rng.sample(s.incident.acknowledge);
    q.push(acknowledge_due, kStage, kAcknowledgeDue);
    if (s.incident.status_page_fallback)
      q.push(acknowledge_due + *s.incident.status_page_fallback, kStage, kAcknowledgeFallback);
  }

  // Acknowledging is telling users (the first status update): it waits for the status page to work, or
  // for the fallback channel.
  void try_acknowledge(bool fallback) {
    if (incident.acknowledged) return;
    const bool page = s.incident.status_page.empty() || usable(find_service(s.incident.status_page));
    if (!page && !fallback) return;
    incident.acknowledged = now;
    incident.acknowledged_via = page ? "status_page" : "fallback";
    std::string how = incident.acknowledged_via == "fallback"
                          ? fmt::format("status page down: posted elsewhere after {}", clock_text(now - acknowledge_due))
                      : now > acknowledge_due + 1e-9
                          ? fmt::format("status page down for {} past due", clock_text(now - acknowledge_due))
                          : std::string{};
    rec.event(now, "acknowledged", "incident", how);
    post_status(current_state(), page ? "status_page" : "fallback");
    schedule_actions(Trigger::acknowledged, {});
    if (s.incident.status_update_every) q.push(now + *s.incident.status_update_every, kStatusUpdate);
  }

  // The responders are on it once the acknowledgement is due, whether or not they could post it.
  void start_diagnosis() {
    diagnosis_need = incident_rng.sample(s.incident.diagnose);
    diagnosis_done = 0;
    diagnosis_since = now;
    diagnosis_rate = tooling_usable() ? 1 : s.incident.tooling_down_speed;
    schedule_diagnosis();
  }

  bool tooling_usable() const {
    for (const std::string& t : s.incident.tooling)
      if (!usable(find_service(t))) return false;
    return true;
  }

  // Diagnosis is work done at full speed with working tooling and at tooling_down_speed without; the
  // tooling is looked at once a bucket.
  void progress_diagnosis() {
    const double dt = now - diagnosis_since;
    diagnosis_done += dt * diagnosis_rate;
    if (diagnosis_rate < 1) tooling_down_time += dt;
    diagnosis_since = now;
    const double rate = tooling_usable() ? 1 : s.incident.tooling_down_speed;
    if (rate == diagnosis_rate) return;
    diagnosis_rate = rate;
    schedule_diagnosis();
  }

  void schedule_diagnosis() {
    ++diagnosis_token;
    if (diagnosis_rate <= 0) return;  // stuck until the tooling is back
    const double left = std::max(0.0, diagnosis_need - diagnosis_done);
    q.push(now + left / diagnosis_rate, kStage, kDiagnosed, diagnosis_token);
  }

  void on_stage(std::uint32_t stage, std::uint64_t token) {
    switch (stage) {
      case kAcknowledgeDue:
        start_diagnosis();
        try_acknowledge(false);
        break;
      case kAcknowledgeFallback: try_acknowledge(true); break;
      case kDiagnosed: {
        if (token != diagnosis_token || incident.diagnosed) return;
        if (diagnosis_rate < 1) tooling_down_time += now - diagnosis_since;
        incident.diagnosed = now;
        if (tooling_down_time > 0)
          incident.diagnosed_note = fmt::format("tooling unusable {} (diagnosis at {:.0f}% speed)", clock_text(tooling_down_time),
                                                100 * s.incident.tooling_down_speed);
        rec.event(now, "diagnosed", "incident", incident.diagnosed_note);
        schedule_actions(Trigger::diagnosed, {});
        if (incident.acknowledged) post_status("identified", {});
        break;
      }
    }
  }

  // ---- status updates --------------------------------------------------------------------------

  // The incident is over once every feature has met its objective for stable_for after the impact
  // began (the same rule as `recovered`, seen as it happens): the resolution is posted then, and the
  // routine updates stop.
  void track_resolution(int b) {
    if (resolved) return;
    bool healthy = true;
    for (std::size_t f = 0; f < s.features.size(); ++f) {
      const Counts& c = rec.feature_bucket(int(f), b);
      if (c.requests && c.availability() < s.features[f].slo) healthy = false;
    }
    if (!healthy) {
      impact_seen = true;
      healthy_buckets = 0;
      return;
    }
    if (!impact_seen) return;
    ++healthy_buckets;
    const std::size_t need = std::max<std::size_t>(1, std::size_t(std::ceil(s.incident.stable_for / s.info.bucket - 1e-9)));
    if (healthy_buckets < need) return;
    resolved = true;
    resolved_since = (b + 1 - double(healthy_buckets)) * s.info.bucket;
    if (incident.acknowledged) post_status("resolved", {});  // else a late acknowledgement says it
  }

  // Features below their objective in the last closed bucket, as users would read it.
  std::string impact_text() const {
    const int b = next_bucket - 1;
    std::string out;
    if (b >= 0)
      for (std::size_t f = 0; f < s.features.size(); ++f) {
        const Counts& c = rec.feature_bucket(int(f), b);
        if (c.requests == 0 || c.availability() >= s.features[f].slo) continue;
        out += fmt::format("{}{} {:.0f}%", out.empty() ? "" : ", ", s.features[f].name, 100 * c.availability());
      }
    return out.empty() ? "every feature meets its objective" : out + " of requests succeed";
  }

  bool action_mitigates_by_default(const Action& act) const {
    return act.kind != ActionKind::admit;
  }

  // When the platform should be whole again, as the responders know it now: nothing before the
  // diagnosis; then the planned fixes plus the restarts they take, the starts under way, the
  // replicas being provisioned and the re-admission steps left.
  std::optional<double> restoration_estimate() const {
    if (!incident.diagnosed) return std::nullopt;
    double eta = -1;
    bool planned = incident.mitigated.has_value();
    for (std::size_t a = 0; a < s.actions.size(); ++a) {
      const Action& act = s.actions[a];
      if (action_time[a] < now) continue;
      if (!act.mitigates.value_or(action_mitigates_by_default(act))) continue;
      double effect = 0;
      if (!act.service.empty()) {
        const Service& svc = s.services[std::size_t(find_service(act.service))];
        if (act.kind == ActionKind::restart) effect = svc.restart_time;
        if (act.kind == ActionKind::scale) effect = svc.autoscaling.provisioning_delay + svc.restart_time;
      }
      eta = std::max(eta, action_time[a] + effect);
      planned = true;
    }
    if (!planned) return std::nullopt;
    for (const Replica& rep : replicas) eta = std::max(eta, rep.ready_expected);
    if (admitted < 1)
      for (std::size_t a = 0; a < s.actions.size(); ++a)
        if (s.actions[a].kind == ActionKind::admit && action_done_at(int(a)))
          eta = std::max(eta, now + std::ceil((1 - admitted) / s.actions[a].step - 1e-9) * s.actions[a].every);
    return std::max(eta, now);
  }

  bool action_done_at(int a) const { return action_time[std::size_t(a)] >= 0 && action_time[std::size_t(a)] <= now; }

  void post_status(std::string state, std::string channel) {
    // After the resolution only a first post (an acknowledgement that came late) goes out, and it
    // says it is over.
    if (resolved && state != "resolved") {
      if (!status_updates.empty()) return;
      state = "resolved";
    }
    if (channel.empty()) {  // a later update: through the page if it works, else the fallback channel
      const bool page = s.incident.status_page.empty() || usable(find_service(s.incident.status_page));
      if (page) channel = "status_page";
      else if (s.incident.status_page_fallback) channel = "fallback";
      else return;  // nowhere to post it
    }
    std::string message;
    if (state == "investigating") {
      message = "Investigating: " + impact_text();
    } else if (state == "identified") {
      std::string planned;
      for (std::size_t a = 0; a < s.actions.size(); ++a)
        if (action_time[a] >= now) planned += (planned.empty() ? "" : ", ") + s.actions[a].name;
      message = "Identified: " + (planned.empty() ? std::string("fix being prepared") : planned + " planned") + "; " +
                impact_text();
    } else if (state == "monitoring") {
      message = "Fix applied (" + incident.mitigated_by + "); " + impact_text();
    } else {
      message = "Resolved: every feature has met its objective since " + hms_text(resolved_since);
    }
    const std::optional<double> eta = state == "resolved" ? std::nullopt : restoration_estimate();
    // A fix applied the moment it is identified is one post, not two in the same second.
    if (!status_updates.empty() && status_updates.back().time == now && status_updates.back().channel == channel)
      status_updates.pop_back();
    status_updates.push_back(StatusUpdate{now, state, message, eta, channel});
    rec.event(now, "status_update", state, message);
  }

  std::string current_state() const {
    return incident.mitigated ? "monitoring" : incident.diagnosed ? "identified" : "investigating";
  }

  // The cadence counts from the last post: a post on a change of state (identified, monitoring)
  // moves the next routine update.
  void on_status_update() {
    if (resolved) return;
    const double every = *s.incident.status_update_every;
    const double last = status_updates.empty() ? -1 : status_updates.back().time;
    if (last >= 0 && now - last < every - 1e-9) {
      q.push(last + every, kStatusUpdate);
      return;
    }
    post_status(current_state(), {});
    // Until the run ends; updates after the incident is resolved are dropped at the end.
    q.push(now + every, kStatusUpdate);
  }

  // ---- automatic recovery ----------------------------------------------------------------------

  void sample_scaling_signal(int sv) {
    const Service& svc = s.services[std::size_t(sv)];
    int serving = 0, busy = 0, waiting = 0;
    for (int r : topo.service_replicas[std::size_t(sv)]) {
      const Replica& rep = replicas[std::size_t(r)];
      if (!rep.ready || rep.parked) continue;
      ++serving;
      busy += rep.busy;
      waiting += int(rep.queue.size());
    }
    if (serving == 0) return;  // no replica reports: no sample
    double v = 0;
    switch (svc.autoscaling.signal) {
      case ScalingSignal::cpu: v = double(busy) / (double(serving) * svc.workers); break;
      case ScalingSignal::queue: v = double(waiting) / serving; break;
      case ScalingSignal::latency: v = next_bucket > 0 ? rec.service_p99(sv, next_bucket - 1) : 0; break;
    }
    scaling_samples[std::size_t(sv)].sum += v;
    ++scaling_samples[std::size_t(sv)].n;
  }

  int active_replicas(int sv) const {
    int n = 0;
    for (int r : topo.service_replicas[std::size_t(sv)]) n += !replicas[std::size_t(r)].parked;
    return n;
  }

  void on_scale_tick(int sv) {
    const Autoscaling& cfg = s.services[std::size_t(sv)].autoscaling;
    q.push(now + cfg.interval, kScaleTick, std::uint32_t(sv));
    ScalingSamples& smp = scaling_samples[std::size_t(sv)];
    if (smp.n == 0) sample_scaling_signal(sv);
    if (smp.n == 0) return;
    const double signal = smp.sum / smp.n;
    smp = {};
    const int active = active_replicas(sv);
    const int change = autoscalers[std::size_t(sv)]->decide(serving_replicas(sv), active, signal, now);
    if (change != 0) {
      rec.event(now, change > 0 ? "scale_out" : "scale_in", s.services[std::size_t(sv)].name,
                fmt::format("{} -> {} replicas ({} = {:.3g}, target {:.3g})", active, active + change,
                            to_string(cfg.signal), signal, cfg.target));
      set_active(sv, active + change);
    }
  }

  // Makes `want` replicas of the service active: parked ones are provisioned (after the delay, then
  // their restart_time); the last active ones are switched off.
  void set_active(int sv, int want) {
    const auto& reps = topo.service_replicas[std::size_t(sv)];
    int active = active_replicas(sv);
    const double delay = s.services[std::size_t(sv)].autoscaling.provisioning_delay;
    for (int r : reps) {
      if (active >= want) break;
      Replica& rep = replicas[std::size_t(r)];
      if (!rep.parked) continue;
      rep.parked = false;
      rep.ready_expected = now + delay + s.services[std::size_t(sv)].restart_time;
      q.push(now + delay, kProvisioned, std::uint32_t(r), ++rep.start_token);
      ++active;
    }
    for (auto it = reps.rbegin(); it != reps.rend() && active > want; ++it) {
      Replica& rep = replicas[std::size_t(*it)];
      if (rep.parked) continue;
      rep.parked = true;
      rep.start_pending = false;
      rep.ready_expected = -1;
      update_rotation(*it);
      port.command(now, PlatformCommand{PlatformCommand::Kind::kill_replicas, {}, {*it}});
      --active;
    }
  }

  void on_provisioned(int r, std::uint32_t token) {
    Replica& rep = replicas[std::size_t(r)];
    if (token != rep.start_token || rep.parked) return;
    update_rotation(r);
    if (rep.process_up || faults.holds(r)) return;
    port.command(now, PlatformCommand{PlatformCommand::Kind::restart_replicas, {}, {r}});
  }

  // The failover controller probes the active replicas from its zone; after hold_down without an
  // answer it promotes the standby ones.
  void on_failover_probe(int sv) {
    FailoverState& st = failovers[std::size_t(sv)];
    const Service& svc = s.services[std::size_t(sv)];
    if (st.done || st.promoting) return;
    q.push(now + svc.health_check.interval, kFailoverProbe, std::uint32_t(sv));
    const int observer = topo.zone_index(svc.failover.observer);
    bool answered = false;
    for (int r : topo.service_replicas[std::size_t(sv)]) {
      const Replica& rep = replicas[std::size_t(r)];
      if (rep.standby || rep.parked || !rep.ready) continue;
      answered |= observer < 0 || faults.round_trip(observer, topo.replicas[std::size_t(r)].zone);
    }
    if (answered) {
      st.unreachable_since = -1;
      return;
    }
    if (st.unreachable_since < 0) st.unreachable_since = now;
    if (now - st.unreachable_since < svc.failover.hold_down - 1e-9) return;
    st.promoting = true;
    rec.event(now, "failover_started", svc.name,
              fmt::format("no active replica answered {} for {}", svc.failover.observer, clock_text(now - st.unreachable_since)));
    // The old active replicas are fenced at once; the standby ones take over after the promotion.
    for (int r : topo.service_replicas[std::size_t(sv)]) {
      replicas[std::size_t(r)].standby = true;
      update_rotation(r);
    }
    q.push(now + svc.failover.delay, kFailoverDone, std::uint32_t(sv));
  }

  void on_failover_done(int sv) {
    FailoverState& st = failovers[std::size_t(sv)];
    const Failover& fo = s.services[std::size_t(sv)].failover;
    st.promoting = false;
    if (st.done) return;  // a failover action took over meanwhile: its choice stands
    st.done = true;
    std::string zones;
    for (const std::string& z : fo.standby) zones += (zones.empty() ? "" : ", ") + z;
    make_active(sv, [&](int zone, int) {
      return std::find(fo.standby.begin(), fo.standby.end(), topo.zones[std::size_t(zone)]) != fo.standby.end();
    });
    rec.event(now, "failover", s.services[std::size_t(sv)].name, "promoted the replicas in " + zones);
  }

  template <class Pred>
  void make_active(int sv, Pred in_new_set) {
    for (int r : topo.service_replicas[std::size_t(sv)]) {
      const ReplicaInfo& ri = topo.replicas[std::size_t(r)];
      replicas[std::size_t(r)].standby = !in_new_set(ri.zone, ri.region);
      update_rotation(r);
    }
  }

  // ---- actions ---------------------------------------------------------------------------------

  void on_action(int a) {
    const Action& act = s.actions[std::size_t(a)];
    bool mitigates = false;
    std::string detail;
    const int sv = act.service.empty() ? -1 : find_service(act.service);
    switch (act.kind) {
      case ActionKind::rollback: {
        const Fault* f = s.find_fault(act.fault);
        int i = f ? int(f - s.faults.data()) : -1;
        if (i >= 0 && faults.active(i)) {
          mitigates = true;
          end_fault(i, "rolled back by " + act.name);
        }
        detail = "rollback of " + act.fault;
        break;
      }
      case ActionKind::restart: {
        mitigates = faults.hits_service(sv);
        const int n = restart_batch(a, 0);
        detail = act.batch > 0 ? fmt::format("restart of {} in batches of {} every {}", act.service, act.batch,
                                             duration_text(act.interval))
                               : fmt::format("restart of {} ({} replica(s))", act.service, n);
        break;
      }
      case ActionKind::switch_dependency: {
        int from = find_service(act.from), to = find_service(act.to);
        mitigates = faults.hits_service(from);
        int switched = 0;
        for (std::size_t e = 0; e < s.dependencies.size(); ++e) {
          if (edge_target[e] != from) continue;
          const std::string& caller = s.dependencies[e].from;
          if (!act.services.empty() && std::find(act.services.begin(), act.services.end(), caller) == act.services.end())
            continue;
          // A control edge picks up its new source at its next refresh, as a config push does.
          edge_target[e] = to;
          ++switched;
        }
        detail = fmt::format("{} edge(s) switched from {} to {}", switched, act.from, act.to);
        break;
      }
      case ActionKind::failover: {
        mitigates = true;
        failovers[std::size_t(sv)].done = true;  // people have taken over from the controller
        const int zone = topo.zone_index(act.to), region = topo.region_index(act.to);
        make_active(sv, [&](int z, int rg) { return z == zone || (zone < 0 && rg == region); });
        detail = fmt::format("{} now served from {}", act.service, act.to);
        break;
      }
      case ActionKind::shed_load:
        mitigates = true;
        shed[std::size_t(sv)] = act.fraction;
        detail = fmt::format("{} refuses {:.0f}% of its requests", act.service, 100 * act.fraction);
        if (act.duration) q.push(now + *act.duration, kActionEnd, std::uint32_t(a));
        break;
      case ActionKind::scale: {
        mitigates = true;
        if (autoscalers[std::size_t(sv)]) autoscalers[std::size_t(sv)]->raise_floor(act.replicas);
        const int before = active_replicas(sv);
        set_active(sv, act.replicas);
        detail = fmt::format("{} from {} to {} replicas", act.service, before, act.replicas);
        break;
      }
      case ActionKind::kill_switch:
        mitigates = true;
        set_kill_switch(act, true);
        detail = act.feature.empty() ? "dependency " + act.dependency + " turned off" : "feature " + act.feature + " turned off";
        if (act.duration) q.push(now + *act.duration, kActionEnd, std::uint32_t(a));
        break;
      case ActionKind::admit:
        admitted = std::min(1.0, act.step);
        for (std::size_t f = 0; f < s.features.size(); ++f) admit_gated[f] = carries(act.features, s.features[f].name);
        detail = fmt::format("{:.0f}% of users admitted, {:.0f}% more every {}", 100 * admitted, 100 * act.step,
                             duration_text(act.every));
        if (admitted < 1) q.push(now + act.every, kActionStep, std::uint32_t(a), 1);
        break;
    }
    if (act.mitigates) mitigates = *act.mitigates;
    rec.event(now, "action", act.name, detail);
    if (mitigates && !incident.mitigated) {
      incident.mitigated = now;
      incident.mitigated_by = act.name;
      if (incident.acknowledged) post_status("monitoring", {});
    }
  }

  // Restarts batch k of a restart action's replicas (all of them when it has no batch size) and
  // schedules the next batch; returns how many it restarted.
  int restart_batch(int a, std::uint64_t k) {
    const Action& act = s.actions[std::size_t(a)];
    std::vector<int> up;
    for (int r : topo.service_replicas[std::size_t(find_service(act.service))])
      if (replicas[std::size_t(r)].host_up && !replicas[std::size_t(r)].parked) up.push_back(r);
    const std::size_t size = act.batch > 0 ? std::size_t(act.batch) : up.size();
    const std::size_t first = std::size_t(k) * size;
    for (std::size_t i = first; i < std::min(up.size(), first + size); ++i) {
      // An operator's restart drains the replica first: callers stop picking it before it goes.
      Replica& rep = replicas[std::size_t(up[i])];
      rep.health_in = false;
      ++rep.health_token;
      update_rotation(up[i]);
      restart(up[i], false);
    }
    if (first + size < up.size()) q.push(now + act.interval, kActionStep, std::uint32_t(a), k + 1);
    return int(std::min(up.size(), first + size) - std::min(up.size(), first));
  }

  void set_kill_switch(const Action& act, bool on) {
    if (!act.feature.empty()) {
      for (std::size_t f = 0; f < s.features.size(); ++f)
        if (s.features[f].name == act.feature) feature_killed[f] = on;
      return;
    }
    for (std::size_t e = 0; e < s.dependencies.size(); ++e)
      if (s.dependencies[e].from + "->" + s.dependencies[e].to == act.dependency) edge_disabled[e] = on;
  }

  void on_action_end(int a) {
    const Action& act = s.actions[std::size_t(a)];
    if (act.kind == ActionKind::shed_load) shed[std::size_t(find_service(act.service))] = 0;
    if (act.kind == ActionKind::kill_switch) set_kill_switch(act, false);
    rec.event(now, "action_end", act.name, "lifted after " + duration_text(*act.duration));
  }

  void on_action_step(int a, std::uint64_t k) {
    const Action& act = s.actions[std::size_t(a)];
    if (act.kind == ActionKind::restart) {
      restart_batch(a, k);
      return;
    }
    admitted = std::min(1.0, admitted + act.step);
    rec.event(now, "admit", act.name, fmt::format("{:.0f}% of users admitted", 100 * admitted));
    if (admitted < 1) q.push(now + act.every, kActionStep, std::uint32_t(a), k + 1);
  }

  // ---- the loop ------------------------------------------------------------------------------

  void dispatch(const ModelEvent& e) {
    switch (e.type) {
      case kArrival: on_arrival(); break;
      case kAttemptArrive: on_attempt_arrive(int(e.a), e.b); break;
      case kServiceDone: on_service_done(int(e.a), e.b); break;
      case kReply: on_reply(e.b); break;
      case kAttemptTimeout: on_attempt_timeout(e.b); break;
      case kCallDeadline: on_call_deadline(e.b); break;
      case kRetry: on_retry(e.b); break;
      case kClientRetry:
        if (requests.alive(e.b)) start_root_call(e.b);
        break;
      case kBucketTick: on_bucket_tick(int(e.a)); break;
      case kFaultStep: on_fault_step(int(e.a)); break;
      case kAction: on_action(int(e.a)); break;
      case kControlRefresh: on_control_refresh(int(e.a)); break;
      case kHealthOut: on_health(int(e.a), e.b, false); break;
      case kHealthIn: on_health(int(e.a), e.b, true); break;
      case kStage: on_stage(e.a, e.b); break;
      case kCrash: on_crash(int(e.a), std::uint32_t(e.b)); break;
      case kStart: on_start(int(e.a), std::uint32_t(e.b)); break;
      case kProvisioned: on_provisioned(int(e.a), std::uint32_t(e.b)); break;
      case kScaleTick: on_scale_tick(int(e.a)); break;
      case kScaleSample:
        sample_scaling_signal(int(e.a));
        q.push(now + kScalingSamplePeriod, kScaleSample, e.a);
        break;
      case kFailoverProbe: on_failover_probe(int(e.a)); break;
      case kFailoverDone: on_failover_done(int(e.a)); break;
      case kStatusUpdate: on_status_update(); break;
      case kActionEnd: on_action_end(int(e.a)); break;
      case kActionStep: on_action_step(int(e.a), e.b); break;
      case kErrorCostDone: on_error_cost_done(int(e.a), e.b); break;
      case kUneject: on_uneject(int(e.a)); break;
      case kCacheRefresh: on_cache_refresh(int(e.a)); break;
      default: throw InternalError(fmt::format("unknown event type {}", e.type));
    }
  }

  void run_until(double limit) {
    ModelEvent e;
    // The horizon only moves when the model itself commands the platform: re-read it after each event.
    while (q.pop_before(std::min({limit, end, port.horizon()}), e)) {
      now = e.time;
      ++events;
      dispatch(e);
    }
  }

  // The features whose objective was missed last before recovery: what recovery waited for.
  std::string last_features_back(const std::vector<Series>& features, double recovered) const {
    const int until = int(std::lround(recovered / s.info.bucket));
    std::vector<int> last_bad(features.size(), -1);
    for (std::size_t f = 0; f < features.size(); ++f)
      for (int b = std::min(until, int(features[f].buckets.size())) - 1; b >= 0; --b) {
        const Counts& c = features[f].buckets[std::size_t(b)];
        if (c.requests && c.availability() < features[f].slo) {
          last_bad[f] = b;
          break;
        }
      }
    const int latest = last_bad.empty() ? -1 : *std::max_element(last_bad.begin(), last_bad.end());
    std::string names;
    for (std::size_t f = 0; f < features.size(); ++f)
      if (latest >= 0 && last_bad[f] == latest) names += (names.empty() ? "" : ", ") + features[f].name;
    return names.empty() ? std::string{} : "last back: " + names;
  }

  Report finish() {
    now = end;
    while (next_bucket < rec.bucket_count()) {
      for (std::size_t sv = 0; sv < s.services.size(); ++sv)
        replicas_by_bucket[sv][std::size_t(next_bucket)] = serving_replicas(int(sv));
      rec.close_bucket(next_bucket++);
    }
    Report r;
    rec.fill(r);
    uptime.fill(r.services, end);
    for (std::size_t sv = 0; sv < s.services.size(); ++sv) {
      ServiceReport& sr = r.services[sv];
      sr.downtime = sr.time_by_replicas_up.empty() ? 0 : sr.time_by_replicas_up[0];
      sr.replicas_by_bucket = replicas_by_bucket[sv];
      sr.restarts = starts[sv];
      sr.crashes = crashes[sv];
    }
    const std::vector<bool> healthy = buckets_meeting_slo(r.features);
    ImpactWindow w = impact_window(healthy, s.info.bucket, s.incident.stable_for);
    incident.impact_start = w.impact_start;
    incident.recovered = w.recovered;
    if (w.recovered) incident.recovered_note = last_features_back(r.features, *w.recovered);
    r.incident = incident;
    r.status_updates = status_updates;
    r.summary.service_calls = calls_sent;
    r.summary.events = events;
    r.summary.peak_in_flight = peak_in_flight;
    Provenance& p = r.provenance;
    p.faultline_version = FAULTLINE_VERSION;
    p.scenario_name = s.info.name;
    p.scenario_origin = s.origin;
    p.scenario_hash = s.text_hash;
    p.seed = seed;
    p.overrides = s.overrides;
    p.parameters = {{"duration", fmt::format("{}", s.info.duration)},
                    {"bucket", fmt::format("{}", s.info.bucket)},
                    {"traffic.rate", fmt::format("{}", s.traffic.rate)},
                    {"traffic.users", fmt::format("{}", s.traffic.users)},
                    {"traffic.sample_users", fmt::format("{}", s.traffic.sample_users)},
                    {"services", fmt::format("{}", s.services.size())},
                    {"replicas", fmt::format("{}", topo.replicas.size())},
                    {"hosts", fmt::format("{}", topo.hosts.size())},
                    {"faults", fmt::format("{}", s.faults.size())}};
    return r;
  }
};

PlatformModel::PlatformModel(const Scenario& scenario, const Topology& topology, std::uint64_t seed, PlatformPort& port)
    : impl_(std::make_unique<Impl>(scenario, topology, seed, port)) {}
PlatformModel::~PlatformModel() = default;

void PlatformModel::start() { impl_->start(); }
double PlatformModel::next_event_time() const { return impl_->q.empty() ? kNever : impl_->q.next_time(); }
void PlatformModel::run_until(double limit) { impl_->run_until(limit); }
double PlatformModel::now() const { return impl_->now; }
void PlatformModel::on_host_state(int host, bool up, double t) { impl_->on_host_state(host, up, t); }
void PlatformModel::on_replica_down(int replica, double t) { impl_->on_replica_down(replica, t); }
void PlatformModel::on_replica_ready(int replica, double t) { impl_->on_replica_ready(replica, t); }
Report PlatformModel::finish() { return impl_->finish(); }
std::uint64_t PlatformModel::events_processed() const { return impl_->events; }
std::uint64_t PlatformModel::calls_simulated() const { return impl_->calls_sent; }
std::size_t PlatformModel::in_flight() const { return impl_->requests.live(); }
std::size_t PlatformModel::peak_in_flight() const { return impl_->peak_in_flight; }

}  // namespace faultline
