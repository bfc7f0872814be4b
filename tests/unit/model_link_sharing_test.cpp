// Links shared by flows: share_links() on the textbook max-min cases (numbers worked out by hand in
// the comments), weights, strict priority, dead and unlimited links, bad input, and the max-min
// property itself on random instances.
#include "model/link_sharing.hpp"
#include "scenario/errors.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>

using namespace faultline;

namespace {

Approx exactly(double x) { return Approx(x).epsilon(1e-12).margin(1e-12); }

LinkFlow flow(std::vector<int> links, double demand = kUnbounded, int priority = 0, double weight = 1) {
  return LinkFlow{std::move(links), demand, priority, weight};
}

void check_rates(const std::vector<double>& capacity, const std::vector<LinkFlow>& flows,
                 const std::vector<double>& expected) {
  const std::vector<double> r = share_links(capacity, flows);
  REQUIRE(r.size() == expected.size());
  for (std::size_t i = 0; i < r.size(); ++i) {
    INFO("flow " << i);
    CHECK(r[i] == exactly(expected[i]));
  }
}

}  // namespace

TEST_CASE("flows on one link share it equally", "[model][links]") {
  check_rates({12}, {flow({0})}, {12});
  check_rates({12}, {flow({0}), flow({0})}, {6, 6});
  check_rates({12}, {flow({0}), flow({0}), flow({0})}, {4, 4, 4});
  check_rates({12}, {}, {});
}

TEST_CASE("a flow capped by its demand leaves the rest of its share to the others", "[model][links]") {
  // Fair share 10 / 3; the first flow wants only 2, the other two split the remaining 8.
  check_rates({10}, {flow({0}, 2), flow({0}), flow({0})}, {2, 4, 4});
  // A demand above the fair share does not bind: 12 / 3 = 4 < 6.
  check_rates({12}, {flow({0}, 6), flow({0}), flow({0})}, {4, 4, 4});
  // Demand 1 freezes at level 1; then 9 over three flows is 3, just when the second one's demand of 3
  // is met: a demand and the link binding at the same level.
  check_rates({10}, {flow({0}, 1), flow({0}, 3), flow({0}), flow({0})}, {1, 3, 3, 3});
  // Everyone below the fair share: each gets its demand and the link is not full.
  check_rates({10}, {flow({0}, 1), flow({0}, 2)}, {1, 2});
}

TEST_CASE("three flows over two links: the tighter link binds first", "[model][links]") {
  // A crosses L1 and L2, B only L1, C only L2.
  SECTION("L2 is the bottleneck") {
    // L1 = 10, L2 = 4: L2 fills at level 2 (A = C = 2); B then has 10 - 2 of L1.
    check_rates({10, 4}, {flow({0, 1}), flow({0}), flow({1})}, {2, 8, 2});
  }
  SECTION("L1 is the bottleneck") {
    // L1 = 6, L2 = 10: L1 fills at level 3 (A = B = 3); C then has 10 - 3 of L2.
    check_rates({6, 10}, {flow({0, 1}), flow({0}), flow({1})}, {3, 3, 7});
  }
  SECTION("both links fill at the same level") {
    check_rates({8, 8}, {flow({0, 1}), flow({0}), flow({1})}, {4, 4, 4});
  }
  SECTION("a long flow over a chain of links") {
    // L0 = 9 with A and B, L1 = 6 with A, C, D, L2 = 20 with A and E.
    // L1 binds at 2 (A = C = D = 2), then L0 leaves B 7 and L2 leaves E 18.
    check_rates({9, 6, 20}, {flow({0, 1, 2}), flow({0}), flow({1}), flow({1}), flow({2})}, {2, 7, 2, 2, 18});
  }
}

TEST_CASE("weights split a level in proportion", "[model][links]") {
  check_rates({12}, {flow({0}, kUnbounded, 0, 1), flow({0}, kUnbounded, 0, 2), flow({0}, kUnbounded, 0, 3)},
              {2, 4, 6});
  // Weights 1, 1, 2 and the weight-2 flow wants 4: it meets its demand at level 2 (rate 2 x 2);
  // the other two split the remaining 8.
  check_rates({12}, {flow({0}), flow({0}), flow({0}, 4, 0, 2)}, {4, 4, 4});
  // The two-link case with A of weight 2: L2 fills when 2t + t = 4, so A = 8/3, C = 4/3, B = 10 - 8/3.
  check_rates({10, 4}, {flow({0, 1}, kUnbounded, 0, 2), flow({0}), flow({1})}, {8.0 / 3, 22.0 / 3, 4.0 / 3});
  // Scaling every weight changes nothing.
  check_rates({10, 4}, {flow({0, 1}, kUnbounded, 0, 0.5), flow({0}, kUnbounded, 0, 0.25), flow({1}, kUnbounded, 0, 0.25)},
              {8.0 / 3, 22.0 / 3, 4.0 / 3});
}

