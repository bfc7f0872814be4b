#include "metrics/latency_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace faultline {

namespace {
constexpr double kMin = 1e-6;


// Geometric middle of a bin: the value reported for every latency in it.
double value_of(int bin) {
  if (bin == 0) return kMin / 2;
  double lo = kMin * std::pow(10.0, double(bin - 1) / LatencyHistogram::kBinsPerDecade);
  return lo * std::pow(10.0, 0.5 / LatencyHistogram::kBinsPerDecade);
}
}  // namespace

double LatencyHistogram::value_of_bin(std::uint16_t bin) {
  return bin == kNoBin ? std::numeric_limits<double>::quiet_NaN() : value_of(int(bin));
}

int LatencyHistogram::bin_of(double s) {
  if (s < kMin) return 0;
  int b = 1 + int(std::floor(std::log10(s / kMin) * kBinsPerDecade));
  return std::min(b, kBins - 1);
}

void LatencyHistogram::merge(const LatencyHistogram& o) {
  for (int i = 0; i < kBins; ++i) bins_[std::size_t(i)] += o.bins_[std::size_t(i)];
  count_ += o.count_;
  sum_ += o.sum_;
}

void LatencyHistogram::clear() {
  if (!count_) return;  // most buckets of most services: nothing to wipe
  bins_.fill(0);
  count_ = 0;
  sum_ = 0;
}

double LatencyHistogram::percentile(double q) const {
  if (!count_) return 0;
  // The smallest bin at which the cumulative count reaches q of the total (nearest-rank).
  std::uint64_t rank = std::max<std::uint64_t>(1, std::uint64_t(std::ceil(q * double(count_))));
  std::uint64_t seen = 0;
  for (int i = 0; i < kBins; ++i) {
    seen += bins_[std::size_t(i)];
    if (seen >= rank) return value_of(i);
  }
  return value_of(kBins - 1);
}

void LatencyHistogram::percentile_bins(const double* qs, std::uint16_t* out, std::size_t n) const {
  if (!count_) {
    std::fill(out, out + n, kNoBin);
    return;
  }
  std::uint64_t seen = 0;
  int i = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint64_t rank = std::max<std::uint64_t>(1, std::uint64_t(std::ceil(qs[k] * double(count_))));
    while (i < kBins - 1 && seen + bins_[std::size_t(i)] < rank) seen += bins_[std::size_t(i++)];
    out[k] = std::uint16_t(i);
  }
}

}  // namespace faultline
