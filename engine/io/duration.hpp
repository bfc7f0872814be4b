// Durations as scenario files write them: a number with a unit ("250ms", "1.5s", "30d"), or several
// in a row ("1h30m"). A bare number is refused on purpose: "30" could mean seconds or minutes, and
// a wrong guess silently changes a result by a factor of sixty.
#pragma once

#include "scenario/scenario.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace faultline {

// The reason a text is not a duration, phrased for a diagnostic.
struct DurationError {
  std::string message;
};

std::variant<Seconds, DurationError> parse_duration(std::string_view text);

// The shortest exact spelling in the largest unit that fits ("400d", "25ms", "0s"); the inverse of
// parse_duration for the values the schema documents.
std::string format_duration(Seconds s);

}  // namespace faultline
