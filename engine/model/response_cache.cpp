#include "model/response_cache.hpp"

#include <algorithm>

namespace faultline {

void ResponseCache::refreshed(bool ok, double now) {
  if (!ok) return;
  if (!fresh(now)) warm_from_ = now;  // it had expired (or never filled): cold from here
  filled_ = true;
  last_good_ = now;
}

double ResponseCache::warmth(double now) const {
  if (config_.warmup <= 0) return 1;
  return std::clamp((now - warm_from_) / config_.warmup, 0.0, 1.0);
}

bool ResponseCache::hit(double now, RandomStream& rng) const {
  return fresh(now) && rng.bernoulli(config_.hit_ratio * warmth(now));
}

}  // namespace faultline
