// PlatformModel, tenants: the data a data_loss fault deletes for some tenants (their users' requests
// fail where the data was), and the restore actions that copy it back tenant by tenant, as work of
// a size done at a rate by parallel streams (model/restore_work.hpp).
#include "model/platform_model_impl.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace faultline {

// The tenants each data_loss fault hits (drawn by the fault plan, in the order restores take them).
void PlatformModel::Impl::set_up_tenants() {
  tenant_losses_at.assign(s.services.size(), {});
  restores.resize(s.actions.size());
  const int tenants = s.traffic.tenants;
  for (std::size_t f = 0; f < s.faults.size(); ++f) {
    const Fault& fault = s.faults[f];
    if (fault.kind != FaultKind::data_loss || tenants < 1) continue;
    TenantLoss loss;
    loss.fault = int(f);
    loss.service = service_index_or_throw(fault.target);
    loss.tenants = faults.tenants_hit(int(f));
    loss.hit.assign(std::size_t(tenants), 0);
    loss.lost.assign(std::size_t(tenants), 0);
    loss.buckets.assign(std::size_t(rec.bucket_count()), Counts{});
    for (int t : loss.tenants) loss.hit[std::size_t(t)] = 1;
    tenant_losses_at[std::size_t(loss.service)].push_back(int(tenant_losses.size()));
    tenant_losses.push_back(std::move(loss));
  }
  for (std::size_t a = 0; a < s.actions.size(); ++a) {
    const Action& act = s.actions[a];
    if (act.kind != ActionKind::restore) continue;
    for (std::size_t l = 0; l < tenant_losses.size(); ++l)
      if (s.faults[std::size_t(tenant_losses[l].fault)].name == act.fault) restores[a].loss = int(l);
    if (restores[a].loss < 0) throw InternalError("restore '" + act.name + "' names no data_loss fault");
    const TenantLoss& loss = tenant_losses[std::size_t(restores[a].loss)];
    restores[a].restored_at.assign(loss.tenants.size(), -1);
  }
}

// An occurrence of the loss began (every tenant it hits loses its data again) or the fault ended (the
// data is back for all of them, as when a rollback undoes the deletion).
void PlatformModel::Impl::on_tenant_loss_changed(int f) {
  for (TenantLoss& loss : tenant_losses) {
    if (loss.fault != f) continue;
    const bool active = faults.active(f);
    if (active && !loss.begun) loss.begun_at = now;
    loss.begun |= active;
    for (int t : loss.tenants) loss.lost[std::size_t(t)] = active;
  }
}

int PlatformModel::Impl::data_lost(int service, std::uint32_t user) const {
  if (user == kNoUser) return -1;
  const std::size_t tenant = user % std::uint32_t(s.traffic.tenants);
  for (int l : tenant_losses_at[std::size_t(service)]) {
    const TenantLoss& loss = tenant_losses[std::size_t(l)];
    if (loss.lost[tenant]) return loss.fault;
  }
  return -1;
}

void PlatformModel::Impl::count_tenant_request(std::uint32_t user, Outcome o) {
  const std::size_t tenant = user % std::uint32_t(s.traffic.tenants);
  for (TenantLoss& loss : tenant_losses) {
    if (!loss.begun || !loss.hit[tenant]) continue;
    count(loss.total, o);
    count(loss.buckets[std::size_t(rec.bucket_of(now))], o);
  }
}

// ---- restores ----------------------------------------------------------------------------------

void PlatformModel::Impl::start_restore(int a) {
  RestoreState& r = restores[std::size_t(a)];
  if (r.work) return;  // an action runs once
  const Action& act = s.actions[std::size_t(a)];
  const TenantLoss& loss = tenant_losses[std::size_t(r.loss)];
  // Sizes drawn from the action's own stream, in the order the tenants are taken.
  RandomStream rng(seed, "action." + act.name + ".sizes");
  Distribution size = Distribution::constant(act.size);
  if (act.size_stddev > 0) {
    size.kind = Distribution::Kind::lognormal;
    size.stddev = act.size_stddev;
  }
  std::vector<double> sizes;
  for (std::size_t i = 0; i < loss.tenants.size(); ++i) sizes.push_back(rng.sample(size));
  r.work.emplace(std::move(sizes), act.rate, act.parallelism, act.bandwidth);
  r.work->start(now);
  r.started = now;
  schedule_restore(a);
}

void PlatformModel::Impl::schedule_restore(int a) {
  RestoreState& r = restores[std::size_t(a)];
  const double next = r.work->next_finish();
  if (!std::isfinite(next)) return;
  q.push(std::max(now, next), kRestoreDone, std::uint32_t(a), ++r.token);
}

void PlatformModel::Impl::on_restore_done(int a, std::uint64_t token) {
  RestoreState& r = restores[std::size_t(a)];
  if (token != r.token || !r.work) return;
  TenantLoss& loss = tenant_losses[std::size_t(r.loss)];
  for (int i : r.work->advance(now)) {
    r.restored_at[std::size_t(i)] = now;
    loss.lost[std::size_t(loss.tenants[std::size_t(i)])] = 0;
  }
  if (r.work->done()) {
    r.finished = now;
    rec.event(now, "restore_done", s.actions[std::size_t(a)].name,
              fmt::format("{} tenant(s) restored in {}", loss.tenants.size(), clock_text(now - r.started)));
    end_fault(loss.fault, "restored by " + s.actions[std::size_t(a)].name);
    return;
  }
  schedule_restore(a);
}

double PlatformModel::Impl::restore_estimate() const {
  double eta = -1;
  for (const RestoreState& r : restores)
    if (r.work && r.finished < 0) eta = std::max(eta, r.work->estimated_end(now));
  return eta;
}

void PlatformModel::Impl::fill_restores(Report& out) const {
  for (std::size_t a = 0; a < restores.size(); ++a) {
    const RestoreState& r = restores[a];
    if (r.loss < 0) continue;
    const Action& act = s.actions[a];
    const TenantLoss& loss = tenant_losses[std::size_t(r.loss)];
    RestoreReport rr;
    rr.action = act.name;
    rr.fault = act.fault;
    rr.service = s.services[std::size_t(loss.service)].name;
    rr.tenants = int(loss.tenants.size());
    rr.tenant_ids = loss.tenants;
    if (loss.begun_at >= 0) rr.lost_at = loss.begun_at;
    if (r.started >= 0) rr.started = r.started;
    if (r.finished >= 0) rr.finished = r.finished;
    rr.size = r.work ? r.work->total_size() : act.size * double(loss.tenants.size());
    for (double t : r.restored_at) rr.restored_at.push_back(t >= 0 ? t : std::numeric_limits<double>::quiet_NaN());
    // Share back at each bucket's end, from when each tenant came back.
    std::vector<double> back = r.restored_at;
    std::erase_if(back, [](double t) { return t < 0; });
    std::sort(back.begin(), back.end());
    for (int b = 0; b < rec.bucket_count(); ++b) {
      const double bucket_end = std::min(end, (b + 1) * s.info.bucket);
      const auto done = std::upper_bound(back.begin(), back.end(), bucket_end) - back.begin();
      rr.share_by_bucket.push_back(double(done) / double(r.restored_at.size()));
    }
    rr.requests = loss.total;
    rr.buckets = loss.buckets;
    out.restores.push_back(std::move(rr));
  }
}

}  // namespace faultline
