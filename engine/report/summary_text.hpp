// The terminal summary `faultline run` prints: what users saw, the incident timeline, the services
// that failed worst and how the failure spread. At most 100 columns; numbers printed with fixed
// decimals so golden files compare stably.
#pragma once

#include "report/report.hpp"

#include <string>

namespace faultline {

std::string format_summary(const Report& r);

}  // namespace faultline
