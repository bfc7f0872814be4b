// PlatformModel, replicated state (service[].replication): the writes a primary acknowledges, the
// copy its standby replicas hold (model/replication_log.hpp), the writes a promotion loses because
// the copy did not have them, their reconciliation once the old primary can be reached again (work
// at a rate that a fail-back waits for), and the time the service spends read-only.
#include "model/platform_model_impl.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace faultline {

namespace {

bool holds(const std::vector<int>& set, int r) { return std::find(set.begin(), set.end(), r) != set.end(); }

}  // namespace

const PlatformModel::Impl::ReplicationState* PlatformModel::Impl::replication_at(int sv) const {
  if (replication_of.empty() || replication_of[std::size_t(sv)] < 0) return nullptr;
  return &replication[std::size_t(replication_of[std::size_t(sv)])];
}

PlatformModel::Impl::ReplicationState* PlatformModel::Impl::replication_at(int sv) {
  return const_cast<ReplicationState*>(std::as_const(*this).replication_at(sv));
}

void PlatformModel::Impl::set_up_replication() {
  for (std::size_t sv = 0; sv < s.services.size(); ++sv) {
    const Service& svc = s.services[sv];
    if (!svc.replication.enabled) continue;
    if (replication_of.empty()) replication_of.assign(s.services.size(), -1);
    replication_of[sv] = int(replication.size());
    ReplicationState& st = replication.emplace_back();
    st.service = int(sv);
    st.rng = RandomStream(seed, "service." + svc.name + ".replication");
    for (int r : topo.service_replicas[sv])
      if (in_standby_zone(r)) st.copy.push_back(r);
    st.report.service = svc.name;
    st.report.mode = svc.replication.mode == ReplicationMode::sync ? "sync" : "async";
    st.report.buckets.assign(std::size_t(rec.bucket_count()), ReplicationBucket{});
  }
}

namespace {

// Counts `from`..`to` into the buckets it spans.
void add_read_only(ReplicationReport& rep, double bucket, double from, double to) {
  while (from < to && !rep.buckets.empty()) {
    const std::size_t b = std::min(rep.buckets.size() - 1, std::size_t(std::max(0.0, std::floor(from / bucket))));
    const double bucket_end = b + 1 == rep.buckets.size() ? to : std::min(to, double(b + 1) * bucket);
    rep.buckets[b].read_only += bucket_end - from;
    rep.read_only += bucket_end - from;
    from = bucket_end;
  }
}

}  // namespace

bool PlatformModel::Impl::is_write(int service, int /*replica*/) {
  ReplicationState* st = replication_at(service);
  return st && st->rng.bernoulli(s.services[std::size_t(service)].replication.write_share);
}

// The copy gets the primary's writes while a primary replica and a copy replica are up and can reach
// each other.
bool PlatformModel::Impl::copy_reachable(const ReplicationState& st) const {
  for (int p : topo.service_replicas[std::size_t(st.service)]) {
    const Replica& rp = replicas[std::size_t(p)];
    if (rp.standby || !rp.host_up || !rp.process_up) continue;
    for (int c : st.copy) {
      const Replica& rc = replicas[std::size_t(c)];
      if (rc.host_up && rc.process_up &&
          faults.round_trip(topo.replicas[std::size_t(p)].zone, topo.replicas[std::size_t(c)].zone))
        return true;
    }
  }
  return false;
}

bool PlatformModel::Impl::commit_write(int service, int replica) {
  ReplicationState& st = *replication_at(service);
  const Replication& cfg = s.services[std::size_t(service)].replication;
  ReplicationBucket& bucket = st.report.buckets[std::size_t(rec.bucket_of(now))];
  const bool refused = replicas[std::size_t(replica)].reads_only ||
                       (cfg.mode == ReplicationMode::sync && !copy_reachable(st));
  if (refused) {
    ++st.report.writes_refused;
    ++bucket.refused;
    return false;
  }
  ++st.report.writes;
  ++bucket.writes;
  if (cfg.mode == ReplicationMode::async && !st.copy.empty()) st.log.commit(now, st.rng.sample(cfg.lag));
  return true;
}

