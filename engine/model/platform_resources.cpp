// PlatformModel, the resources replicas share: the book of every resource the run models (names,
// kinds and figures by bucket, for reports and the propagation chain), and the processor-sharing
// servers among them, hosts' CPUs and disks. A service with `cpu` work runs it on its replica's host
// (model/host_cpu.hpp: cores and speed shared as SimGrid's CPU model shares them); every busy worker
// of every replica there, and the threads of CPU hogs, take their share. A disk is the same server
// with one "core" whose speed is its bandwidth: the writes in progress share it equally, as in
// SimGrid's disk model. Hosts that nothing loads are not modelled at all, so a scenario without
// resources costs nothing here.
#include "model/platform_model_impl.hpp"

namespace faultline {

int PlatformModel::Impl::add_resource(std::string name, std::string kind, double capacity) {
  ResourceState st;
  st.name = std::move(name);
  st.kind = std::move(kind);
  st.capacity = capacity;
  st.utilisation.assign(std::size_t(rec.bucket_count()), 0);
  st.backlog.assign(std::size_t(rec.bucket_count()), 0);
  st.hits.assign(std::size_t(rec.bucket_count()), 0);
  resources.push_back(std::move(st));
  return int(resources.size()) - 1;
}

void PlatformModel::Impl::hit_limit(int resource) {
  ResourceState& st = resources[std::size_t(resource)];
  ++st.hit_total;
  const int b = rec.bucket_of(now);
  if (b >= 0 && b < int(st.hits.size())) ++st.hits[std::size_t(b)];
}

void PlatformModel::Impl::set_up_resources() {
  const std::size_t nh = topo.hosts.size();
  host_cpu.assign(nh, -1);
  host_disk.assign(nh, -1);
  std::vector<std::uint8_t> cpu_loaded(nh, 0), disk_loaded(nh, 0);
  for (const ReplicaInfo& ri : topo.replicas)
    if (runs_on_cpu(ri.service) || s.services[std::size_t(ri.service)].warmup.enabled) cpu_loaded[std::size_t(ri.host)] = 1;
  for (std::size_t e = 0; e < s.dependencies.size(); ++e) {  // failed attempts cost their callers
    const FailureCost& cost = s.dependencies[e].on_failure;
    if (cost.cpu <= 0 && cost.log <= 0) continue;
    for (int r : topo.service_replicas[std::size_t(edge_from[e])]) {
      const int h = topo.replicas[std::size_t(r)].host;
      if (cost.cpu > 0) cpu_loaded[std::size_t(h)] = 1;
      if (cost.log > 0) disk_loaded[std::size_t(h)] = 1;
    }
  }
  for (std::size_t f = 0; f < s.faults.size(); ++f)
    if (s.faults[f].kind == FaultKind::cpu_hog)
      for (int h : faults.hosts(int(f))) cpu_loaded[std::size_t(h)] = 1;
  for (std::size_t h = 0; h < nh; ++h) {
    const Zone& z = s.zones[std::size_t(topo.hosts[h].zone)];
    if (cpu_loaded[h]) {
      host_cpu[h] = int(servers.size());
      servers.push_back({add_resource(topo.hosts[h].name + ".cpu", "cpu", z.cores * z.speed), int(h), HostCpu(z.cores, z.speed)});
    }
    if (disk_loaded[h]) {
      host_disk[h] = int(servers.size());
      servers.push_back({add_resource(topo.hosts[h].name + ".disk", "disk", z.disk_bandwidth), int(h), HostCpu(1, z.disk_bandwidth)});
    }
  }
  set_up_limits();
  set_up_network();
  std::vector<std::string> names;
  for (const ResourceState& st : resources) names.push_back(st.name);
  rec.set_resource_names(std::move(names));
}

// The job's worker runs `work` core-seconds on its host, then `after` seconds more.
void PlatformModel::Impl::start_cpu_work(Handle jh, double work, double after) {
  Job& j = jobs[jh];
  const int c = host_cpu[std::size_t(topo.replicas[std::size_t(j.replica)].host)];
  j.after_cpu = after;
  j.writing = false;
  j.cpu = servers[std::size_t(c)].ps.start(now, work, jh);
  schedule_server(c);
}

// The job's worker writes `mb` to its host's disk and waits until it is written.
void PlatformModel::Impl::start_disk_write(Handle jh, double mb) {
  Job& j = jobs[jh];
  const int d = host_disk[std::size_t(topo.replicas[std::size_t(j.replica)].host)];
  j.after_cpu = 0;
  j.writing = true;
  j.cpu = servers[std::size_t(d)].ps.start(now, mb, jh);
  schedule_server(d);
}

int PlatformModel::Impl::server_of(const Job& j) const {
  const int h = topo.replicas[std::size_t(j.replica)].host;
  return j.writing ? host_disk[std::size_t(h)] : host_cpu[std::size_t(h)];
}

// Keeps one kServerDone per server in the queue, at its next completion; a change that leaves the
// next completion where it was (work started on a host with idle cores) schedules nothing.
void PlatformModel::Impl::schedule_server(int c) {
  Server& st = servers[std::size_t(c)];
  const double due = st.ps.next_completion();
  if (due == st.due) return;
  st.due = due;
  ++st.token;
  if (due < HostCpu::kNever) q.push(std::max(now, due), kServerDone, std::uint32_t(c), st.token);
}

void PlatformModel::Impl::on_server_done(int c, std::uint64_t token) {
  Server& st = servers[std::size_t(c)];
  if (token != st.token) return;
  st.due = HostCpu::kNever;
  // Several pieces of work can finish together. Nothing below comes back here before the next event,
  // so one scratch vector serves every call.
  server_finished.clear();
  for (std::uint64_t owner; st.ps.pop_finished(now, owner);) server_finished.push_back(owner);
  schedule_server(c);
  for (Handle jh : server_finished) {
    if (!jobs.alive(jh)) continue;
    Job& j = jobs[jh];
    j.cpu = 0;
    if (j.warming) on_warmed_up(jh);                // one thread of a warm-up
    else if (j.cost_of) failure_paid(jh);                // a failed attempt's log write or CPU work
    else if (j.done) on_error_cost_done(j.replica, jh);  // the work of handling its own failure
    else if (j.after_cpu > 0) q.push(now + j.after_cpu, kServiceDone, std::uint32_t(j.replica), jh);
    else on_service_done(j.replica, jh);
  }
}

void PlatformModel::Impl::stop_cpu_work(Job& j) {
  if (!j.cpu) return;
  const int c = server_of(j);
  servers[std::size_t(c)].ps.cancel(now, j.cpu);
  j.cpu = 0;
  schedule_server(c);
}

// The replica's process died: its work leaves its host's CPU and disk, and its callers will time out.
void PlatformModel::Impl::drop_cpu_work_of(int replica) {
  const int h = topo.replicas[std::size_t(replica)].host;
  std::vector<Handle> dropped;
  for (int c : {host_cpu[std::size_t(h)], host_disk[std::size_t(h)]}) {
    if (c < 0) continue;
    const int n = servers[std::size_t(c)].ps.cancel_if(now, [&](std::uint64_t jh) {
      if (!jobs.alive(jh) || jobs[jh].replica != replica) return false;
      dropped.push_back(jh);
      return true;
    });
    if (n > 0) schedule_server(c);
  }
  for (Handle jh : dropped) {
    if (!jobs.alive(jh)) continue;  // a warm-up's other threads
    Job& j = jobs[jh];
    j.cpu = 0;
    if (j.warming) {
      jobs.release(jh);
    } else if (j.cost_of) {  // the caller died while paying for a failure: its call ends with that failure
      const Handle ch = j.cost_of;
      const Result r = j.deferred;
      jobs.release(jh);
      if (calls.alive(ch) && !calls[ch].done) settle_call(ch, r);
    } else {
      drop_job(jh);
    }
  }
}

void PlatformModel::Impl::set_cpu_background(const std::vector<int>& hosts) {
  for (int h : hosts) {
    const int c = host_cpu[std::size_t(h)];
    if (c < 0) continue;
    servers[std::size_t(c)].ps.set_background(now, faults.host_background(h));
    schedule_server(c);
  }
}

void PlatformModel::Impl::set_disk_speed(const std::vector<int>& hosts) {
  for (int h : hosts) {
    const int d = host_disk[std::size_t(h)];
    if (d < 0) continue;
    servers[std::size_t(d)].ps.set_speed(now, s.zones[std::size_t(topo.hosts[std::size_t(h)].zone)].disk_bandwidth *
                                                  faults.disk_factor(h));
    schedule_server(d);
  }
}

// What to blame for a call that timed out or was turned away at `replica` with no fault or edge to
// blame: its host's CPU, then its disk, when saturated (more runnable work than cores), else overload.
Blame PlatformModel::Impl::overload_blame(int replica) const {
  if (servers.empty() || replica < 0) return {};
  const int h = topo.replicas[std::size_t(replica)].host;
  for (int c : {host_cpu[std::size_t(h)], host_disk[std::size_t(h)]})
    if (c >= 0 && servers[std::size_t(c)].ps.saturated()) return Blame::resource(servers[std::size_t(c)].resource);
  return {};
}

void PlatformModel::Impl::close_resource_bucket(int b) {
  if (resources.empty()) return;
  const double length = std::min(s.info.bucket, end - b * s.info.bucket);
  for (Server& sv : servers) {
    ResourceState& st = resources[std::size_t(sv.resource)];
    const HostCpu::Usage u = sv.ps.take_usage(now);
    st.utilisation[std::size_t(b)] = length > 0 ? u.busy / (length * sv.ps.cores()) : 0;
    st.backlog[std::size_t(b)] = length > 0 ? std::max(0.0, (u.runnable - u.busy) / length) : 0;
    st.used += u.busy / sv.ps.cores();
    st.saturated += u.saturated;
  }
  close_limit_buckets(b, length);
  close_network_bucket(b, length);
}

void PlatformModel::Impl::fill_resources(Report& r) {
  for (ResourceState& st : resources) {
    ResourceReport res;
    res.name = st.name;
    res.kind = st.kind;
    res.capacity = st.capacity;
    for (double u : st.utilisation) res.peak_utilisation = std::max(res.peak_utilisation, u);
    res.utilisation = end > 0 ? st.used / end : 0;
    res.saturated_time = st.saturated;
    res.limit_hits = st.hit_total;
    res.utilisation_by_bucket = std::move(st.utilisation);
    res.backlog_by_bucket = std::move(st.backlog);
    res.limit_hits_by_bucket = std::move(st.hits);
    r.resources.push_back(std::move(res));
  }
  fill_network(r);
}

}  // namespace faultline
