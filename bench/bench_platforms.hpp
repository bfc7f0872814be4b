// The generated platforms of the scale series: about `services` services on 10 x that many hosts, in
// four zones of two regions, each request making the same number of service calls whatever the
// size (so that the cost per call compares like with like): a gateway, one API service per ten
// services, and under each API nine backends it calls; one feature per API, entering at the
// gateway and taking only its own API's branch, all with equal shares. Deterministic text, so a
// size can be written to a file (`faultline_bench --write-platform N`) and run or analysed alone.
#pragma once

#include <string>

namespace faultline::bench {

inline constexpr int kCallsPerGeneratedRequest = 11;  // the gateway, its API, the API's nine backends

// 1 + 10 x (services / 10) services (at least 11); `rate` user requests per second for `seconds`
// of simulated time.
std::string generated_platform(int services, double rate, double seconds);

}  // namespace faultline::bench