TEST_CASE("strict priority: higher levels take what they need, lower levels share the rest", "[model][links]") {
  SECTION("a high-priority flow below capacity") {
    check_rates({10}, {flow({0}), flow({0}, 3, 1), flow({0})}, {3.5, 3, 3.5});
  }
  SECTION("the high class saturates the link: the low class gets nothing") {
    check_rates({10}, {flow({0}, kUnbounded, 1), flow({0}), flow({0}, kUnbounded, 1)}, {5, 0, 5});
    check_rates({10}, {flow({0}, 10, 5), flow({0}, 1)}, {10, 0});
  }
  SECTION("priority is strict, not weighted") {
    // A weight-100 low flow does not beat a weight-1 high flow.
    check_rates({10}, {flow({0}, kUnbounded, 0, 100), flow({0}, 4, 1, 1)}, {6, 4});
  }
  SECTION("lower levels see what is left on each link") {
    // High H wants 6 of L1 = 10. Low: A over L1 and L2 = 10, C over L2. L1 has 4 left, which binds A
    // at 4; C gets 10 - 4 of L2.
    check_rates({10, 10}, {flow({0}, 6, 2), flow({0, 1}), flow({1})}, {6, 4, 6});
  }
  SECTION("three levels, negative priorities allowed") {
    // Level 1 takes its 5, level 0 (two flows wanting 2) 4 of the rest, level -1 the remaining 1.
    check_rates({10}, {flow({0}, 3, -1), flow({0}, 2), flow({0}, 5, 1), flow({0}, 2)}, {1, 2, 5, 2});
    // Level 0 unbounded this time: it takes all 5 left (2 and 3), level -1 gets nothing.
    check_rates({10}, {flow({0}, 3, -1), flow({0}, 2), flow({0}, 5, 1), flow({0})}, {0, 2, 5, 3});
  }
}

TEST_CASE("dead links, flows without links and unlimited links", "[model][links]") {
  SECTION("a zero-capacity link gives its flows nothing and does not slow the others elsewhere") {
    check_rates({0, 10}, {flow({0, 1}), flow({1}), flow({0}, 5)}, {0, 10, 0});
  }
  SECTION("demand 0 gets 0 and takes nothing") {
    check_rates({10}, {flow({0}, 0), flow({0})}, {0, 10});
  }
  SECTION("a flow crossing no link gets its demand, unbounded included") {
    const auto r = share_links({10}, {flow({}, 5), flow({}), flow({0})});
    CHECK(r[0] == 5);
    CHECK(r[1] == kUnbounded);
    CHECK(r[2] == 10);
  }
  SECTION("a link of unlimited capacity never limits") {
    const auto r = share_links({kUnbounded, 10}, {flow({0}), flow({0, 1}), flow({1}), flow({0}, 7)});
    CHECK(r[0] == kUnbounded);
    CHECK(r[1] == exactly(5));
    CHECK(r[2] == exactly(5));
    CHECK(r[3] == 7);
  }
}

TEST_CASE("bad input is a library bug, reported as InternalError", "[model][links]") {
  CHECK_THROWS_AS(share_links({-1}, {flow({0})}), InternalError);
  CHECK_THROWS_AS(share_links({10}, {flow({1})}), InternalError);
  CHECK_THROWS_AS(share_links({10}, {flow({-1})}), InternalError);
  CHECK_THROWS_AS(share_links({10, 10}, {flow({0, 1, 0})}), InternalError);
  CHECK_THROWS_AS(share_links({10}, {flow({0}, -1)}), InternalError);
  CHECK_THROWS_AS(share_links({10}, {flow({0}, kUnbounded, 0, 0)}), InternalError);
  CHECK_THROWS_AS(share_links({10}, {flow({0}, kUnbounded, 0, kUnbounded)}), InternalError);
  // The same link in two different flows is fine.
  CHECK_NOTHROW(share_links({10}, {flow({0}), flow({0})}));
}

TEST_CASE("random instances: feasible, and every flow is at its demand or bottlenecked", "[model][links]") {
  // The max-min characterisation: a flow below its demand crosses a full link on which no flow has
  // a larger rate per unit of weight.
  std::mt19937_64 gen(20240611);
  auto draw = [&](int n) { return int(gen() % std::uint64_t(n)); };
  for (int trial = 0; trial < 200; ++trial) {
    const int links = 1 + draw(12), count = 1 + draw(40);
    std::vector<double> capacity(links);
    for (double& c : capacity) c = 1 + draw(100);
    std::vector<LinkFlow> flows(count);
    for (LinkFlow& f : flows) {
      for (int l = 0; l < links; ++l)
        if (draw(4) == 0) f.links.push_back(l);
      if (f.links.empty()) f.links.push_back(draw(links));
      f.demand = draw(3) == 0 ? 1 + draw(30) : kUnbounded;
      f.weight = 1 + draw(4);
    }
    const std::vector<double> r = share_links(capacity, flows);
    std::vector<double> used(links, 0), top(links, 0);
    for (int i = 0; i < count; ++i)
      for (int l : flows[i].links) {
        used[l] += r[i];
        top[l] = std::max(top[l], r[i] / flows[i].weight);
      }
    INFO("trial " << trial);
    for (int l = 0; l < links; ++l) CHECK(used[l] <= capacity[l] * (1 + 1e-9));
    for (int i = 0; i < count; ++i) {
      INFO("flow " << i);
      CHECK(r[i] <= flows[i].demand * (1 + 1e-12));
      if (r[i] >= flows[i].demand * (1 - 1e-9)) continue;
      bool bottlenecked = false;
      for (int l : flows[i].links)
        bottlenecked |= used[l] >= capacity[l] * (1 - 1e-9) && r[i] / flows[i].weight >= top[l] * (1 - 1e-9);
      CHECK(bottlenecked);
    }
  }
}
