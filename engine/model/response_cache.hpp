// A cache in front of a dependency, held by the calling service. Its data is refreshed from the
// callee every `refresh`; while the last good refresh is younger than `ttl`, a call is a hit with
// probability hit_ratio x warmth and is answered by the caller. Once the data has expired the cache is
// cold: after the next good refresh it warms up linearly over `warmup`, so misses (and load on the
// callee) are high right after a recovery. With serve_stale, a failed miss is answered with the
// expired data if any was ever fetched.
#pragma once

#include "model/random.hpp"
#include "scenario/scenario.hpp"

namespace faultline {

class ResponseCache {
 public:
  ResponseCache() = default;
  explicit ResponseCache(const Cache& config) : config_(config) {}

  void refreshed(bool ok, double now);
  bool fresh(double now) const { return filled_ && now - last_good_ <= config_.ttl; }
  double warmth(double now) const;
  bool hit(double now, RandomStream& rng) const;
  bool can_serve_stale() const { return config_.serve_stale && filled_; }
  // Emptied (a flush): no hit until the next good refresh, then it warms up again.
  void flush() { filled_ = false; }

 private:
  Cache config_;
  bool filled_ = true;       // the run starts with a warm cache
  double last_good_ = 0;
  double warm_from_ = -1e300;  // when it last started warming up
};

}  // namespace faultline
