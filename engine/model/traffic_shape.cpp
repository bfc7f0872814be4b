#include "model/traffic_shape.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace faultline {

namespace {
int pick(const std::vector<double>& cdf, double u) {
  auto it = std::upper_bound(cdf.begin(), cdf.end(), u);
  return std::min(int(it - cdf.begin()), int(cdf.size()) - 1);
}

std::vector<double> cumulative(const std::vector<double>& w) {
  std::vector<double> cdf;
  double total = 0;
  for (double x : w) total += x;
  double acc = 0;
  for (double x : w) cdf.push_back((acc += x) / (total > 0 ? total : 1));
  return cdf;
}

bool carries(const std::vector<std::string>& list, const std::string& name) {
  return list.empty() || std::find(list.begin(), list.end(), name) != list.end();
}
}  // namespace

TrafficShape::TrafficShape(const Scenario& s, int regions) : s_(s) {
  const Traffic& tr = s.traffic;
  double peak = 1;
  if (tr.pattern == TrafficPattern::piecewise)
    for (const TrafficStep& st : tr.steps) peak = std::max(peak, st.multiplier);
  max_rate_ = tr.rate * peak;
  for (const Fault& f : s.faults)
    if (f.kind == FaultKind::traffic_surge) surge_headroom_ *= std::max(1.0, f.factor);

  std::vector<Segment> segments = tr.segments;
  if (segments.empty()) segments.push_back(Segment{"all", 1, {}, {}});
  std::vector<double> shares;
  for (const Segment& g : segments) shares.push_back(g.share);
  segment_cdf_ = cumulative(shares);
  // Each segment owns a contiguous range of simulated users, in proportion to its share.
  std::uint32_t users = std::uint32_t(std::max(1, tr.sample_users)), first = 0;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    std::uint32_t end = i + 1 == segments.size() ? users : std::uint32_t(std::llround(segment_cdf_[i] * users));
    end = std::max(end, first + 1);
    segment_first_user_.push_back(std::min(first, users - 1));
    segment_users_.push_back(std::max<std::uint32_t>(1, std::min(end, users) - std::min(first, users - 1)));
    first = end;
    std::vector<int> feats;
    std::vector<double> w;
    for (std::size_t f = 0; f < s.features.size(); ++f)
      if (carries(segments[i].features, s.features[f].name)) {
        feats.push_back(int(f));
        w.push_back(s.features[f].share);
      }
    segment_features_.push_back(feats);
    segment_feature_cdf_.push_back(cumulative(w));
  }
  std::vector<double> rw;
  std::vector<std::string> names = s.regions();
  for (int r = 0; r < regions; ++r) {
    auto it = tr.region_share.find(names[std::size_t(r)]);
    rw.push_back(tr.region_share.empty() ? 1.0 : (it == tr.region_share.end() ? 0.0 : it->second));
  }
  region_cdf_ = cumulative(rw);
}

double TrafficShape::rate_at(double t) const {
  const Traffic& tr = s_.traffic;
  switch (tr.pattern) {
    case TrafficPattern::constant: return tr.rate;
    case TrafficPattern::piecewise: {
      double m = 1;
      for (const TrafficStep& st : tr.steps)
        if (st.at <= t) m = st.multiplier;
      return tr.rate * m;
    }
    case TrafficPattern::diurnal: {
      double phase = 2 * std::numbers::pi * (t - tr.diurnal_peak) / tr.diurnal_period;
      return tr.rate * (tr.diurnal_trough + (1 - tr.diurnal_trough) * (1 + std::cos(phase)) / 2);
    }
  }
  return tr.rate;
}

TrafficShape::Draw TrafficShape::draw(RandomStream& rng) const {
  Draw d;
  d.segment = pick(segment_cdf_, rng.uniform());
  const auto& feats = segment_features_[std::size_t(d.segment)];
  d.feature = feats.empty() ? 0 : feats[std::size_t(pick(segment_feature_cdf_[std::size_t(d.segment)], rng.uniform()))];
  d.user = segment_first_user_[std::size_t(d.segment)] +
           std::uint32_t(rng.below(segment_users_[std::size_t(d.segment)]));
  return d;
}

int TrafficShape::segment_of(std::uint32_t user) const {
  // The segments' users are consecutive ranges of ids: the last range that starts at or before it.
  const auto it = std::upper_bound(segment_first_user_.begin(), segment_first_user_.end(), user);
  return std::max(0, int(it - segment_first_user_.begin()) - 1);
}

int TrafficShape::region_of(std::uint32_t user) const {
  // A fixed scramble of the user id, so regions are independent of segments.
  // The fractional part, as std::fmod(x, 1.0) gives it (x > 0: both are exact), without its loop.
  const double x = double(user) * 0.6180339887498949 + 0.5;
  const double u = x - std::trunc(x);
  return pick(region_cdf_, u);
}

}  // namespace faultline
