// Hosts' CPUs: HostCpu on its own (sharing, cancellation, background threads, usage), then the
// model running services' CPU work on shared hosts (no SimGrid).
#include "model/host_cpu.hpp"
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::testing;

TEST_CASE("a host's cores run threads at full speed until there are more threads than cores", "[model][cpu]") {
  HostCpu cpu(2, 2.0);
  cpu.start(0, 1.0, 1);  // 1 core-second at speed 2: 0.5 s alone
  cpu.start(0, 2.0, 2);
  CHECK(cpu.rate() == 2.0);
  CHECK(cpu.next_completion() == Approx(0.5));
  cpu.start(0.25, 1.0, 3);  // three threads on two cores: each at 2 x 2 / 3
  CHECK(cpu.saturated());
  CHECK(cpu.rate() == Approx(4.0 / 3));
  // Work 1 had 0.5 done at 0.25; the remaining 0.5 at 4/3 per second takes 0.375 s.
  CHECK(cpu.next_completion() == Approx(0.625));
  std::uint64_t owner = 0;
  CHECK_FALSE(cpu.pop_finished(0.6, owner));
  REQUIRE(cpu.pop_finished(0.625, owner));
  CHECK(owner == 1);
  CHECK_FALSE(cpu.saturated());
}

TEST_CASE("cancelled work leaves the CPU at once and never finishes", "[model][cpu]") {
  HostCpu cpu(1, 1.0);
  HostCpu::Ticket a = cpu.start(0, 1.0, 1);
  cpu.start(0, 1.0, 2);
  CHECK(cpu.next_completion() == Approx(2.0));  // both at half speed
  REQUIRE(cpu.cancel(0.5, a));
  CHECK_FALSE(cpu.cancel(0.5, a));  // only once
  CHECK(cpu.running() == 1);
  // Work 2 had 0.25 done; alone it finishes the remaining 0.75 at full speed.
  CHECK(cpu.next_completion() == Approx(1.25));
  std::uint64_t owner = 0;
  REQUIRE(cpu.pop_finished(1.25, owner));
  CHECK(owner == 2);
  CHECK(cpu.next_completion() == HostCpu::kNever);
}

TEST_CASE("cancel_if stops the work of one owner and keeps the rest", "[model][cpu]") {
  HostCpu cpu(4, 1.0);
  for (std::uint64_t o = 0; o < 6; ++o) cpu.start(0, 1.0 + double(o), o);
  CHECK(cpu.cancel_if(0.1, [](std::uint64_t o) { return o % 2 == 0; }) == 3);
  CHECK(cpu.running() == 3);
  std::vector<std::uint64_t> finished;
  for (double t = cpu.next_completion(); t < HostCpu::kNever; t = cpu.next_completion())
    for (std::uint64_t o; cpu.pop_finished(t, o);) finished.push_back(o);
  CHECK(finished == std::vector<std::uint64_t>{1, 3, 5});
}

TEST_CASE("a fast server with small work late in a run always makes progress", "[model][cpu]") {
  // A 30 MB/s disk taking 20 KB writes, 1,400 a second, 600 s into a run: the time of a completion
  // carries rounding of a unit in the last place of 600 s, 30 times that in work, more than the
  // clock's own rounding while the clock is small. A completion due less than a unit in the last
  // place of the time away must count as finished, not be rescheduled at that same time forever.
  HostCpu disk(1, 30);
  double t = 600, arrival = 600;
  std::uint64_t started = 0, finished = 0, idle_steps = 0;
  for (int k = 0; k < 40000 && idle_steps < 1000; ++k) {
    const double due = disk.next_completion();
    if (arrival <= due) {
      t = arrival;
      disk.start(t, 0.02, started++);
      arrival = t + 1.0 / 1400 * (0.5 + double((started * 7919) % 1000) / 1000);  // spread, deterministic
      continue;
    }
    t = due;
    bool any = false;
    for (std::uint64_t o; disk.pop_finished(t, o);) any = true, ++finished;
    idle_steps += !any;
  }
  CHECK(idle_steps == 0);
  CHECK(finished + 50 > started);
  CHECK(t > 605);
}

