// The report as JSON: the layout users script against (names from PRODUCT.md) and the wire format a
// forked simulation child uses to hand its Report to the parent.
#pragma once

#include "report/report.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

namespace faultline {

// Deterministic: keys in a fixed order, every double printed as the shortest text that parses back to
// the same double, absent optionals as null. The same Report always gives the same bytes.
std::string report_to_json(const Report& r);

// The exact inverse of report_to_json: report_from_json(report_to_json(r)) equals r field for field.
// Derived values it writes (availability, amplification, ttd..., the incident's "stages") are not
// read back: they follow from the counts and times. Throws ReportFormatError naming the offending key path on malformed input.
Report report_from_json(std::string_view json);

struct ReportFormatError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

}  // namespace faultline
