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

  void add(double seconds);
  void merge(const LatencyHistogram& other);
  void clear();
  std::uint64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / double(count_) : 0.0; }
  double percentile(double q) const;  // q in [0, 1]; 0 when empty

 private:
  std::array<std::uint64_t, kBins> bins_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace faultline
