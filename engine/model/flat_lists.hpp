// Lists of ints by a (row, column) pair, stored flat: one offsets table and one array of items
// (compressed sparse rows). Reading a list is two lookups in two arrays, where nested vectors
// cost a pointer chase per level: the model reads a service's edges for a feature on every job.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace faultline {

class FlatLists {
 public:
  FlatLists() = default;
  // From nested lists: lists[row][column], every row with the same number of columns.
  explicit FlatLists(const std::vector<std::vector<std::vector<int>>>& lists) {
    columns_ = lists.empty() ? 0 : lists.front().size();
    offsets_.reserve(lists.size() * columns_ + 1);
    offsets_.push_back(0);
    for (const auto& row : lists)
      for (std::size_t c = 0; c < columns_; ++c) {
        const std::vector<int>& list = c < row.size() ? row[c] : empty_;
        items_.insert(items_.end(), list.begin(), list.end());
        offsets_.push_back(std::uint32_t(items_.size()));
      }
  }

  std::span<const int> at(std::size_t row, std::size_t column) const {
    const std::size_t k = row * columns_ + column;
    return {items_.data() + offsets_[k], items_.data() + offsets_[k + 1]};
  }

 private:
  inline static const std::vector<int> empty_{};
  std::size_t columns_ = 0;
  std::vector<std::uint32_t> offsets_;
  std::vector<int> items_;
};

}  // namespace faultline
