// Static analyses of the service dependency graph (Boost.Graph underneath, hidden from callers):
// cycles of hard dependencies, what each feature hard-depends on, single points of failure,
// blast radius, minimal cut sets, Graphviz export.
#pragma once

#include "scenario/scenario.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace faultline::graph {

// Each cycle made only of hard dependencies, as indices into Scenario::dependencies in the order
// they are walked (dependency[c[0]].to == dependency[c[1]].from, ...). Each cycle is reported once:
// it starts at its lowest dependency index, parallel dependencies between the same two services
// count once (named by the lowest index), and cycles are sorted, so the order is deterministic.
// Works on scenarios with unknown service names (those edges are ignored) or duplicate ones (the
// first declaration wins), so the loader can call it before every other check has passed.
// Stops after kMaxReportedCycles: a dense graph has exponentially many cycles.
inline constexpr std::size_t kMaxReportedCycles = 100;
std::vector<std::vector<std::size_t>> hard_dependency_cycles(const Scenario& s);

struct SinglePointOfFailure {
  std::string service;
  std::vector<std::string> reasons;  // "one replica", "one zone (zone-a)", "one region (eu)"
};

// "Hard edges" below are hard dependencies and control dependencies whose caller does not fail
// static; an edge belongs to a feature when its `features` is empty or names it. Every list follows
// the scenario's order.
struct FeatureAnalysis {
  std::string feature;
  std::string entry;
  std::vector<std::string> hard_services;  // entry and everything reachable over hard edges of the feature
  std::vector<SinglePointOfFailure> spofs;  // among hard_services
  // Minimal sets whose joint failure fails the feature, of order <= 2: first {service} for every hard
  // service (each is already an order-1 cut, so no pair of services is minimal), then sets of one or
  // two zones whose loss removes every replica of some hard service, written "zone:<name>", singles
  // first; a pair containing a single-zone cut is not listed.
  std::vector<std::vector<std::string>> min_cut_sets;
};

struct ServiceAnalysis {
  std::string service;
  std::vector<std::string> blast_radius;  // features that fail when this service fails entirely
  std::vector<std::string> upstream;      // services that fail with it: they reach it over hard edges of one feature
};

struct GraphAnalysis {
  std::vector<FeatureAnalysis> features;
  std::vector<ServiceAnalysis> services;
};

// Requires a valid scenario (no hard cycles, every name known).
GraphAnalysis analyse(const Scenario& s);
std::string format_analysis(const GraphAnalysis& a);  // the text `faultline graph` prints
std::string to_dot(const Scenario& s, const GraphAnalysis& a);  // Graphviz DOT

}  // namespace faultline::graph
