// --set KEY=VALUE edits the TOML tree before validation: values are checked like the file's own,
// and mistakes are reported against `<--set>`.
#include "io/loader.hpp"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

const std::string kScenario = R"(schema_version = 1
[scenario]
name = "overrides"
[[zone]]
name = "eu-a"
region = "eu"
[[service]]
name = "auth"
[[service]]
name = "api.v2"
[[dependency]]
from = "api.v2"
to = "auth"
[[feature]]
name = "login"
entry = "api.v2"
share = 1
[[fault]]
name = "cp-outage"
kind = "service_crash"
target = "auth"
at = "10m"
)";

Scenario load(const Overrides& overrides) { return load_scenario_text(kScenario, "o.toml", overrides); }

std::vector<std::string> mistakes(const Overrides& overrides) {
  std::vector<std::string> out;
  try {
    load(overrides);
  } catch (const ScenarioError& e) {
    for (const Diagnostic& d : e.diagnostics()) out.push_back(d.format());
  }
  return out;
}

}  // namespace

TEST_CASE("overrides address tables, elements by name and elements by index", "[loader][overrides]") {
  const Scenario s = load({{"scenario.seed", "7"},
                           {"service.auth.replicas", "3"},
                           {"dependency[0].timeout", "\"2s\""},
                           {"fault.cp-outage.duration", "5m"},
                           {"traffic.rate", "50"}});
  CHECK(s.info.seed == 7);
  CHECK(s.find_service("auth")->replicas == 3);
  CHECK(s.dependencies[0].timeout == 2);
  CHECK(s.find_fault("cp-outage")->duration == 300);
  CHECK(s.traffic.rate == 50);  // [traffic] did not exist: it is created
}

TEST_CASE("overrides address a dependency by from->to", "[loader][overrides]") {
  // Names may hold dots: "api.v2->auth" is the dependency, "timeout" the key.
  const Scenario s = load({{"dependency.api.v2->auth.timeout", "2s"}, {"dependency.api.v2->auth.kind", "soft"}});
  CHECK(s.dependencies[0].timeout == 2);
  CHECK(s.dependencies[0].kind == DependencyKind::soft);
  CHECK(mistakes({{"dependency.auth->api.v2.timeout", "2s"}}) ==
        std::vector<std::string>{"<--set>: error: dependency.auth->api.v2.timeout: no dependency named 'auth->api'; "
                                 "known: api.v2->auth"});
}

TEST_CASE("an override value that is not TOML is taken as a string", "[loader][overrides]") {
  CHECK(load({{"scenario.duration", "2h"}}).info.duration == 7200);
  CHECK(load({{"scenario.duration", "\"2h\""}}).info.duration == 7200);
  CHECK(load({{"scenario.description", "a b c"}}).info.description == "a b c");
}

TEST_CASE("override values may be lists and tables", "[loader][overrides]") {
  const Scenario s = load({{"service.auth.zones", "[\"eu-a\"]"},
                           {"service.auth.service_time", "{ dist = \"exponential\", mean = \"3ms\" }"}});
  CHECK(s.find_service("auth")->zones == std::vector<std::string>{"eu-a"});
  CHECK(s.find_service("auth")->service_time.kind == Distribution::Kind::exponential);
}

TEST_CASE("element names may contain dots", "[loader][overrides]") {
  CHECK(load({{"service.api.v2.workers", "3"}}).find_service("api.v2")->workers == 3);
}

TEST_CASE("applied overrides are recorded for provenance, the later one wins", "[loader][overrides]") {
  const Scenario s = load({{"traffic.rate", "50"}, {"traffic.rate", "60"}, {"scenario.seed", "3"}});
  CHECK(s.traffic.rate == 60);
  CHECK(s.overrides == std::map<std::string, std::string>{{"traffic.rate", "60"}, {"scenario.seed", "3"}});
  CHECK(load({}).overrides.empty());
}

TEST_CASE("a bad override path is a diagnostic against <--set>", "[loader][overrides]") {
  CHECK(mistakes({{"service.paymnt.replicas", "2"}}) ==
        std::vector<std::string>{"<--set>: error: service.paymnt.replicas: no service named 'paymnt'; known: auth, api.v2"});
  CHECK(mistakes({{"dependency[4].timeout", "1s"}}) ==
        std::vector<std::string>{
            "<--set>: error: dependency[4].timeout: index 4 is out of range: there are 1 dependency entries"});
  CHECK(mistakes({{"scenario.name.x", "1"}}) ==
        std::vector<std::string>{"<--set>: error: scenario.name.x: 'scenario.name' is not a table"});
  CHECK(mistakes({{"service.auth", "1"}}) ==
        std::vector<std::string>{"<--set>: error: service.auth: 'service.auth' is a whole table; an override sets one value in it"});
}

TEST_CASE("an overridden value is checked like a written one and reported against <--set>", "[loader][overrides]") {
  CHECK(mistakes({{"service.auth.replicas", "0"}}) ==
        std::vector<std::string>{"<--set>: error: service.auth.replicas: must be at least 1, got 0"});
  // The list of known keys grows with the schema: check how it starts.
  auto unknown = mistakes({{"service.auth.wokers", "3"}});
  REQUIRE(unknown.size() == 1);
  CHECK_THAT(unknown[0], Catch::StartsWith("<--set>: error: service.auth.wokers: unknown key 'wokers'; known: name, "
                                           "replicas, zones, workers, queue, service_time, cpu, restart_time"));
  CHECK(mistakes({{"dependency[0].timeout", "30"}}) ==  // addressed by index, reported by name
        std::vector<std::string>{"<--set>: error: dependency.api.v2->auth.timeout: durations need a unit, e.g. \"30s\""});
}

TEST_CASE("override diagnostics come before those of the file", "[loader][overrides]") {
  std::vector<std::string> found;
  try {
    load_scenario_text(kScenario + "[[monitor]]\nname = \"m\"\nmetric = \"x\"\nbelow = 1\n", "o.toml",
                       {{"traffic.rate", "-1"}});
  } catch (const ScenarioError& e) {
    for (const Diagnostic& d : e.diagnostics()) found.push_back(d.format());
  }
  CHECK(found == std::vector<std::string>{
                     "<--set>: error: traffic.rate: must be greater than 0, got -1",
                     "o.toml:25:10: error: monitor.m.metric: unknown metric 'x'; known: feature.<f>.availability, "
                     "service.<s>.availability, service.<s>.error_rate, service.<s>.p50_latency, "
                     "service.<s>.p95_latency, service.<s>.p99_latency, service.<s>.queue, "
                     "service.<s>.replicas_serving"});
}
