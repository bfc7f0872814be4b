#include "experiment/paired_difference.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace faultline {

double student_t_quantile(double p, double dof) {
  // Boost.Math would answer p = 0 or 1 with an overflow error: both ends are infinite.
  if (!(p > 0 && p < 1) || !(dof > 0))
    throw std::domain_error("student_t_quantile: needs 0 < p < 1 and dof > 0");
  return boost::math::quantile(boost::math::students_t_distribution<double>(dof), p);
}

PairedDifference paired_difference(const std::vector<double>& a, const std::vector<double>& b, double level) {
  if (a.size() != b.size()) throw std::invalid_argument("paired_difference: the two designs have different run counts");
  if (!(level > 0 && level < 1)) throw std::invalid_argument("paired_difference: the level is a fraction in (0, 1)");
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();

  const auto mean_of_defined = [](const std::vector<double>& values) {
    double sum = 0, n = 0;
    for (double v : values) {
      if (std::isnan(v)) continue;
      sum += v;
      n += 1;
    }
    return n > 0 ? sum / n : nan;
  };
  PairedDifference d;
  d.mean_a = mean_of_defined(a);
  d.mean_b = mean_of_defined(b);
  std::vector<double> differences;
  bool identical = true;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    differences.push_back(b[i] - a[i]);
    identical = identical && a[i] == b[i];
  }
  d.pairs = differences.size();
  d.identical = d.pairs > 0 && identical;
  d.ci_low = d.ci_high = nan;
  if (d.pairs == 0) {
    d.mean_difference = nan;
    return d;
  }
  const double n = double(d.pairs);
  double sum_difference = 0;
  for (double x : differences) sum_difference += x;
  d.mean_difference = sum_difference / n;
  if (d.identical) {
    d.mean_difference = 0;  // not -0.0 or a rounding residue: nothing differs
    d.ci_low = d.ci_high = 0;
    return d;
  }
  if (d.pairs < 2) return d;
  double squares = 0;
  for (double x : differences) squares += (x - d.mean_difference) * (x - d.mean_difference);
  const double standard_error = std::sqrt(squares / (n - 1)) / std::sqrt(n);
  const double half_width = student_t_quantile(0.5 + level / 2, n - 1) * standard_error;
  d.ci_low = d.mean_difference - half_width;
  d.ci_high = d.mean_difference + half_width;
  return d;
}

}  // namespace faultline
