// The naive way to model requests in SimGrid, kept as the baseline the benchmark harness measures
// the request-level model against: every replica a pool of worker actors reading one mailbox, every
// call a mailbox put/get pair, service time a sleep. No faults, retries or metrics: only the cost.
//
//   - `workers` worker actors per replica share the replica's mailbox; a worker sleeps the service's
//     mean service time, then calls each hard and soft dependency of the request's feature
//     round(calls) times (a put to a callee replica chosen round-robin among those in its region,
//     then a get of the reply on its own mailbox, both bounded by the edge's timeout), then replies
//     to its caller;
//   - a request finding `queue` requests already waiting at a replica is rejected at once, so an
//     overloaded platform keeps a bounded number of requests in flight;
//   - a few generator actors (spread over the regions) send user requests to the features' entry
//     services, Poisson at traffic.rate (constant; features drawn by share); a collector per
//     generator receives the replies;
//   - replies carry the request id: a reply for a call its caller gave up on is dropped.
#pragma once

#include "scenario/scenario.hpp"

#include <cstdint>

namespace faultline {

struct NaiveRunStats {
  std::uint64_t calls = 0;          // request/response pairs completed, user requests included
  std::uint64_t failed_calls = 0;   // calls rejected (full queue) or timed out
  std::uint64_t user_requests = 0;  // made by the generators
  std::uint64_t user_rejected = 0;  // not sent: the entry replica's queue was full
  std::uint64_t user_replies = 0;   // answered before the end
  std::uint64_t peak_in_flight = 0;  // user requests sent and not yet answered, at most
  double simulated_seconds = 0;
  double wall_seconds = 0;  // SimGrid's run alone (no platform building, no fork)
};

// Runs in a forked child process (SimGrid allows one engine per process), so it can be called
// repeatedly. Failures become InternalError.
NaiveRunStats run_naive_actor_model(const Scenario& s, std::uint64_t seed, double sim_seconds);

}  // namespace faultline
