// What a fault's target reaches: the syntax of targets, tags, racks, selectors, and faults on the same
// hosts and replicas composing (a host comes back only when the last fault holding it lets go).
#include "model/fault_plan.hpp"
#include "model/platform_model.hpp"
#include "scenario/fault_target.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::testing;

TEST_CASE("targets are parsed by their form", "[fault][targets]") {
  using Form = FaultTarget::Form;
  CHECK(parse_fault_target("auth").form == Form::name);
  CHECK(parse_fault_target("eu-a-h3").form == Form::name);
  const FaultTarget tag = parse_fault_target("tag:db");
  CHECK(tag.form == Form::tag);
  CHECK(tag.first == "db");
  const FaultTarget dep = parse_fault_target("front->db");
  CHECK(dep.form == Form::dependency);
  CHECK(dep.first == "front");
  CHECK(dep.second == "db");
  const FaultTarget link = parse_fault_target("eu-a<->eu-b");
  CHECK(link.form == Form::link);
  CHECK(link.first == "eu-a");
  CHECK(link.second == "eu-b");
  const FaultTarget rack = parse_fault_target("eu-a/rack12");
  CHECK(rack.form == Form::rack);
  CHECK(rack.first == "eu-a");
  CHECK(rack.rack == 12);
  CHECK(parse_fault_target("eu-a/rackX").rack == -1);
  CHECK(parse_host_name("eu-a-h3").zone == "eu-a");
  CHECK(parse_host_name("eu-a-h3").index == 3);
  CHECK(parse_host_name("eu-a").index == -1);
}

TEST_CASE("tags reach tagged services' replicas and tagged zones' hosts", "[fault][targets]") {
  Scenario s = basic_scenario(2, 2);
  s.zones[1].tags = {"edge"};
  add_service(s, "front", 2).tags = {"web"};
  add_service(s, "db1", 1).tags = {"db"};
  add_service(s, "db2", 1).tags = {"db", "shared"};
  add_feature(s, "f", "front");
  add_fault(s, "dbs", FaultKind::service_crash, "tag:db", 100, 100);
  add_fault(s, "edge-hosts", FaultKind::host_crash, "tag:edge", 300, 100);
  const Topology t = Topology::build(s);
  FaultPlan plan(s, t, 1);
  REQUIRE(plan.replicas(0).size() == 2);
  CHECK(t.replicas[std::size_t(plan.replicas(0)[0])].name == "db1.0");
  CHECK(t.replicas[std::size_t(plan.replicas(0)[1])].name == "db2.0");
  CHECK(plan.hosts(1) == t.zone_hosts[1]);

  Report r = run_without_kernel(s, 1);
  CHECK(service(r, "db1").time_by_replicas_up[0] == Approx(130));  // 100 s down, 30 s restart
  CHECK(service(r, "db2").time_by_replicas_up[0] == Approx(130));
  CHECK(service(r, "front").time_by_replicas_up[1] == Approx(130));  // its z1 replica, with the hosts
}

TEST_CASE("racks spread a zone's hosts in turn, and a rack fails as one", "[fault][targets]") {
  Scenario s = basic_scenario(1, 6);
  s.zones[0].racks = 3;
  add_service(s, "front", 6);
  add_feature(s, "f", "front");
  add_fault(s, "rack1", FaultKind::host_crash, "z0/rack1", 100, 100);
  const Topology t = Topology::build(s);
  FaultPlan plan(s, t, 1);
  REQUIRE(plan.hosts(0).size() == 2);
  CHECK(t.hosts[std::size_t(plan.hosts(0)[0])].name == "z0-h1");
  CHECK(t.hosts[std::size_t(plan.hosts(0)[1])].name == "z0-h4");
  const Report report = run_without_kernel(s, 1);
  const ServiceReport& front = service(report, "front");
  CHECK(front.time_by_replicas_up[4] == Approx(130));
  CHECK(front.time_by_replicas_up[6] == Approx(600 - 130));
}

TEST_CASE("selectors pick from the seed and the fault's name, the same way every run", "[fault][targets]") {
  Scenario s = basic_scenario(1, 10);
  add_service(s, "front", 10);
  add_feature(s, "f", "front");
  Fault& f = add_fault(s, "some", FaultKind::service_crash, "front", 100, 100);
  f.mode = SelectorMode::percent;
  f.value = 30;
  const Topology t = Topology::build(s);
  CHECK(FaultPlan(s, t, 1).replicas(0).size() == 3);
  CHECK(FaultPlan(s, t, 1).replicas(0) == FaultPlan(s, t, 1).replicas(0));
  bool differs = false;
  for (std::uint64_t seed = 2; seed < 10; ++seed) differs |= FaultPlan(s, t, seed).replicas(0) != FaultPlan(s, t, 1).replicas(0);
  CHECK(differs);

  SECTION("a rollout keeps the drawn order") {
    f.kind = FaultKind::config_rollout;
    f.mode = SelectorMode::all;
    const std::vector<int> order = FaultPlan(s, t, 1).replicas(0);
    CHECK(order.size() == 10);
    CHECK_FALSE(std::is_sorted(order.begin(), order.end()));
  }
}

TEST_CASE("faults on the same hosts and replicas compose", "[fault][targets]") {
  Scenario s = basic_scenario(1, 2);
  Service& front = add_service(s, "front", 2);
  front.restart_time = 10;
  add_feature(s, "f", "front");

  SECTION("a host stays down until the last fault holding it ends") {
    add_fault(s, "host", FaultKind::host_crash, "z0-h0", 100, 200);
    add_fault(s, "zone", FaultKind::zone_outage, "z0", 150, 50);
    const Report report = run_without_kernel(s, 1);
    const ServiceReport& r = service(report, "front");
    CHECK(r.time_by_replicas_up[0] == Approx(50 + 10));  // both hosts from 150 to 200, then the restart
    CHECK(r.time_by_replicas_up[1] == Approx(50 + 100));  // h0 alone: 100-150 and 200-300 (+ restart)
  }
  SECTION("a crashed service stays dead when its host reboots") {
    Fault& crash = add_fault(s, "crash", FaultKind::service_crash, "front", 100, 200);
    crash.mode = SelectorMode::fixed;
    crash.value = 1;
    const Topology t = Topology::build(s);
    const std::string host = t.hosts[std::size_t(t.replicas[std::size_t(FaultPlan(s, t, 1).replicas(0)[0])].host)].name;
    add_fault(s, "reboot", FaultKind::host_crash, host, 150, 20);
    const Report report = run_without_kernel(s, 1);
    const ServiceReport& r = service(report, "front");
    CHECK(r.time_by_replicas_up[1] == Approx(200 + 10));
    CHECK(r.outages == 0);
  }
}
