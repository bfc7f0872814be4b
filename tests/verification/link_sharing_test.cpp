// Verification of links shared by flows (labelled "verification" in CTest): the same transfers run
// through SimGrid's own network model (CM02, LMM max-min) finish when share_links() says they do,
// with rates recomputed whenever a transfer starts or ends.
//
// SimGrid is configured for pure max-min on the links: CM02 (latency and bandwidth factors 1, which
// SimgridEngine already selects), network/crosstraffic off (by default every flow also loads its
// reverse route with 5% of its rate) and a huge network/TCP-gamma (the window bound gamma / (2 x
// latency) would cap flows whose route has a latency). SimGrid has no per-comm weight or priority,
// but CM02 weights a flow by the inverse of its route's latency (RTT unfairness), and a flow only
// takes bandwidth once that latency is paid: the weighted case uses that. Priorities are checked by
// the unit tests only.
#include "model/link_sharing.hpp"
#include "simulation/simgrid_engine.hpp"
#include "support/child_numbers.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cmath>

using namespace faultline;
using namespace faultline::testing;

namespace {

struct Link {
  double bandwidth;  // bytes/s
  double latency = 0;
};

struct Transfer {
  std::vector<int> links;  // the route, in order
  double start;            // s
  double bytes;  // whole bytes: SimGrid's comm sizes are integers
  double rate = kUnbounded;  // Comm::set_rate: the flow's demand
};

// Completion time of each transfer when SimGrid runs them, in a forked child. Transfer i goes from
// host src<i> to host dst<i> over exactly its links.
std::vector<double> simgrid_completions(const std::vector<Link>& links, const std::vector<Transfer>& transfers) {
  return numbers_in_child([&] {
    SimgridEngine engine({"network/crosstraffic:0", "network/TCP-gamma:1e300"});
    auto* zone = simgrid::s4u::create_full_zone("links-check");
    std::vector<simgrid::s4u::Link*> sg_links;
    for (std::size_t l = 0; l < links.size(); ++l)
      sg_links.push_back(
          zone->create_link(fmt::format("link{}", l), links[l].bandwidth)->set_latency(links[l].latency)->seal());
    std::vector<double> done(transfers.size(), -1);
    static int payload = 0;
    for (std::size_t i = 0; i < transfers.size(); ++i) {
      simgrid::s4u::Host* src = zone->create_host(fmt::format("src{}", i), 1e9)->seal();
      simgrid::s4u::Host* dst = zone->create_host(fmt::format("dst{}", i), 1e9)->seal();
      std::vector<simgrid::s4u::LinkInRoute> route;
      for (int l : transfers[i].links) route.emplace_back(sg_links[l]);
      zone->add_route(src->get_netpoint(), dst->get_netpoint(), nullptr, nullptr, route, true);
      simgrid::s4u::Mailbox* box = simgrid::s4u::Mailbox::by_name(fmt::format("flow{}", i));
      const Transfer& t = transfers[i];
      simgrid::s4u::Actor::create(fmt::format("send{}", i), src, [box, &t] {
        simgrid::s4u::this_actor::sleep_until(t.start);
        simgrid::s4u::CommPtr comm = box->put_init(&payload, std::uint64_t(std::llround(t.bytes)));
        if (t.rate != kUnbounded) comm->set_rate(t.rate);
        comm->wait();
      });
      simgrid::s4u::Actor::create(fmt::format("recv{}", i), dst, [box, &done, i] {
        box->get<int>();
        done[i] = simgrid::s4u::Engine::get_clock();
      });
    }
    zone->seal();
    engine.run();
    return done;
  });
}

// The same transfers through share_links(), in an event loop: a transfer joins the links once its
// route's latency is paid, with weight 1 / latency when that latency is not 0 (CM02's penalty).
std::vector<double> model_completions(const std::vector<Link>& links, const std::vector<Transfer>& transfers) {
  const std::size_t n = transfers.size();
  std::vector<double> capacity, joins(n), remaining(n), done(n, -1);
  for (const Link& l : links) capacity.push_back(l.bandwidth);
  std::vector<LinkFlow> all(n);
  for (std::size_t i = 0; i < n; ++i) {
    double latency = 0;
    for (int l : transfers[i].links) latency += links[l].latency;
    all[i] = LinkFlow{transfers[i].links, transfers[i].rate, 0, latency > 0 ? 1 / latency : 1};
    joins[i] = transfers[i].start + latency;
    remaining[i] = transfers[i].bytes;
  }
  std::vector<std::size_t> waiting(n), active;
  for (std::size_t i = 0; i < n; ++i) waiting[i] = i;
  std::sort(waiting.begin(), waiting.end(), [&](std::size_t a, std::size_t b) { return joins[a] > joins[b]; });
  double now = 0;
  while (!waiting.empty() || !active.empty()) {
    std::vector<LinkFlow> flows;
    for (std::size_t i : active) flows.push_back(all[i]);
    const std::vector<double> rate = share_links(capacity, flows);
    double step = kUnbounded;
    for (std::size_t k = 0; k < active.size(); ++k) step = std::min(step, remaining[active[k]] / rate[k]);
    const double join = waiting.empty() ? kUnbounded : joins[waiting.back()];
    const bool joining = join - now <= step;
    if (joining) step = join - now;
    now += step;
    std::vector<std::size_t> still;
    for (std::size_t k = 0; k < active.size(); ++k) {
      const std::size_t i = active[k];
      if (!joining && remaining[i] / rate[k] <= step * (1 + 1e-12)) {
        done[i] = now;
      } else {
        remaining[i] -= rate[k] * step;
        still.push_back(i);
      }
    }
    active = std::move(still);
    while (!waiting.empty() && joins[waiting.back()] <= now) {
      active.push_back(waiting.back());
      waiting.pop_back();
    }
  }
  return done;
}

// Largest relative deviation from SimGrid over the transfers (checked per transfer as well).
double check_same_completions(const std::vector<Link>& links, const std::vector<Transfer>& transfers) {
  const auto expected = simgrid_completions(links, transfers);
  const auto actual = model_completions(links, transfers);
  REQUIRE(expected.size() == transfers.size());
  REQUIRE(actual.size() == transfers.size());
  double worst = 0;
  for (std::size_t i = 0; i < transfers.size(); ++i) {
    INFO("transfer " << i << " starting at " << transfers[i].start << " with " << transfers[i].bytes << " bytes");
    REQUIRE(expected[i] > 0);
    CHECK(actual[i] == Approx(expected[i]).epsilon(1e-6));
    worst = std::max(worst, std::abs(actual[i] - expected[i]) / expected[i]);
  }
  return worst;
}

}  // namespace

