// Faults scoped to users (fault[].scope), in the model alone: a fault that hits the users of one
// segment, a share of the users or a share of the tenants fails their requests only, and the report
// gives what its users and the others saw. Shares carry a sampling tolerance.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::testing;

namespace {

constexpr double kStart = 100, kLength = 200;

// "front" fails every request it serves from 100 s to 300 s, for the users the scope picks; users are
// split into segments "tv" (30%) and "mobile" (70%), and into 20 tenants.
Scenario scoped_platform(const FaultScope& scope) {
  Scenario s = basic_scenario(1, 4);
  s.traffic.rate = 400;
  s.traffic.tenants = 20;
  s.traffic.segments = {Segment{"tv", 0.3, {}, {}}, Segment{"mobile", 0.7, {}, {}}};
  add_service(s, "front", 4);
  add_feature(s, "f", "front");
  Fault& f = add_fault(s, "bad", FaultKind::error_rate, "front", kStart, kLength);
  f.rate = 1;
  f.scope = scope;
  f.scope.enabled = true;
  return s;
}

const Series& segment(const Report& r, const std::string& name) {
  for (const Series& g : r.segments)
    if (g.name == name) return g;
  throw std::runtime_error("no segment " + name);
}

// The buckets wholly inside the fault.
Counts during(const std::vector<Counts>& buckets, double bucket) {
  Counts c;
  for (std::size_t b = std::size_t(kStart / bucket); b < std::size_t((kStart + kLength) / bucket); ++b) {
    c.requests += buckets[b].requests;
    c.ok += buckets[b].ok;
    c.failed += buckets[b].failed;
  }
  return c;
}

}  // namespace

TEST_CASE("a fault scoped to a segment fails its users' requests only", "[model][scope]") {
  FaultScope scope;
  scope.segments = {"tv"};
  const Scenario s = scoped_platform(scope);
  const Report r = run_without_kernel(s, 11);
  CHECK(during(segment(r, "tv").buckets, s.info.bucket).availability() == Approx(0).margin(1e-9));
  CHECK(segment(r, "mobile").total.failed == 0);
  REQUIRE(r.scoped_faults.size() == 1);
  const ScopedFaultReport& sf = r.scoped_faults[0];
  CHECK(sf.users_in_scope == Approx(0.3).margin(0.001));  // the segment's range of users
  REQUIRE(sf.began);
  REQUIRE(sf.ended);
  CHECK(*sf.began == Approx(kStart));
  CHECK(*sf.ended == Approx(kStart + kLength));
  // Its users' requests from its start: failed while it lasted, then fine; the others never failed.
  CHECK(sf.inside.availability() == Approx(1 - kLength / (s.info.duration - kStart)).margin(0.03));
  CHECK(sf.outside.failed == 0);
  std::uint64_t since_start = 0;  // every request from the fault's start on is on one side or the other
  for (std::size_t b = std::size_t(kStart / s.info.bucket); b < feature(r, "f").buckets.size(); ++b)
    since_start += feature(r, "f").buckets[b].requests;
  CHECK(sf.inside.requests + sf.outside.requests == since_start);
  REQUIRE(sf.recovered);
  CHECK(*sf.recovered == Approx(kStart + kLength));
}

TEST_CASE("a fault scoped to a share of the users or tenants hits about that share", "[model][scope]") {
  FaultScope scope;
  const bool by_tenant = GENERATE(false, true);
  (by_tenant ? scope.tenants : scope.users) = 0.25;
  const Scenario s = scoped_platform(scope);
  const Report r = run_without_kernel(s, 12);
  REQUIRE(r.scoped_faults.size() == 1);
  const ScopedFaultReport& sf = r.scoped_faults[0];
  INFO((by_tenant ? "tenants" : "users"));
  // Users: 1,000 draws; tenants: 20 draws of 50 users each.
  CHECK(sf.users_in_scope == Approx(0.25).margin(by_tenant ? 0.2 : 0.04));
  // While it lasts, the share of requests failing is the share of users in scope.
  const Counts all = during(feature(r, "f").buckets, s.info.bucket);
  CHECK(double(all.failed) / double(all.requests) == Approx(sf.users_in_scope).margin(0.03));
  CHECK(during(sf.inside_buckets, s.info.bucket).availability() == Approx(0).margin(1e-9));
  CHECK(during(sf.outside_buckets, s.info.bucket).failed == 0);
  // The same seed draws the same users.
  CHECK(run_without_kernel(s, 12).scoped_faults[0].users_in_scope == sf.users_in_scope);
}

TEST_CASE("a scope holding every user changes nothing for users' requests", "[model][scope]") {
  FaultScope everyone;
  everyone.users = 1;
  Scenario scoped = scoped_platform(everyone);
  Scenario plain = scoped;
  plain.faults[0].scope = FaultScope{};
  const Report a = run_without_kernel(scoped, 13), b = run_without_kernel(plain, 13);
  CHECK(feature(a, "f").total.failed == feature(b, "f").total.failed);
  CHECK(feature(a, "f").total.requests == feature(b, "f").total.requests);
  CHECK(a.scoped_faults.size() == 1);
  CHECK(b.scoped_faults.empty());
  CHECK(a.scoped_faults[0].users_in_scope == 1);
}
