// The one-way latency between two hosts that the scenario's [network] table and [[link]] overrides
// describe. The SimGrid platform is built to realise exactly these values; the kernel-less runner
// uses them directly.
#pragma once

#include "model/topology.hpp"
#include "scenario/scenario.hpp"

namespace faultline {

double table_latency(const Scenario& s, const Topology& t, int host_a, int host_b);

}  // namespace faultline
