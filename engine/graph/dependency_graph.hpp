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
// they are walked (dependency[c[0]].to == dependency[c[1]].from, ...). Each cycle is reported once.
// Works on scenarios with unknown service names (those edges are ignored), so the loader can call it
// before every other check has passed.
std::vector<std::vector<std::size_t>> hard_dependency_cycles(const Scenario& s);

struct SinglePointOfFailure {
  std::string service;
  std::vector<std::string> reasons;  // "one replica", "one zone (zone-a)", "one region (eu)"
};

struct FeatureAnalysis {
  std::string feature;
  std::string entry;
  std::vector<std::string> hard_services;  // entry and everything reachable over hard edges of the feature
  std::vector<SinglePointOfFailure> spofs;  // among hard_services
  std::vector<std::vector<std::string>> min_cut_sets;  // sets of services whose joint failure fails it (order <= 2)
};

struct ServiceAnalysis {
  std::string service;
  std::vector<std::string> blast_radius;  // features that fail when this service fails entirely
  std::vector<std::string> upstream;      // services that fail with it (over hard edges)
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
