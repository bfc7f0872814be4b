// PlatformModel, faults scoped to users (fault[].scope): which simulated users each one hits (those
// of its segments, of a share of the tenants and a share of the users, drawn from the seed and the
// fault's name), handed to the fault plan, and what those users and the others saw from the fault's
// first start on.
#include "model/platform_model_impl.hpp"

#include <algorithm>

namespace faultline {

void PlatformModel::Impl::set_up_scopes() {
  const std::uint32_t users = std::uint32_t(std::max(1, s.traffic.sample_users));
  const int tenants = s.traffic.tenants;
  for (std::size_t f = 0; f < s.faults.size(); ++f) {
    const Fault& fault = s.faults[f];
    if (!fault.scope.enabled) continue;
    const FaultScope& scope = fault.scope;
    std::vector<std::uint8_t> in_segment(std::max<std::size_t>(1, s.traffic.segments.size()), scope.segments.empty());
    for (const std::string& name : scope.segments)
      for (std::size_t g = 0; g < s.traffic.segments.size(); ++g)
        if (s.traffic.segments[g].name == name) in_segment[g] = 1;
    // The tenants: a share of them, each drawn in order from the fault's own stream.
    std::vector<std::uint8_t> tenant_hit(std::size_t(std::max(1, tenants)), 1);
    if (tenants > 0 && scope.tenants < 1) {
      RandomStream rng(seed, "fault." + fault.name + "/scope/tenants");
      for (auto& hit : tenant_hit) hit = rng.bernoulli(scope.tenants);
    }
    RandomStream user_rng(seed, "fault." + fault.name + "/scope/users");
    std::vector<std::uint8_t> hit(users, 0);
    std::size_t count = 0;
    for (std::uint32_t u = 0; u < users; ++u) {
      const bool drawn = scope.users >= 1 || user_rng.bernoulli(scope.users);  // one draw per user, in order
      hit[u] = drawn && in_segment[std::size_t(traffic.segment_of(u))] &&
               (tenants < 1 || tenant_hit[u % std::uint32_t(tenants)]);
      count += hit[u];
    }
    // Nobody in scope still scopes the fault (it then hits no call): an empty bitmap would mean all.
    if (count == 0) hit.push_back(0);
    ScopedFault sf;
    sf.fault = int(f);
    sf.share = double(count) / double(users);
    sf.inside_buckets.assign(std::size_t(rec.bucket_count()), Counts{});
    sf.outside_buckets = sf.inside_buckets;
    faults.set_scope(int(f), std::move(hit));
    scoped_faults.push_back(std::move(sf));
  }
}

void PlatformModel::Impl::on_scoped_fault_changed(int f) {
  for (ScopedFault& sf : scoped_faults) {
    if (sf.fault != f) continue;
    const bool active = faults.active(f);
    if (active == sf.active) continue;  // a step that changed nothing of the kind (a rollout's reach)
    sf.active = active;
    if (active && sf.began < 0) sf.began = now;
    sf.ended = active ? -1 : now;
  }
}

void PlatformModel::Impl::count_scoped_request(std::uint32_t user, Outcome o) {
  const std::size_t b = std::size_t(rec.bucket_of(now));
  for (ScopedFault& sf : scoped_faults) {
    if (sf.began < 0) continue;
    const bool inside = faults.in_scope(sf.fault, user);
    count(inside ? sf.inside : sf.outside, o);
    count(inside ? sf.inside_buckets[b] : sf.outside_buckets[b], o);
  }
}

// Recovered: the end of the last bucket, from the fault's start on, in which the users in scope saw
// less than the lowest feature SLO (the start itself when there is none; null when it is the last).
void PlatformModel::Impl::fill_scoped_faults(Report& r) const {
  double slo = 1;
  for (const Feature& feat : s.features) slo = std::min(slo, feat.slo);
  for (const ScopedFault& sf : scoped_faults) {
    ScopedFaultReport out;
    out.fault = s.faults[std::size_t(sf.fault)].name;
    out.users_in_scope = sf.share;
    if (sf.began >= 0) out.began = sf.began;
    if (sf.began >= 0 && sf.ended >= 0) out.ended = sf.ended;
    out.inside = sf.inside;
    out.outside = sf.outside;
    out.inside_buckets = sf.inside_buckets;
    out.outside_buckets = sf.outside_buckets;
    if (sf.began >= 0) {
      int last_bad = -1;
      for (std::size_t b = std::size_t(rec.bucket_of(sf.began)); b < sf.inside_buckets.size(); ++b)
        if (sf.inside_buckets[b].requests > 0 && sf.inside_buckets[b].availability() < slo - 1e-12) last_bad = int(b);
      if (last_bad < 0) out.recovered = sf.began;
      else if (std::size_t(last_bad) + 1 < sf.inside_buckets.size()) out.recovered = double(last_bad + 1) * s.info.bucket;
    }
    r.scoped_faults.push_back(std::move(out));
  }
}

}  // namespace faultline
