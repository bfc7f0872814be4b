// PlatformModel, the request side: users' requests arriving at features, the platform's notifications
// from the kernel, faults, caches and control planes, the event loop and the report at the end. Calls
// and attempts between replicas (queues, timeouts, retries, limits) are in platform_calls.cpp, the
// response to incidents in platform_response.cpp, automatic recovery in platform_recovery.cpp.
#include "model/platform_model_impl.hpp"
#include "metrics/expectations.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>

namespace faultline {

PlatformModel::Impl::Impl(const Scenario& sc, const Topology& t, std::uint64_t sd, PlatformPort& p)
    : s(sc), topo(t), port(p), seed(sd), end(sc.info.duration), rec(sc, t),
      traffic(sc, int(t.regions.size())), arrivals_rng(sd, "traffic.arrivals"), users_rng(sd, "traffic.users"),
      client_rng(sd, "client"), lb_rng(sd, "load_balancer"), faults(sc, t, sd), shed_rng(sd, "shed_load"),
      incident_rng(sd, "incident") {
  const std::size_t ns = s.services.size(), nf = s.features.size(), ne = s.dependencies.size();
  for (const Service& svc : s.services) service_rng.emplace_back(sd, "service." + svc.name);
  for (const Feature& f : s.features) feature_entry.push_back(service_index_or_throw(f.entry));
  std::vector<std::vector<std::vector<int>>> child_edges(ns, std::vector<std::vector<int>>(nf)), control_edges = child_edges;
  resolvers.resize(ne);
  for (std::size_t e = 0; e < ne; ++e) {
    const Dependency& d = s.dependencies[e];
    edge_rng.emplace_back(sd, "dependency." + d.from + "->" + d.to);
    int from = service_index_or_throw(d.from);
    edge_from.push_back(from);
    edge_target.push_back(service_index_or_throw(d.to));
    for (std::size_t f = 0; f < nf; ++f)
      if (carries(d.features, s.features[f].name))
        (d.kind == DependencyKind::control ? control_edges : child_edges)[std::size_t(from)][f].push_back(int(e));
    double per_try = d.retry_policy.per_try_timeout.value_or(d.timeout);
    timeout_lane.push_back(q.lane_for(per_try));
    deadline_lane.push_back(d.retry_policy.per_try_timeout ? q.lane_for(d.timeout) : 0);
  }
  children = FlatLists(child_edges);
  controls = FlatLists(control_edges);
  client_lane = q.lane_for(s.client.timeout);
  client_retry_lane = q.lane_for(s.client.retry_delay);
  region_replicas.assign(ns, std::vector<std::vector<int>>(topo.regions.size()));
  for (std::size_t r = 0; r < topo.replicas.size(); ++r)
    region_replicas[std::size_t(topo.replicas[r].service)][std::size_t(topo.replicas[r].region)].push_back(int(r));
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
    hold_estimate.push_back(service_time_of(ri.service).expected());
  replicas.resize(topo.replicas.size());
  action_done.assign(s.actions.size(), false);
  logged_out.assign(std::size_t(std::max(1, s.traffic.sample_users)), 0);
  if (!s.client.relogin_feature.empty())
    for (std::size_t f = 0; f < nf; ++f)
      if (s.features[f].name == s.client.relogin_feature) relogin_feature = int(f);
  resolve_response();
  set_up_rollouts();
  set_up_tenants();
  set_up_scopes();
  set_up_replication();
  set_up_cache_poisoning();
  set_up_backlogs();
  set_up_recovery();
  set_up_resources();
}

// ---- set-up -------------------------------------------------------------------------------

int PlatformModel::Impl::find_service(const std::string& name) const {
  for (std::size_t i = 0; i < s.services.size(); ++i)
    if (s.services[i].name == name) return int(i);
  return -1;
}

int PlatformModel::Impl::service_index_or_throw(const std::string& name) const {
  int i = find_service(name);
  if (i < 0) throw InternalError("unknown service '" + name + "' in a validated scenario");
  return i;
}

void PlatformModel::Impl::start() {
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
    if (s.actions[a].trigger == Trigger::at) schedule_action(int(a), s.actions[a].at + s.actions[a].delay, s.actions[a].at);
  for (std::size_t e = 0; e < s.dependencies.size(); ++e) {
    const Dependency& d = s.dependencies[e];
    if (d.cache.enabled) q.push(edge_rng[e].uniform(0, d.cache.refresh), kCacheRefresh, std::uint32_t(e));
    if (d.kind != DependencyKind::control) continue;
    // Callers refresh out of phase with each other, as real resolvers do.
    q.push(edge_rng[e].uniform(0, d.refresh), kControlRefresh, std::uint32_t(e));
  }
}

// ---- traffic ------------------------------------------------------------------------------

void PlatformModel::Impl::schedule_next_arrival(double from) {
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

void PlatformModel::Impl::on_arrival() {
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
bool PlatformModel::Impl::admits(const UserRequest& u) const {
  if (admitted >= 1 || !admit_gated[std::size_t(u.feature)]) return true;
  return double(std::uint32_t(u.user * 2654435761u)) / 4294967296.0 < admitted;
}

void PlatformModel::Impl::start_root_call(Handle ur) {
  UserRequest& u = requests[ur];
  ++u.client_attempts;
  Handle ch = calls.acquire();
  Call& c = calls[ch];
  c.parent = ur;
  c.user = u.user;
  c.edge = -1;
  c.service = feature_entry[std::size_t(u.feature)];
  c.feature = u.feature;
  c.caller_region = u.region;
  send_attempt(ch);
}

void PlatformModel::Impl::on_root_result(Call& c, const Result& r) {
  Handle ur = c.parent;
  UserRequest& u = requests[ur];
  if (r.ok) {
    // Logged in again: by the relogin feature, or by any request served when there is none.
    if (logged_out[u.user] && (relogin_feature < 0 || u.feature == relogin_feature)) rec.login(u.user);
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
        rec.logout(u.feature, u.user, now);
      }
      finish_user_request(ur, Outcome::failed);
      return;
    case ClientAction::retry:
      if (u.client_attempts <= s.client.retries) {
        q.push_lane(client_retry_lane, now, kClientRetry, 0, ur);
        return;
      }
      finish_user_request(ur, Outcome::failed);
      return;
    case ClientAction::ignore: finish_user_request(ur, Outcome::degraded); return;
    case ClientAction::error: finish_user_request(ur, Outcome::failed); return;
  }
}

void PlatformModel::Impl::finish_user_request(Handle ur, Outcome o) {
  const UserRequest& u = requests[ur];
  rec.user_request(u.feature, u.segment, u.region, u.user, now, o, now - u.start);
  if (!tenant_losses.empty()) count_tenant_request(u.user, o);
  if (!scoped_faults.empty()) count_scoped_request(u.user, o);
  requests.release(ur);
}

// ---- the platform under the model ----------------------------------------------------------

void PlatformModel::Impl::replica_down(int r) {
  Replica& rep = replicas[std::size_t(r)];
  bool was_serving = rep.process_up && rep.ready;
  uptime.set_serving(r, false, now);
  rep.process_up = false;
  rep.ready = false;
  ++rep.epoch;
  rep.busy = 0;
  rep.warmup = 0;  // its warm-up job goes with its CPU work below
  for (Handle jh : rep.queue) drop_job(jh);
  if (!rep.queue.empty()) rec.queue_changed(topo.replicas[std::size_t(r)].service, now, -int(rep.queue.size()));
  rep.queue.clear();
  if (!servers.empty()) drop_cpu_work_of(r);
  if (!replication.empty()) replication_changed();
  ++rep.health_token;
  if (was_serving || rep.health_in) {
    const HealthCheck& hc = s.services[std::size_t(topo.replicas[std::size_t(r)].service)].health_check;
    q.push(now + hc.interval * hc.unhealthy_threshold, kHealthOut, std::uint32_t(r), rep.health_token);
  }
}

void PlatformModel::Impl::update_rotation(int r) {
  Replica& rep = replicas[std::size_t(r)];
  rep.in_rotation = rep.health_in && (!rep.standby || rep.reads_only) && !rep.parked;
}

void PlatformModel::Impl::on_host_state(int host, bool up, double t) {
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
  if (!replication.empty()) replication_changed();
}

void PlatformModel::Impl::on_replica_down(int r, double t) {
  now = std::max(now, t);
  replica_down(r);
}

void PlatformModel::Impl::on_replica_ready(int r, double t) {
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
  if (over_thread_limit(r)) {  // it cannot create the threads it needs: it dies
    const int res = thread_resource[std::size_t(service)];
    hit_limit(res);
    rep.down = Blame::resource(res);
    if (!rep.failing_start)
      rec.event(now, "start_failed", topo.replicas[std::size_t(r)].name,
                fmt::format("needs {:.0f} threads, limit {}; restarting per its restart_policy", threads_needed(r),
                            thread_limit(service)));
    rep.failing_start = true;
    restart(r, true);
    return;
  }
  rep.leaked = 0;  // a new process: what the old one leaked is gone
  if (s.services[std::size_t(service)].warmup.enabled) {
    begin_warmup(r);
    return;
  }
  become_ready(r);
}

// The process serves: into rotation once its health checks pass.
void PlatformModel::Impl::become_ready(int r) {
  Replica& rep = replicas[std::size_t(r)];
  const int service = topo.replicas[std::size_t(r)].service;
  rep.failing_start = false;
  rep.ready = true;
  rep.down = {};
  uptime.set_serving(r, true, now);
  supervisors[std::size_t(service)].ready(replica_pos[std::size_t(r)], now);
  ++rep.health_token;
  const HealthCheck& hc = s.services[std::size_t(service)].health_check;
  q.push(now + hc.interval * hc.healthy_threshold, kHealthIn, std::uint32_t(r), rep.health_token);
  if (double after = faults.crash_loop_after(r); after >= 0) q.push(now + after, kCrash, std::uint32_t(r), rep.epoch);
  if (!replication.empty()) replication_changed();
}

void PlatformModel::Impl::on_health(int r, std::uint64_t token, bool in) {
  Replica& rep = replicas[std::size_t(r)];
  if (token != rep.health_token) return;
  rep.health_in = in;
  update_rotation(r);
}

// A required service with no replica serving, or -1.
int PlatformModel::Impl::missing_at_start(int service) const {
  for (int need : startup_needs[std::size_t(service)])
    if (serving_replicas(need) == 0) return need;
  return -1;
}

// Replicas serving and meant to take traffic (a failover standby is running but does not count).
int PlatformModel::Impl::serving_replicas(int service) const {
  int n = 0;
  for (int r : topo.service_replicas[std::size_t(service)]) n += replicas[std::size_t(r)].serving();
  return n;
}

// ---- faults -------------------------------------------------------------------------------------

// The fault plan's steps (an occurrence starting or ending, a rollout reaching a replica, a crash
// loop's next crash) become events as the plan makes them known.
void PlatformModel::Impl::schedule_fault_steps() {
  for (; fault_steps_scheduled < faults.steps().size(); ++fault_steps_scheduled)
    q.push(faults.steps()[fault_steps_scheduled].time, kFaultStep, std::uint32_t(fault_steps_scheduled));
}

void PlatformModel::Impl::on_fault_step(int k) { apply_fault_change(faults.advance(k)); }

void PlatformModel::Impl::end_fault(int i, const std::string& why) {
  if (!faults.active(i)) return;
  apply_fault_change(faults.end(i, why));
}

void PlatformModel::Impl::apply_fault_change(const FaultPlan::Change& change) {
  for (const FaultPlan::Change::Note& n : change.notes)
    rec.event(now, n.kind, s.faults[std::size_t(change.fault)].name, n.detail);
  for (const PlatformCommand& command : change.commands) {
    // Replicas taken down by the fault blame it until they are ready again.
    if (command.kind == PlatformCommand::Kind::hosts_down)
      for (int h : command.hosts)
        for (int r : topo.host_replicas[std::size_t(h)]) replicas[std::size_t(r)].down = Blame::fault(change.fault);
    if (command.kind == PlatformCommand::Kind::kill_replicas || command.kind == PlatformCommand::Kind::restart_replicas)
      for (int r : command.replicas) replicas[std::size_t(r)].down = Blame::fault(change.fault);
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
  if (!change.cpu_hosts.empty()) set_cpu_background(change.cpu_hosts);
  if (!change.disk_hosts.empty()) set_disk_speed(change.disk_hosts);
  if (change.fault >= 0 && s.faults[std::size_t(change.fault)].kind == FaultKind::limit_lowered) on_limit_changed(change.fault);
  if (change.fault >= 0 && s.faults[std::size_t(change.fault)].kind == FaultKind::data_loss) on_tenant_loss_changed(change.fault);
  if (!replication.empty()) replication_changed();
  if (!scoped_faults.empty()) on_scoped_fault_changed(change.fault);
  schedule_fault_steps();
}

// The caller refreshes its cache with a real call to the callee, from one of its replicas.
void PlatformModel::Impl::on_cache_refresh(int e) {
  const Dependency& d = s.dependencies[std::size_t(e)];
  q.push(now + d.cache.refresh, kCacheRefresh, std::uint32_t(e));
  const int caller = first_ready_replica(edge_from[std::size_t(e)]);
  if (caller < 0) return;  // nothing left to refresh it
  int feature = 0;
  for (std::size_t f = 0; f < s.features.size(); ++f)
    if (carries(d.features, s.features[f].name)) {
      feature = int(f);
      break;
    }
  send_background_call(e, caller, feature, BackgroundCall::cache_refresh);
}

// A call made for no user from `caller` on edge e: no job waits for it; settle_call hands its result
// to the cache it refreshes or the backlog it replays.
void PlatformModel::Impl::send_background_call(int e, int caller, int feature, BackgroundCall kind) {
  Handle ch = calls.acquire();
  Call& c = calls[ch];
  c.parent = 0;
  c.user = kNoUser;
  c.refresh = kind == BackgroundCall::cache_refresh;
  c.replay = kind == BackgroundCall::backlog_replay;
  c.edge = e;
  c.service = target_of(e, caller);
  c.feature = feature;
  c.caller_replica = caller;
  c.caller_region = topo.replicas[std::size_t(caller)].region;
  send_attempt(ch);
}

int PlatformModel::Impl::first_ready_replica(int service) const {
  for (int r : topo.service_replicas[std::size_t(service)])
    if (replicas[std::size_t(r)].ready) return r;
  return -1;
}

void PlatformModel::Impl::on_uneject(int r) {
  int service = topo.replicas[std::size_t(r)].service;
  outliers[std::size_t(service)].return_to_rotation(replica_pos[std::size_t(r)]);
  rec.event(now, "outlier_returned", topo.replicas[std::size_t(r)].name);
  rec.ejected(service, now, outliers[std::size_t(service)].ejected_count());
}

void PlatformModel::Impl::on_control_refresh(int e) {
  const Dependency& d = s.dependencies[std::size_t(e)];
  auto& per_caller = caller_resolvers[std::size_t(e)];
  if (per_caller.empty()) {
    Resolver* one = &resolvers[std::size_t(e)];
    refresh_control(e, std::span<Resolver* const>(&one, 1), edge_target[std::size_t(e)]);
  } else {
    // Under a gradual switch the callers ask two control planes: one refresh of each, its answer for
    // every caller that asks it.
    const auto& targets = caller_target[std::size_t(e)];
    std::vector<int> asked;
    for (int cp : targets)
      if (std::find(asked.begin(), asked.end(), cp) == asked.end()) asked.push_back(cp);
    std::vector<Resolver*> askers;
    for (int cp : asked) {
      askers.clear();
      for (std::size_t i = 0; i < targets.size(); ++i)
        if (targets[i] == cp) askers.push_back(&per_caller[i]);
      refresh_control(e, askers, cp);
    }
  }
  q.push(now + d.refresh, kControlRefresh, std::uint32_t(e));
}

// One refresh of a control edge against control plane `cp`; its answer goes to each of `askers`.
void PlatformModel::Impl::refresh_control(int e, std::span<Resolver* const> askers, int cp) {
  const Dependency& d = s.dependencies[std::size_t(e)];
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
  double took = service_rng[std::size_t(cp)].sample(service_time_of(cp));
  rec.control_refresh(e, ok);
  rec.attempt(cp, now, ok, ok ? Cause::dependency : (blame.kind == Blame::Kind::fault ? Cause::injected : Cause::host_down),
              took, blame, now);
  for (Resolver* res : askers) {
    if (ok) {
      res->broken = false;
      res->last_good = now;
    } else if (!d.fail_static) {
      // An authoritative "no such entry" replaces the cache at once; errors only once it has expired.
      if (missing || now - res->last_good > d.cache_ttl) {
        res->broken = true;
        res->status = status;
      }
    }
  }
}

// ---- the loop ------------------------------------------------------------------------------

void PlatformModel::Impl::dispatch(const ModelEvent& e) {
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
    case kAction: on_action(int(e.a), e.b); break;
    case kReconcileDone: on_reconcile_done(int(e.a)); break;
    case kBacklogReplay: on_backlog_replay(int(e.a), e.b); break;
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
    case kStatusUpdate: on_status_update(e.b); break;
    case kActionEnd: on_action_end(int(e.a)); break;
    case kActionStep: on_action_step(int(e.a), e.b); break;
    case kErrorCostDone: on_error_cost_done(int(e.a), e.b); break;
    case kUneject: on_uneject(int(e.a)); break;
    case kCacheRefresh: on_cache_refresh(int(e.a)); break;
    case kServerDone: on_server_done(int(e.a), e.b); break;
    case kPoolWait: on_pool_wait(int(e.a), e.b); break;
    case kNetworkSync: on_network_sync(); break;
    case kMemoryTick: on_memory_tick(); break;
    case kOomKill: on_oom_kill(int(e.a), std::uint32_t(e.b)); break;
    case kWarmupDeadline: on_warmup_deadline(int(e.a), std::uint32_t(e.b)); break;
    case kPoolGrant: on_pool_grant(int(e.a), int(e.b)); break;
    case kRestoreDone: on_restore_done(int(e.a), e.b); break;
    default: throw InternalError(fmt::format("unknown event type {}", e.type));
  }
}

void PlatformModel::Impl::run_until(double limit) {
  ModelEvent e;
  // The horizon only moves when the model itself commands the platform: re-read it after each event.
  while (q.pop_before(std::min({limit, end, port.horizon()}), e)) {
    now = e.time;
    ++events;
    dispatch(e);
  }
}

// The features whose objective was missed last before recovery: what recovery waited for.
std::string PlatformModel::Impl::last_features_back(const std::vector<Series>& features, double recovered) const {
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

Report PlatformModel::Impl::finish() {
  now = end;
  while (next_bucket < rec.bucket_count()) {
    for (std::size_t sv = 0; sv < s.services.size(); ++sv)
      replicas_by_bucket[sv][std::size_t(next_bucket)] = serving_replicas(int(sv));
    record_rollouts(next_bucket);
    rec.close_bucket(next_bucket);
    close_resource_bucket(next_bucket);
    if (user_reports.enabled()) user_reports.add_bucket(failed_share(next_bucket));  // counted, too late to act on
    impact.add(bucket_healthy(next_bucket++));
  }
  Report r;
  rec.fill(r);
  fill_resources(r);
  uptime.fill(r.services, end);
  for (std::size_t sv = 0; sv < s.services.size(); ++sv) {
    ServiceReport& sr = r.services[sv];
    sr.downtime = sr.time_by_replicas_up.empty() ? 0 : sr.time_by_replicas_up[0];
    sr.replicas_by_bucket = replicas_by_bucket[sv];
    sr.restarts = starts[sv];
    sr.crashes = crashes[sv];
  }
  // The k-th incident the responders worked on is the k-th impact of the run: the tracker that ends
  // one opens the next. The last may have been detected without an impact (yet).
  const std::vector<ImpactWindow>& windows = impact.windows();
  r.incidents = std::move(closed_incidents);
  const bool current = incident.detected || incident.acknowledged || r.incidents.size() < windows.size();
  if (current) r.incidents.push_back(incident);
  while (r.incidents.size() < windows.size()) r.incidents.emplace_back();  // an impact the run ended in
  for (std::size_t k = 0; k < windows.size(); ++k) {
    IncidentTimeline& i = r.incidents[k];
    i.impact_start = windows[k].impact_start;
    i.recovered = windows[k].recovered;
    if (i.recovered) i.recovered_note = last_features_back(r.features, *i.recovered);
  }
  if (!r.incidents.empty()) r.incident = r.incidents.front();
  r.status_updates = status_updates;
  fill_rollouts(r);
  fill_restores(r);
  fill_scoped_faults(r);
  fill_replication(r);
  fill_poisoned_caches(r);
  fill_backlogs(r);
  if (user_reports.enabled())
    r.user_reports = UserReportsReport{s.incident.user_reports.threshold, s.incident.user_reports.window,
                                       user_reports.by_bucket()};
  r.summary.service_calls = calls_sent;
  r.summary.events = events;
  r.summary.peak_in_flight = peak_in_flight;
  Provenance& p = r.provenance;
  p.faultline_version = FAULTLINE_VERSION;
  p.scenario_name = s.info.name;
  p.scenario_origin = s.origin;
  p.scenario_hash = s.text_hash;
  p.scenario_description = s.info.description;
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
  r.expectations = check_expectations(s, r);
  return r;
}


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
