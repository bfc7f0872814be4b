// The user request rate over time (constant, piecewise steps, or a diurnal wave) and how a request
// is assigned to a segment, a feature, a simulated user and the user's region.
#pragma once

#include "model/random.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <vector>

namespace faultline {

class TrafficShape {
 public:
  TrafficShape(const Scenario& s, int regions);
  double rate_at(double t) const;  // without traffic surges
  double max_rate() const { return max_rate_; }
  // Traffic surges (faults) multiply the rate of some requests only, at times only the run knows.
  // Arrivals are drawn at rate_at(t) x surge_headroom() and each is then kept with probability
  // (its surge multiplier) / surge_headroom(), which is exact for every kind of request. The
  // headroom bounds every multiplier: the product of every surge's factor above 1 (1: no surges).
  double surge_headroom() const { return surge_headroom_; }
  // The most requests per second that can be drawn, for thinning: peak rate x surge headroom.
  double max_candidate_rate() const { return max_rate_ * surge_headroom_; }

  struct Draw {
    int segment = 0;
    int feature = 0;
    std::uint32_t user = 0;
  };
  Draw draw(RandomStream& rng) const;
  int region_of(std::uint32_t user) const;
  int segment_of(std::uint32_t user) const;  // the segment whose users the id is drawn among

 private:
  const Scenario& s_;
  double max_rate_;
  double surge_headroom_ = 1;
  std::vector<double> segment_cdf_;
  std::vector<std::vector<int>> segment_features_;
  std::vector<std::vector<double>> segment_feature_cdf_;
  std::vector<std::uint32_t> segment_first_user_, segment_users_;
  std::vector<double> region_cdf_;
};

}  // namespace faultline
