// PlatformModel, automatic recovery: every process start through its service's supervisor, crash
// loops, autoscaling on the service's own signal and failover controllers with hold-downs.
#include "model/platform_model_impl.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace faultline {

void PlatformModel::Impl::set_up_recovery() {
  const std::size_t ns = s.services.size();
  for (std::size_t sv = 0; sv < ns; ++sv) {
    const Service& svc = s.services[sv];
    supervisors.emplace_back(svc.restart_policy, int(topo.service_replicas[sv].size()));
    std::vector<int>& needs = startup_needs.emplace_back();
    for (const std::string& name : svc.startup_requires) needs.push_back(service_index_or_throw(name));
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
    rep.parked = ri.parked;
    rep.standby = s.services[std::size_t(ri.service)].failover.enabled && in_standby_zone(int(r));
    if (rep.parked) {
      rep.process_up = rep.ready = false;
      uptime.set_serving(int(r), false, 0);
    }
    update_rotation(int(r));
  }
}

// ---- restarts: every start of a process goes through its service's supervisor --------------

// Kills the replica if it runs and starts it when the supervisor allows; `crashed`: it died of a
// crash (back-off applies) rather than being restarted on purpose.
void PlatformModel::Impl::restart(int r, bool crashed) {
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

void PlatformModel::Impl::on_start(int r, std::uint32_t token) {
  Replica& rep = replicas[std::size_t(r)];
  if (token != rep.start_token || !rep.start_pending) return;
  rep.start_pending = false;
  if (rep.parked || rep.process_up || faults.holds(r)) return;  // started by a host reboot, or held dead again
  ++starts[std::size_t(topo.replicas[std::size_t(r)].service)];
  port.command(now, PlatformCommand{PlatformCommand::Kind::restart_replicas, {}, {r}});
}

void PlatformModel::Impl::on_crash(int r, std::uint32_t epoch) {
  const Replica& rep = replicas[std::size_t(r)];
  if (epoch != rep.epoch || !rep.ready || faults.crash_loop_after(r) < 0) return;
  restart(r, true);
}

// ---- warm-up: a started process works on its host's CPU before it serves --------------------

void PlatformModel::Impl::begin_warmup(int r) {
  Replica& rep = replicas[std::size_t(r)];
  const Warmup& w = s.services[std::size_t(topo.replicas[std::size_t(r)].service)].warmup;
  const int h = topo.replicas[std::size_t(r)].host;
  const int c = host_cpu[std::size_t(h)];
  const Handle jh = jobs.acquire();
  Job& j = jobs[jh];
  j.replica = r;
  j.epoch = rep.epoch;
  j.warming = true;
  j.pending = w.threads;
  HostCpu& cpu = servers[std::size_t(c)].ps;
  j.work_at_start = cpu.work_clock(now);
  for (int i = 0; i < w.threads; ++i) cpu.start(now, w.cpu / w.threads, jh);
  schedule_server(c);
  if (cpu.saturated()) rep.down = Blame::resource(servers[std::size_t(c)].resource);  // it warms up slowly
  rep.warmup = jh;
  rep.ready_expected = now + w.cpu / (std::min(w.threads, cpu.cores()) * cpu.speed());  // alone on the host
  if (w.timeout) q.push(now + *w.timeout, kWarmupDeadline, std::uint32_t(r), rep.epoch);
}

void PlatformModel::Impl::on_warmed_up(Handle jh) {
  Job& j = jobs[jh];
  if (--j.pending > 0) return;
  const int r = j.replica;
  jobs.release(jh);
  Replica& rep = replicas[std::size_t(r)];
  rep.warmup = 0;
  rep.ready_expected = -1;
  become_ready(r);
}

// The startup probe gives up on a process still warming up: it is killed, as by a crash.
void PlatformModel::Impl::on_warmup_deadline(int r, std::uint32_t epoch) {
  Replica& rep = replicas[std::size_t(r)];
  if (epoch != rep.epoch || !rep.warmup) return;
  const Server& cpu = servers[std::size_t(host_cpu[std::size_t(topo.replicas[std::size_t(r)].host)])];
  const Warmup& w = s.services[std::size_t(topo.replicas[std::size_t(r)].service)].warmup;
  rep.down = Blame::resource(cpu.resource);
  if (!rep.failing_start) {
    const double done = cpu.ps.work_clock(now) - jobs[rep.warmup].work_at_start;  // per thread
    rec.event(now, "start_failed", topo.replicas[std::size_t(r)].name,
              fmt::format("warm-up {:.0f}% done after {:g} s ({:g} core-seconds in {} threads, each at {:.2f} of a core "
                          "on its host's shared CPU); restarting per its restart_policy",
                          100 * std::min(1.0, done * w.threads / w.cpu), *w.timeout, w.cpu, w.threads, done / *w.timeout));
  }
  rep.failing_start = true;
  rep.warmup = 0;
  drop_cpu_work_of(r);
  restart(r, true);
}

// ---- automatic recovery ----------------------------------------------------------------------

void PlatformModel::Impl::sample_scaling_signal(int sv) {
  const Service& svc = s.services[std::size_t(sv)];
  int serving = 0, busy = 0, waiting = 0;
  for (int r : topo.service_replicas[std::size_t(sv)]) {
    const Replica& rep = replicas[std::size_t(r)];
    if (!rep.serving()) continue;
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

int PlatformModel::Impl::active_replicas(int sv) const {
  int n = 0;
  for (int r : topo.service_replicas[std::size_t(sv)]) n += !replicas[std::size_t(r)].parked;
  return n;
}

void PlatformModel::Impl::on_scale_tick(int sv) {
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
void PlatformModel::Impl::set_active(int sv, int want) {
  const auto& reps = topo.service_replicas[std::size_t(sv)];
  int active = active_replicas(sv);
  const double delay = s.services[std::size_t(sv)].autoscaling.provisioning_delay;
  for (int r : reps) {
    if (active >= want) break;
    Replica& rep = replicas[std::size_t(r)];
    if (!rep.parked) continue;
    rep.parked = false;
    rep.provisioning = true;
    rep.ready_expected = now + delay + s.services[std::size_t(sv)].restart_time;
    q.push(now + delay, kProvisioned, std::uint32_t(r), ++rep.start_token);
    ++active;
  }
  for (auto it = reps.rbegin(); it != reps.rend() && active > want; ++it) {
    Replica& rep = replicas[std::size_t(*it)];
    if (rep.parked) continue;
    rep.parked = true;
    rep.provisioning = false;
    rep.start_pending = false;
    rep.ready_expected = -1;
    update_rotation(*it);
    port.command(now, PlatformCommand{PlatformCommand::Kind::kill_replicas, {}, {*it}});
    --active;
  }
}

void PlatformModel::Impl::on_provisioned(int r, std::uint32_t token) {
  Replica& rep = replicas[std::size_t(r)];
  if (token != rep.start_token || rep.parked) return;
  rep.provisioning = false;  // its machine is there: it joins its fleet
  update_rotation(r);
  check_thread_limits(topo.replicas[std::size_t(r)].service);
  if (rep.process_up || faults.holds(r)) return;
  port.command(now, PlatformCommand{PlatformCommand::Kind::restart_replicas, {}, {r}});
}

// The failover controller probes the active replicas from its zone; after hold_down without an
// answer it promotes the standby ones.
void PlatformModel::Impl::on_failover_probe(int sv) {
  FailoverState& st = failovers[std::size_t(sv)];
  const Service& svc = s.services[std::size_t(sv)];
  if (st.done || st.promoting) return;
  q.push(now + svc.health_check.interval, kFailoverProbe, std::uint32_t(sv));
  const int observer = topo.zone_index(svc.failover.observer);
  bool answered = false;
  for (int r : topo.service_replicas[std::size_t(sv)]) {
    if (!replicas[std::size_t(r)].serving()) continue;
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
  begin_promotion(sv);  // replicated state: the standby replicas serve reads meanwhile
  q.push(now + svc.failover.delay, kFailoverDone, std::uint32_t(sv));
}

bool PlatformModel::Impl::in_standby_zone(int r) const {
  const ReplicaInfo& ri = topo.replicas[std::size_t(r)];
  const std::vector<std::string>& standby = s.services[std::size_t(ri.service)].failover.standby;
  return std::find(standby.begin(), standby.end(), topo.zones[std::size_t(ri.zone)]) != standby.end();
}

void PlatformModel::Impl::on_failover_done(int sv) {
  FailoverState& st = failovers[std::size_t(sv)];
  const Failover& fo = s.services[std::size_t(sv)].failover;
  st.promoting = false;
  if (st.done) return;  // a failover action took over meanwhile: its choice stands
  st.done = true;
  std::string zones;
  for (const std::string& z : fo.standby) zones += (zones.empty() ? "" : ", ") + z;
  make_active(sv, [&](int r) { return in_standby_zone(r); });
  rec.event(now, "failover", s.services[std::size_t(sv)].name, "promoted the replicas in " + zones);
  primary_changed(sv);
}

}  // namespace faultline
