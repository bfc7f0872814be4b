// LatencyHistogram::bin_of, which finds a bin without a logarithm, against the bins' definition
// (1 + floor(log10(s / 1 us) * 40)) over many values: random ones across and beyond the range, every
// bin's boundary and its neighbouring doubles, round decimal latencies, and the edges.
#include "metrics/latency_histogram.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

using namespace faultline;

namespace {

int mismatches_near(double s, int ulps) {
  int bad = 0;
  double below = s, above = s;
  for (int k = 0; k <= ulps; ++k) {
    if (LatencyHistogram::bin_of(below) != LatencyHistogram::bin_of_by_log10(below)) ++bad;
    if (LatencyHistogram::bin_of(above) != LatencyHistogram::bin_of_by_log10(above)) ++bad;
    below = std::nextafter(below, 0.0);
    above = std::nextafter(above, 1e300);
  }
  return bad;
}

}  // namespace

TEST_CASE("histogram bins without log10 equal the log10 definition for random latencies", "[metrics][histogram]") {
  std::mt19937_64 rng(12);
  std::uniform_real_distribution<double> exponent(-9.0, 6.0);
  int bad = 0;
  for (int i = 0; i < 2000000; ++i) {
    const double s = std::pow(10.0, exponent(rng));
    if (LatencyHistogram::bin_of(s) != LatencyHistogram::bin_of_by_log10(s)) ++bad;
  }
  // Uniform in a few octaves, so that every sixteenth of an octave sees many values.
  std::uniform_real_distribution<double> linear(0.0, 0.05);
  for (int i = 0; i < 1000000; ++i) {
    const double s = linear(rng);
    if (LatencyHistogram::bin_of(s) != LatencyHistogram::bin_of_by_log10(s)) ++bad;
  }
  CHECK(bad == 0);
}

TEST_CASE("histogram bins without log10 equal the log10 definition at and around every boundary", "[metrics][histogram]") {
  int bad = 0, boundaries = 0;
  // Each bin's boundary, found from the definition by walking up from the geometric formula's value.
  for (int b = 1; b < LatencyHistogram::kBins; ++b) {
    double s = 1e-6 * std::pow(10.0, double(b - 1) / LatencyHistogram::kBinsPerDecade);
    for (int k = 0; k < 64 && LatencyHistogram::bin_of_by_log10(s) >= b; ++k) s = std::nextafter(s, 0.0);
    for (int k = 0; k < 128 && LatencyHistogram::bin_of_by_log10(s) < b; ++k) s = std::nextafter(s, 1e300);
    if (LatencyHistogram::bin_of_by_log10(s) == b) ++boundaries;
    bad += mismatches_near(s, 8);
  }
  CHECK(boundaries == LatencyHistogram::kBins - 1);
  // Round latencies: whole microseconds up to 100 ms, tenths of a millisecond up to 100 s, powers of ten.
  for (int us = 0; us <= 100000; ++us) bad += mismatches_near(us * 1e-6, 1);
  for (int tenth = 0; tenth <= 1000000; tenth += 7) bad += mismatches_near(tenth * 1e-4, 1);
  for (int e = -12; e <= 8; ++e) bad += mismatches_near(std::pow(10.0, e), 4);
  CHECK(bad == 0);
}

TEST_CASE("histogram bins at the edges: below 1 us, the last bin, beyond", "[metrics][histogram]") {
  CHECK(LatencyHistogram::bin_of(0.0) == 0);
  CHECK(LatencyHistogram::bin_of(-1.0) == 0);
  CHECK(LatencyHistogram::bin_of(std::numeric_limits<double>::denorm_min()) == 0);
  CHECK(LatencyHistogram::bin_of(1e-6) == 1);
  CHECK(LatencyHistogram::bin_of(1e4) == LatencyHistogram::kBins - 1);
  CHECK(LatencyHistogram::bin_of(1e300) == LatencyHistogram::kBins - 1);
  CHECK(LatencyHistogram::bin_of(std::numeric_limits<double>::infinity()) == LatencyHistogram::kBins - 1);
  CHECK(LatencyHistogram::bin_of(1e300) == LatencyHistogram::bin_of_by_log10(1e300));
}

TEST_CASE("a run's histogram kept from its buckets' counts and its own sum equals one fed every value",
          "[metrics][histogram]") {
  std::mt19937_64 rng(3);
  std::exponential_distribution<double> latency(200.0);
  LatencyHistogram direct, run, bucket;
  for (int b = 0; b < 50; ++b) {
    const int n = int(rng() % 3000);  // some buckets empty
    for (int i = 0; i < (b % 7 == 3 ? 0 : n); ++i) {
      const double s = latency(rng);
      direct.add(s);
      bucket.add(s);
      run.add_to_sum(s);
    }
    run.merge_counts(bucket);
    bucket.clear();
  }
  CHECK(run.count() == direct.count());
  CHECK(run.mean() == direct.mean());  // the same sum, added in the same order
  for (double q : {0.0, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) CHECK(run.percentile(q) == direct.percentile(q));
}
