// Which failed attempts a RetryPolicy retries, and how long it waits before the next one
// (Envoy semantics: exponential back-off from base_interval, capped at max_interval, with jitter).
#pragma once

#include "model/random.hpp"
#include "report/report.hpp"
#include "scenario/scenario.hpp"

namespace faultline {

// The failure of one attempt as the caller saw it.
struct AttemptFailure {
  Status status = Status::UNAVAILABLE;
  Cause cause = Cause::dependency;
  bool connect_failure = false;  // refused at once (no process on the replica, no healthy upstream)
};

bool retry_allowed(const RetryPolicy& p, const AttemptFailure& f);

// Delay before retry number `retry` (1 for the first retry). `previous` is the previous delay
// (decorrelated jitter grows from it).
double retry_back_off(const RetryPolicy& p, int retry, double previous, RandomStream& rng);

// Server-side errors, the gRPC equivalents of HTTP 5xx.
bool is_server_error(Status s);

}  // namespace faultline
