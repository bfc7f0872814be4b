// The dependency graph analyses on small scenarios built in code: hard cycles, what each feature
// hard-depends on, single points of failure, blast radius, zone cut sets.
#include "graph/dependency_graph.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace faultline;
using faultline::graph::analyse;
using faultline::graph::FeatureAnalysis;
using faultline::graph::hard_dependency_cycles;
using faultline::graph::ServiceAnalysis;
using Strings = std::vector<std::string>;
using Cycles = std::vector<std::vector<std::size_t>>;

namespace {

Service service(const std::string& name, int replicas = 2, Strings zones = {}) {
  Service s;
  s.name = name;
  s.replicas = replicas;
  s.zones = std::move(zones);
  return s;
}

Dependency dependency(const std::string& from, const std::string& to, DependencyKind kind = DependencyKind::hard,
                      Strings features = {}) {
  Dependency d;
  d.from = from;
  d.to = to;
  d.kind = kind;
  d.features = std::move(features);
  return d;
}

Dependency control(const std::string& from, const std::string& to, bool fail_static) {
  Dependency d = dependency(from, to, DependencyKind::control);
  d.fail_static = fail_static;
  return d;
}

Feature feature(const std::string& name, const std::string& entry) {
  Feature f;
  f.name = name;
  f.entry = entry;
  return f;
}

Zone zone(const std::string& name, const std::string& region) {
  Zone z;
  z.name = name;
  z.region = region;
  return z;
}

// Two zones in one region: enough that spreading two replicas removes every zone-level reason.
Scenario two_zone_scenario() {
  Scenario s;
  s.zones = {zone("a", "eu"), zone("b", "eu")};
  return s;
}

Scenario with_services(Strings names) {
  Scenario s = two_zone_scenario();
  for (const auto& n : names) s.services.push_back(service(n));
  return s;
}

const FeatureAnalysis& feature_named(const graph::GraphAnalysis& a, const std::string& name) {
  for (const auto& f : a.features)
    if (f.feature == name) return f;
  FAIL("no feature " << name);
  throw;
}

const ServiceAnalysis& service_named(const graph::GraphAnalysis& a, const std::string& name) {
  for (const auto& s : a.services)
    if (s.service == name) return s;
  FAIL("no service " << name);
  throw;
}

Strings reasons_of(const FeatureAnalysis& f, const std::string& service) {
  for (const auto& spof : f.spofs)
    if (spof.service == service) return spof.reasons;
  return {};
}

}  // namespace

TEST_CASE("a three-service hard cycle is reported once, in walking order", "[graph][cycles]") {
  Scenario s = with_services({"a", "b", "c"});
  s.dependencies = {dependency("a", "b"), dependency("c", "a"), dependency("b", "c")};
  // Walked from the lowest index: a->b (0), b->c (2), c->a (1).
  CHECK(hard_dependency_cycles(s) == Cycles{{0, 2, 1}});
}

TEST_CASE("a soft or control edge breaks a cycle", "[graph][cycles]") {
  Scenario s = with_services({"a", "b", "c"});
  s.dependencies = {dependency("a", "b"), dependency("b", "c"), dependency("c", "a", DependencyKind::soft)};
  CHECK(hard_dependency_cycles(s).empty());
  s.dependencies[2] = control("c", "a", false);
  CHECK(hard_dependency_cycles(s).empty());
}

TEST_CASE("disjoint and overlapping cycles are each reported, sorted by lowest dependency", "[graph][cycles]") {
  Scenario s = with_services({"a", "b", "c", "d", "e"});
  s.dependencies = {dependency("c", "d"), dependency("a", "b"), dependency("d", "c"), dependency("b", "a"),
                    dependency("a", "e"), dependency("e", "a")};
  CHECK(hard_dependency_cycles(s) == Cycles{{0, 2}, {1, 3}, {4, 5}});
}

TEST_CASE("a self-dependency is a cycle of one", "[graph][cycles]") {
  Scenario s = with_services({"a", "b"});
  s.dependencies = {dependency("a", "b"), dependency("b", "b")};
  CHECK(hard_dependency_cycles(s) == Cycles{{1}});
}