void PlatformModel::Impl::replication_changed() {
  for (ReplicationState& st : replication) {
    const Service& svc = s.services[std::size_t(st.service)];
    const bool reachable = copy_reachable(st);
    if (svc.replication.mode == ReplicationMode::async) {
      if (reachable) st.log.resume(now, st.rng.sample(svc.replication.lag));
      else st.log.cut(now);
    }
    bool primary_up = false;
    for (int r : topo.service_replicas[std::size_t(st.service)])
      primary_up |= !replicas[std::size_t(r)].standby && replicas[std::size_t(r)].host_up && replicas[std::size_t(r)].process_up;
    const bool read_only = st.promoting || (svc.replication.mode == ReplicationMode::sync && primary_up && !reachable);
    if (st.read_only) add_read_only(st.report, s.info.bucket, st.marked, now);
    st.marked = now;
    if (read_only != st.read_only)
      rec.event(now, read_only ? "read_only" : "writable", svc.name,
                read_only ? (st.promoting ? "the standby replicas serve reads while one is promoted"
                                          : "its copy cannot be reached: writes are refused")
                          : "writes accepted again");
    st.read_only = read_only;
    // Reconciliation starts once an old primary's replica is up and reaches the new primary.
    if (st.divergent == 0 || st.reconciling || svc.replication.reconcile_rate <= 0) continue;
    bool back = false;
    for (int d : st.diverged_on) {
      const Replica& rd = replicas[std::size_t(d)];
      if (!rd.host_up || !rd.process_up) continue;
      for (int p : topo.service_replicas[std::size_t(st.service)])
        back |= !replicas[std::size_t(p)].standby && replicas[std::size_t(p)].host_up &&
                faults.round_trip(topo.replicas[std::size_t(d)].zone, topo.replicas[std::size_t(p)].zone);
    }
    if (!back) continue;
    st.reconciling = true;
    st.reconcile_began = now;
    if (!st.report.reconciliation_started) st.report.reconciliation_started = now;
    const double takes = double(st.divergent) / svc.replication.reconcile_rate;
    rec.event(now, "reconciliation_started", svc.name,
              fmt::format("{} divergent write(s) at {:.4g}/s: done in about {}", st.divergent,
                          svc.replication.reconcile_rate, clock_text(takes)));
    q.push(now + takes, kReconcileDone, std::uint32_t(st.service));
  }
}

void PlatformModel::Impl::begin_promotion(int sv) {
  ReplicationState* state = replication_at(sv);
  if (!state) return;
  ReplicationState& st = *state;
  st.promoting = true;
  // The copy being promoted stops taking the old primary's stream: what it lacks now is lost.
  st.lost_at_fence = st.log.promote(now);
  for (int r : st.copy) {
    replicas[std::size_t(r)].reads_only = true;
    update_rotation(r);
  }
  replication_changed();
}

void PlatformModel::Impl::primary_changed(int sv) {
  ReplicationState* state = replication_at(sv);
  if (!state) return;
  ReplicationState& st = *state;
  const Service& svc = s.services[std::size_t(sv)];
  const bool was_promoting = st.promoting;
  st.promoting = false;
  std::vector<int> primary, standby;
  for (int r : topo.service_replicas[std::size_t(sv)]) {
    replicas[std::size_t(r)].reads_only = false;
    update_rotation(r);
    (replicas[std::size_t(r)].standby ? standby : primary).push_back(r);
  }
  const bool copy_promoted =
      !primary.empty() && std::all_of(primary.begin(), primary.end(), [&](int r) { return holds(st.copy, r); });
  const bool back_to_diverged =
      !primary.empty() && std::all_of(primary.begin(), primary.end(), [&](int r) { return holds(st.diverged_on, r); });
  if (back_to_diverged && st.divergent > 0) {  // a fail-back without reconciliation drops them
    st.report.writes_discarded += st.divergent;
    rec.event(now, "writes_discarded", svc.name,
              fmt::format("{} divergent write(s) never reconciled, dropped by the fail-back", st.divergent));
    st.divergent = 0;
  }
  if (back_to_diverged) st.diverged_on.clear();
  if (copy_promoted) {
    // A switchover while the old primary still reaches its copy waits for the copy to catch up.
    const std::uint64_t lost = was_promoting ? st.lost_at_fence : copy_reachable(st) ? 0 : st.log.promote(now);
    if (lost > 0) {
      st.report.writes_lost += lost;
      st.report.buckets[std::size_t(rec.bucket_of(now))].lost += lost;
      st.divergent += lost;
      for (int r : standby)
        if (!holds(st.copy, r) && !holds(st.diverged_on, r)) st.diverged_on.push_back(r);
      rec.event(now, "writes_lost", svc.name,
                fmt::format("{} acknowledged write(s) never reached the promoted copy; they diverge on the old primary",
                            lost));
    }
    if (!st.report.failed_over_at) st.report.failed_over_at = now;
  }
  st.copy.clear();
  for (int r : standby)
    if (!holds(st.diverged_on, r)) st.copy.push_back(r);
  st.log.promote(now);  // a new primary: its own log, its copy in step with it
  replication_changed();
}

