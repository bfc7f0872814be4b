// The resilience mechanisms as state machines, without a clock or a kernel: outlier detection,
// circuit breakers and retry budgets, the response cache.
#include "model/call_limits.hpp"
#include "model/outlier_detector.hpp"
#include "model/response_cache.hpp"

#include <catch2/catch.hpp>

using namespace faultline;

TEST_CASE("outlier detection ejects after consecutive failures, for longer each time", "[model][outlier]") {
  OutlierDetection cfg;
  cfg.enabled = true;
  cfg.consecutive_5xx = 3;
  cfg.base_ejection_time = 30;
  cfg.max_ejection_percent = 50;
  OutlierDetector od(cfg, 4);
  CHECK_FALSE(od.record(0, true, 1));
  CHECK_FALSE(od.record(0, true, 2));
  CHECK_FALSE(od.record(0, false, 3));  // a success resets the count
  CHECK_FALSE(od.record(0, true, 4));
  CHECK_FALSE(od.record(0, true, 5));
  auto until = od.record(0, true, 6);
  REQUIRE(until);
  CHECK(*until == 36);
  CHECK(od.ejected(0));
  CHECK(od.ejected_count() == 1);
  CHECK_FALSE(od.record(0, true, 7));  // already out: results are ignored
  od.return_to_rotation(0);
  CHECK_FALSE(od.ejected(0));
  for (int i = 0; i < 2; ++i) od.record(0, true, 40);
  auto again = od.record(0, true, 40);
  REQUIRE(again);
  CHECK(*again == 100);  // second ejection: twice the base time
}

TEST_CASE("outlier detection keeps max_ejection_percent of replicas in rotation", "[model][outlier]") {
  OutlierDetection cfg;
  cfg.enabled = true;
  cfg.consecutive_5xx = 1;
  cfg.max_ejection_percent = 10;
  OutlierDetector od(cfg, 4);
  CHECK(od.record(0, true, 0));        // at least one may always be ejected
  CHECK_FALSE(od.record(1, true, 0));  // 10% of 4 is less than two
  CHECK(od.ejected_count() == 1);
  OutlierDetection off;
  OutlierDetector disabled(off, 4);
  for (int i = 0; i < 10; ++i) CHECK_FALSE(disabled.record(0, true, 0));
}

TEST_CASE("circuit breakers cap requests, pending requests and retries", "[model][breaker]") {
  CircuitBreakers b;
  b.enabled = true;
  b.max_requests = 2;
  b.max_pending_requests = 1;
  b.max_retries = 1;
  CallLimits l(b, RetryBudget{});
  CHECK(l.may_send());
  l.attempt_sent();
  l.attempt_sent();
  CHECK_FALSE(l.may_send());  // two attempts in flight
  l.attempt_ended(false);
  CHECK(l.may_send());
  l.queued_at_callee();
  CHECK_FALSE(l.may_send());  // one waiting in the callee's queue
  l.left_callee_queue();
  CHECK(l.may_retry());
  l.retry_scheduled();        // active from its back-off on
  CHECK_FALSE(l.may_retry());
  l.attempt_sent();
  l.attempt_ended(true);
  CHECK(l.may_retry());
  l.retry_scheduled();
  l.retry_abandoned();        // the call settled before the retry went out
  CHECK(l.may_retry());
}

TEST_CASE("a retry budget allows retries in proportion to requests in flight", "[model][budget]") {
  RetryBudget budget;
  budget.enabled = true;
  budget.budget_percent = 20;
  budget.min_retry_concurrency = 2;
  CallLimits l(CircuitBreakers{}, budget);
  for (int i = 0; i < 20; ++i) l.call_started();
  for (int i = 0; i < 4; ++i) {
    CHECK(l.may_retry());  // up to 20% of 20
    l.retry_scheduled();
  }
  CHECK_FALSE(l.may_retry());
  for (int i = 0; i < 18; ++i) l.call_ended();  // 2 requests left: the minimum concurrency rules
  CHECK(l.retries() == 4);
  CHECK_FALSE(l.may_retry());
  for (int i = 0; i < 3; ++i) {
    l.attempt_sent();
    l.attempt_ended(true);
  }
  CHECK(l.may_retry());  // 1 retry active < min_retry_concurrency 2
  CallLimits unlimited;
  CHECK(unlimited.may_retry());
  CHECK(unlimited.may_send());
}

TEST_CASE("a cache serves while fresh, expires, and warms up again after a good refresh", "[model][cache]") {
  Cache cfg;
  cfg.enabled = true;
  cfg.hit_ratio = 1.0;
  cfg.ttl = 100;
  cfg.warmup = 50;
  ResponseCache c(cfg);
  RandomStream rng(1, "cache");
  CHECK(c.hit(10, rng));      // warm at the start
  c.refreshed(false, 60);     // failed refreshes change nothing
  CHECK(c.fresh(100));
  CHECK_FALSE(c.fresh(101));  // ttl after the last good refresh (t = 0)
  CHECK_FALSE(c.hit(150, rng));
  c.refreshed(true, 200);     // back, but cold
  CHECK(c.fresh(200));
  CHECK(c.warmth(200) == 0);
  CHECK(c.warmth(225) == Approx(0.5));
  CHECK(c.warmth(260) == 1);
  int hits = 0;
  for (int i = 0; i < 10000; ++i) hits += c.hit(225, rng);
  CHECK(hits == Approx(5000).margin(200));
  CHECK_FALSE(c.can_serve_stale());
  cfg.serve_stale = true;
  CHECK(ResponseCache(cfg).can_serve_stale());
}

TEST_CASE("retry throttling stops retries once failures have drained half the tokens", "[model][budget]") {
  RetryThrottling t;
  t.enabled = true;
  t.max_tokens = 10;
  t.token_ratio = 0.5;
  CallLimits l(CircuitBreakers{}, RetryBudget{}, t);
  CHECK(l.may_retry());
  for (int i = 0; i < 4; ++i) l.attempt_failed();
  CHECK(l.tokens() == 6);
  CHECK(l.may_retry());
  l.attempt_failed();
  CHECK_FALSE(l.may_retry());  // 5 left: not more than half
  l.attempt_succeeded();
  CHECK(l.may_retry());        // 5.5
  for (int i = 0; i < 100; ++i) l.attempt_succeeded();
  CHECK(l.tokens() == 10);     // capped
  for (int i = 0; i < 100; ++i) l.attempt_failed();
  CHECK(l.tokens() == 0);      // floored
}
