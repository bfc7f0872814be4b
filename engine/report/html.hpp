// A self-contained HTML page for one run: inline CSS and SVG charts drawn here, no scripts and
// nothing fetched from the network, so the file can be mailed, archived or opened offline.
// Shows the incident timeline with a bar of where its time to recovery went, the status updates,
// per-feature availability over time with the SLO and the incident stages, a heat strip of the
// services' availability, the propagation chain, the events and the provenance.
#pragma once

#include "report/report.hpp"

#include <string>

namespace faultline {

std::string report_html(const Report& r);

}  // namespace faultline
