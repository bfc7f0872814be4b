// PlatformModel, the limits of each process besides its workers, and what failures cost the caller:
//  - connection pools per edge and caller replica: an attempt holds a connection from when it is sent
//    until its caller has the answer or gives up; with none free a call waits (oldest first) or fails;
//  - thread limits: a process needs a base number of threads plus some per member of its fleet, so a
//    fleet that grows can push every member over the limit at once (a start fails, a running process
//    dies) until the fleet shrinks;
//  - failure costs: each failed attempt makes the calling worker write a log line to its host's disk
//    and do CPU work before it retries or gives up, so errors downstream load the caller's host.
// Every limit is a resource in the book (platform_resources.cpp) with its figures by bucket.
#include "model/platform_model_impl.hpp"

namespace faultline {

void PlatformModel::Impl::set_up_limits() {
  const std::size_t ne = s.dependencies.size();
  bool any_pool = false, any_log_limit = false;
  for (const Dependency& d : s.dependencies) {
    any_pool |= d.pool.size > 0;
    any_log_limit |= d.on_failure.log > 0 && d.on_failure.log_limit > 0;
  }
  if (any_pool) pools.resize(ne);
  if (any_log_limit) log_tokens.resize(ne);
  for (std::size_t e = 0; e < ne; ++e) {
    const Dependency& d = s.dependencies[e];
    const std::size_t callers = topo.service_replicas[std::size_t(edge_from[e])].size();
    if (d.pool.size > 0) {
      pools[e].resource = add_resource(d.from + "->" + d.to + ".pool", "pool", double(d.pool.size) * double(callers));
      pools[e].callers.resize(callers);
    }
    if (d.on_failure.log > 0 && d.on_failure.log_limit > 0)
      log_tokens[e].assign(callers, {std::max(1.0, d.on_failure.log_limit), 0.0});
  }
  bool any_memory = false, any_leak = false;
  for (const Service& svc : s.services) any_memory |= svc.memory.enabled;
  for (const Fault& f : s.faults) any_leak |= f.kind == FaultKind::memory_leak;
  if (any_memory) {
    memory_resource.assign(s.services.size(), -1);
    for (std::size_t sv = 0; sv < s.services.size(); ++sv)
      if (s.services[sv].memory.enabled)
        memory_resource[sv] = add_resource(s.services[sv].name + ".memory", "memory", s.services[sv].memory.limit);
    if (any_leak) q.push(std::min(end, 1.0), kMemoryTick, 0);
  }
  thread_resource.assign(s.services.size(), -1);
  for (std::size_t sv = 0; sv < s.services.size(); ++sv)
    if (s.services[sv].threads.enabled)
      thread_resource[sv] = add_resource(s.services[sv].name + ".threads", "threads", s.services[sv].threads.limit);
}

// ---- connection pools -------------------------------------------------------------------------

// Before a call's next attempt: true when it holds a connection (it may go on); false when it waits
// for one, or failed because none was free.
bool PlatformModel::Impl::take_connection(Handle ch) {
  Call& c = calls[ch];
  EdgePool& p = pools[std::size_t(c.edge)];
  CallerPool& cp = p.callers[std::size_t(caller_slot(c))];
  const ConnectionPool& cfg = s.dependencies[std::size_t(c.edge)].pool;
  const int size = pool_size(c.edge);
  if (cp.in_use < size && cp.waiters == 0) {
    hand_connection(p, cp, size, c);
    return true;
  }
  hit_limit(p.resource);
  if (cfg.on_exhausted == PoolExhausted::fail) {
    const Blame blame = Blame::resource(p.resource);
    rec.attempt(c.service, now, false, Cause::rejected, 0.0, blame, now);
    settle_call(ch, Result{false, false, Status::UNAVAILABLE, Cause::rejected, false, blame, now});
    return false;
  }
  c.pool_waiting = true;
  c.wait_since = now;
  cp.waiting.push_back(ch);
  ++cp.waiters;
  p.waiting.add(now, 1);
  q.push(now + pool_wait_limit(c.edge), kPoolWait, std::uint32_t(c.edge), ch);
  return false;
}

void PlatformModel::Impl::hand_connection(EdgePool& p, CallerPool& cp, int size, Call& c) {
  ++cp.in_use;
  p.in_use.add(now, 1);
  set_pool_level(p, cp, size);
  c.connection = true;
}

// How long a call may wait for a connection: the pool's max_wait, else the attempt's timeout.
double PlatformModel::Impl::pool_wait_limit(int edge) const {
  const Dependency& d = s.dependencies[std::size_t(edge)];
  return d.pool.max_wait.value_or(d.retry_policy.per_try_timeout.value_or(d.timeout));
}

// A call stops waiting for a connection (it got one, gave up, or settled otherwise).
void PlatformModel::Impl::stop_waiting(Call& c) {
  c.pool_waiting = false;
  EdgePool& p = pools[std::size_t(c.edge)];
  --p.callers[std::size_t(caller_slot(c))].waiters;
  p.waiting.add(now, -1);
}

void PlatformModel::Impl::give_back_connection(int edge, int slot) {
  EdgePool& p = pools[std::size_t(edge)];
  CallerPool& cp = p.callers[std::size_t(slot)];
  --cp.in_use;
  p.in_use.add(now, -1);
  set_pool_level(p, cp, pool_size(edge));
  // The waiting calls are served from an event of their own: the caller of this function is in the
  // middle of ending an attempt and must not see new attempts sent under it.
  if (cp.waiters > 0) q.push(now, kPoolGrant, std::uint32_t(edge), std::uint64_t(slot));
}

void PlatformModel::Impl::on_pool_grant(int edge, int slot) {
  EdgePool& p = pools[std::size_t(edge)];
  CallerPool& cp = p.callers[std::size_t(slot)];
  const int size = pool_size(edge);
  while (cp.in_use < size && !cp.waiting.empty()) {
    const Handle ch = cp.waiting.front();
    cp.waiting.pop_front();
    if (!calls.alive(ch) || !calls[ch].pool_waiting) continue;  // it stopped waiting meanwhile
    Call& c = calls[ch];
    stop_waiting(c);
    hand_connection(p, cp, size, c);
    send_attempt(ch);
  }
}

// Connections of each caller replica now: the pool's size, lowered by limit_lowered faults (at least 1).
int PlatformModel::Impl::pool_size(int edge) const {
  const int size = s.dependencies[std::size_t(edge)].pool.size;
  return std::max(1, int(std::floor(size * faults.limit_factor_of_edge(edge) + 1e-9)));
}

// Keeps the count of exhausted callers (every connection taken) and its gauge true.
void PlatformModel::Impl::set_pool_level(EdgePool& p, CallerPool& cp, int size) {
  const bool exhausted = cp.in_use >= size;
  if (exhausted == cp.exhausted) return;
  cp.exhausted = exhausted;
  p.exhausted_callers += exhausted ? 1 : -1;
  p.exhausted.set(now, double(p.exhausted_callers > 0));
}

// A limit_lowered fault started or ended: a lowered thread limit kills the processes now over it; a
// pool's new size changes which callers are exhausted, and a raised one serves waiting calls.
void PlatformModel::Impl::on_limit_changed(int fault) {
  const Fault& f = s.faults[std::size_t(fault)];
  rec.event(now, "limit_changed", f.target, faults.active(fault) ? fmt::format("limits x {:g}", f.factor) : "limits restored");
  for (std::size_t sv = 0; sv < s.services.size(); ++sv)
    if (thread_resource.size() > sv && thread_resource[sv] >= 0) check_thread_limits(int(sv));
  for (std::size_t e = 0; e < pools.size(); ++e) {
    EdgePool& p = pools[e];
    if (p.resource < 0) continue;
    const int size = pool_size(int(e));
    for (std::size_t k = 0; k < p.callers.size(); ++k) {
      set_pool_level(p, p.callers[k], size);
      if (p.callers[k].waiters > 0 && p.callers[k].in_use < size) q.push(now, kPoolGrant, std::uint32_t(e), k);
    }
  }
}

// A call has waited for a connection as long as it may: it fails (blamed on the pool).
void PlatformModel::Impl::on_pool_wait(int edge, Handle ch) {
  if (!calls.alive(ch)) return;
  Call& c = calls[ch];
  if (c.done || !c.pool_waiting || now - c.wait_since < pool_wait_limit(edge) - 1e-9) return;  // an earlier wait's
  stop_waiting(c);
  const Blame blame = Blame::resource(pools[std::size_t(edge)].resource);
  Result r = s.dependencies[std::size_t(edge)].pool.max_wait ? Result{false, false, Status::UNAVAILABLE, Cause::rejected, false, blame, now}
                             : Result{false, false, Status::DEADLINE_EXCEEDED, Cause::timeout, false, blame, now};
  rec.attempt(c.service, now, false, r.cause, now - c.wait_since, blame, now);
  settle_call(ch, r);
}

// ---- thread limits ----------------------------------------------------------------------------

// The other provisioned replicas of r's fleet (its service, or the service within its zone).
int PlatformModel::Impl::fleet_members(int r) const {
  const ReplicaInfo& ri = topo.replicas[std::size_t(r)];
  const bool by_zone = s.services[std::size_t(ri.service)].threads.peers == PeerScope::zone;
  const std::vector<int>& fleet = by_zone ? zone_replicas[std::size_t(ri.service)][std::size_t(ri.zone)]
                                          : topo.service_replicas[std::size_t(ri.service)];
  int n = 0;
  for (int o : fleet) {
    const Replica& rep = replicas[std::size_t(o)];
    n += o != r && !rep.parked && !rep.provisioning;
  }
  return n;
}

double PlatformModel::Impl::threads_needed(int r) const {
  const Service& svc = s.services[std::size_t(topo.replicas[std::size_t(r)].service)];
  return double(svc.threads.base.value_or(svc.workers)) + svc.threads.per_peer * fleet_members(r);
}

// Threads a process of `service` may have now: its limit, lowered by limit_lowered faults.
int PlatformModel::Impl::thread_limit(int service) const {
  const int limit = s.services[std::size_t(service)].threads.limit;
  return std::max(1, int(std::floor(limit * faults.limit_factor_of_service(service) + 1e-9)));
}

bool PlatformModel::Impl::over_thread_limit(int r) const {
  const int sv = topo.replicas[std::size_t(r)].service;
  return thread_resource[std::size_t(sv)] >= 0 && threads_needed(r) > thread_limit(sv);
}

// The fleet of `service` changed: every running process that now needs more threads than it may have
// fails to create them and dies; its restart policy takes over (and its starts fail while it would
// still be over).
void PlatformModel::Impl::check_thread_limits(int service) {
  if (thread_resource[std::size_t(service)] < 0) return;
  const int limit = thread_limit(service);
  for (int r : topo.service_replicas[std::size_t(service)]) {
    Replica& rep = replicas[std::size_t(r)];
    if (!rep.process_up || rep.parked || !over_thread_limit(r)) continue;
    hit_limit(thread_resource[std::size_t(service)]);
    rep.down = Blame::resource(thread_resource[std::size_t(service)]);
    rec.event(now, "thread_limit", topo.replicas[std::size_t(r)].name,
              fmt::format("needs {:.0f} threads, limit {}: the process dies", threads_needed(r), limit));
    restart(r, true);
  }
}

// ---- memory -----------------------------------------------------------------------------------------

double PlatformModel::Impl::memory_use(int r) const {
  const Replica& rep = replicas[std::size_t(r)];
  const MemoryLimit& m = s.services[std::size_t(topo.replicas[std::size_t(r)].service)].memory;
  return m.base + m.per_request * double(rep.busy + int(rep.queue.size())) + rep.leaked;
}

// Garbage-collection pauses under memory pressure: 1 below `pressure`, up to 1 + pressure_slowdown at the limit.
double PlatformModel::Impl::memory_slowdown(int r) const {
  const MemoryLimit& m = s.services[std::size_t(topo.replicas[std::size_t(r)].service)].memory;
  if (m.pressure_slowdown <= 0 || m.pressure >= 1) return 1;
  const double over = (memory_use(r) - m.pressure * m.limit) / ((1 - m.pressure) * m.limit);
  return over <= 0 ? 1 : 1 + m.pressure_slowdown * std::min(1.0, over);
}

// Over its limit, the process is killed, from an event of its own (the caller is in the middle of
// taking a request).
void PlatformModel::Impl::check_memory(int r) {
  const Replica& rep = replicas[std::size_t(r)];
  const MemoryLimit& m = s.services[std::size_t(topo.replicas[std::size_t(r)].service)].memory;
  if (rep.process_up && memory_use(r) > m.limit) q.push(now, kOomKill, std::uint32_t(r), rep.epoch);
}

void PlatformModel::Impl::on_oom_kill(int r, std::uint32_t epoch) {
  Replica& rep = replicas[std::size_t(r)];
  const int sv = topo.replicas[std::size_t(r)].service;
  const MemoryLimit& m = s.services[std::size_t(sv)].memory;
  if (epoch != rep.epoch || !rep.process_up || rep.parked) return;
  const double use = memory_use(r);
  if (use <= m.limit) return;
  hit_limit(memory_resource[std::size_t(sv)]);
  rep.down = Blame::resource(memory_resource[std::size_t(sv)]);
  rec.event(now, "oom_killed", topo.replicas[std::size_t(r)].name,
            fmt::format("uses {:.0f} MB, limit {:.0f} MB: killed, restarting per its restart_policy", use, m.limit));
  restart(r, true);
}

void PlatformModel::Impl::on_memory_tick() {
  if (now + 1 <= end) q.push(now + 1, kMemoryTick, 0);
  for (std::size_t sv = 0; sv < s.services.size(); ++sv) {
    if (memory_resource[sv] < 0 || !faults.touches_service(int(sv))) continue;
    for (int r : topo.service_replicas[sv]) {
      Replica& rep = replicas[std::size_t(r)];
      if (!rep.process_up) continue;
      rep.leaked += faults.leak_at(int(sv), r);  // over the last second
      check_memory(r);
    }
  }
}

// ---- what failed attempts cost their callers ----------------------------------------------------

bool PlatformModel::Impl::pays_for_failure(const Call& c) const {
  if (c.edge < 0 || c.refresh || c.caller_replica < 0) return false;
  const FailureCost& cost = s.dependencies[std::size_t(c.edge)].on_failure;
  return (cost.cpu > 0 || cost.log > 0) && jobs.alive(c.parent);
}

// The calling worker logs the failure (when its rate limit lets it) and handles it on the CPU, then
// decides what to do about the attempt: retry or give up.
void PlatformModel::Impl::pay_for_failure(Handle ch, const Result& r) {
  const Call& c = calls[ch];
  const FailureCost& cost = s.dependencies[std::size_t(c.edge)].on_failure;
  bool log = cost.log > 0;
  if (log && cost.log_limit > 0) {
    auto& [tokens, last] = log_tokens[std::size_t(c.edge)][std::size_t(caller_slot(c))];
    tokens = std::min(std::max(1.0, cost.log_limit), tokens + (now - last) * cost.log_limit);
    last = now;
    log = tokens >= 1;
    if (log) tokens -= 1;
  }
  if (!log && cost.cpu <= 0) {
    after_failed_attempt(ch, r);
    return;
  }
  const Handle jh = jobs.acquire();
  Job& j = jobs[jh];
  j.replica = c.caller_replica;
  j.epoch = replicas[std::size_t(c.caller_replica)].epoch;
  j.cost_of = ch;
  j.deferred = r;
  if (log) start_disk_write(jh, cost.log);
  else start_cpu_work(jh, cost.cpu, 0);
}

void PlatformModel::Impl::failure_paid(Handle jh) {
  Job& j = jobs[jh];
  const Handle ch = j.cost_of;
  if (j.writing && calls.alive(ch)) {
    const FailureCost& cost = s.dependencies[std::size_t(calls[ch].edge)].on_failure;
    if (cost.cpu > 0) {
      start_cpu_work(jh, cost.cpu, 0);
      return;
    }
  }
  const Result r = j.deferred;
  jobs.release(jh);
  if (calls.alive(ch) && !calls[ch].done) after_failed_attempt(ch, r);
}

// ---- figures --------------------------------------------------------------------------------------

void PlatformModel::Impl::close_limit_buckets(int b, double length) {
  for (EdgePool& p : pools) {
    if (p.resource < 0) continue;
    ResourceState& st = resources[std::size_t(p.resource)];
    const double in_use = p.in_use.take(now);
    st.utilisation[std::size_t(b)] = length > 0 ? in_use / (length * st.capacity) : 0;
    st.backlog[std::size_t(b)] = length > 0 ? p.waiting.take(now) / length : 0;
    st.used += in_use / st.capacity;
    st.saturated += p.exhausted.take(now);
  }
  // Memory and threads are sampled at the bucket's end: the level of the replica that needs the most,
  // saturated above `above`.
  const auto sample = [&](int resource, double level, double above) {
    ResourceState& st = resources[std::size_t(resource)];
    st.utilisation[std::size_t(b)] = level / st.capacity;
    st.used += length * level / st.capacity;
    if (level > above) st.saturated += length;
  };
  for (std::size_t sv = 0; sv < memory_resource.size(); ++sv) {
    if (memory_resource[sv] < 0) continue;
    double use = 0;
    for (int r : topo.service_replicas[sv])
      if (replicas[std::size_t(r)].process_up) use = std::max(use, memory_use(r));
    sample(memory_resource[sv], use, s.services[sv].memory.pressure * s.services[sv].memory.limit);
  }
  for (std::size_t sv = 0; sv < thread_resource.size(); ++sv) {
    if (thread_resource[sv] < 0) continue;
    double need = 0;
    for (int r : topo.service_replicas[sv])
      if (!replicas[std::size_t(r)].parked) need = std::max(need, threads_needed(r));
    sample(thread_resource[sv], need, s.services[sv].threads.limit);
  }
}

}  // namespace faultline
