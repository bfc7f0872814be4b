// PlatformModel, caches that hold bad data: a fault with poisons_cache makes its service answer badly
// (model/fault_plan.hpp), and the caches in front of it keep those answers as entries with their own
// TTL (model/cache_entries.hpp). A hit on a bad entry fails the call with the fault's status even after
// the fault has ended, until the entry comes due and is fetched again, or a flush_cache action empties
// the cache.
#include "model/platform_model_impl.hpp"

namespace faultline {

namespace {

constexpr int kCacheEntries = 512;  // the key space of a cache, read evenly

}  // namespace

void PlatformModel::Impl::set_up_cache_poisoning() {
  if (std::none_of(s.faults.begin(), s.faults.end(), [](const Fault& f) { return f.poisons_cache; })) return;
  poisonable.resize(s.dependencies.size());
  for (std::size_t e = 0; e < s.dependencies.size(); ++e) {
    const Dependency& d = s.dependencies[e];
    if (!d.cache.enabled) continue;
    PoisonableCache& pc = poisonable[e];
    pc.rng = RandomStream(seed, "dependency." + d.from + "->" + d.to + ".cache_entries");
    pc.entries.emplace(kCacheEntries, d.cache.refresh, pc.rng);
    pc.requests_by_bucket.assign(std::size_t(rec.bucket_count()), 0);
    pc.poisoned_by_bucket.assign(std::size_t(rec.bucket_count()), 0);
  }
}

void PlatformModel::Impl::count_cached_call(int edge) {
  PoisonableCache& pc = poisonable[std::size_t(edge)];
  if (pc.entries) ++pc.requests_by_bucket[std::size_t(rec.bucket_of(now))];
}

int PlatformModel::Impl::poisoned_hit(int edge, int callee) {
  PoisonableCache& pc = poisonable[std::size_t(edge)];
  if (!pc.entries) return -1;
  const Cache& cache = s.dependencies[std::size_t(edge)].cache;
  const int f = pc.entries->read(now, pc.rng, [&]() -> std::pair<int, double> {
    // A fetch from one of the callee's replicas, as the cache would make it.
    const auto& reps = topo.service_replicas[std::size_t(callee)];
    const int r = reps[std::size_t(pc.rng.below(reps.size()))];
    const int bad = faults.poisoned_answer_at(callee, r, pc.rng);
    const double keep = bad >= 0 ? s.faults[std::size_t(bad)].poison_ttl.value_or(cache.ttl) : 0;
    return {bad, keep};
  });
  if (f < 0) return -1;
  ++pc.poisoned;
  ++pc.poisoned_by_bucket[std::size_t(rec.bucket_of(now))];
  return f;
}

// Empties the action's dependency's cache: its bad entries go, and it warms up again from its callee.
bool PlatformModel::Impl::flush_cache(int a, std::string& detail) {
  const Action& act = s.actions[std::size_t(a)];
  for (std::size_t e = 0; e < s.dependencies.size(); ++e) {
    const Dependency& d = s.dependencies[e];
    if (d.from + "->" + d.to != act.dependency) continue;
    caches[e].flush();
    double bad = 0;
    if (!poisonable.empty() && poisonable[e].entries) {
      bad = poisonable[e].entries->bad_share();
      poisonable[e].entries->flush(now);
    }
    detail = fmt::format("cache of {} emptied ({:.0f}% of its entries were bad)", act.dependency, 100 * bad);
    return bad > 0;
  }
  return false;
}

void PlatformModel::Impl::fill_poisoned_caches(Report& out) const {
  for (std::size_t e = 0; e < poisonable.size() && e < out.edges.size(); ++e) {
    const PoisonableCache& pc = poisonable[e];
    if (!pc.entries) continue;
    EdgeReport& er = out.edges[e];
    er.poisoned_hits = pc.poisoned;
    er.requests_by_bucket = pc.requests_by_bucket;
    er.poisoned_by_bucket = pc.poisoned_by_bucket;
  }
}

}  // namespace faultline
