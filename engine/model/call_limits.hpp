// What one caller replica may still send along one dependency: Envoy's circuit breakers (concurrent
// requests, requests queued at the callee, concurrent retries) and its retry budget (retries in
// flight under budget_percent of the requests in flight, min_retry_concurrency always allowed).
// Counters only; the model tells it when things start and end.
#pragma once

#include "scenario/scenario.hpp"

namespace faultline {

class CallLimits {
 public:
  CallLimits() = default;
  CallLimits(const CircuitBreakers& breakers, const RetryBudget& budget, const RetryThrottling& throttling = {})
      : breakers_(breakers), budget_(budget), throttling_(throttling), tokens_(throttling.max_tokens) {}

  // Checks before sending an attempt (a first try or a retry): concurrent and pending requests.
  bool may_send() const;
  // Checks before scheduling a retry: the retry breaker and the budget. A retry counts as active
  // from the moment it is scheduled (its back-off included) until its attempt ends.
  bool may_retry() const;

  void call_started() { ++requests_; }
  void call_ended() { --requests_; }
  void retry_scheduled() { ++retries_; }
  void retry_abandoned() { --retries_; }  // scheduled, then never sent (the call settled first)
  void attempt_sent() { ++attempts_; }
  void attempt_ended(bool retry) {
    --attempts_;
    if (retry) --retries_;
  }
  // An attempt's outcome, for the retry throttling's token bucket.
  void attempt_succeeded();
  void attempt_failed();
  double tokens() const { return tokens_; }
  void queued_at_callee() { ++pending_; }
  void left_callee_queue() { --pending_; }

  int requests() const { return requests_; }
  int attempts() const { return attempts_; }
  int retries() const { return retries_; }
  int pending() const { return pending_; }

 private:
  CircuitBreakers breakers_;
  RetryBudget budget_;
  RetryThrottling throttling_;
  double tokens_ = 0;
  int requests_ = 0;  // calls in progress (first try to settlement)
  int attempts_ = 0;  // attempts the caller still waits for
  int retries_ = 0;   // of which retries
  int pending_ = 0;   // attempts waiting in the callee's queue
};

}  // namespace faultline
