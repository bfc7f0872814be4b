// When user impact started and when it ended, from per-bucket availability (PRODUCT.md definitions):
// impact_start is the first bucket in which any feature is below its SLO; recovery is the start of the
// first stretch of at least `stable_for` with every feature at or above its SLO after impact_start;
// after it, the next bucket below an SLO starts the next incident.
// IncidentTimeline::stages() (report.hpp), the split of the TTR into stage spans, is defined here too.
#pragma once

#include "report/report.hpp"

#include <optional>
#include <vector>

namespace faultline {

struct ImpactWindow {
  std::optional<double> impact_start;
  std::optional<double> recovered;
};

// `healthy[b]` says whether bucket b met every objective. A stretch cut short by the end of the run
// counts only if it already lasted `stable_for`. Every impact of the run in order: a new one can start
// once the previous one has been stable for `stable_for`; the last may never recover.
std::vector<ImpactWindow> impact_windows(const std::vector<bool>& healthy, double bucket, double stable_for);
// The first of them (none: both null).
ImpactWindow impact_window(const std::vector<bool>& healthy, double bucket, double stable_for);

// Bucket b met every feature's SLO (buckets without requests meet it).
std::vector<bool> buckets_meeting_slo(const std::vector<Series>& features);

}  // namespace faultline
