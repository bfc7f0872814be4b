#include "report/report.hpp"

namespace faultline {

// These names are part of the report contract (JSON "errors" keys, CSV, summary): PRODUCT.md's causes.
const char* to_string(Cause c) {
  switch (c) {
    case Cause::timeout: return "timeout";
    case Cause::rejected: return "rejected";
    case Cause::circuit_open: return "circuit_open";
    case Cause::dependency: return "dependency";
    case Cause::injected: return "injected";
    case Cause::host_down: return "host_down";
  }
  return "unknown";
}

IncidentTally tally(const std::vector<IncidentTimeline>& incidents) {
  IncidentTally t;
  t.count = incidents.size();
  double sum = 0;
  for (std::size_t k = 0; k < incidents.size(); ++k)
    if (const std::optional<double> ttr = incidents[k].ttr()) {
      sum += *ttr;
      ++t.recovered;
      if (!t.worst_ttr || *ttr > *t.worst_ttr) {
        t.worst_ttr = ttr;
        t.worst = k;
      }
    }
  if (t.recovered) t.mean_ttr = sum / double(t.recovered);
  return t;
}

}  // namespace faultline
