// The SimGrid platform realises the scenario's network table: one-way latencies from SimGrid's
// routing equal the table's for every rule (same zone, same region, across regions, overrides).
#include "model/network_table.hpp"
#include "model/topology.hpp"
#include "simulation/child_process.hpp"
#include "simulation/simgrid_engine.hpp"
#include "simulation/simgrid_platform.hpp"
#include "simulation_fixtures.hpp"

#include <fmt/format.h>
#include <simgrid/s4u/Host.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace faultline;
using faultline::testing::latency_link;

namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::vector<double> numbers(const std::string& text) {
  std::vector<double> out;
  std::istringstream in(text);
  for (double v; in >> v;) out.push_back(v);
  return out;
}

// Latencies SimGrid gives for the pairs, computed in a child process (one engine per process).
std::vector<double> simgrid_latencies(const Scenario& s, const std::vector<std::pair<int, int>>& pairs) {
  return numbers(run_in_child_process([&](const ProgressSink&) {
    SimgridEngine engine;
    Topology t = Topology::build(s);
    SimgridPlatform platform(s, t);
    std::string out;
    for (auto [a, b] : pairs) out += number(platform.latency(a, b)) + "\n";
    return out;
  }));
}

}  // namespace

TEST_CASE("SimGrid latencies follow every rule of the network table", "[simulation][platform]") {
  const Scenario s = testing::three_region_scenario();
  // hosts: 0,1 = a1 (r1); 2 = a2 (r1); 3 = a3 (r1); 4 = b1 (r2); 5 = c1 (r3)
  const std::vector<std::pair<std::pair<int, int>, double>> expected = {
      {{0, 1}, 0.0002},  // same zone
      {{0, 0}, 0.0002},  // same host: over its NIC and back, as the table says for one zone
      {{0, 2}, 0.001},   // zones of one region
      {{2, 0}, 0.001},
      {{2, 3}, 0.003},   // zone override inside a region
      {{3, 2}, 0.003},
      {{0, 4}, 0.07},    // across regions
      {{4, 5}, 0.2},     // region override
      {{5, 4}, 0.2},
      {{0, 5}, 0.09},    // zone override across regions beats the default
      {{5, 1}, 0.09},
      {{2, 5}, 0.07},    // the zone override is for a1 only
      {{3, 4}, 0.07},
  };
  std::vector<std::pair<int, int>> pairs;
  for (const auto& e : expected) pairs.push_back(e.first);
  const std::vector<double> got = simgrid_latencies(s, pairs);
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("hosts " << expected[i].first.first << " -> " << expected[i].first.second);
    CHECK(got[i] == Approx(expected[i].second).margin(1e-12));
  }
}

TEST_CASE("SimGrid latencies equal table_latency for every host pair", "[simulation][platform]") {
  Scenario s = testing::three_region_scenario();
  s.network.links.push_back(latency_link("b1", "a3", 0.15));  // a zone pair inside a region override
  const Topology t = Topology::build(s);
  std::vector<std::pair<int, int>> pairs;
  for (int a = 0; a < int(t.hosts.size()); ++a)
    for (int b = 0; b < int(t.hosts.size()); ++b) pairs.emplace_back(a, b);
  const std::vector<double> got = simgrid_latencies(s, pairs);
  REQUIRE(got.size() == pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    INFO(t.hosts[std::size_t(pairs[i].first)].name << " -> " << t.hosts[std::size_t(pairs[i].second)].name);
    CHECK(got[i] == Approx(table_latency(s, t, pairs[i].first, pairs[i].second)).margin(1e-12));
  }
}

TEST_CASE("latencies cached by zone pair are SimGrid's route latencies exactly, for every host pair",
          "[simulation][platform]") {
  Scenario s = testing::three_region_scenario();
  s.network.links.push_back(latency_link("b1", "a3", 0.15));
  for (auto& z : s.zones) z.hosts = 3;  // several hosts per zone: pairs of one zone, and a host and itself
  const std::string out = run_in_child_process([&](const ProgressSink&) {
    SimgridEngine engine;
    Topology t = Topology::build(s);
    SimgridPlatform platform(s, t);
    const int n = int(t.hosts.size());
    int differ = 0;
    for (int pass = 0; pass < 2; ++pass)  // asked first, then from the cache
      for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
          std::vector<simgrid::s4u::Link*> links;
          double route = 0;
          platform.host(a)->route_to(platform.host(b), links, &route);
          if (platform.latency(a, b) != route) ++differ;
        }
    // one entry per zone pair and one per zone (a host and itself), not one per host pair
    return number(double(differ)) + " " + number(double(platform.cached_latencies())) + " " +
           number(double(t.zones.size()));
  });
  const std::vector<double> got = numbers(out);
  REQUIRE(got.size() == 3);
  CHECK(got[0] == 0);
  CHECK(got[1] == got[2] * got[2] + got[2]);
}

TEST_CASE("a link latency change reaches cached latencies", "[simulation][platform]") {
  const Scenario s = testing::three_region_scenario();
  const std::vector<double> got = numbers(run_in_child_process([&](const ProgressSink&) {
    SimgridEngine engine;
    Topology t = Topology::build(s);
    SimgridPlatform platform(s, t);
    std::string out = number(platform.latency(0, 4)) + " " + number(platform.latency(4, 5)) + " ";
    out += number(double(platform.cached_latencies())) + " ";
    simgrid::s4u::Link* r2_uplink = platform.region_uplink(t.region_index("r2"));
    // r2's uplink carries half of the inter-region latency above inter_zone: add 10 ms to it.
    platform.set_link_latency(r2_uplink, (0.07 - 0.001) / 2 + 0.01);
    out += number(platform.latency(0, 4)) + " " + number(platform.latency(4, 5));
    return out;
  }));
  REQUIRE(got.size() == 5);
  CHECK(got[0] == Approx(0.07).margin(1e-12));
  CHECK(got[1] == Approx(0.2).margin(1e-12));
  CHECK(got[2] == 2);                          // both cached
  CHECK(got[3] == Approx(0.08).margin(1e-12));  // through the slower uplink
  CHECK(got[4] == Approx(0.2).margin(1e-12));   // the r2~r3 override bypasses the region uplinks
}

TEST_CASE("a platform of 5,000 hosts builds quickly", "[simulation][platform]") {
  Scenario s;
  s.info.duration = 10;
  for (int z = 0; z < 20; ++z)
    s.zones.push_back(testing::zone(fmt::format("z{}", z), fmt::format("r{}", z % 4), 250));  // GCC 12: see scenario_builder.hpp
  s.network.links = {latency_link("r0", "r1", 0.03), latency_link("z0", "z19", 0.2)};
  s.services = {testing::service("api", 100, {}, 1)};
  const std::vector<double> got = numbers(run_in_child_process([&](const ProgressSink&) {
    auto start = std::chrono::steady_clock::now();
    SimgridEngine engine;
    Topology t = Topology::build(s);
    SimgridPlatform platform(s, t);
    double built = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // z0-h0 -> z1-h0 (r0 -> r1 override), z0-h0 -> z19-h249 (zone override)
    return number(built) + " " + number(double(platform.host_count())) + " " + number(platform.latency(0, 250)) +
           " " + number(platform.latency(0, 4999));
  }));
  REQUIRE(got.size() == 4);
  WARN("5,000-host platform built in " << got[0] << " s");
  CHECK(got[0] < 2.0);
  CHECK(got[1] == 5000);
  CHECK(got[2] == Approx(0.03).margin(1e-12));
  CHECK(got[3] == Approx(0.2).margin(1e-12));
}
