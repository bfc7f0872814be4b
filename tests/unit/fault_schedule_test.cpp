// When faults happen: at a time, repeated, after another fault, or by chance (independently, with
// common causes, with or without ageing while down), and what a rollback does to what is still to come.
#include "model/fault_plan.hpp"
#include "model/fault_schedule.hpp"
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <tuple>

using namespace faultline;
using namespace faultline::testing;

namespace {

std::vector<double> starts_of(const Report& r, const std::string& fault) {
  std::vector<double> out;
  for (const Event& e : r.events)
    if (e.kind == "fault_start" && e.name == fault) out.push_back(e.time);
  return out;
}

Scenario one_service(int hosts = 4) {
  Scenario s = basic_scenario(1, hosts);
  s.traffic.rate = 1;
  add_service(s, "front", hosts);
  add_feature(s, "f", "front");
  return s;
}

Action rollback_at(const std::string& fault, double at) {
  Action a;
  a.name = "rollback-" + fault;
  a.kind = ActionKind::rollback;
  a.at = at;
  a.fault = fault;
  return a;
}

}  // namespace

TEST_CASE("every repeats a fault from at, and after follows each start of another fault", "[fault][schedule]") {
  Scenario s = one_service();
  Fault& blip = add_fault(s, "blip", FaultKind::host_crash, "z0-h0", 100, 20);
  blip.every = 100;
  Fault& echo = add_fault(s, "echo", FaultKind::host_crash, "z0-h1", 0, 10);
  echo.after = "blip";
  echo.after_delay = 30;
  Report r = run_without_kernel(s, 1);
  CHECK(starts_of(r, "blip") == std::vector<double>{100, 200, 300, 400, 500});
  CHECK(starts_of(r, "echo") == std::vector<double>{130, 230, 330, 430, 530});

  SECTION("a rollback ends the fault for good, and what would have followed it") {
    s.actions.push_back(rollback_at("blip", 210));  // during its second occurrence
    Report rr = run_without_kernel(s, 1);
    CHECK(starts_of(rr, "blip") == std::vector<double>{100, 200});
    CHECK(starts_of(rr, "echo") == std::vector<double>{130, 230});
  }
}

TEST_CASE("random failures: each target fails and is repaired on its own clock", "[fault][schedule]") {
  Scenario s = one_service(10);
  s.info.duration = 1e6;
  Fault& f = add_fault(s, "flaky", FaultKind::host_crash, "z0", 0);
  f.random = FailureProcess{Distribution::exponential(1000), Distribution::exponential(100)};
  const Topology t = Topology::build(s);
  const FaultPlan plan(s, t, 7);
  std::map<int, int> per_unit;
  double down = 0;
  for (const FaultOccurrence& o : plan.occurrences()) {
    ++per_unit[o.unit];
    down += std::min(o.end, s.info.duration) - o.start;
    CHECK_FALSE(o.common_cause);
  }
  REQUIRE(per_unit.size() == 10);
  for (const auto& [unit, n] : per_unit) CHECK(n == Approx(1e6 / 1100).epsilon(0.15));  // a renewal every 1100 s
  CHECK(down / (10 * 1e6) == Approx(100.0 / 1100).epsilon(0.05));

  SECTION("the same seed draws the same failures; another seed, others") {
    const FaultPlan again(s, t, 7), other(s, t, 8);
    CHECK(again.occurrences().size() == plan.occurrences().size());
    CHECK(again.occurrences()[5].start == plan.occurrences()[5].start);
    CHECK(other.occurrences()[5].start != plan.occurrences()[5].start);
  }
  SECTION("a common cause takes every target down at once") {
    f.random->common_cause = 1;
    const FaultPlan together(s, t, 7);
    std::map<double, int> at_once;
    int companions = 0;
    for (const FaultOccurrence& o : together.occurrences()) {
      ++at_once[o.start];
      companions += o.common_cause;
    }
    // Every failure finds all ten up (repairs take 100 s, failures come every 100 s on average among
    // ten clocks, so some find a few still down: at least the first failure takes all ten).
    CHECK(at_once.begin()->second == 10);
    CHECK(companions > int(together.occurrences().size()) / 2);
  }
}

