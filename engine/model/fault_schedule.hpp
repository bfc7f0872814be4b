// When the faults of one run happen, decided before the run starts from the run's seed: each fault
// becomes a list of occurrences. A fault at a time has one (one per period with `every`); a fault
// `after` another has one per start of that one; a fault that happens by chance has one per failure
// of each of its targets. The random ones come from one joint simulation of every random target's
// failure and repair clocks, because the clocks interact: a common-cause failure takes a fault's
// other targets down with it, and `age_while_down = false` stops a clock while any random target is
// down. Actions are not known in advance: a rollback cancels occurrences as the run goes
// (FaultPlan).
#pragma once

#include "scenario/scenario.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace faultline {

struct FaultOccurrence {
  static constexpr double kOpenEnded = std::numeric_limits<double>::infinity();
  int fault = 0;
  int unit = -1;     // the one target that fails (an index into the fault's units); -1: all of them
  double start = 0;
  double end = kOpenEnded;  // open-ended: until an action ends it or the run ends
  int trigger = -1;         // the occurrence whose start started this one (`after`), or -1
  bool common_cause = false;  // taken down with another target by a common-cause failure
};

// unit_names[f]: fault f's targets that fail independently when it happens by chance, named for
// their random streams ("fault.<fault>/<unit>"); a fault with none never happens by chance.
// Occurrences that would start at or after the end of the run are left out. The order is creation
// order (a trigger always comes before the occurrences it starts), not time order.
std::vector<FaultOccurrence> schedule_faults(const Scenario& s, const std::vector<std::vector<std::string>>& unit_names,
                                             std::uint64_t seed);

}  // namespace faultline
