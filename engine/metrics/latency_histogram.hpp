// Latencies in logarithmic bins (40 per decade from 1 us to 10^4 s): percentiles within ~3%,
// constant memory, and the same answer on every machine.
#pragma once

#include <array>
#include <cstdint>

namespace faultline {

class LatencyHistogram {
 public:
  static constexpr int kBinsPerDecade = 40;
  static constexpr int kDecades = 10;  // 1e-6 .. 1e4 seconds
  static constexpr int kBins = kBinsPerDecade * kDecades + 2;  // + underflow and overflow

  // A bin's index stands for the latency at its geometric middle: per-bucket percentiles are kept as
  // bins (two bytes, and the exact value percentile() would give); kNoBin: nothing was measured.
  static constexpr std::uint16_t kNoBin = 0xFFFF;
  static double value_of_bin(std::uint16_t bin);  // NaN for kNoBin

  void add(double seconds) { add_in_bin(bin_of(seconds), seconds); }
  // The same latency into several histograms costs one logarithm: bin_of once, then add_in_bin.
  static int bin_of(double seconds);
  // The bins' definition, 1 + floor(log10(seconds / 1 us) * 40) within [0, kBins - 1], which bin_of
  // gives without a logarithm (for tests).
  static int bin_of_by_log10(double seconds);
  void add_in_bin(int bin, double seconds) {
    ++bins_[std::size_t(bin)];
    ++count_;
    sum_ += seconds;
  }
  void merge(const LatencyHistogram& other);
  // A run's histogram kept from its buckets' histograms: merge_counts takes a bucket's bins and count
  // when it closes, add_to_sum each value as it comes, so that the mean adds the same numbers in the
  // same order as add() would have (a merged sum would round differently).
  void merge_counts(const LatencyHistogram& other);
  void add_to_sum(double seconds) { sum_ += seconds; }
  void clear();
  std::uint64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / double(count_) : 0.0; }
  double percentile(double q) const;  // q in [0, 1]; 0 when empty
  // The bins of several percentiles (qs ascending, in [0, 1]) in one pass; kNoBin each when empty.
  template <std::size_t N>
  std::array<std::uint16_t, N> percentile_bins(const std::array<double, N>& qs) const {
    std::array<std::uint16_t, N> out;
    percentile_bins(qs.data(), out.data(), N);
    return out;
  }

 private:
  void percentile_bins(const double* qs, std::uint16_t* out, std::size_t n) const;
  std::array<std::uint64_t, kBins> bins_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace faultline
