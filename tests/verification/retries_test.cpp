// Verification of the retry and timeout mechanics against closed forms (labelled "verification"),
// through the product path (SimGrid kernel, forked runs).
#include "simulation/simulation.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace faultline;
using namespace faultline::testing;

namespace {
void retry_everything(Dependency& d, int retries) {
  d.retry_policy.num_retries = retries;
  d.retry_policy.retry_on = {"5xx"};
  d.retry_policy.back_off = {0.001, 0.001};
  d.retry_policy.jitter = Jitter::none;
}
}  // namespace

TEST_CASE("d layers of r retries send (1+r)^d attempts to a failing bottom", "[verification][retries]") {
  for (auto [layers, retries] : {std::pair{2, 2}, std::pair{3, 1}, std::pair{1, 4}}) {
    Scenario s = basic_scenario(1, 4);
    s.info.duration = 120;
    s.traffic.rate = 20;
    for (int i = 0; i <= layers; ++i) add_service(s, "s" + std::to_string(i), 2, 512, 100000);
    for (int i = 0; i < layers; ++i)
      retry_everything(add_dependency(s, "s" + std::to_string(i), "s" + std::to_string(i + 1)), retries);
    add_feature(s, "f", "s0");
    add_fault(s, "bottom-fails", FaultKind::error_rate, "s" + std::to_string(layers), 0);
    Report r = simulate_isolated(s, 3);
    const EdgeReport& bottom = edge(r, "s" + std::to_string(layers - 1), "s" + std::to_string(layers));
    double per_user_request = double(bottom.attempts) / double(r.summary.requests.requests);
    INFO(layers << " layers, " << retries << " retries");
    CHECK(per_user_request == Approx(std::pow(1 + retries, layers)).epsilon(0.01));
  }
}

TEST_CASE("independent failures with r retries: success 1-p^(r+1), attempts (1-p^(r+1))/(1-p)",
          "[verification][retries]") {
  const double p = 0.3;
  const int r = 2;
  Scenario s = basic_scenario(1, 4);
  s.info.duration = 1000;
  s.traffic.rate = 1000;  // 1e6 requests
  add_service(s, "front", 4, 1024, 100000, Distribution::constant(0.0001));
  add_service(s, "back", 4, 1024, 100000, Distribution::constant(0.0001));
  retry_everything(add_dependency(s, "front", "back"), r);
  add_feature(s, "f", "front");
  add_fault(s, "flaky", FaultKind::error_rate, "back", 0).rate = p;
  Report rep = simulate_isolated(s, 4);
  const EdgeReport& e = edge(rep, "front", "back");
  REQUIRE(e.requests > 990000);
  double success = 1 - double(e.failures) / double(e.requests);
  CHECK(success == Approx(1 - std::pow(p, r + 1)).epsilon(0.01));
  CHECK(e.amplification() == Approx((1 - std::pow(p, r + 1)) / (1 - p)).epsilon(0.01));
  CHECK(feature(rep, "f").total.availability() == Approx(1 - std::pow(p, r + 1)).epsilon(0.01));
}

TEST_CASE("M/M/1 with a client timeout t: goodput lambda (1 - exp(-(mu-lambda) t))", "[verification][timeouts]") {
  const double lambda = 80, mu = 100, t = 0.05;
  Scenario s = basic_scenario(1, 1);
  s.info.duration = 5000;
  s.info.bucket = 60;
  s.traffic.rate = lambda;
  s.client.timeout = t;  // the callee finishes abandoned work: the queue is a plain M/M/1
  add_service(s, "server", 1, 1, 10000000, Distribution::exponential(1 / mu));
  add_feature(s, "f", "server");
  Report r = simulate_isolated(s, 5);
  double goodput = double(feature(r, "f").total.ok) / s.info.duration;
  CHECK(goodput == Approx(lambda * (1 - std::exp(-(mu - lambda) * t))).epsilon(0.02));
}
