// Links with a bandwidth, shared by the calls and replies crossing them (platform_network.cpp),
// through the model without the kernel.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::testing;

namespace {

// Two zones joined by a 10 MB/s link: "fast" calls cross it with 1 KB out and 3 KB back, "bulk" calls
// with 50 KB out and 4 KB back.
Scenario two_zones(double fast_rate, double bulk_rate, TrafficClass fast_class) {
  Scenario s = basic_scenario(2, 2);
  s.info.duration = 120;
  s.client.timeout = 5;
  s.traffic.rate = fast_rate + bulk_rate;
  LinkOverride link;
  link.a = "z0";
  link.b = "z1";
  link.name = "z0<->z1";
  link.bandwidth = 10;
  s.network.links.push_back(link);
  Service& a = add_service(s, "a", 1, 1000, 1000);
  a.zones = {"z0"};
  Service& b = add_service(s, "b", 1, 1000, 1000);
  b.zones = {"z0"};
  Service& far = add_service(s, "far", 1, 1000, 1000, Distribution::constant(0.001));
  far.zones = {"z1"};
  Dependency& fast = add_dependency(s, "a", "far");
  fast.timeout = 0.5;
  fast.reply_size = 0.003;
  fast.traffic_class = fast_class;
  Dependency& bulk = add_dependency(s, "b", "far");
  bulk.timeout = 0.5;
  bulk.request_size = 0.05;
  add_feature(s, "fast", "a", fast_rate);
  add_feature(s, "bulk", "b", bulk_rate);
  return s;
}

const ResourceReport& link_of(const Report& r) {
  REQUIRE(r.resources.size() == 1);
  REQUIRE(r.resources[0].kind == "link");
  return r.resources[0];
}

}  // namespace

TEST_CASE("a link with room carries every call, at the share of its bandwidth they use", "[model][network]") {
  // 500 fast calls/s x 4 KB + 50 bulk calls/s x 54 KB = 2 + 2.7 MB/s of 10.
  const Report r = run_without_kernel(two_zones(500, 50, TrafficClass::rpc), 1);
  CHECK(feature(r, "fast").total.failed == 0);
  CHECK(feature(r, "bulk").total.failed == 0);
  const ResourceReport& link = link_of(r);
  CHECK(link.name == "z0<->z1");
  CHECK(link.capacity == 10);
  CHECK(link.utilisation == Approx(0.47).margin(0.03));
  CHECK(link.limit_hits == 0);
  CHECK(link.saturated_time == 0);
  CHECK(link.drops_by_class.at("rpc") == 0);
}

TEST_CASE("an overloaded link drops and delays every call of one class alike", "[model][network]") {
  // 500 x 4 KB + 250 x 54 KB = 15.5 MB/s offered to 10: a third of it cannot go.
  const Report r = run_without_kernel(two_zones(500, 250, TrafficClass::rpc), 1);
  const double fast = feature(r, "fast").total.availability(), bulk = feature(r, "bulk").total.availability();
  CHECK(fast < 0.9);
  CHECK(bulk < 0.9);
  CHECK(fast == Approx(bulk).margin(0.1));
  const ResourceReport& link = link_of(r);
  CHECK(link.utilisation > 0.95);
  CHECK(link.saturated_time > 60);
  CHECK(link.drops_by_class.at("rpc") > 1000);
  REQUIRE_FALSE(r.propagation.empty());
  bool blamed = false;
  for (const PropagationStep& p : r.propagation) blamed |= p.via == "resource:z0<->z1";
  CHECK(blamed);
}

TEST_CASE("on an overloaded link a higher class goes through and the lower one is dropped", "[model][network]") {
  const Report r = run_without_kernel(two_zones(500, 250, TrafficClass::control), 1);
  CHECK(feature(r, "fast").total.availability() > 0.999);
  CHECK(feature(r, "bulk").total.availability() < 0.8);
  const ResourceReport& link = link_of(r);
  CHECK(link.drops_by_class.at("control") == 0);
  CHECK(link.drops_by_class.at("rpc") > 1000);
}

TEST_CASE("a link_capacity fault cuts the bandwidth for its duration only", "[model][network]") {
  Scenario s = two_zones(500, 50, TrafficClass::rpc);  // 4.7 MB/s: fine on 10, not on 3
  Fault& f = add_fault(s, "cut", FaultKind::link_capacity, "z0<->z1", 40, 40);
  f.factor = 0.3;
  const Report r = run_without_kernel(s, 2);
  const Series& fast = feature(r, "fast");
  for (int b = 0; b < 4; ++b) CHECK(fast.buckets[std::size_t(b)].availability() == 1.0);
  CHECK(fast.buckets[6].availability() < 0.9);
  for (int b = 10; b < 12; ++b) CHECK(fast.buckets[std::size_t(b)].availability() == 1.0);
  const ResourceReport& link = link_of(r);
  CHECK(link.utilisation_by_bucket[6] > 0.95);  // of the bandwidth it has left
  CHECK(link.utilisation_by_bucket[2] == Approx(0.47).margin(0.03));
}

