// PlatformModel, the resources replicas share: hosts' CPUs. A service with `cpu` work runs it on its
// replica's host (model/host_cpu.hpp: cores and speed shared as SimGrid's CPU model shares them);
// every busy worker of every replica there, and the threads of CPU hogs, take their share. Hosts
// that nothing loads are not modelled at all, so a scenario without CPU work costs nothing here.
#include "model/platform_model_impl.hpp"

namespace faultline {

void PlatformModel::Impl::set_up_resources() {
  host_cpu.assign(topo.hosts.size(), -1);
  std::vector<std::uint8_t> loaded(topo.hosts.size(), 0);
  for (const ReplicaInfo& ri : topo.replicas)
    if (runs_on_cpu(ri.service)) loaded[std::size_t(ri.host)] = 1;
  for (std::size_t f = 0; f < s.faults.size(); ++f)
    if (s.faults[f].kind == FaultKind::cpu_hog)
      for (int h : faults.hosts(int(f))) loaded[std::size_t(h)] = 1;
  for (std::size_t h = 0; h < topo.hosts.size(); ++h) {
    if (!loaded[h]) continue;
    const Zone& z = s.zones[std::size_t(topo.hosts[h].zone)];
    host_cpu[h] = int(cpus.size());
    CpuState c;
    c.host = int(h);
    c.name = topo.hosts[h].name + ".cpu";
    c.cpu = HostCpu(z.cores, z.speed);
    c.utilisation.assign(std::size_t(rec.bucket_count()), 0);
    c.backlog.assign(std::size_t(rec.bucket_count()), 0);
    cpus.push_back(std::move(c));
  }
  std::vector<std::string> names;
  for (const CpuState& c : cpus) names.push_back(c.name);
  rec.set_resource_names(std::move(names));
}

// The job's worker runs `work` core-seconds on its host, then `after` seconds more.
void PlatformModel::Impl::start_cpu_work(Handle jh, double work, double after) {
  Job& j = jobs[jh];
  const int c = host_cpu[std::size_t(topo.replicas[std::size_t(j.replica)].host)];
  j.after_cpu = after;
  j.cpu = cpus[std::size_t(c)].cpu.start(now, work, jh);
  schedule_cpu(c);
}

// Keeps one kCpuDone per CPU in the queue, at its next completion; a change that leaves the next
// completion where it was (work started on a host with idle cores) schedules nothing.
void PlatformModel::Impl::schedule_cpu(int c) {
  CpuState& st = cpus[std::size_t(c)];
  const double due = st.cpu.next_completion();
  if (due == st.due) return;
  st.due = due;
  ++st.token;
  if (due < HostCpu::kNever) q.push(std::max(now, due), kCpuDone, std::uint32_t(c), st.token);
}

void PlatformModel::Impl::on_cpu_done(int c, std::uint64_t token) {
  CpuState& st = cpus[std::size_t(c)];
  if (token != st.token) return;
  st.due = HostCpu::kNever;
  // Several pieces of work can finish together. Nothing below comes back here before the next event,
  // so one scratch vector serves every call.
  cpu_finished.clear();
  for (std::uint64_t owner; st.cpu.pop_finished(now, owner);) cpu_finished.push_back(owner);
  schedule_cpu(c);
  for (Handle jh : cpu_finished) {
    if (!jobs.alive(jh)) continue;
    Job& j = jobs[jh];
    j.cpu = 0;
    if (j.done) on_error_cost_done(j.replica, jh);  // it was the work of handling its failure
    else if (j.after_cpu > 0) q.push(now + j.after_cpu, kServiceDone, std::uint32_t(j.replica), jh);
    else on_service_done(j.replica, jh);
  }
}

void PlatformModel::Impl::stop_cpu_work(Job& j) {
  if (!j.cpu) return;
  const int c = host_cpu[std::size_t(topo.replicas[std::size_t(j.replica)].host)];
  cpus[std::size_t(c)].cpu.cancel(now, j.cpu);
  j.cpu = 0;
  schedule_cpu(c);
}

// The replica's process died: its work leaves the CPU, and its callers will time out.
void PlatformModel::Impl::drop_cpu_work_of(int replica) {
  const int c = host_cpu[std::size_t(topo.replicas[std::size_t(replica)].host)];
  if (c < 0) return;
  std::vector<Handle> dropped;
  cpus[std::size_t(c)].cpu.cancel_if(now, [&](std::uint64_t jh) {
    if (!jobs.alive(jh) || jobs[jh].replica != replica) return false;
    dropped.push_back(jh);
    return true;
  });
  if (dropped.empty()) return;
  schedule_cpu(c);
  for (Handle jh : dropped) {
    jobs[jh].cpu = 0;
    drop_job(jh);
  }
}

void PlatformModel::Impl::set_cpu_background(const std::vector<int>& hosts) {
  for (int h : hosts) {
    const int c = host_cpu[std::size_t(h)];
    if (c < 0) continue;
    cpus[std::size_t(c)].cpu.set_background(now, faults.host_background(h));
    schedule_cpu(c);
  }
}

// What to blame for a call that timed out or was turned away at `replica` with no fault or edge to
// blame: its host's CPU when that is saturated (more runnable threads than cores), else overload.
Blame PlatformModel::Impl::overload_blame(int replica) const {
  if (cpus.empty() || replica < 0) return {};
  const int c = host_cpu[std::size_t(topo.replicas[std::size_t(replica)].host)];
  if (c < 0 || !cpus[std::size_t(c)].cpu.saturated()) return {};
  return Blame::resource(c);
}

void PlatformModel::Impl::close_resource_bucket(int b) {
  const double length = std::min(s.info.bucket, end - b * s.info.bucket);
  for (CpuState& st : cpus) {
    const HostCpu::Usage u = st.cpu.take_usage(now);
    st.utilisation[std::size_t(b)] = length > 0 ? u.busy / (length * st.cpu.cores()) : 0;
    st.backlog[std::size_t(b)] = length > 0 ? std::max(0.0, (u.runnable - u.busy) / length) : 0;
    st.busy += u.busy;
    st.saturated += u.saturated;
  }
}

void PlatformModel::Impl::fill_resources(Report& r) {
  for (CpuState& st : cpus) {
    ResourceReport res;
    res.name = st.name;
    res.kind = "cpu";
    res.capacity = st.cpu.cores() * st.cpu.speed();
    for (double u : st.utilisation) res.peak_utilisation = std::max(res.peak_utilisation, u);
    res.utilisation = end > 0 ? st.busy / (end * st.cpu.cores()) : 0;
    res.saturated_time = st.saturated;
    res.utilisation_by_bucket = std::move(st.utilisation);
    res.backlog_by_bucket = std::move(st.backlog);
    r.resources.push_back(std::move(res));
  }
}

}  // namespace faultline
