// RoundRobinCursors against a dense reference (a cursor for every service and every caller replica
// plus the users, as the model kept them before): the same cursor values over random use.
#include "model/round_robin_cursors.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <vector>

using namespace faultline;

TEST_CASE("round-robin cursors sized by use move as a dense table of cursors does", "[model][round_robin]") {
  // Services of 1 to 6 replicas, the replicas interleaved in the topology as replica indices may be.
  Topology t;
  const std::vector<int> sizes = {3, 1, 6, 2, 5, 4, 2};
  t.service_replicas.resize(sizes.size());
  for (int placed = 1; placed;) {
    placed = 0;
    for (std::size_t sv = 0; sv < sizes.size(); ++sv)
      if (int(t.service_replicas[sv].size()) < sizes[sv]) {
        t.service_replicas[sv].push_back(int(t.replicas.size()));
        ReplicaInfo ri;
        ri.service = int(sv);
        t.replicas.push_back(ri);
        ++placed;
      }
  }
  RoundRobinCursors cursors(t);
  std::vector<std::vector<std::uint32_t>> dense(sizes.size(), std::vector<std::uint32_t>(t.replicas.size() + 1, 0));
  std::mt19937_64 rng(5);
  for (int i = 0; i < 200000; ++i) {
    const int service = int(rng() % sizes.size());
    // Callers from a few services only, as dependencies make it, and now and then the users.
    const int caller = rng() % 7 == 0 ? -1 : t.service_replicas[rng() % 3][0] + int(rng() % 2);
    const std::uint32_t step = std::uint32_t(1 + rng() % 3);
    std::uint32_t& c = cursors.at(service, caller);
    REQUIRE(c == dense[std::size_t(service)][std::size_t(caller + 1)]);
    c += step;
    dense[std::size_t(service)][std::size_t(caller + 1)] += step;
  }
  // Blocks only for the caller services used (three of them, every callee): far below the dense table.
  CHECK(cursors.cursors() <= sizes.size() + 3 * sizes.size() * 6);
}
