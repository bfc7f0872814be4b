// Caches that hold bad data: the entries' bookkeeping (staggered fetches, a bad answer kept for its
// own TTL, a flush), then in the model, where a bad answer the callee gave during a fault keeps
// failing calls after the fault ends, until its entry comes due or the cache is flushed.
#include "model/cache_entries.hpp"
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

using namespace faultline;
using namespace faultline::testing;

TEST_CASE("cache entries: a bad answer is kept for its TTL, a good one refetched after the refresh",
          "[model][cache]") {
  RandomStream rng(1, "entries");
  CacheEntries entries(1, 60, rng);  // one entry: every read gets it
  int fetches = 0;
  auto bad_for_an_hour = [&]() { ++fetches; return std::pair{7, 3600.0}; };
  auto good = [&]() { ++fetches; return std::pair{-1, 0.0}; };
  CHECK(entries.read(60, rng, bad_for_an_hour) == 7);  // due by 60 s at the latest: fetched, bad
  CHECK(fetches == 1);
  CHECK(entries.read(1000, rng, good) == 7);  // not due: still the bad answer, no fetch
  CHECK(fetches == 1);
  CHECK(entries.bad_share() == 1);
  CHECK(entries.read(60 + 3600, rng, good) == -1);  // due: fetched again, good
  CHECK(fetches == 2);
  CHECK(entries.read(60 + 3600 + 59, rng, bad_for_an_hour) == -1);  // good for a refresh
  CHECK(fetches == 2);
  CHECK(entries.read(60 + 3600 + 60, rng, bad_for_an_hour) == 7);
  entries.flush(5000);
  CHECK(entries.bad_share() == 0);
  CHECK(entries.read(5000, rng, good) == -1);
  CHECK(fetches == 4);
}

TEST_CASE("cache entries: fetches are staggered over the first refresh", "[model][cache]") {
  RandomStream rng(2, "entries");
  CacheEntries entries(1000, 60, rng);
  int fetched = 0;
  auto count = [&]() { ++fetched; return std::pair{-1, 0.0}; };
  for (int i = 0; i < 20000; ++i) entries.read(30, rng, count);  // half of them come due by 30 s
  CHECK(fetched == Approx(500).margin(60));
}

namespace {

// "front" calls "store" through a cache (90% hits, refresh 30 s, ttl 1 h, so it stays warm). From 100
// s to 400 s "store" answers every call badly (NOT_FOUND) and poisons the cache; bad answers are kept
// 600 s.
Scenario poisoned(DependencyKind kind = DependencyKind::hard) {
  Scenario s = basic_scenario(1, 4);
  s.info.duration = 1500;
  s.info.bucket = 10;
  s.traffic.rate = 100;
  add_service(s, "front", 2);
  add_service(s, "store", 2);
  Dependency& d = add_dependency(s, "front", "store", kind);
  d.timeout = 0.5;
  if (kind == DependencyKind::soft) d.fallback = Fallback::degrade;
  d.cache.enabled = true;
  d.cache.hit_ratio = 0.9;
  d.cache.refresh = 30;
  d.cache.ttl = 3600;
  d.cache.warmup = 0;
  add_feature(s, "f", "front");
  Fault& f = add_fault(s, "bad-answers", FaultKind::error_rate, "store", 100, 300);
  f.status = Status::NOT_FOUND;
  f.poisons_cache = true;
  f.poison_ttl = 600;
  return s;
}

double failed_share(const Series& f, int from, int to) {
  std::uint64_t req = 0, failed = 0;
  for (int b = from; b < to; ++b) {
    req += f.buckets[std::size_t(b)].requests;
    failed += f.buckets[std::size_t(b)].failed;
  }
  return req ? double(failed) / double(req) : 0;
}

}  // namespace

TEST_CASE("a poisoned cache fails calls after its source is fixed, until the bad entries expire",
          "[model][cache]") {
  const Report r = run_without_kernel(poisoned(), 4);
  const Series& f = feature(r, "f");
  const EdgeReport& e = edge(r, "front", "store");
  REQUIRE(e.poisoned_hits);
  // During the fault: every call fails (hits from bad entries once refetched, misses at the source).
  CHECK(failed_share(f, 15, 40) == Approx(1).margin(0.01));
  // After it (400 s), the 10% of misses succeed; the hits on bad entries, most filled from 100 s to
  // 130 s (as they came due and were read) and kept 600 s, fail until 700-730 s; an entry left unread
  // longer was filled later, and none is bad past 400 + 600 s.
  CHECK(failed_share(f, 41, 69) == Approx(0.9).margin(0.03));
  CHECK(failed_share(f, 74, 100) < 0.01);
  CHECK(failed_share(f, 100, 150) == 0);
  // Every failure after the fault is a bad entry's answer.
  std::uint64_t failed_after = 0, poisoned_after = 0;
  for (int b = 41; b < 150; ++b) {
    failed_after += f.buckets[std::size_t(b)].failed;
    poisoned_after += e.poisoned_by_bucket[std::size_t(b)];
  }
  CHECK(failed_after == poisoned_after);
  CHECK(std::accumulate(e.poisoned_by_bucket.begin(), e.poisoned_by_bucket.end(), std::uint64_t(0)) == *e.poisoned_hits);
  CHECK(std::accumulate(e.requests_by_bucket.begin(), e.requests_by_bucket.end(), std::uint64_t(0)) == e.requests);
}

TEST_CASE("a flush_cache action ends the bad answers at once", "[model][cache]") {
  Scenario s = poisoned();
  Action flush;
  flush.name = "flush";
  flush.kind = ActionKind::flush_cache;
  flush.dependency = "front->store";
  flush.at = 455;
  s.actions.push_back(flush);
  const Report r = run_without_kernel(s, 4);
  const EdgeReport& e = edge(r, "front", "store");
  for (std::size_t b = 46; b < e.poisoned_by_bucket.size(); ++b) CHECK(e.poisoned_by_bucket[b] == 0);
  CHECK(failed_share(feature(r, "f"), 47, 150) == 0);
  const auto ev = std::find_if(r.events.begin(), r.events.end(), [](const Event& x) { return x.name == "flush"; });
  REQUIRE(ev != r.events.end());
  CHECK_THAT(ev->detail, Catch::Contains("100% of its entries were bad"));
  CHECK(r.incident.mitigated == std::optional<double>(455));
}

TEST_CASE("a bad answer from a soft dependency's cache degrades the caller instead", "[model][cache]") {
  const Report r = run_without_kernel(poisoned(DependencyKind::soft), 4);
  const Series& f = feature(r, "f");
  CHECK(failed_share(f, 41, 69) == 0);
  CHECK(f.buckets[50].degraded > 0.8 * double(f.buckets[50].requests));
}

TEST_CASE("without poisons_cache the same fault leaves nothing behind in the cache", "[model][cache]") {
  Scenario s = poisoned();
  s.faults[0].poisons_cache = false;
  s.faults[0].poison_ttl.reset();
  const Report r = run_without_kernel(s, 4);
  CHECK_FALSE(edge(r, "front", "store").poisoned_hits);
  CHECK(failed_share(feature(r, "f"), 41, 150) == 0);
}
