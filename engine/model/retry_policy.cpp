#include "model/retry_policy.hpp"

#include <algorithm>
#include <cmath>

namespace faultline {

bool is_server_error(Status s) {
  switch (s) {
    case Status::UNKNOWN:
    case Status::INTERNAL:
    case Status::UNAVAILABLE:
    case Status::DATA_LOSS:
    case Status::DEADLINE_EXCEEDED:
    case Status::UNIMPLEMENTED: return true;
    default: return false;
  }
}

bool retry_allowed(const RetryPolicy& p, const AttemptFailure& f) {
  if (p.num_retries <= 0) return false;
  for (const std::string& on : p.retry_on) {
    if (on == "5xx" && is_server_error(f.status)) return true;
    if (on == "gateway-error" && (f.status == Status::UNAVAILABLE || f.status == Status::DEADLINE_EXCEEDED)) return true;
    if (on == "reset" && (f.cause == Cause::host_down || f.connect_failure)) return true;
    if (on == "connect-failure" && f.connect_failure) return true;
    if (on == "timeout" && f.cause == Cause::timeout) return true;
    if (on == "rejected" && f.cause == Cause::rejected) return true;
    if (auto s = parse_status(on); s && *s == f.status) return true;
  }
  return false;
}

double retry_back_off(const RetryPolicy& p, int retry, double previous, RandomStream& rng) {
  const double base = p.back_off.base_interval;
  const double cap = std::max(p.back_off.max_interval, base);
  const double exp = std::min(cap, base * std::ldexp(1.0, std::clamp(retry - 1, 0, 60)));
  switch (p.jitter) {
    case Jitter::none: return exp;
    case Jitter::full: return rng.uniform(0, exp);
    case Jitter::equal: return exp / 2 + rng.uniform(0, exp / 2);
    case Jitter::decorrelated: return std::min(cap, rng.uniform(base, std::max(base, previous * 3)));
  }
  return exp;
}

}  // namespace faultline
