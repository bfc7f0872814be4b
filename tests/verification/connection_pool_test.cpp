// Verification of connection pools (labelled "verification" in CTest), through the product path
// (SimGrid kernel, forked run): a caller replica whose pool of c connections fails fast when all are
// taken is an Erlang loss system M/G/c/c. With Poisson calls of rate lambda each holding a connection
// for the callee's service time (mean h, no network delay), a share B(c, lambda h) of the calls is
// turned away, Erlang's B formula, whatever the holding-time distribution.
#include "simulation/simulation.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::testing;

namespace {

// Erlang B by its recurrence B(k) = a B(k-1) / (k + a B(k-1)), B(0) = 1.
double erlang_b(int c, double a) {
  double b = 1;
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  return b;
}

Scenario loss_system(int c, double offered, Distribution hold, double duration) {
  Scenario s = basic_scenario(1, 2);
  s.network.intra_zone = 0;  // an attempt holds its connection for the service time only
  s.info.duration = duration;
  s.info.bucket = 60;
  s.traffic.rate = offered / hold.mean;
  s.client.timeout = 1e6;
  add_service(s, "caller", 1, 100000, 0);
  add_service(s, "callee", 1, 100000, 0, hold);
  Dependency& d = add_dependency(s, "caller", "callee");
  d.timeout = 1e6;
  d.pool.size = c;
  d.pool.on_exhausted = PoolExhausted::fail;
  add_feature(s, "f", "caller");
  return s;
}

void check_blocking(int c, double offered, const Distribution& hold, std::uint64_t seed) {
  INFO("c " << c << ", offered " << offered << " erlangs");
  const Report r = simulate_isolated(loss_system(c, offered, hold, 4000), seed);
  const Counts& f = feature(r, "f").total;
  REQUIRE(f.requests > 50000);
  REQUIRE(r.resources.size() == 1);
  const double blocked = double(r.resources[0].limit_hits) / double(f.requests);
  CHECK(double(f.failed) == double(r.resources[0].limit_hits));
  CHECK(blocked == Approx(erlang_b(c, offered)).epsilon(0.04));
}

}  // namespace

TEST_CASE("Erlang's B formula itself: known values", "[verification][pool]") {
  CHECK(erlang_b(1, 1) == Approx(0.5));
  CHECK(erlang_b(4, 10) == Approx(0.6467).epsilon(1e-3));
  CHECK(erlang_b(10, 5) == Approx(0.01838).epsilon(1e-3));
}

TEST_CASE("a pool that fails fast blocks as Erlang B with exponential holding times", "[verification][pool]") {
  check_blocking(5, 4, Distribution::exponential(0.05), 31);   // B = 0.199
  check_blocking(10, 7, Distribution::exponential(0.02), 32);  // B = 0.079
  check_blocking(3, 6, Distribution::exponential(0.1), 33);    // B = 0.590
}

TEST_CASE("Erlang B is insensitive to the holding-time distribution: constant holding times", "[verification][pool]") {
  check_blocking(5, 4, Distribution::constant(0.05), 34);
}
