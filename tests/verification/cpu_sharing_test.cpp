// Verification of hosts' CPUs (labelled "verification" in CTest):
//  - the same executions run through SimGrid's own CPU model (a host with cores and a speed, one
//    actor per execution) finish when model/host_cpu.hpp says they do;
//  - a service whose requests are CPU work on a one-core host is an M/G/1 processor-sharing queue,
//    through the product path (SimGrid kernel, forked run): mean response E[S] / (1 - rho), the same
//    for exponential and deterministic work (PS is insensitive to the service distribution).
#include "model/host_cpu.hpp"
#include "simulation/simgrid_engine.hpp"
#include "support/child_numbers.hpp"
#include "simulation/simulation.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <simgrid/s4u.hpp>


using namespace faultline;
using namespace faultline::testing;

namespace {

struct Execution {
  double start, work;  // seconds, core-seconds at speed 1
};

constexpr double kFlopsPerUnit = 1e9;  // speed 1 = 1 Gflop/s per core

// Completion time of each execution when SimGrid runs them on one host, in a forked child.
std::vector<double> simgrid_completions(int cores, double speed, const std::vector<Execution>& execs,
                                        int background_threads) {
  return numbers_in_child([&] {
    SimgridEngine engine;
    auto* zone = simgrid::s4u::create_full_zone("cpu-check");
    simgrid::s4u::Host* host = zone->create_host("h", speed * kFlopsPerUnit)->set_core_count(cores)->seal();
    zone->seal();
    std::vector<double> done(execs.size(), -1);
    for (std::size_t i = 0; i < execs.size(); ++i)
      simgrid::s4u::Actor::create(fmt::format("exec{}", i), host, [&done, &execs, i] {
        simgrid::s4u::this_actor::sleep_until(execs[i].start);
        simgrid::s4u::this_actor::execute(execs[i].work * kFlopsPerUnit);
        done[i] = simgrid::s4u::Engine::get_clock();
      });
    for (int b = 0; b < background_threads; ++b)
      simgrid::s4u::Actor::create(fmt::format("hog{}", b), host, [] {
        simgrid::s4u::this_actor::execute(1e6 * kFlopsPerUnit);  // busy for longer than the test
      })->daemonize();
    engine.run();
    return done;
  });
}

// The same executions through HostCpu, driven the way the model drives it.
std::vector<double> host_cpu_completions(int cores, double speed, const std::vector<Execution>& execs,
                                         int background_threads) {
  HostCpu cpu(cores, speed);
  cpu.set_background(0, background_threads);
  std::vector<double> done(execs.size(), -1);
  std::size_t next = 0;
  std::vector<std::size_t> order(execs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return execs[a].start < execs[b].start; });
  while (true) {
    const double arrival = next < order.size() ? execs[order[next]].start : HostCpu::kNever;
    const double completion = cpu.next_completion();
    if (arrival == HostCpu::kNever && completion == HostCpu::kNever) break;
    if (arrival <= completion) {
      cpu.start(arrival, execs[order[next]].work, order[next]);
      ++next;
    } else {
      for (std::uint64_t owner; cpu.pop_finished(completion, owner);) done[owner] = completion;
    }
  }
  return done;
}

void check_same_completions(int cores, double speed, const std::vector<Execution>& execs, int background) {
  const auto expected = simgrid_completions(cores, speed, execs, background);
  const auto actual = host_cpu_completions(cores, speed, execs, background);
  REQUIRE(expected.size() == execs.size());
  REQUIRE(actual.size() == execs.size());
  for (std::size_t i = 0; i < execs.size(); ++i) {
    INFO("execution " << i << " starting at " << execs[i].start << " with work " << execs[i].work);
    CHECK(actual[i] == Approx(expected[i]).epsilon(1e-6).margin(1e-6));
  }
}

}  // namespace

TEST_CASE("executions on a host finish when SimGrid's CPU model finishes them", "[verification][cpu]") {
  SECTION("fewer threads than cores: each at full speed") {
    check_same_completions(4, 1, {{0, 1}, {0, 2}, {0.5, 1}}, 0);
  }
  SECTION("more threads than cores: processor sharing, shares change as work starts and ends") {
    check_same_completions(2, 1.5, {{0, 1}, {0, 2}, {0.1, 0.3}, {0.2, 3}, {0.25, 0.05}, {1.7, 1}, {1.7, 1}}, 0);
  }
  SECTION("background threads take their shares") {
    check_same_completions(4, 1, {{0, 1}, {0.3, 0.5}, {0.4, 2}, {1, 0.2}}, 6);
  }
  SECTION("many short executions on a many-core host") {
    std::vector<Execution> execs;
    for (int i = 0; i < 200; ++i) execs.push_back({0.001 * i, 0.002 + 0.0005 * (i % 7)});
    check_same_completions(8, 2, execs, 3);
  }
}

namespace {

// One service on a one-core host: requests are CPU work, workers never run out (pure PS).
Scenario ps_queue(double lambda, Distribution work, double duration) {
  Scenario s = basic_scenario(1, 1);
  s.zones[0].cores = 1;
  s.info.duration = duration;
  s.info.bucket = 60;
  s.traffic.rate = lambda;
  s.client.timeout = 1e6;
  Service& svc = add_service(s, "server", 1, 100000, 0);
  svc.cpu = work;
  add_feature(s, "f", "server");
  return s;
}

// PS is insensitive to the service distribution: E[T] = E[S] / (1 - rho) for any work distribution.
void check_ps_mean_response(const Distribution& work, std::uint64_t seed) {
  for (double rho : {0.5, 0.8}) {
    INFO("rho " << rho);
    Report r = simulate_isolated(ps_queue(rho / work.mean, work, rho > 0.6 ? 20000 : 5000), seed);
    CHECK(feature(r, "f").latency.mean == Approx(work.mean / (1 - rho)).epsilon(0.03));
  }
}

}  // namespace

TEST_CASE("CPU work on one core matches M/M/1-PS at utilisation 0.5 and 0.8", "[verification][cpu]") {
  check_ps_mean_response(Distribution::exponential(0.01), 21);
}

TEST_CASE("CPU work on one core matches M/D/1-PS: the same mean as exponential work", "[verification][cpu]") {
  check_ps_mean_response(Distribution::constant(0.01), 22);
}