// A failover action to where divergent writes wait for a reconciliation: -1 when it can run, else the
// index of its service's replication state.
int PlatformModel::Impl::failback_waits_for(int a) const {
  const Action& act = s.actions[std::size_t(a)];
  const int sv = action_service[std::size_t(a)];
  const ReplicationState* state = act.kind == ActionKind::failover ? replication_at(sv) : nullptr;
  if (!state) return -1;
  const ReplicationState& st = *state;
  if (st.divergent == 0 || s.services[std::size_t(sv)].replication.reconcile_rate <= 0) return -1;
  const bool to_diverged = std::any_of(st.diverged_on.begin(), st.diverged_on.end(), placed_in(act.to));
  return to_diverged ? replication_of[std::size_t(sv)] : -1;
}

bool PlatformModel::Impl::failback_blocked(int a) {
  const int index = failback_waits_for(a);
  if (index < 0) return false;
  const Action& act = s.actions[std::size_t(a)];
  ReplicationState& st = replication[std::size_t(index)];
  if (!holds(st.waiting_actions, a)) st.waiting_actions.push_back(a);
  if (st.waiting_since < 0) st.waiting_since = now;
  rec.event(now, "failback_waits", act.name,
            fmt::format("{} divergent write(s) on {} to reconcile first{}", st.divergent, act.to,
                        st.reconciling ? "" : " (reconciliation not started: the old primary cannot be reached)"));
  return true;
}

void PlatformModel::Impl::on_reconcile_done(int sv) {
  ReplicationState& st = *replication_at(sv);
  if (!st.reconciling) return;
  st.reconciling = false;
  st.report.writes_reconciled += st.divergent;
  st.report.reconciled_at = now;
  rec.event(now, "reconciled", s.services[std::size_t(sv)].name,
            fmt::format("{} divergent write(s) reconciled", st.divergent));
  st.divergent = 0;
  for (int r : st.diverged_on) st.copy.push_back(r);  // the old primary holds a copy again
  st.diverged_on.clear();
  st.log.promote(now);
  if (st.waiting_since >= 0) st.report.failback_waited += now - st.waiting_since;
  st.waiting_since = -1;
  for (int a : st.waiting_actions) schedule_action(a, now);
  st.waiting_actions.clear();
  replication_changed();
}

double PlatformModel::Impl::reconciliation_estimate() const {
  double eta = -1;
  for (const ReplicationState& st : replication) {
    const double rate = s.services[std::size_t(st.service)].replication.reconcile_rate;
    if (st.divergent == 0 || rate <= 0) continue;
    eta = std::max(eta, (st.reconciling ? st.reconcile_began : now) + double(st.divergent) / rate);
  }
  return eta;
}

std::string PlatformModel::Impl::waiting_failbacks() const {
  std::string names;
  for (const ReplicationState& st : replication)
    for (int a : st.waiting_actions) names += (names.empty() ? "" : ", ") + s.actions[std::size_t(a)].name;
  return names;
}

void PlatformModel::Impl::close_replication_bucket(int b) {
  for (ReplicationState& st : replication) {
    if (st.read_only) add_read_only(st.report, s.info.bucket, st.marked, now);
    st.marked = now;
    std::uint64_t awaiting = st.divergent;
    if (st.reconciling) {
      const double done = (now - st.reconcile_began) * s.services[std::size_t(st.service)].replication.reconcile_rate;
      awaiting -= std::min<std::uint64_t>(awaiting, std::uint64_t(std::max(0.0, done)));
    }
    st.report.buckets[std::size_t(b)].awaiting = awaiting;
  }
}

void PlatformModel::Impl::fill_replication(Report& out) {
  for (ReplicationState& st : replication) {
    if (st.read_only) add_read_only(st.report, s.info.bucket, st.marked, now);
    st.marked = now;
    st.report.writes_awaiting = st.divergent;
    if (st.waiting_since >= 0) st.report.failback_waited += now - st.waiting_since;
    out.replication.push_back(st.report);
  }
}

}  // namespace faultline