TEST_CASE("background threads slow the work and show in the usage", "[model][cpu]") {
  HostCpu cpu(2, 1.0);
  cpu.set_background(0, 2);
  cpu.start(0, 1.0, 7);  // three threads on two cores: 2/3 each
  CHECK(cpu.next_completion() == Approx(1.5));
  std::uint64_t owner = 0;
  REQUIRE(cpu.pop_finished(1.5, owner));
  const HostCpu::Usage u = cpu.take_usage(3.0);
  CHECK(u.busy == Approx(2 * 3.0));               // both cores busy all the time
  CHECK(u.runnable == Approx(3 * 1.5 + 2 * 1.5));  // 3 threads, then the 2 of the background
  CHECK(u.saturated == Approx(1.5));
  CHECK(u.work == Approx(1.0));                   // the work started here, and only it
  CHECK(cpu.take_usage(3.0).busy == 0);           // taken
}

TEST_CASE("pieces of work of the same size started together finish together, in start order", "[model][cpu]") {
  HostCpu cpu(1, 1.0);
  for (std::uint64_t o = 10; o < 13; ++o) cpu.start(0, 0.1, o);
  const double t = cpu.next_completion();
  CHECK(t == Approx(0.3));
  std::vector<std::uint64_t> finished;
  for (std::uint64_t o; cpu.pop_finished(t, o);) finished.push_back(o);
  CHECK(finished == std::vector<std::uint64_t>{10, 11, 12});
}

namespace {
// Two services with CPU work; `shared` puts both on one 2-core host, else each has a host.
Scenario two_services(bool shared) {
  Scenario s = basic_scenario(1, shared ? 1 : 2);
  s.zones[0].cores = 2;
  s.info.duration = 300;
  s.client.timeout = 10;
  s.traffic.rate = 300;
  add_service(s, "a", 1, 16, 1000).cpu = Distribution::exponential(0.005);
  add_service(s, "b", 1, 16, 1000).cpu = Distribution::exponential(0.005);
  add_feature(s, "fa", "a", 0.5);
  add_feature(s, "fb", "b", 0.5);
  return s;
}
}  // namespace

TEST_CASE("replicas sharing a saturated host slow each other, and a replica alone is unaffected", "[model][cpu]") {
  // Each service alone uses 150 x 5 ms = 0.75 of a core: on its own 2-core host it hardly waits.
  Report alone = run_without_kernel(two_services(false), 3);
  // Together 1.5 of 2 cores: rho 0.75 on the shared host, every request takes longer.
  Report shared = run_without_kernel(two_services(true), 3);
  CHECK(feature(alone, "fa").latency.mean < 1.25 * 0.005);  // M/M/2 at rho 0.375: 5.8 ms
  CHECK(feature(shared, "fa").latency.mean > 1.5 * feature(alone, "fa").latency.mean);
  CHECK(feature(shared, "fb").latency.mean > 1.5 * feature(alone, "fb").latency.mean);
  REQUIRE(shared.resources.size() == 1);
  CHECK(shared.resources[0].name == "z0-h0.cpu");
  CHECK(shared.resources[0].utilisation == Approx(0.75).epsilon(0.05));
  REQUIRE(alone.resources.size() == 2);
  CHECK(alone.resources[0].utilisation == Approx(0.375).epsilon(0.05));
}

