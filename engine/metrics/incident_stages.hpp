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

// The rule of impact_windows one bucket at a time, for a run that reacts as it goes (the model
// declares an incident over, and opens the next one, as the buckets close).
class ImpactTracker {
 public:
  enum class Step { none, impact_started, resolved };  // resolved: stable for stable_for
  ImpactTracker(double bucket, double stable_for);
  // The next bucket, in order: whether it met every objective.
  Step add(bool healthy);
  const std::vector<ImpactWindow>& windows() const { return windows_; }

 private:
  double bucket_;
  std::size_t need_;  // healthy buckets in a row that make a recovery
  std::size_t next_ = 0;
  bool in_impact_ = false;
  std::size_t run_ = 0, run_start_ = 0;  // the healthy stretch under way
  std::vector<ImpactWindow> windows_;
};

// `healthy[b]` says whether bucket b met every objective. A stretch cut short by the end of the run
// counts only if it already lasted `stable_for`. Every impact of the run in order: a new one can start
// once the previous one has been stable for `stable_for`; the last may never recover.
std::vector<ImpactWindow> impact_windows(const std::vector<bool>& healthy, double bucket, double stable_for);
// The first of them (none: both null).
ImpactWindow impact_window(const std::vector<bool>& healthy, double bucket, double stable_for);

// A bucket with requests below the objective (a bucket without requests meets it).
inline bool below_slo(const Counts& c, double slo) { return c.requests && c.availability() < slo; }

// Bucket b met every feature's SLO (buckets without requests meet it).
std::vector<bool> buckets_meeting_slo(const std::vector<Series>& features);

}  // namespace faultline
