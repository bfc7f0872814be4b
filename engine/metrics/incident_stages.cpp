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

std::vector<ImpactWindow> impact_windows(const std::vector<bool>& healthy, double bucket, double stable_for) {
  std::vector<ImpactWindow> windows;
  const std::size_t n = healthy.size();
  // Buckets needed for a stable stretch; a zero stable_for means the first healthy bucket.
  const std::size_t need = std::max<std::size_t>(1, std::size_t(std::ceil(stable_for / bucket - 1e-9)));
  std::size_t b = 0;
  while (true) {
    while (b < n && healthy[b]) ++b;
    if (b == n) return windows;
    ImpactWindow& w = windows.emplace_back();
    w.impact_start = double(b) * bucket;
    std::size_t run_start = n, run = 0;
    for (++b; b < n; ++b) {
      if (!healthy[b]) {
        run = 0;
        continue;
      }
      if (run == 0) run_start = b;
      if (++run >= need) break;
    }
    if (b == n) return windows;  // never stable again before the end
    w.recovered = double(run_start) * bucket;
    ++b;  // the next incident can start after the stable stretch
  }
}

ImpactWindow impact_window(const std::vector<bool>& healthy, double bucket, double stable_for) {
  std::vector<ImpactWindow> all = impact_windows(healthy, bucket, stable_for);
  return all.empty() ? ImpactWindow{} : all.front();
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