TEST_CASE("age_while_down = false stops the other clocks while a random failure is under repair",
          "[fault][schedule]") {
  // Two components in series, failing after 100 s and 120 s in service, repaired in 10 s.
  Scenario s = one_service(2);
  s.info.duration = 300;
  for (auto [name, host, life] : {std::tuple{"a", "z0-h0", 100.0}, std::tuple{"b", "z0-h1", 120.0}}) {
    Fault& f = add_fault(s, name, FaultKind::host_crash, host, 0);
    f.random = FailureProcess{Distribution::constant(life), Distribution::constant(10)};
  }
  const Topology t = Topology::build(s);

  SECTION("without ageing while down") {
    for (Fault& f : s.faults) f.random->age_while_down = false;
    const FaultPlan plan(s, t, 1);
    std::vector<double> starts;
    for (const FaultOccurrence& o : plan.occurrences()) starts.push_back(o.start);
    std::sort(starts.begin(), starts.end());
    CHECK(starts == std::vector<double>{100, 130, 220, 270});
  }
  SECTION("ageing all the time") {
    const FaultPlan plan(s, t, 1);
    std::vector<double> starts;
    for (const FaultOccurrence& o : plan.occurrences()) starts.push_back(o.start);
    std::sort(starts.begin(), starts.end());
    CHECK(starts == std::vector<double>{100, 120, 210, 250});
  }
}

TEST_CASE("a random fault shows each failure and each repair in the events", "[fault][schedule]") {
  Scenario s = one_service(2);
  Fault& f = add_fault(s, "flaky", FaultKind::host_crash, "z0", 0);
  f.random = FailureProcess{Distribution::constant(100), Distribution::constant(20)};
  Report r = run_without_kernel(s, 1);
  // Both hosts fail every 120 s: at 100, 220, 340, 460, 580.
  CHECK(starts_of(r, "flaky").size() == 10);
  int repaired = 0;
  for (const Event& e : r.events) repaired += e.kind == "fault_end" && e.detail == "repaired";
  CHECK(repaired == 8);  // the repairs due at 600 s fall at the end of the run
  CHECK(service(r, "front").time_by_replicas_up[0] == Approx(4 * (20 + 30) + 20));
}

TEST_CASE("fault plans hand the platform one command per change, and each host once", "[fault][schedule]") {
  Scenario s = one_service(2);
  add_fault(s, "both", FaultKind::zone_outage, "z0", 100, 50);
  add_fault(s, "one", FaultKind::host_crash, "z0-h1", 120, 50);
  const Topology t = Topology::build(s);
  FaultPlan plan(s, t, 1);
  std::vector<FaultPlan::Change> changes;
  for (std::size_t k = 0; k < plan.steps().size(); ++k) changes.push_back(plan.advance(int(k)));
  REQUIRE(changes.size() == 4);  // starts at 100 and 120, ends at 150 and 170
  REQUIRE(changes[0].commands.size() == 1);
  CHECK(changes[0].commands[0].kind == PlatformCommand::Kind::hosts_down);
  CHECK(changes[0].commands[0].hosts == std::vector<int>{0, 1});
  CHECK(changes[1].commands.empty());  // h1 is down already
  REQUIRE(changes[2].commands.size() == 1);
  CHECK(changes[2].commands[0].kind == PlatformCommand::Kind::hosts_up);
  CHECK(changes[2].commands[0].hosts == std::vector<int>{0});  // h1 is still held
  CHECK(changes[3].commands[0].hosts == std::vector<int>{1});
  CHECK(changes[0].notes[0].kind == "fault_start");
  CHECK(changes[3].notes[0].kind == "fault_end");
}
