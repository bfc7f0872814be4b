// Paired differences and their Student t confidence intervals, against values from statistical
// tables (and R's qt()).
#include "experiment/paired_difference.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

using namespace faultline;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

TEST_CASE("experiment: Student t quantiles match the tables", "[experiment][statistics]") {
  CHECK(student_t_quantile(0.975, 1) == Approx(12.706205).epsilon(1e-6));
  CHECK(student_t_quantile(0.975, 4) == Approx(2.776445).epsilon(1e-6));
  CHECK(student_t_quantile(0.975, 9) == Approx(2.262157).epsilon(1e-6));
  CHECK(student_t_quantile(0.975, 30) == Approx(2.042272).epsilon(1e-6));
  CHECK(student_t_quantile(0.95, 9) == Approx(1.833113).epsilon(1e-6));
  CHECK(student_t_quantile(0.5, 7) == Approx(0.0).margin(1e-12));
  CHECK(student_t_quantile(0.025, 9) == Approx(-2.262157).epsilon(1e-6));
  // Many degrees of freedom approach the normal quantile.
  CHECK(student_t_quantile(0.975, 1e6) == Approx(1.959966).epsilon(1e-5));
  CHECK_THROWS_AS(student_t_quantile(1.0, 5), std::domain_error);
  CHECK_THROWS_AS(student_t_quantile(0.0, 5), std::domain_error);
  CHECK_THROWS_AS(student_t_quantile(0.975, 0), std::domain_error);
}

TEST_CASE("experiment: the paired interval is mean difference +- t * s / sqrt(n)", "[experiment][statistics]") {
  // Differences b - a: 1, 2, 3, 4, 5. Mean 3, sd sqrt(2.5), se sqrt(2.5)/sqrt(5) = 0.707107, t(4) = 2.776445.
  const PairedDifference d = paired_difference({10, 10, 10, 10, 10}, {11, 12, 13, 14, 15});
  CHECK(d.pairs == 5);
  CHECK(d.mean_a == Approx(10));
  CHECK(d.mean_b == Approx(13));
  CHECK(d.mean_difference == Approx(3));
  CHECK(d.ci_low == Approx(3 - 2.776445 * 0.7071068).epsilon(1e-6));
  CHECK(d.ci_high == Approx(3 + 2.776445 * 0.7071068).epsilon(1e-6));
  CHECK_FALSE(d.identical);
}

TEST_CASE("experiment: pairing removes what both designs share", "[experiment][statistics]") {
  // The runs vary a lot from seed to seed, the difference hardly: the interval is narrow.
  const PairedDifference d = paired_difference({0.50, 0.90, 0.70, 0.99}, {0.51, 0.91, 0.71, 0.995});
  CHECK(d.ci_low > 0);
  CHECK(d.ci_high < 0.02);
}

TEST_CASE("experiment: the interval widens with the level", "[experiment][statistics]") {
  const std::vector<double> a{1, 2, 3, 4}, b{1.5, 2.1, 3.9, 4.2};
  const PairedDifference d90 = paired_difference(a, b, 0.90), d99 = paired_difference(a, b, 0.99);
  CHECK(d99.ci_low < d90.ci_low);
  CHECK(d99.ci_high > d90.ci_high);
  CHECK_THROWS_AS(paired_difference(a, b, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(paired_difference(a, {1, 2}), std::invalid_argument);
}

TEST_CASE("experiment: only pairs with both values defined count", "[experiment][statistics]") {
  const PairedDifference d = paired_difference({100, kNaN, 300, 50}, {90, 200, kNaN, 40});
  CHECK(d.pairs == 2);
  CHECK(d.mean_difference == Approx(-10));
  // Each design's mean is over its own defined runs: what it did, even where the other has nothing.
  CHECK(d.mean_a == Approx(150));
  CHECK(d.mean_b == Approx(110));
  // Both differences are -10: no spread, the interval is the point itself.
  CHECK(d.ci_low == Approx(-10));
  CHECK(d.ci_high == Approx(-10));
}

TEST_CASE("experiment: no pair, one pair, identical pairs", "[experiment][statistics]") {
  const PairedDifference none = paired_difference({kNaN, 1}, {2, kNaN});
  CHECK(none.pairs == 0);
  CHECK(std::isnan(none.mean_difference));
  CHECK(none.mean_a == 1);
  CHECK(none.mean_b == 2);
  CHECK(std::isnan(paired_difference({kNaN}, {kNaN}).mean_a));
  CHECK(std::isnan(none.ci_low));
  CHECK_FALSE(none.identical);

  const PairedDifference one = paired_difference({1}, {2});
  CHECK(one.pairs == 1);
  CHECK(one.mean_difference == Approx(1));
  CHECK(std::isnan(one.ci_low));

  const PairedDifference same = paired_difference({0.25, 0.5, 0.75}, {0.25, 0.5, 0.75});
  CHECK(same.identical);
  CHECK(same.mean_difference == 0);
  CHECK(same.ci_low == 0);
  CHECK(same.ci_high == 0);
}
