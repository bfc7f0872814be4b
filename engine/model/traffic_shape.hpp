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
  double rate_at(double t) const;
  double max_rate() const { return max_rate_; }

  struct Draw {
    int segment = 0;
    int feature = 0;
    std::uint32_t user = 0;
  };
  Draw draw(RandomStream& rng) const;
  int region_of(std::uint32_t user) const;

 private:
  const Scenario& s_;
  double max_rate_;
  std::vector<double> segment_cdf_;
  std::vector<std::vector<int>> segment_features_;
  std::vector<std::vector<double>> segment_feature_cdf_;
  std::vector<std::uint32_t> segment_first_user_, segment_users_;
  std::vector<double> region_cdf_;
};

}  // namespace faultline
