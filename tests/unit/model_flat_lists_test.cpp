// FlatLists gives back every nested list as it was, empty ones included.
#include "model/flat_lists.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <vector>

using namespace faultline;

TEST_CASE("flat lists hold every nested list in order", "[model][flat_lists]") {
  std::mt19937_64 rng(9);
  std::vector<std::vector<std::vector<int>>> nested(37, std::vector<std::vector<int>>(11));
  for (auto& row : nested)
    for (auto& list : row)
      for (int k = int(rng() % 4); k > 0; --k) list.push_back(int(rng() % 1000));  // a quarter empty
  const FlatLists flat(nested);
  for (std::size_t r = 0; r < nested.size(); ++r)
    for (std::size_t c = 0; c < nested[r].size(); ++c) {
      const auto got = flat.at(r, c);
      CHECK(std::vector<int>(got.begin(), got.end()) == nested[r][c]);
    }
  const FlatLists none(std::vector<std::vector<std::vector<int>>>(3));  // rows without columns
  (void)none;
}
