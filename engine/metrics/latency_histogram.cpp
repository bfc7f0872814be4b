#include "metrics/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <limits>
#include <vector>

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

namespace {

// The definition of the bins: 1 + floor(log10(s / 1 us) * 40), bin 0 below 1 us, the last bin above.
int bin_by_log10(double s) {
  if (s < kMin) return 0;
  int b = 1 + int(std::floor(std::log10(s / kMin) * LatencyHistogram::kBinsPerDecade));
  return std::min(b, LatencyHistogram::kBins - 1);
}

// bin_by_log10 without a logarithm per call, and the same bin for every value: the smallest double of
// each bin, found once by bisection over the doubles with bin_by_log10 itself, and for each 1/16 of
// a binary octave (the exponent and the top 4 bits of the mantissa, a sixteenth of an octave being
// 0.75 of a bin) the bin of its smallest value; a value's bin is that bin, or one or two further
// when the value is at or past their smallest doubles.
class BinTable {
 public:
  BinTable() {
    lower_[0] = 0;
    for (int b = 1; b < LatencyHistogram::kBins; ++b) {
      // The smallest positive double whose bin is at least b (positive doubles order as their bits).
      std::uint64_t lo = std::bit_cast<std::uint64_t>(b == 1 ? 0.0 : lower_[std::size_t(b - 1)]);
      std::uint64_t hi = std::bit_cast<std::uint64_t>(1e6);  // in the last bin (and s / kMin finite)
      while (lo < hi) {
        const std::uint64_t mid = lo + (hi - lo) / 2;
        if (bin_by_log10(std::bit_cast<double>(mid)) >= b) hi = mid;
        else lo = mid + 1;
      }
      lower_[std::size_t(b)] = std::bit_cast<double>(lo);
    }
    first_key_ = key(kMin);
    const std::uint64_t last_key = key(lower_[LatencyHistogram::kBins - 1]);
    for (std::uint64_t k = first_key_; k <= last_key; ++k)
      start_.push_back(std::uint16_t(bin_by_log10(std::bit_cast<double>(k << kKeyShift))));
  }

  int bin_of(double s) const {
    if (s < kMin) return 0;
    if (!(s < lower_[LatencyHistogram::kBins - 1])) return LatencyHistogram::kBins - 1;  // NaN too
    int b = start_[std::size_t(key(s) - first_key_)];
    while (s >= lower_[std::size_t(b + 1)]) ++b;
    return b;
  }

 private:
  static constexpr int kKeyShift = 52 - 4;  // the exponent and the mantissa's top 4 bits
  static std::uint64_t key(double s) { return std::bit_cast<std::uint64_t>(s) >> kKeyShift; }
  std::array<double, LatencyHistogram::kBins> lower_{};
  std::vector<std::uint16_t> start_;
  std::uint64_t first_key_ = 0;
};

const BinTable kBinTable;

}  // namespace

int LatencyHistogram::bin_of(double s) { return kBinTable.bin_of(s); }
int LatencyHistogram::bin_of_by_log10(double s) { return bin_by_log10(s); }

void LatencyHistogram::merge(const LatencyHistogram& o) {
  for (int i = 0; i < kBins; ++i) bins_[std::size_t(i)] += o.bins_[std::size_t(i)];
  count_ += o.count_;
  sum_ += o.sum_;
}

void LatencyHistogram::merge_counts(const LatencyHistogram& o) {
  if (!o.count_) return;
  for (int i = 0; i < kBins; ++i) bins_[std::size_t(i)] += o.bins_[std::size_t(i)];
  count_ += o.count_;
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