TEST_CASE("parallel dependencies make one cycle, named by the first declared", "[graph][cycles]") {
  Scenario s = with_services({"a", "b"});
  s.dependencies = {dependency("b", "a"), dependency("a", "b", DependencyKind::hard, {"play"}),
                    dependency("a", "b", DependencyKind::hard, {"search"})};
  CHECK(hard_dependency_cycles(s) == Cycles{{0, 1}});
}

TEST_CASE("cycle detection tolerates unknown and duplicate service names", "[graph][cycles]") {
  Scenario s = with_services({"a", "b", "a"});
  s.dependencies = {dependency("a", "ghost"), dependency("a", "b"), dependency("ghost", "a"), dependency("b", "a")};
  CHECK(hard_dependency_cycles(s) == Cycles{{1, 3}});
}

TEST_CASE("a dense hard graph stops at the reporting limit", "[graph][cycles]") {
  // Eight services all hard-depending on each other: thousands of elementary cycles.
  const Strings names = {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"};
  Scenario s;
  for (const auto& name : names) s.services.push_back(service(name));
  for (const auto& from : names)
    for (const auto& to : names)
      if (from != to) s.dependencies.push_back(dependency(from, to));
  const auto cycles = hard_dependency_cycles(s);
  CHECK(cycles.size() == graph::kMaxReportedCycles);
  for (const auto& c : cycles) {
    REQUIRE(!c.empty());
    CHECK(*std::min_element(c.begin(), c.end()) == c.front());
    for (std::size_t k = 0; k < c.size(); ++k)
      CHECK(s.dependencies[c[k]].to == s.dependencies[c[(k + 1) % c.size()]].from);
  }
}

TEST_CASE("a feature hard-depends on what its own hard edges reach", "[graph][features]") {
  // Declared out of walking order: results follow the scenario's order.
  Scenario s = with_services({"storage", "index", "search", "playback", "edge", "recs", "cache"});
  s.dependencies = {
      dependency("edge", "playback", DependencyKind::hard, {"play"}),
      dependency("edge", "search", DependencyKind::hard, {"search"}),
      dependency("playback", "storage"),
      dependency("search", "index"),
      dependency("edge", "recs", DependencyKind::soft),
      dependency("playback", "cache", DependencyKind::hard, {"search"}),  // search never reaches playback
  };
  s.features = {feature("play", "edge"), feature("search", "edge")};
  const auto a = analyse(s);
  REQUIRE(a.features.size() == 2);
  CHECK(a.features[0].feature == "play");
  CHECK(a.features[0].entry == "edge");
  CHECK(a.features[0].hard_services == Strings{"storage", "playback", "edge"});
  CHECK(a.features[1].hard_services == Strings{"index", "search", "edge"});
}

TEST_CASE("a control edge is hard only when its caller does not fail static", "[graph][features]") {
  Scenario s = with_services({"api", "discovery", "config"});
  s.dependencies = {control("api", "discovery", false), control("api", "config", true)};
  s.features = {feature("play", "api")};
  CHECK(analyse(s).features[0].hard_services == Strings{"api", "discovery"});
}

TEST_CASE("each single-point-of-failure reason", "[graph][spof]") {
  Scenario s;
  s.zones = {zone("a", "eu"), zone("b", "eu"), zone("c", "us")};
  s.services = {
      service("entry", 3, {"a", "b", "c"}),   // spread over regions: not a SPOF
      service("single", 1, {"a", "b"}),       // its one replica lands in a
      service("pinned", 3, {"b"}),
      service("regional", 2, {"a", "b"}),
      service("spread", 2, {"a", "c"}),
      service("everywhere", 3),               // no zones: round-robin over every zone
  };
  for (std::size_t i = 1; i < s.services.size(); ++i) s.dependencies.push_back(dependency("entry", s.services[i].name));
  s.features = {feature("play", "entry")};
  const auto a = analyse(s);
  const auto& f = feature_named(a, "play");
  CHECK(reasons_of(f, "entry").empty());
  CHECK(reasons_of(f, "single") == Strings{"one replica", "one zone (a)", "one region (eu)"});
  CHECK(reasons_of(f, "pinned") == Strings{"one zone (b)", "one region (eu)"});
  CHECK(reasons_of(f, "regional") == Strings{"one region (eu)"});
  CHECK(reasons_of(f, "spread").empty());
  CHECK(reasons_of(f, "everywhere").empty());
  Strings spof_names;
  for (const auto& spof : f.spofs) spof_names.push_back(spof.service);
  CHECK(spof_names == Strings{"single", "pinned", "regional"});
}

TEST_CASE("one region is no reason when the scenario has one region, one zone when it has one zone", "[graph][spof]") {
  Scenario s;
  s.zones = {zone("only", "eu")};
  s.services = {service("api", 3)};
  s.features = {feature("play", "api")};
  CHECK(reasons_of(analyse(s).features[0], "api") == Strings{"one zone (only)"});
}

TEST_CASE("services off every feature's hard path are no SPOF of it", "[graph][spof]") {
  Scenario s = two_zone_scenario();
  s.services = {service("api", 2, {"a", "b"}), service("recs", 1, {"a"})};
  s.dependencies = {dependency("api", "recs", DependencyKind::soft)};
  s.features = {feature("play", "api")};
  CHECK(analyse(s).features[0].spofs.empty());
}

TEST_CASE("blast radius and upstream follow hard edges feature by feature", "[graph][blast]") {
  Scenario s = with_services({"edge", "playback", "search", "storage", "recs"});
  s.dependencies = {
      dependency("edge", "playback", DependencyKind::hard, {"play"}),
      dependency("edge", "search", DependencyKind::hard, {"search"}),
      dependency("playback", "storage"),
      dependency("search", "storage", DependencyKind::soft),
      dependency("recs", "storage"),
  };
  s.features = {feature("play", "edge"), feature("search", "edge")};
  const auto a = analyse(s);
  CHECK(service_named(a, "edge").blast_radius == Strings{"play", "search"});
  CHECK(service_named(a, "storage").blast_radius == Strings{"play"});
  CHECK(service_named(a, "recs").blast_radius.empty());
  // recs is on no feature's path but fails with storage for any request it serves.
  CHECK(service_named(a, "storage").upstream == Strings{"edge", "playback", "recs"});
  CHECK(service_named(a, "search").upstream == Strings{"edge"});
  CHECK(service_named(a, "edge").upstream.empty());
}

TEST_CASE("upstream ignores paths no single feature takes", "[graph][blast]") {
  Scenario s = with_services({"a", "b", "c"});
  s.dependencies = {dependency("a", "b", DependencyKind::hard, {"play"}),
                    dependency("b", "c", DependencyKind::hard, {"search"})};
  s.features = {feature("play", "a"), feature("search", "b")};
  const auto a = analyse(s);
  CHECK(service_named(a, "c").upstream == Strings{"b"});
  CHECK(service_named(a, "b").upstream == Strings{"a"});
}

TEST_CASE("minimal cut sets: every hard service, then minimal zone sets of order two or less", "[graph][cuts]") {
  Scenario s;
  s.zones = {zone("a", "eu"), zone("b", "eu"), zone("c", "eu"), zone("d", "eu")};
  s.services = {service("api", 3, {"a", "b", "c"}),  // three zones: no cut of order <= 2
                service("db", 2, {"b", "c"}),
                service("auth", 2, {"d"}),
                service("cache", 4, {"c", "b"}),  // the same pair as db: listed once
                service("offline", 1, {"a"})};
  s.dependencies = {dependency("api", "db"), dependency("api", "auth"), dependency("api", "cache"),
                    dependency("api", "offline", DependencyKind::soft)};
  s.features = {feature("play", "api")};
  const auto a = analyse(s);
  const auto& f = feature_named(a, "play");
  CHECK(f.min_cut_sets == std::vector<Strings>{{"api"}, {"db"}, {"auth"}, {"cache"},
                                               {"zone:d"}, {"zone:b", "zone:c"}});
}

TEST_CASE("a zone pair that contains a single-zone cut is not minimal", "[graph][cuts]") {
  Scenario s = two_zone_scenario();
  s.services = {service("api", 2, {"a", "b"}), service("db", 1, {"a"})};
  s.dependencies = {dependency("api", "db")};
  s.features = {feature("play", "api")};
  CHECK(analyse(s).features[0].min_cut_sets == std::vector<Strings>{{"api"}, {"db"}, {"zone:a"}});
}
