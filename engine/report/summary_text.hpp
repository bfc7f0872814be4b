// The terminal summary `faultline run` prints: what users saw, the incident timeline and where its
// time to recovery went, the status updates posted, the services that failed worst, those that were
// down or restarted, and how the failure spread. At most 100 columns; numbers printed with fixed
// decimals so golden files compare stably.
#pragma once

#include "report/report.hpp"

#include <string>

namespace faultline {

std::string format_summary(const Report& r);

}  // namespace faultline