namespace {

// Three zones; "a" in z0 calls "b1" in z1 and "b2" in z2 with 50 KB requests, `rate` calls/s each.
// `device` (10 MB/s, no links) joins the zones listed.
Scenario through_device(double rate, std::vector<std::string> joins) {
  Scenario s = basic_scenario(3, 2);
  s.info.duration = 120;
  s.client.timeout = 5;
  s.traffic.rate = 2 * rate;
  Device dev;
  dev.name = "tgw";
  dev.joins = std::move(joins);
  dev.bandwidth = 10;
  s.network.devices.push_back(dev);
  Service& a = add_service(s, "a", 1, 1000, 1000);
  a.zones = {"z0"};
  for (const std::string name : {"b1", "b2"}) {
    Service& b = add_service(s, name, 1, 1000, 1000, Distribution::constant(0.001));
    b.zones = {name == "b1" ? "z1" : "z2"};
    Dependency& d = add_dependency(s, "a", name);
    d.timeout = 0.5;
    d.request_size = 0.05;
    d.features = {name};
    add_feature(s, name, "a", rate);
  }
  return s;
}

}  // namespace

TEST_CASE("a device is shared by every route between the places it joins, and by no other", "[model][network]") {
  // 100 calls/s to each of b1 and b2, 54 KB each: 5.4 MB/s per route. Through one 10 MB/s device both
  // routes together offer 10.8: it saturates and both lose calls alike.
  const Report shared = run_without_kernel(through_device(100, {"z0", "z1", "z2"}), 4);
  REQUIRE(shared.resources.size() == 1);
  const ResourceReport& tgw = shared.resources[0];
  CHECK(tgw.name == "tgw");
  CHECK(tgw.kind == "device");
  CHECK(tgw.utilisation > 0.95);
  CHECK(tgw.drops_by_class.at("rpc") > 100);
  CHECK(feature(shared, "b1").total.availability() < 0.99);
  CHECK(feature(shared, "b2").total.availability() < 0.99);
  bool blamed = false;
  for (const PropagationStep& p : shared.propagation) blamed |= p.via == "resource:tgw";
  CHECK(blamed);
  // Joining z0 and z1 only, it carries b1's 5.4 MB/s and nothing of b2's: no loss at all.
  const Report one = run_without_kernel(through_device(100, {"z0", "z1"}), 4);
  CHECK(one.resources[0].utilisation == Approx(0.54).margin(0.03));
  CHECK(feature(one, "b1").total.failed == 0);
  CHECK(feature(one, "b2").total.failed == 0);
  // Joining z1 and z2, it is on neither route from z0.
  const Report aside = run_without_kernel(through_device(100, {"z1", "z2"}), 4);
  CHECK(aside.resources[0].utilisation == Approx(0.0).margin(1e-9));
  // Joining the region and z0: z0 and the rest of the region are different entries, so both routes cross it.
  const Report bridge = run_without_kernel(through_device(100, {"r1", "z0"}), 4);
  CHECK(bridge.resources[0].utilisation > 0.95);
}

TEST_CASE("a zone's own network carries calls between its hosts, not calls within one host", "[model][network]") {
  // "a" (on z0-h0) calls "b" 500 times a second with 50 KB requests: 27 MB/s on a 10 MB/s zone network
  // when b is on another host of the zone; nothing crosses it when b is on the same host.
  auto scenario = [](bool same_host) {
    Scenario s = basic_scenario(1, 2);
    s.info.duration = 60;
    s.client.timeout = 5;
    s.traffic.rate = 500;
    LinkOverride inside;
    inside.a = inside.b = "z0";  // `within = "z0"`
    inside.name = "z0.network";
    inside.bandwidth = 10;
    s.network.links.push_back(inside);
    add_service(s, "a", 1, 1000, 1000);
    if (same_host) add_service(s, "filler", 1);  // takes z0-h1, so that b lands on z0-h0 with a
    add_service(s, "b", 1, 1000, 1000, Distribution::constant(0.001));
    Dependency& d = add_dependency(s, "a", "b");
    d.timeout = 0.5;
    d.request_size = 0.05;
    add_feature(s, "f", "a");
    return s;
  };
  const Report apart = run_without_kernel(scenario(false), 5);
  const Report together = run_without_kernel(scenario(true), 5);
  CHECK(apart.resources[0].name == "z0.network");
  CHECK(apart.resources[0].utilisation > 0.95);
  CHECK(feature(apart, "f").total.availability() < 0.6);
  CHECK(together.resources[0].utilisation == Approx(0.0).margin(1e-9));
  CHECK(feature(together, "f").total.failed == 0);
}
