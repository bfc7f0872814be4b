// The naive actor mapping (the benchmark's baseline) simulates what it says: every user request is a
// chain of mailbox calls along its feature's hard and soft edges, at the traffic rate.
#include "simulation/naive_actor_model.hpp"
#include "simulation_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

// api (2 replicas) -> db (1 replica, 2 calls per request) and api -> cache (soft, 1 call) for
// feature "read"; "write" takes only api -> db; a control edge is never called.
Scenario chain_scenario() {
  Scenario s = testing::three_region_scenario();
  s.services.push_back(testing::service("cache", 1, {"a2"}, 1));
  s.services.push_back(testing::service("config", 1, {"a3"}, 1));
  Dependency db;
  db.from = "api";
  db.to = "db";
  db.calls = 1.6;  // rounds to 2
  Dependency cache;
  cache.from = "api";
  cache.to = "cache";
  cache.kind = DependencyKind::soft;
  cache.features = {"read"};
  Dependency config;
  config.from = "api";
  config.to = "config";
  config.kind = DependencyKind::control;
  s.dependencies = {db, cache, config};
  Feature read, write;
  read.name = "read";
  read.entry = "api";
  read.share = 3;
  write.name = "write";
  write.entry = "api";
  write.share = 1;
  s.features = {read, write};
  s.traffic.rate = 50;
  // Enough workers for 50 requests/s: a worker is held for the whole chain below it, network
  // latencies included (an api request spends ~0.3 s waiting on db across regions).
  s.services[0].workers = 32;
  s.services[1].workers = 32;
  return s;
}

}  // namespace

TEST_CASE("the naive actor model walks each feature's call chain", "[simulation][naive]") {
  const NaiveRunStats st = run_naive_actor_model(chain_scenario(), 1, 120);
  CHECK(st.simulated_seconds == Approx(120));
  // Poisson at 50/s for 120 s: 6000 requests, give or take a few standard deviations (~77).
  CHECK(st.user_requests > 5600);
  CHECK(st.user_requests < 6400);
  CHECK(st.user_rejected == 0);
  CHECK(st.failed_calls == 0);
  CHECK(st.user_replies + st.peak_in_flight >= st.user_requests);  // only the last few unanswered
  // Per answered request: the user's call, 2 to db, and 1 to cache for the 3/4 that are reads.
  const double per_request = double(st.calls) / double(st.user_replies);
  CHECK(per_request == Approx(1 + 2 + 0.75).margin(0.1));
  // api and db sit in different regions (70 ms apart) and every request crosses twice or more:
  // a handful are in flight at any time, never thousands.
  CHECK(st.peak_in_flight >= 5);
  CHECK(st.peak_in_flight < 200);
}

TEST_CASE("the naive actor model is deterministic and bounded under overload", "[simulation][naive]") {
  Scenario s = chain_scenario();
  s.services[1].workers = 1;  // db: one worker held ~75 ms per call (transfer + 5 ms), 2 calls per request
  s.services[1].queue = 64;  // api workers wait on db (up to the edge's 1 s timeout) and api backs up
  s.traffic.rate = 400;
  const NaiveRunStats a = run_naive_actor_model(s, 3, 20);
  const NaiveRunStats b = run_naive_actor_model(s, 3, 20);
  CHECK(a.calls == b.calls);
  CHECK(a.failed_calls == b.failed_calls);
  CHECK(a.user_requests == b.user_requests);
  CHECK(a.peak_in_flight == b.peak_in_flight);
  CHECK(a.failed_calls > 0);  // db times out and rejects
  // api's queue bounds what waits for it: 2 replicas x (32 workers + 64 queued), plus the replies
  // still on their way back to the users.
  CHECK(a.user_rejected > 0);
  CHECK(a.peak_in_flight <= 2 * (32 + 64) + 40);
}
