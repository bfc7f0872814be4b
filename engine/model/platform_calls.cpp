// PlatformModel, calls and attempts: how a caller picks a replica, sends an attempt over the network,
// waits for it with a timeout, and retries or settles the call; how the callee queues the attempt,
// works on it (its own calls to its dependencies included) and answers. Part of the model in
// platform_model.cpp.
#include "model/platform_model_impl.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace faultline {
// ---- calls and attempts -------------------------------------------------------------------

bool PlatformModel::Impl::available(int service, int r) const {
  return replicas[std::size_t(r)].in_rotation && !outliers[std::size_t(service)].ejected(replica_pos[std::size_t(r)]);
}

// The next available replica of `list` in round-robin order, or -1. Each caller replica keeps its
// own cursor, as each Envoy does: a cursor shared by all callers would pair callers and callees in
// lockstep.
int PlatformModel::Impl::round_robin(int service, int caller, const std::vector<int>& list) {
  std::uint32_t& cursor = rr.at(service, caller);
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
int PlatformModel::Impl::sample_replica(int service, const std::vector<int>& list, bool least_request) {
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
int PlatformModel::Impl::pick_replica(int service, int region, int zone, int caller) {
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

Blame PlatformModel::Impl::down_blame(int service) const {
  for (int r : topo.service_replicas[std::size_t(service)])
    if (replicas[std::size_t(r)].down.kind != Blame::Kind::none) return replicas[std::size_t(r)].down;
  return {};
}

int PlatformModel::Impl::caller_slot(const Call& c) const {
  return c.edge >= 0 && c.caller_replica >= 0 && !c.refresh ? replica_pos[std::size_t(c.caller_replica)] : -1;
}

void PlatformModel::Impl::send_attempt(Handle ch) {
  const int slot = caller_slot(calls[ch]);
  // A pooled edge needs a connection of the caller's pool first (the call may wait for one).
  if (slot >= 0 && pooled(calls[ch].edge) && !calls[ch].connection && !take_connection(ch)) return;
  Call& c = calls[ch];
  const bool retry = c.attempts > 0;
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
  a.user = c.user;
  a.service = c.service;
  a.feature = c.feature;
  a.sent = now;
  a.retry = retry;
  a.edge = c.edge;
  a.caller_slot = slot;
  a.connection = c.connection;
  c.connection = false;
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
  // The hops of the network as it is: each latency has its lane (a fault's extra delay goes to the heap).
  const std::uint32_t there_lane = q.hop_lane(there), back_lane = there == back ? there_lane : q.hop_lane(back);
  if (c.edge >= 0 && faults.touches_edge(c.edge)) {
    {
      there += faults.added_delay_on(c.edge, c.user);
      if (int f = faults.injected_error_on(c.edge, c.user); f >= 0) {  // an abort injected on the path, as a fault filter does
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
  if (!net_flows.empty() && caller_host >= 0 && c.edge >= 0)
    if (const int flow = network_flow(caller_host, ri.host, c.edge); flow >= 0) {
      a.flow = flow;
      if (!cross_network(flow, s.dependencies[std::size_t(c.edge)].request_size, there, a.lost_blame)) {
        a.server_done = true;  // dropped on a congested link: the caller times out
        arm_timeout(c, ah);
        return;
      }
    }
  a.back_latency = back;
  a.back_lane = back_lane;
  q.push_after(there_lane, now, there, kAttemptArrive, std::uint32_t(r), ah);
  arm_timeout(c, ah);
}

void PlatformModel::Impl::arm_timeout(const Call& c, Handle ah) {
  q.push_lane(c.edge >= 0 ? timeout_lane[std::size_t(c.edge)] : client_lane, now, kAttemptTimeout, 0, ah);
  if (c.edge >= 0 && c.attempts == 1 && s.dependencies[std::size_t(c.edge)].retry_policy.per_try_timeout)
    q.push_lane(deadline_lane[std::size_t(c.edge)], now, kCallDeadline, 0, attempts[ah].call);
}

void PlatformModel::Impl::release_attempt_if_finished(Handle ah) {
  const Attempt& a = attempts[ah];
  if (a.caller_done && a.server_done) attempts.release(ah);
}

// The callee's side is over: answer the caller (if still listening) after the network delay.
void PlatformModel::Impl::reply(Handle ah, const Result& r) {
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
  if (a.flow >= 0) {
    Blame blame;
    double delay = 0;
    if (!cross_network(a.flow, s.dependencies[std::size_t(a.edge)].reply_size, delay, blame)) {
      a.lost_blame = blame;  // the answer is dropped on a congested link: the caller times out
      return;
    }
    a.back_latency += delay;
    if (delay > 0) a.lost_blame = blame;
  }
  a.result = r;
  if (!r.ok && r.at < 0) a.result.at = now;
  q.push_after(a.back_lane, now, a.back_latency, kReply, 0, ah);
}

void PlatformModel::Impl::on_attempt_arrive(int r, Handle ah) {
  Attempt& a = attempts[ah];
  Replica& rep = replicas[std::size_t(r)];
  if (!rep.host_up) {  // nothing answers: the caller will time out
    a.server_done = true;
    a.lost = true;
    a.lost_blame = rep.down;
    release_attempt_if_finished(ah);
    return;
  }
  if (!rep.process_up || !rep.ready) {  // host up, nothing listening: refused
    reply(ah, Result{false, false, Status::UNAVAILABLE, Cause::host_down, true,
                     rep.down});
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
  j.user = a.user;
  a.job = jh;
  j.replica = r;
  j.epoch = rep.epoch;
  j.feature = a.feature;
  j.write = !replication_of.empty() && a.user != kNoUser && is_write(a.service, r);
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
    rec.queue_changed(a.service, now, 1);
    a.queued = true;
    if (!memory_resource.empty() && memory_resource[std::size_t(a.service)] >= 0) check_memory(r);
    if (a.caller_slot >= 0) limits[std::size_t(a.edge)][std::size_t(a.caller_slot)].queued_at_callee();
  } else {
    jobs.release(jh);
    reply(ah, Result{false, false, Status::UNAVAILABLE, Cause::rejected, false, overload_blame(r)});
  }
}

void PlatformModel::Impl::left_queue(Attempt& a) {
  if (!a.queued) return;
  a.queued = false;
  if (a.caller_slot >= 0) limits[std::size_t(a.edge)][std::size_t(a.caller_slot)].left_callee_queue();
}

// Free workers take queued requests: oldest first (fifo) or newest first (lifo), skipping those
// that waited too long (load shedding) or whose caller gave up (deadline propagation).
void PlatformModel::Impl::serve_queue(int rep_index) {
  Replica& rep = replicas[std::size_t(rep_index)];
  const Service& svc = s.services[std::size_t(topo.replicas[std::size_t(rep_index)].service)];
  const int service = topo.replicas[std::size_t(rep_index)].service;
  while (!rep.queue.empty() && rep.busy < svc.workers) {
    rec.queue_changed(service, now, -1);
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

void PlatformModel::Impl::start_job(Handle jh) {
  Job& j = jobs[jh];
  Replica& rep = replicas[std::size_t(j.replica)];
  ++rep.busy;
  j.started = now;
  int service = topo.replicas[std::size_t(j.replica)].service;
  // A caller whose resolver lost its entries cannot reach anything: it fails before doing work.
  // Each is a lookup on its control edge, answered from the caller's cache.
  for (int e : controls.at(std::size_t(service), std::size_t(j.feature))) {
    const Resolver& res = resolver_of(e, j.replica);
    rec.edge_request(e);
    if (res.broken) {
      rec.edge_failure(e);
      finish_job(jh, Result{false, false, mapped(e, res.status), Cause::dependency, false, Blame::edge(e)});
      return;
    }
    rec.cache_hit(e);
  }
  double t = service_rng[std::size_t(service)].sample(service_time_of(service));
  if (const double c = s.services[std::size_t(service)].contention; c > 0) t *= 1 + c * (rep.busy - 1);
  if (!memory_resource.empty() && memory_resource[std::size_t(service)] >= 0) {
    t *= memory_slowdown(j.replica);
    check_memory(j.replica);
  }
  double after = 0;  // latency faults: time the request takes after its work
  if (faults.touches_service(service)) {
    t *= faults.slowdown_at(service, j.replica, j.user);
    after = faults.added_delay_at(service, j.replica, j.user);
  }
  // A synchronous write waits for its copy's acknowledgement.
  if (j.write && s.services[std::size_t(service)].replication.mode == ReplicationMode::sync)
    after += replication_at(service)->rng.sample(s.services[std::size_t(service)].replication.lag);
  if (runs_on_cpu(service)) start_cpu_work(jh, t, after);
  else q.push(now + (t + after), kServiceDone, std::uint32_t(j.replica), jh);
}

Status PlatformModel::Impl::mapped(int edge, Status st) const {
  const auto& m = s.dependencies[std::size_t(edge)].error_mapping;
  auto it = m.find(st);
  return it == m.end() ? st : it->second;
}

void PlatformModel::Impl::on_service_done(int r, Handle jh) {
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
    if (int f = faults.injected_error_at(service, r, j.user); f >= 0) {
      finish_job(jh, Result{false, false, s.faults[std::size_t(f)].status, Cause::injected, false, Blame::fault(f)});
      return;
    }
  }
  if (!tenant_losses_at[std::size_t(service)].empty())
    if (int f = data_lost(service, j.user); f >= 0) {
      finish_job(jh, Result{false, false, s.faults[std::size_t(f)].status, Cause::injected, false, Blame::fault(f)});
      return;
    }
  if (j.write && !commit_write(service, r)) {  // read-only: the write is refused
    finish_job(jh, Result{false, false, Status::UNAVAILABLE, Cause::rejected, false, down_blame(service)});
    return;
  }
  const std::span<const int> edges = children.at(std::size_t(service), std::size_t(j.feature));
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
      if (!poisonable.empty()) count_cached_call(e);
      if (d.cache.enabled && caches[std::size_t(e)].hit(now, edge_rng[std::size_t(e)])) {
        rec.edge_request(e);
        rec.cache_hit(e);
        // A bad answer the cache kept: the call fails as the callee's bad answer did.
        if (const int f = poisonable.empty() ? -1 : poisoned_hit(e, target_of(e, r)); f >= 0) {
          rec.edge_failure(e);
          if (fails_caller(d)) {
            finish_job(jh, Result{false, false, mapped(e, s.faults[std::size_t(f)].status), Cause::injected, false,
                                  Blame::fault(f)});
            return;
          }
          if (d.fallback == Fallback::degrade) jobs[jh].degraded = true;
        }
        continue;
      }
      Handle ch = calls.acquire();
      Call& c = calls[ch];
      c.parent = jh;
      c.user = jobs[jh].user;
      c.edge = e;
      c.service = target_of(e, r);
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
void PlatformModel::Impl::cancel_job(Attempt& a) {
  if (!jobs.alive(a.job)) return;
  Job& j = jobs[a.job];
  const int rep_index = j.replica;
  const Service& svc = s.services[std::size_t(topo.replicas[std::size_t(rep_index)].service)];
  if (!svc.cancellation || j.done || a.queued || j.epoch != replicas[std::size_t(rep_index)].epoch) return;
  stop_cpu_work(j);
  jobs.release(a.job);
  a.server_done = true;
  --replicas[std::size_t(rep_index)].busy;
  serve_queue(rep_index);
}

void PlatformModel::Impl::drop_job(Handle jh) {
  Handle ah = jobs[jh].attempt;
  jobs.release(jh);
  Attempt& a = attempts[ah];
  left_queue(a);
  a.server_done = true;
  a.lost = true;
  release_attempt_if_finished(ah);
}

void PlatformModel::Impl::finish_job(Handle jh, const Result& r) {
  Job& j = jobs[jh];
  const Service& svc = s.services[std::size_t(topo.replicas[std::size_t(j.replica)].service)];
  if (!r.ok && svc.error_cost > 0 && !j.done) {
    // Handling the failure (logging, error paths) keeps the worker busy a little longer.
    j.done = true;
    j.deferred = r;
    // On a host whose CPU is modelled, handling the error is CPU work there, shared like the rest.
    if (svc.cpu) start_cpu_work(jh, svc.error_cost, 0);
    else q.push(now + svc.error_cost, kErrorCostDone, std::uint32_t(j.replica), jh);
    return;
  }
  j.done = true;
  int rep_index = j.replica;
  Handle ah = j.attempt;
  double held = now - j.started;
  jobs.release(jh);
  Replica& rep = replicas[std::size_t(rep_index)];
  --rep.busy;
  attempts[ah].work = held;
  rec.served(topo.replicas[std::size_t(rep_index)].service, now, held, attempts[ah].caller_done);
  hold_estimate[std::size_t(rep_index)] += 0.1 * (held - hold_estimate[std::size_t(rep_index)]);
  reply(ah, r);
  serve_queue(rep_index);
}

void PlatformModel::Impl::on_error_cost_done(int r, Handle jh) {
  if (!jobs.alive(jh)) return;
  if (jobs[jh].epoch != replicas[std::size_t(r)].epoch) {
    drop_job(jh);
    return;
  }
  Result deferred = jobs[jh].deferred;
  finish_job(jh, deferred);
}

void PlatformModel::Impl::on_reply(Handle ah) {
  // The caller may have timed out and the attempt been recycled while the answer travelled.
  if (!attempts.alive(ah)) return;
  Attempt& a = attempts[ah];
  if (a.caller_done) {  // too late: the work that made the answer was for nothing
    if (a.work > 0) rec.wasted_answer(a.service, now, a.work);
    release_attempt_if_finished(ah);
    return;
  }
  Result r = a.result;
  complete_attempt(ah, r);
}

void PlatformModel::Impl::on_attempt_timeout(Handle ah) {
  if (!attempts.alive(ah)) return;
  Attempt& a = attempts[ah];
  if (a.caller_done) return;
  // lost: the callee's host was down; a fault that dropped the attempt on the network blames itself.
  Result r{false, false, Status::DEADLINE_EXCEEDED, a.lost ? Cause::host_down : Cause::timeout, false,
           a.lost_blame.kind != Blame::Kind::none ? a.lost_blame : overload_blame(a.replica)};
  complete_attempt(ah, r);
}

// The caller has the answer to one attempt: record it, then retry, or settle the call.
void PlatformModel::Impl::attempt_over(Attempt& a, const Result& r) {
  a.caller_done = true;
  if (a.connection) {
    a.connection = false;
    give_back_connection(a.edge, a.caller_slot);
  }
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

void PlatformModel::Impl::complete_attempt(Handle ah, const Result& r) {
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
  if (r.ok) settle_call(ch, r);
  else if (pays_for_failure(c)) pay_for_failure(ch, r);  // then after_failed_attempt
  else after_failed_attempt(ch, r);
}

// The caller has handled a failed attempt: it retries (after a back-off) or settles the call.
void PlatformModel::Impl::after_failed_attempt(Handle ch, const Result& r) {
  Call& c = calls[ch];
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
  settle_call(ch, r);
}

void PlatformModel::Impl::settle_call(Handle ch, const Result& result) {
  Call& c = calls[ch];
  c.done = true;
  int edge = c.edge;
  Handle parent = c.parent;
  bool refresh = c.refresh, replay = c.replay;
  const int feature = c.feature;
  int slot = caller_slot(c);
  if (c.retry_pending && slot >= 0) limits[std::size_t(edge)][std::size_t(slot)].retry_abandoned();
  if (c.pool_waiting) stop_waiting(c);
  if (c.connection) give_back_connection(edge, slot);
  calls.release(ch);
  if (refresh) {
    caches[std::size_t(edge)].refreshed(result.ok, now);
    return;
  }
  if (replay) {
    if (!result.ok) rec.edge_failure(edge);
    replay_settled(edge, result.ok);
    return;
  }
  if (slot >= 0) limits[std::size_t(edge)][std::size_t(slot)].call_ended();
  Result r = result;
  if (!r.ok && s.dependencies[std::size_t(edge)].cache.enabled && caches[std::size_t(edge)].can_serve_stale()) {
    r = Result{};  // answered from the expired cache (fail static)
    rec.cache_hit(edge);
  }
  if (!r.ok) rec.edge_failure(edge);
  if (!r.ok && !backlogs.empty() && keep_in_backlog(edge, feature)) {
    r = Result{};  // kept in the durable queue: the caller carries on, its work to be done later
    r.degraded = true;
  }
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
    if (fails_caller(d)) {
      // Turned away by the caller's own connection pool: the pool is what failed it, not the callee.
      const bool own_pool = r.blame.kind == Blame::Kind::resource && pooled(edge) &&
                            r.blame.index == pools[std::size_t(edge)].resource;
      finish_job(parent, Result{false, false, mapped(edge, r.status), Cause::dependency, false,
                                own_pool ? r.blame : Blame::edge(edge)});
      return;
    }
    if (d.fallback == Fallback::degrade) j.degraded = true;
  }
  if (j.pending == 0) finish_job(parent, Result{true, j.degraded, Status::OK, Cause::dependency, false, {}});
}

void PlatformModel::Impl::on_retry(Handle ch) {
  if (!calls.alive(ch) || calls[ch].done) return;
  send_attempt(ch);
}

void PlatformModel::Impl::on_call_deadline(Handle ch) {
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

}  // namespace faultline
