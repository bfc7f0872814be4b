// Verification against closed forms (labelled "verification" in CTest): one service with Poisson
// arrivals and exponential service times, run through the product path (SimGrid kernel, forked run),
// against Erlang C (M/M/c mean response time) and the M/M/c/K blocking probability.
#include "simulation/simulation.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace faultline;
using namespace faultline::testing;

namespace {

double factorial(int n) { return n <= 1 ? 1.0 : n * factorial(n - 1); }

// Mean time in system for M/M/c (Erlang C).
double erlang_c_response(double lambda, double mu, int c) {
  double a = lambda / mu, rho = a / c, sum = 0;
  for (int k = 0; k < c; ++k) sum += std::pow(a, k) / factorial(k);
  double tail = std::pow(a, c) / factorial(c) / (1 - rho);
  double p_wait = tail / (sum + tail);
  return p_wait / (c * mu - lambda) + 1 / mu;
}

// Probability that an arrival finds all K places (c in service, K - c waiting) taken.
double mmck_blocking(double lambda, double mu, int c, int K) {
  double a = lambda / mu, norm = 0;
  auto p = [&](int n) { return n < c ? std::pow(a, n) / factorial(n) : std::pow(a, n) / (factorial(c) * std::pow(c, n - c)); };
  for (int n = 0; n <= K; ++n) norm += p(n);
  return p(K) / norm;
}

Scenario single_queue(double lambda, double mu, int workers, int queue, double duration) {
  Scenario s = basic_scenario(1, 1);
  s.info.duration = duration;
  s.info.bucket = 60;
  s.traffic.rate = lambda;
  s.client.timeout = 1e6;  // the client waits: we measure the queue, not the timeout
  add_service(s, "server", 1, workers, queue, Distribution::exponential(1 / mu));
  add_feature(s, "f", "server");
  return s;
}

}  // namespace

TEST_CASE("M/M/1 at utilisation 0.8 matches the closed-form mean response time", "[verification][queueing]") {
  const double lambda = 80, mu = 100;
  Report r = simulate_isolated(single_queue(lambda, mu, 1, 10000000, 20000), 11);
  double expected = erlang_c_response(lambda, mu, 1);  // 1 / (mu - lambda) = 50 ms
  CHECK(expected == Approx(0.05));
  CHECK(feature(r, "f").latency.mean == Approx(expected).epsilon(0.03));
}

TEST_CASE("M/M/4 at utilisation 0.8 matches Erlang C", "[verification][queueing]") {
  const double lambda = 320, mu = 100;
  Report r = simulate_isolated(single_queue(lambda, mu, 4, 10000000, 5000), 12);
  CHECK(feature(r, "f").latency.mean == Approx(erlang_c_response(lambda, mu, 4)).epsilon(0.03));
}

TEST_CASE("M/M/4 at utilisation 0.5 matches Erlang C", "[verification][queueing]") {
  const double lambda = 200, mu = 100;
  Report r = simulate_isolated(single_queue(lambda, mu, 4, 10000000, 3000), 13);
  CHECK(feature(r, "f").latency.mean == Approx(erlang_c_response(lambda, mu, 4)).epsilon(0.03));
}

TEST_CASE("a bounded queue matches the M/M/c/K blocking probability", "[verification][queueing]") {
  const double lambda = 200, mu = 100;
  const int c = 2, waiting = 3;
  Report r = simulate_isolated(single_queue(lambda, mu, c, waiting, 5000), 14);
  const ServiceReport& server = service(r, "server");
  double blocked = double(server.errors[int(Cause::rejected)]) / double(server.total.requests);
  double expected = mmck_blocking(lambda, mu, c, c + waiting);
  CHECK(expected == Approx(2.0 / 11));  // the formula itself, a = 2, c = 2, K = 5
  CHECK(blocked == Approx(expected).epsilon(0.05));
}

TEST_CASE("the per-bucket queue length and throughput of M/M/1 and M/M/4 match Lq and lambda", "[verification][queueing]") {
  for (const auto& [lambda, workers] : {std::pair{80.0, 1}, std::pair{320.0, 4}}) {
    const double mu = 100;
    Report r = simulate_isolated(single_queue(lambda, mu, workers, 10000000, 20000), 15);
    const ServiceReport& server = service(r, "server");
    // Little's law on the waiting line: Lq = lambda * Wq, Wq = W - 1/mu (Erlang C).
    const double lq = lambda * (erlang_c_response(lambda, mu, workers) - 1 / mu);
    if (workers == 1) CHECK(lq == Approx(3.2));  // rho^2 / (1 - rho) at rho = 0.8
    double queued = 0;
    std::uint64_t served = 0;
    for (std::size_t b = 0; b < server.buckets.size(); ++b) {
      queued += server.queue_by_bucket[b];  // every bucket is 60 s: the mean of means is the mean
      served += server.served_by_bucket[b];
    }
    CHECK(queued / double(server.buckets.size()) == Approx(lq).epsilon(0.05));
    CHECK(double(served) / r.duration == Approx(lambda).epsilon(0.01));
    CHECK(server.wasted == 0);  // the client waits for every answer
  }
}
