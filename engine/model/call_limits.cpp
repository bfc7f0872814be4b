#include "model/call_limits.hpp"

#include <algorithm>

namespace faultline {

bool CallLimits::may_send() const {
  if (!breakers_.enabled) return true;
  if (attempts_ >= breakers_.max_requests) return false;
  if (pending_ >= breakers_.max_pending_requests) return false;
  return true;
}

bool CallLimits::may_retry() const {
  if (breakers_.enabled && retries_ >= breakers_.max_retries) return false;
  if (!budget_.enabled) return true;
  double allowed = std::max(double(budget_.min_retry_concurrency), budget_.budget_percent / 100.0 * requests_);
  return retries_ < allowed;
}

}  // namespace faultline
