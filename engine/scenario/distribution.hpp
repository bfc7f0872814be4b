// A probability distribution of a non-negative quantity (a duration, mostly), as data.
// Sampling lives with the random streams in engine/model/random.hpp.
#pragma once

#include <string>
#include <vector>

namespace faultline {

struct Distribution {
  enum class Kind { constant, exponential, lognormal, uniform, weibull };
  Kind kind = Kind::constant;
  double mean = 0;    // constant, exponential, lognormal
  double stddev = 0;  // lognormal (of the variable itself, not of its log)
  double min = 0, max = 0;        // uniform
  double shape = 1, scale = 1;    // weibull

  static Distribution constant(double v) { Distribution d; d.kind = Kind::constant; d.mean = v; return d; }
  static Distribution exponential(double mean) { Distribution d; d.kind = Kind::exponential; d.mean = mean; return d; }
  double expected() const;
};

const char* to_string(Distribution::Kind k);
std::vector<std::string> distribution_names();

}  // namespace faultline
