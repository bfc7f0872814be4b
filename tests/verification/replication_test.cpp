// Verification (labelled "verification" in CTest): an asynchronous copy that is `L` behind loses, when
// its primary goes down and it is promoted, the writes acknowledged in the last L seconds: with writes
// at a constant rate w (Poisson), w x L on average over replicates. Through the SimGrid kernel.
#include "simulation/simulation.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::testing;

namespace {

// "front" (z2) calls "db" once per request; db's primary is in z0, its copy in z1, the failover
// controller in z2. Writes: `rate` x `write_share` a second. z0 goes down at 60 s.
Scenario primary_lost(double rate, double write_share, double lag) {
  Scenario s = basic_scenario(3, 2);
  s.info.duration = 120;
  s.info.bucket = 10;
  s.traffic.rate = rate;
  add_service(s, "front", 1, 64).zones = {"z2"};
  add_replicated_service(s, "db", 5, 5, lag, write_share, 64);
  add_dependency(s, "front", "db").timeout = 0.5;
  add_feature(s, "f", "front");
  add_fault(s, "z0-down", FaultKind::zone_outage, "z0", 60);
  return s;
}

double mean_writes_lost(const Scenario& s, int runs) {
  double sum = 0;
  for (int seed = 1; seed <= runs; ++seed) {
    const Report r = simulate_isolated(s, std::uint64_t(seed));
    REQUIRE(r.replication.size() == 1);
    REQUIRE(r.replication[0].failed_over_at);
    sum += double(r.replication[0].writes_lost);
  }
  return sum / runs;
}

}  // namespace

TEST_CASE("async replication: writes lost at a failover = write rate x lag, within 5% over replicates",
          "[verification][replication]") {
  // w = 100 writes/s; L = 2 s: 200 expected, a Poisson count (sd of the mean over 40 runs: 1.1%).
  CHECK(mean_writes_lost(primary_lost(200, 0.5, 2), 40) == Approx(100 * 2).epsilon(0.05));
  // w = 60 writes/s; L = 5 s: 300.
  CHECK(mean_writes_lost(primary_lost(300, 0.2, 5), 40) == Approx(60 * 5).epsilon(0.05));
}

TEST_CASE("sync replication loses no write at the same failover", "[verification][replication]") {
  Scenario s = primary_lost(200, 0.5, 0.002);
  s.services[1].replication.mode = ReplicationMode::sync;
  for (int seed = 1; seed <= 5; ++seed) {
    const Report r = simulate_isolated(s, std::uint64_t(seed));
    REQUIRE(r.replication[0].failed_over_at);
    CHECK(r.replication[0].writes_lost == 0);
    CHECK(r.replication[0].writes > 5000);
  }
}