TEST_CASE("a CPU hog saturates a host and the failures it causes blame the host's CPU", "[model][cpu]") {
  Scenario s = basic_scenario(1, 1);
  s.zones[0].cores = 4;
  s.info.duration = 600;
  s.client.timeout = 0.5;
  s.traffic.rate = 400;  // 400 x 5 ms = 2 of 4 cores
  add_service(s, "search", 1, 8, 16).cpu = Distribution::exponential(0.005);
  add_feature(s, "f", "search");
  Fault& hog = add_fault(s, "batch", FaultKind::cpu_hog, "z0-h0", 200, 200);
  hog.threads = 24;  // 8 workers and 24 threads on 4 cores: 4 x 8 / 32 = 1 core for search
  Report r = run_without_kernel(s, 4);
  const Series& f = feature(r, "f");
  for (int b = 0; b < 20; ++b) CHECK(f.buckets[std::size_t(b)].availability() == 1.0);
  CHECK(f.buckets[30].availability() < 0.7);  // in the middle of the hog
  for (int b = 42; b < 60; ++b) CHECK(f.buckets[std::size_t(b)].availability() == 1.0);
  REQUIRE(!r.propagation.empty());
  CHECK(r.propagation[0].service == "search");
  CHECK(r.propagation[0].via == "resource:z0-h0.cpu");
  REQUIRE(r.resources.size() == 1);
  // Saturated the whole time of the hog, and now and then without it (8 workers, 4 cores).
  CHECK(r.resources[0].saturated_time > 199);
  CHECK(r.resources[0].saturated_time < 300);
  CHECK(r.resources[0].utilisation_by_bucket[30] == Approx(1));
  CHECK(r.resources[0].backlog_by_bucket[30] > 20);
}

TEST_CASE("a service without CPU work is not modelled on its host's CPU", "[model][cpu]") {
  Scenario s = basic_scenario(1, 1);
  add_service(s, "front");
  add_feature(s, "f", "front");
  CHECK(run_without_kernel(s, 1).resources.empty());
}

TEST_CASE("a replica that dies drops its CPU work and its callers time out", "[model][cpu]") {
  Scenario s = basic_scenario(1, 2);
  s.info.duration = 120;
  s.client.timeout = 1;
  s.traffic.rate = 50;
  add_service(s, "slow", 2, 64, 64).cpu = Distribution::constant(2.0);  // longer than the client waits
  add_feature(s, "f", "slow");
  add_fault(s, "crash", FaultKind::service_crash, "slow", 30, 30);
  Report r = run_without_kernel(s, 2);
  // The CPU of each host holds at most its 64 workers' work; the crash empties it.
  REQUIRE(r.resources.size() == 2);
  CHECK(r.resources[0].backlog_by_bucket[2] > 0);        // before: 64 threads on 8 cores
  CHECK(r.resources[0].utilisation_by_bucket[4] == 0);   // 40-50 s: no process, no work
}

TEST_CASE("on a service with CPU work, handling errors is CPU work on its host", "[model][cpu]") {
  const auto run = [](double error_cost) {
    Scenario s = basic_scenario(1, 1);
    s.zones[0].cores = 1;
    s.info.duration = 200;
    s.traffic.rate = 50;  // 50 x 2 ms: a tenth of the core
    Service& svc = add_service(s, "api", 1, 64, 64);
    svc.cpu = Distribution::constant(0.002);
    svc.error_cost = error_cost;
    add_feature(s, "f", "api");
    add_fault(s, "errors", FaultKind::error_rate, "api", 100, 100).rate = 1;
    return run_without_kernel(s, 5);
  };
  const Report plain = run(0), costly = run(0.01);
  REQUIRE(costly.resources.size() == 1);
  const auto& u0 = plain.resources[0].utilisation_by_bucket;
  const auto& u1 = costly.resources[0].utilisation_by_bucket;
  CHECK(u1[5] == Approx(u0[5]).margin(0.01));        // no errors yet: the same load
  CHECK(u0[15] == Approx(0.1).margin(0.02));         // failing requests still do their work
  CHECK(u1[15] == Approx(0.1 + 0.5).margin(0.05));   // and 50 x 10 ms of error handling
}
