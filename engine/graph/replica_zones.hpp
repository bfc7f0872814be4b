// Which zones each service's replicas occupy, derived from the placement rule of model/topology.hpp
// so that the static analyses and the simulation agree on where every replica runs.
// Internal to engine/graph.
#pragma once

#include "scenario/scenario.hpp"

#include <cstddef>
#include <vector>

namespace faultline::graph {

// By service (Scenario::services order): the distinct indices into Scenario::zones that hold at
// least one of its replicas, ascending. Requires a valid scenario; a scenario with no zones places
// nothing, so every list is empty.
std::vector<std::vector<std::size_t>> replica_zones(const Scenario& s);

}  // namespace faultline::graph
