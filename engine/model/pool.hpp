// Slots for short-lived records (requests, calls, attempts, jobs) with generation-checked handles,
// so a late event about a record that has since been recycled is recognised and ignored.
#pragma once

#include <cstdint>
#include <vector>

namespace faultline {

using Handle = std::uint64_t;

template <class T>
class Pool {
 public:
  Handle acquire() {
    std::uint32_t i;
    if (!free_.empty()) {
      i = free_.back();
      free_.pop_back();
      items_[i] = T{};
    } else {
      i = std::uint32_t(items_.size());
      items_.emplace_back();
      gens_.push_back(1);
    }
    ++live_;
    return (Handle(gens_[i]) << 32) | i;
  }
  bool alive(Handle h) const {
    std::uint32_t i = index(h);
    return i < items_.size() && gens_[i] == std::uint32_t(h >> 32);
  }
  T& operator[](Handle h) { return items_[index(h)]; }
  const T& operator[](Handle h) const { return items_[index(h)]; }
  void release(Handle h) {
    std::uint32_t i = index(h);
    ++gens_[i];
    free_.push_back(i);
    --live_;
  }
  std::size_t live() const { return live_; }

 private:
  static std::uint32_t index(Handle h) { return std::uint32_t(h & 0xffffffffu); }
  std::vector<T> items_;
  std::vector<std::uint32_t> gens_;
  std::vector<std::uint32_t> free_;
  std::size_t live_ = 0;
};

}  // namespace faultline
