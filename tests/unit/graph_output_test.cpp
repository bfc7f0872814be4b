// What `faultline graph` shows: the text report and the Graphviz export.
#include "graph/dependency_graph.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace faultline;
using Strings = std::vector<std::string>;

namespace {

Scenario streaming_platform() {
  Scenario s;
  s.info.name = "streaming";
  auto add_zone = [&](std::string name, std::string region) {
    Zone z;
    z.name = std::move(name);
    z.region = std::move(region);
    s.zones.push_back(z);
  };
  add_zone("eu-1a", "eu");
  add_zone("eu-1b", "eu");
  add_zone("us-1a", "us");
  auto add_service = [&](std::string name, int replicas, Strings zones) {
    Service svc;
    svc.name = std::move(name);
    svc.replicas = replicas;
    svc.zones = std::move(zones);
    s.services.push_back(svc);
  };
  add_service("edge", 3, {});  // one replica in each zone
  add_service("playback", 2, {"eu-1a", "eu-1b"});
  add_service("auth", 1, {"eu-1a"});
  add_service("discovery", 2, {"us-1a"});
  add_service("recs", 2, {"eu-1a", "us-1a"});
  auto add_dependency = [&](std::string from, std::string to, DependencyKind kind, Strings features = {},
                            bool fail_static = true) {
    Dependency d;
    d.from = std::move(from);
    d.to = std::move(to);
    d.kind = kind;
    d.features = std::move(features);
    d.fail_static = fail_static;
    s.dependencies.push_back(d);
  };
  add_dependency("edge", "playback", DependencyKind::hard, {"play"});
  add_dependency("edge", "auth", DependencyKind::hard);
  add_dependency("playback", "discovery", DependencyKind::control, {}, false);
  add_dependency("edge", "recs", DependencyKind::soft);
  add_dependency("recs", "discovery", DependencyKind::control);
  auto add_feature = [&](std::string name, std::string entry) {
    Feature f;
    f.name = std::move(name);
    f.entry = std::move(entry);
    s.features.push_back(f);
  };
  add_feature("play", "edge");
  add_feature("login", "auth");
  return s;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The lexical shape of DOT: strings closed (with backslash escapes), braces balanced outside
// strings and never closing more than opened.
bool lexically_plausible_dot(const std::string& dot) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < dot.size(); ++i) {
    char c = dot[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (--depth < 0) return false;
    }
  }
  return depth == 0 && !in_string;
}

}  // namespace

TEST_CASE("the text report lists each feature, then the blast radius table", "[graph][text]") {
  const Scenario s = streaming_platform();
  const std::string expected =
      "feature play (entry: edge)\n"
      "  hard dependencies         edge, playback, auth, discovery\n"
      "  single points of failure  playback   one region (eu)\n"
      "                            auth       one replica, one zone (eu-1a), one region (eu)\n"
      "                            discovery  one zone (us-1a), one region (us)\n"
      "  zone cut sets             {eu-1a}  {us-1a}\n"
      "\n"
      "feature login (entry: auth)\n"
      "  hard dependencies         auth\n"
      "  single points of failure  auth  one replica, one zone (eu-1a), one region (eu)\n"
      "  zone cut sets             {eu-1a}\n"
      "\n"
      "blast radius\n"
      "  service    features lost  fails with it (upstream)\n"
      "  edge       play           -\n"
      "  playback   play           edge\n"
      "  auth       play, login    edge\n"
      "  discovery  play           edge, playback\n"
      "  recs       -              -\n";
  CHECK(graph::format_analysis(graph::analyse(s)) == expected);
}

TEST_CASE("the text report says none rather than leaving a blank", "[graph][text]") {
  Scenario s = streaming_platform();
  s.services[0].zones = {};  // edge stays over three zones in two regions
  s.features = {s.features[0]};
  s.features[0].entry = "edge";
  s.dependencies.clear();
  const std::string text = graph::format_analysis(graph::analyse(s));
  CHECK(contains(text, "  single points of failure  none\n"));
  CHECK(contains(text, "  zone cut sets             none"));
}

TEST_CASE("the DOT export draws every service and dependency, styled by kind", "[graph][dot]") {
  const Scenario s = streaming_platform();
  const std::string dot = graph::to_dot(s, graph::analyse(s));
  CHECK(dot.rfind("digraph \"streaming\" {\n", 0) == 0);
  CHECK(lexically_plausible_dot(dot));
  for (const Service& svc : s.services) CHECK(contains(dot, "\"" + svc.name + "\" [label=\"" + svc.name + "\\n"));
  CHECK(contains(dot, "\"edge\" -> \"playback\" [style=solid, label=\"play\"];"));
  CHECK(contains(dot, "\"edge\" -> \"auth\" [style=solid];"));
  CHECK(contains(dot, "\"edge\" -> \"recs\" [style=dashed];"));
  CHECK(contains(dot, "\"playback\" -> \"discovery\" [style=dotted, label=\"no fail_static\"];"));
  CHECK(contains(dot, "\"recs\" -> \"discovery\" [style=dotted];"));
}

TEST_CASE("the DOT export highlights single points of failure and labels placement", "[graph][dot]") {
  const Scenario s = streaming_platform();
  const std::string dot = graph::to_dot(s, graph::analyse(s));
  CHECK(contains(dot, "\"auth\" [label=\"auth\\n1 replica\\neu-1a\", color=red"));
  CHECK(contains(dot, "\"edge\" [label=\"edge\\n3 replicas\\neu-1a, eu-1b, us-1a\"];"));
  // recs is one replica per region, and only a soft dependency anyway.
  CHECK(contains(dot, "\"recs\" [label=\"recs\\n2 replicas\\neu-1a, us-1a\"];"));
}

TEST_CASE("the DOT export groups single-region services into region clusters", "[graph][dot]") {
  Scenario s = streaming_platform();
  std::string dot = graph::to_dot(s, graph::analyse(s));
  const auto eu = dot.find("subgraph \"cluster_eu\" {");
  const auto us = dot.find("subgraph \"cluster_us\" {");
  REQUIRE(eu != std::string::npos);
  REQUIRE(us != std::string::npos);
  CHECK(dot.find("\"auth\" [") > eu);
  CHECK(dot.find("\"auth\" [") < us);
  CHECK(dot.find("\"discovery\" [") > us);

  for (Zone& z : s.zones) z.region = "eu";
  dot = graph::to_dot(s, graph::analyse(s));
  CHECK_FALSE(contains(dot, "subgraph"));
}

TEST_CASE("the DOT export escapes names", "[graph][dot]") {
  Scenario s = streaming_platform();
  s.services[2].name = "au\"th\\x";
  s.dependencies[1].to = s.services[2].name;
  s.features[1].entry = s.services[2].name;
  const std::string dot = graph::to_dot(s, graph::analyse(s));
  CHECK(lexically_plausible_dot(dot));
  CHECK(contains(dot, "\"edge\" -> \"au\\\"th\\\\x\" [style=solid];"));
}
