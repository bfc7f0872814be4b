// The paired difference of one metric between two designs run on the same seeds. Common random
// numbers (every random stream derives from the seed and an entity's name) make run i of A and run i
// of B see the same traffic and the same fault selections, so the per-seed differences vary far less
// than the runs themselves, and a Student t interval on their mean tells a real difference from
// noise with few runs.
#pragma once

#include <cstddef>
#include <vector>

namespace faultline {

struct PairedDifference {
  std::size_t pairs = 0;  // pairs in which both values are defined (not NaN); the difference uses only these
  // Each design's mean over its own runs that have a value: a stage only A reached still shows A's
  // mean. When every pair is defined, mean_b - mean_a == mean_difference.
  double mean_a = 0, mean_b = 0;
  double mean_difference = 0;  // mean of b - a over the pairs
  double ci_low = 0, ci_high = 0;  // confidence interval of mean_difference: NaN below 2 pairs, [0, 0]
                                   // when identical
  bool identical = false;          // at least one pair, and b == a in every pair
};

// a[i] and b[i] are one pair; NaN is a value a run does not have. Student t interval with pairs - 1
// degrees of freedom at `level`. Means and the difference are NaN when nothing is defined to average.
// Throws std::invalid_argument when the sizes differ or level is not in (0, 1).
PairedDifference paired_difference(const std::vector<double>& a, const std::vector<double>& b, double level = 0.95);

// The p-quantile of Student's t distribution with `dof` degrees of freedom (boost::math):
// student_t_quantile(0.975, 9) = 2.2622. Throws std::domain_error outside 0 < p < 1, dof > 0.
double student_t_quantile(double p, double dof);

}  // namespace faultline
