// Network bandwidth shared by the flows crossing links, the way SimGrid shares links: the rates
// share_links() computes are the ones SimGrid's LMM max-min solver gives flows on links. With equal
// weights and one priority level they are the sharing of SimGrid's CM02 network model when latency
// and bandwidth factors are 1, no TCP window bounds a flow (zero latency or a huge network/TCP-gamma)
// and network/crosstraffic is off (with it on, each flow also takes 5% of its reverse route).
//
// What is computed, level by level from the highest priority down (strict priority: a level only
// gets the capacity the levels above it left on each link):
//   within a level, weighted max-min fairness by progressive filling. Every unfrozen flow's rate
//   grows as weight x t while a common level t rises; a flow freezes when it reaches its demand,
//   or when a link it crosses is full (then every unfrozen flow on that link freezes). The result
//   is the unique allocation where no flow can go faster without slowing a flow whose rate per
//   unit of weight is no larger.
// Each step finds the lowest level at which a link fills or a demand is met and freezes exactly
// those flows, so rates are exact (no iteration to convergence). A step costs O(links) plus the
// links of the flows it freezes; a level with n flows takes at most n steps.
//
// Edge cases, by design:
//   - a link of capacity 0 gives every flow crossing it rate 0; a flow with demand 0 gets 0;
//   - a link of capacity kUnbounded never limits anyone (whatever crosses it);
//   - a flow that crosses no limiting link gets its demand, so with demand kUnbounded its rate is
//     kUnbounded (the caller decides what an unlimited flow means; nothing here makes it finite).
//
// tests/verification/link_sharing_test.cpp runs the same transfers through SimGrid's network model
// and checks that every one finishes at the same time.
#pragma once

#include <limits>
#include <vector>

namespace faultline {

// A rate or capacity without limit (bytes/s).
inline constexpr double kUnbounded = std::numeric_limits<double>::infinity();

struct LinkFlow {
  std::vector<int> links;      // indices of the links it crosses (each at most once)
  double demand = kUnbounded;  // bytes/s it would send if nothing limited it (kUnbounded: as fast as it can)
  int priority = 0;            // higher is served first (strict priority between levels)
  double weight = 1;           // within one level, max-min fair share in proportion to weight
};

// Rates (bytes/s) of each flow: levels from the highest priority down; within a level, weighted max-min
// fairness (progressive filling) on the capacity the higher levels left, each flow capped at its demand.
// `capacity[l]` is link l's bandwidth in bytes/s (>= 0, kUnbounded allowed). Throws InternalError for a
// negative or NaN capacity, a link index out of range or repeated in one flow, a negative or NaN
// demand, or a weight that is not finite and positive: callers validate what users give them.
std::vector<double> share_links(const std::vector<double>& capacity, const std::vector<LinkFlow>& flows);

}  // namespace faultline
