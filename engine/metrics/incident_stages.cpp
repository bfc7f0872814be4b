#include "metrics/incident_stages.hpp"

#include <algorithm>
#include <cmath>

namespace faultline {

TtrStages IncidentTimeline::stages() const {
  TtrStages out;
  if (!impact_start) return out;
  double last = *impact_start;
  // A stage out of order or after recovery is left null: its time stays with the next stage present.
  auto span = [&](const std::optional<double>& at, std::optional<double>& into) {
    if (!at || *at < last || (recovered && *at > *recovered)) return;
    into = *at - last;
    last = *at;
  };
  span(detected, out.detection);
  span(acknowledged, out.acknowledgement);
  span(diagnosed, out.diagnosis);
  span(mitigated, out.mitigation);
  if (recovered) out.recovery = *recovered - last;
  return out;
}

ImpactTracker::ImpactTracker(double bucket, double stable_for)
    : bucket_(bucket),
      // Buckets needed for a stable stretch; a zero stable_for means the first healthy bucket.
      need_(std::max<std::size_t>(1, std::size_t(std::ceil(stable_for / bucket - 1e-9)))) {}

ImpactTracker::Step ImpactTracker::add(bool healthy) {
  const std::size_t b = next_++;
  if (!in_impact_) {
    if (healthy) return Step::none;
    in_impact_ = true;
    run_ = 0;
    windows_.push_back(ImpactWindow{double(b) * bucket_, std::nullopt});
    return Step::impact_started;
  }
  if (!healthy) {
    run_ = 0;
    return Step::none;
  }
  if (run_++ == 0) run_start_ = b;
  if (run_ < need_) return Step::none;
  windows_.back().recovered = double(run_start_) * bucket_;
  in_impact_ = false;  // the next bucket below an objective starts the next incident
  return Step::resolved;
}

std::vector<ImpactWindow> impact_windows(const std::vector<bool>& healthy, double bucket, double stable_for) {
  ImpactTracker tracker(bucket, stable_for);
  for (bool h : healthy) tracker.add(h);
  return tracker.windows();
}

ImpactWindow impact_window(const std::vector<bool>& healthy, double bucket, double stable_for) {
  std::vector<ImpactWindow> all = impact_windows(healthy, bucket, stable_for);
  return all.empty() ? ImpactWindow{} : all.front();
}

std::vector<bool> buckets_meeting_slo(const std::vector<Series>& features) {
  std::size_t n = features.empty() ? 0 : features.front().buckets.size();
  std::vector<bool> ok(n, true);
  for (const Series& f : features)
    for (std::size_t b = 0; b < n && b < f.buckets.size(); ++b)
      if (below_slo(f.buckets[b], f.slo)) ok[b] = false;
  return ok;
}

}  // namespace faultline
