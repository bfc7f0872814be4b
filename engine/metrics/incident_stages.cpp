#include "metrics/incident_stages.hpp"

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

ImpactWindow impact_window(const std::vector<bool>& healthy, double bucket, double stable_for) {
  ImpactWindow w;
  std::size_t n = healthy.size();
  std::size_t first_bad = n;
  for (std::size_t b = 0; b < n; ++b)
    if (!healthy[b]) {
      first_bad = b;
      break;
    }
  if (first_bad == n) return w;
  w.impact_start = double(first_bad) * bucket;
  // Buckets needed for a stable stretch; a zero stable_for means the first healthy bucket.
  std::size_t need = std::max<std::size_t>(1, std::size_t(std::ceil(stable_for / bucket - 1e-9)));
  std::size_t run_start = n, run = 0;
  for (std::size_t b = first_bad + 1; b < n; ++b) {
    if (healthy[b]) {
      if (run == 0) run_start = b;
      if (++run >= need) {
        w.recovered = double(run_start) * bucket;
        return w;
      }
    } else {
      run = 0;
    }
  }
  return w;
}

std::vector<bool> buckets_meeting_slo(const std::vector<Series>& features) {
  std::size_t n = features.empty() ? 0 : features.front().buckets.size();
  std::vector<bool> ok(n, true);
  for (const Series& f : features)
    for (std::size_t b = 0; b < n && b < f.buckets.size(); ++b) {
      const Counts& c = f.buckets[b];
      if (c.requests && c.availability() < f.slo) ok[b] = false;
    }
  return ok;
}

}  // namespace faultline
