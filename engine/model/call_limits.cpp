#include "model/call_limits.hpp"

#include <algorithm>

namespace faultline {

bool CallLimits::may_send() const {
  if (!breakers_.enabled) return true;
  if (attempts_ >= breakers_.max_requests) return false;
  if (pending_ >= breakers_.max_pending_requests) return false;
  return true;
}

void CallLimits::attempt_succeeded() {
  if (throttling_.enabled) tokens_ = std::min(throttling_.max_tokens, tokens_ + throttling_.token_ratio);
}

void CallLimits::attempt_failed() {
  if (throttling_.enabled) tokens_ = std::max(0.0, tokens_ - 1);
}

bool CallLimits::may_retry() const {
  if (breakers_.enabled && retries_ >= breakers_.max_retries) return false;
  if (throttling_.enabled && tokens_ <= throttling_.max_tokens / 2) return false;
  if (!budget_.enabled) return true;
  double allowed = std::max(double(budget_.min_retry_concurrency), budget_.budget_percent / 100.0 * requests_);
  return retries_ < allowed;
}

}  // namespace faultline