TEST_CASE("transfers over shared links finish when SimGrid's network model finishes them", "[verification][links]") {
  SECTION("one link, equal shares changing as transfers start and end") {
    CHECK(check_same_completions({{1e8}}, {{{0}, 0, 1e8}, {{0}, 0, 5e7}, {{0}, 0.25, 3e7}}) < 1e-6);
  }
  SECTION("three flows over two links, one of them over both, one starting later") {
    // link0 = 100 MB/s, link1 = 40 MB/s; A crosses both, B link0 only, C link1 only from 0.5 s.
    const std::vector<Link> links = {{1e8}, {4e7}};
    CHECK(check_same_completions(links, {{{0, 1}, 0, 5e7}, {{0}, 0, 1e8}, {{1}, 0.5, 3e7}}) < 1e-6);
  }
  SECTION("private access links and a transfer capped by its rate") {
    // link0, link1 shared; link2 is A's access link (60 MB/s), link3 D's (25 MB/s). B is capped at
    // 10 MB/s by Comm::set_rate.
    const std::vector<Link> links = {{1e8}, {5e7}, {6e7}, {2.5e7}};
    CHECK(check_same_completions(links, {{{2, 0, 1}, 0, 8e7},
                                         {{0}, 0.1, 2e7, 1e7},
                                         {{1}, 0.2, 6e7},
                                         {{3, 0}, 0.3, 4e7},
                                         {{0, 1}, 1.0, 1e7}}) < 1e-6);
  }
}

TEST_CASE("six transfers over three shared links, starting at different times", "[verification][links]") {
  // A ring-ish layout: each shared link is crossed by three or four transfers, two cross all three.
  const std::vector<Link> links = {{1.25e8}, {8e7}, {3e7}, {1e8}, {4.5e7}};
  const std::vector<double> sizes = {3.1e7, 7.7e7, 1.9e7, 5.3e7, 1.2e8, 4.4e7};
  const std::vector<std::vector<int>> routes = {{0, 1, 2}, {0}, {1, 2}, {3, 0, 1}, {2}, {4, 2, 0}};
  const std::vector<double> starts = {0, 0, 0.05, 0.3, 0.31, 0.9};
  std::vector<Transfer> transfers;
  for (std::size_t i = 0; i < sizes.size(); ++i) transfers.push_back({routes[i], starts[i], sizes[i]});
  transfers[3].rate = 2e7;
  CHECK(check_same_completions(links, transfers) < 1e-6);

  SECTION("twice as many, the same routes shifted in time") {
    std::vector<Transfer> more = transfers;
    for (const Transfer& t : transfers) more.push_back({t.links, t.start + 0.45, std::round(t.bytes * 0.7), t.rate});
    CHECK(check_same_completions(links, more) < 1e-6);
  }
}

TEST_CASE("weighted shares: CM02 weights a flow by the inverse of its route's latency", "[verification][links]") {
  // Shared link0 (100 MB/s) and link1 (50 MB/s) have no latency; each transfer's own access link
  // carries its latency: 10 ms, 20 ms, 40 ms, 5 ms give weights 100, 50, 25, 200.
  const std::vector<Link> links = {{1e8}, {5e7}, {1e12, 0.01}, {1e12, 0.02}, {1e12, 0.04}, {1e12, 0.005}};
  CHECK(check_same_completions(links, {{{2, 0, 1}, 0, 6e7},
                                       {{3, 0}, 0, 9e7},
                                       {{4, 1}, 0.1, 4e7},
                                       {{5, 0}, 0.4, 2e7, 1.5e7}}) < 1e-6);
}
