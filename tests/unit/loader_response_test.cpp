// The keys of recovery and incident response (restart policies, autoscaling, failover, monitoring
// pipelines, responders' tooling and status page, the actions beyond rollback) are checked against the
// rest of the scenario: names must exist, ranges must hold the service's replicas, keys must fit the kind.
#include "io/loader.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace faultline;

namespace {

// Two zones in two regions; "back" runs in both, "front" calls it.
const std::string kBase = R"(schema_version = 1
[scenario]
name = "response"
[[zone]]
name = "eu-a"
region = "eu"
[[zone]]
name = "us-a"
region = "us"
[[service]]
name = "front"
zones = ["eu-a"]
[[service]]
name = "back"
replicas = 2
[[dependency]]
from = "front"
to = "back"
[[feature]]
name = "play"
entry = "front"
share = 1
)";

// kBase with the service "back" given extra lines.
std::string with_back(const std::string& lines) {
  std::string text = kBase;
  const std::string anchor = "replicas = 2\n";
  text.insert(text.find(anchor) + anchor.size(), lines);
  return text;
}

// "key: message" of each diagnostic of a text that must not load.
std::vector<std::string> mistakes(const std::string& text) {
  std::vector<std::string> out;
  try {
    load_scenario_text(text, "test.toml");
    FAIL("the scenario loaded without errors");
  } catch (const ScenarioError& e) {
    for (const Diagnostic& d : e.diagnostics()) out.push_back(d.key + ": " + d.message);
  }
  return out;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("startup requirements name other services", "[loader][response]") {
  CHECK(load_scenario_text(with_back("startup_requires = [\"front\"]\n"), "t.toml").services[1].startup_requires ==
        Lines{"front"});
  CHECK(mistakes(with_back("startup_requires = [\"back\", \"bakc\"]\n")) ==
        Lines{"service.back.startup_requires[0]: a service cannot require itself ('back')",
              "service.back.startup_requires[1]: unknown service 'bakc'; known: front, back"});
}

TEST_CASE("a restart back-off cap is at least the back-off", "[loader][response]") {
  CHECK(mistakes(with_back("restart_policy = { backoff = \"2m\", max_backoff = \"1m\" }\n")) ==
        Lines{"service.back.restart_policy.max_backoff: must be at least backoff (2m), got \"1m\""});
  CHECK(mistakes(with_back("restart_policy = { backoff = \"10m\" }\n")) ==
        Lines{"service.back.restart_policy.backoff: must be at most max_backoff (5m, the default), got \"10m\""});
  CHECK(mistakes(with_back("restart_policy = { window = \"0s\" }\n")) ==
        Lines{"service.back.restart_policy.window: must be greater than 0s, got \"0s\""});
}

TEST_CASE("an autoscaling range holds the service's replicas", "[loader][response]") {
  CHECK(mistakes(with_back("autoscaling = { min = 1 }\n")) ==
        Lines{"service.back.autoscaling.max: missing required key 'max'"});
  CHECK(mistakes(with_back("autoscaling = { max = 1 }\n")) ==
        Lines{"service.back.autoscaling.max: must be at least the service's replicas (2), got 1"});
  CHECK(mistakes(with_back("autoscaling = { min = 3, max = 5 }\n")) ==
        Lines{"service.back.autoscaling.min: must be at most the service's replicas (2), got 3"});
  CHECK(mistakes(with_back("autoscaling = { min = 4, max = 3 }\n")) ==
        Lines{"service.back.autoscaling.max: must be at least min (4), got 3"});
  CHECK(mistakes(with_back("autoscaling = { max = 4, target = 1.5 }\n")) ==
        Lines{"service.back.autoscaling.target: with signal = \"cpu\" the target is a busy share of the workers: at "
              "most 1, got 1.5"});
  const Scenario queue = load_scenario_text(with_back("autoscaling = { max = 4, signal = \"queue\", target = 12 }\n"), "t.toml");
  CHECK(queue.services[1].autoscaling.signal == ScalingSignal::queue);
  CHECK(queue.services[1].autoscaling.target == 12);
}

TEST_CASE("failover stands by in some of the service's zones and observes from a known one", "[loader][response]") {
  CHECK(mistakes(with_back("failover = { standby = [\"eu-a\", \"us-a\"], observer = \"eu-a\" }\n")) ==
        Lines{"service.back.failover.standby: leaves no active zone: every zone of 'back' stands by; leave at least one "
              "out"});
  CHECK(mistakes(with_back("failover = { standby = [\"ap-a\"], observer = \"ap-b\" }\n")) ==
        Lines{"service.back.failover.standby[0]: unknown zone 'ap-a'; known: eu-a, us-a",
              "service.back.failover.observer: unknown zone 'ap-b'; known: eu-a, us-a"});
  CHECK(mistakes(kBase + "[[service]]\nname = \"db\"\nzones = [\"eu-a\"]\n"
                         "failover = { standby = [\"us-a\"], observer = \"eu-a\" }\n") ==
        Lines{"service.db.failover.standby[0]: zone 'us-a' holds no replicas of 'db'; its zones: eu-a"});
  CHECK(mistakes(with_back("failover = { standby = [], observer = \"eu-a\" }\n")) ==
        Lines{"service.back.failover.standby: must not be empty"});
}

TEST_CASE("a zone listed more than once weighs a service's placement", "[loader][response]") {
  const std::string weighted = "zones = [\"eu-a\", \"eu-a\", \"us-a\"]\n";
  const Scenario s = load_scenario_text(
      with_back(weighted + "failover = { standby = [\"us-a\"], observer = \"eu-a\" }\n"), "t.toml");
  CHECK(s.services[1].zones == Lines{"eu-a", "eu-a", "us-a"});
  CHECK(mistakes(with_back(weighted + "failover = { standby = [\"us-a\", \"eu-a\"], observer = \"eu-a\" }\n")) ==
        Lines{"service.back.failover.standby: leaves no active zone: every zone of 'back' stands by; leave at least one "
              "out"});
  CHECK(mistakes(with_back("zones = [\"eu-a\", \"eu-a\"]\nfailover = { standby = [\"us-a\"], observer = \"eu-a\" }\n")) ==
        Lines{"service.back.failover.standby[0]: zone 'us-a' holds no replicas of 'back'; its zones: eu-a"});
  // Other name lists still take each name once.
  CHECK(mistakes(with_back("startup_requires = [\"front\", \"front\"]\n")) ==
        Lines{"service.back.startup_requires[1]: 'front' is listed twice"});
}

TEST_CASE("monitors take every service metric and a monitoring pipeline", "[loader][response]") {
  std::string text = kBase;
  for (const char* metric : {"availability", "error_rate", "p50_latency", "p95_latency", "p99_latency", "queue",
                             "replicas_serving"})
    text += std::string("[[monitor]]\nname = \"") + metric + "\"\nmetric = \"service.back." + metric +
            "\"\nabove = 1\ndepends_on = [\"front\"]\n";
  const Scenario s = load_scenario_text(text, "t.toml");
  REQUIRE(s.monitors.size() == 7);
  CHECK(s.monitors[6].metric == "service.back.replicas_serving");
  CHECK(s.monitors[6].depends_on == Lines{"front"});

  CHECK(mistakes(kBase + "[[monitor]]\nname = \"m\"\nmetric = \"service.back.p95_latency\"\nabove = \"200ms\"\n"
                         "depends_on = [\"prometheus\"]\n") ==
        Lines{"monitor.m.depends_on[0]: unknown service 'prometheus'; known: front, back"});
  CHECK(mistakes(kBase + "[[monitor]]\nname = \"m\"\nmetric = \"service.back.p90_latency\"\nabove = 1\n") ==
        Lines{"monitor.m.metric: unknown metric 'service.back.p90_latency'; known: feature.<f>.availability, "
              "service.<s>.availability, service.<s>.error_rate, service.<s>.p50_latency, service.<s>.p95_latency, "
              "service.<s>.p99_latency, service.<s>.queue, service.<s>.replicas_serving"});
}

TEST_CASE("a monitor's latency threshold may be a duration for every latency percentile", "[loader][response]") {
  const Scenario s = load_scenario_text(
      kBase + "[[monitor]]\nname = \"m\"\nmetric = \"service.back.p50_latency\"\nabove = \"250ms\"\n", "t.toml");
  CHECK(s.monitors[0].threshold == 0.25);
}

TEST_CASE("the incident's tooling and status page run on known services", "[loader][response]") {
  CHECK(mistakes(kBase + "[incident]\ntooling = [\"grafana\"]\nstatus_page = \"statuspage\"\n") ==
        Lines{"incident.tooling[0]: unknown service 'grafana'; known: front, back",
              "incident.status_page: unknown service 'statuspage'; known: front, back"});
  CHECK(mistakes(kBase + "[incident]\nstatus_page_fallback = \"10m\"\n") ==
        Lines{"incident.status_page_fallback: 'status_page_fallback' applies only to incidents with a status_page"});
  CHECK(mistakes(kBase + "[incident]\ntooling_down_speed = 1.5\nstatus_update_every = \"0s\"\n") ==
        Lines{"incident.tooling_down_speed: must be at most 1, got 1.5",
              "incident.status_update_every: must be greater than 0s, got \"0s\""});
  CHECK(mistakes(kBase + "[incident]\nacknowledge = { dist = \"exponential\", mean = \"0s\" }\n") ==
        Lines{"incident.acknowledge.mean: must be greater than 0s for dist = \"exponential\""});
}

TEST_CASE("a failover action makes active a zone or region holding the service", "[loader][response]") {
  const std::string action = "[[action]]\nkind = \"failover\"\nservice = \"back\"\nat = \"1m\"\n";
  CHECK(load_scenario_text(kBase + action + "to = \"us\"\n", "t.toml").actions[0].to == "us");
  CHECK(load_scenario_text(kBase + action + "to = \"eu-a\"\n", "t.toml").actions[0].to == "eu-a");
  CHECK(mistakes(kBase + action) == Lines{"action[0].to: missing required key 'to'"});
  CHECK(mistakes(kBase + action + "to = \"ap\"\n") ==
        Lines{"action[0].to: unknown zone or region 'ap'; zones: eu-a, us-a; regions: eu, us"});
  CHECK(mistakes(kBase + "[[action]]\nkind = \"failover\"\nservice = \"front\"\nat = \"1m\"\nto = \"us\"\n") ==
        Lines{"action[0].to: region 'us' holds no replicas of 'front'; its zones: eu-a; its regions: eu"});
}

TEST_CASE("a scale action reaches at most the replicas a service has", "[loader][response]") {
  const std::string scale = "[[action]]\nkind = \"scale\"\nservice = \"back\"\nat = \"1m\"\n";
  CHECK(mistakes(kBase + scale + "replicas = 3\n") ==
        Lines{"action[0].replicas: must be at most the replicas of 'back' (2), got 3: the extra capacity a service "
              "can get is its parked replicas, and without autoscaling it has none"});
  CHECK(load_scenario_text(with_back("autoscaling = { max = 6 }\n") + scale + "replicas = 6\n", "t.toml")
            .actions[0]
            .replicas == 6);
  CHECK(mistakes(with_back("autoscaling = { max = 6 }\n") + scale + "replicas = 7\n") ==
        Lines{"action[0].replicas: must be at most the autoscaling max of 'back' (6), got 7: the extra capacity a "
              "service can get is its parked replicas"});
  CHECK(mistakes(kBase + scale) == Lines{"action[0].replicas: missing required key 'replicas'"});
}

TEST_CASE("a kill switch turns off one known feature or dependency", "[loader][response]") {
  const std::string kill = "[[action]]\nkind = \"kill_switch\"\nat = \"1m\"\n";
  CHECK(mistakes(kBase + kill) == Lines{"action[0].feature: missing 'feature' or 'dependency' (exactly one is required)"});
  CHECK(mistakes(kBase + kill + "feature = \"search\"\n") ==
        Lines{"action[0].feature: unknown feature 'search'; known: play"});
  CHECK(mistakes(kBase + kill + "dependency = \"back->front\"\n") ==
        Lines{"action[0].dependency: unknown dependency 'back->front'; known: front->back"});
  CHECK(mistakes(kBase + kill + "dependency = \"back\"\n") ==
        Lines{"action[0].dependency: expected a dependency written from->to, got \"back\""});
}

TEST_CASE("load shedding and admission take bounded shares", "[loader][response]") {
  CHECK(mistakes(kBase + "[[action]]\nkind = \"shed_load\"\nservice = \"back\"\nat = \"1m\"\nfraction = 0\n") ==
        Lines{"action[0].fraction: must be greater than 0, got 0"});
  CHECK(mistakes(kBase + "[[action]]\nkind = \"shed_load\"\nservice = \"back\"\nat = \"1m\"\n") ==
        Lines{"action[0].fraction: missing required key 'fraction'"});
  CHECK(mistakes(kBase + "[[action]]\nkind = \"admit\"\nat = \"1m\"\nstep = 2\nfeatures = [\"search\"]\n") ==
        Lines{"action[0].step: must be at most 1, got 2", "action[0].features[0]: unknown feature 'search'; known: play"});
}

TEST_CASE("a rollback goes in batches only where its fault has replicas or hosts", "[loader][response]") {
  const std::string rollback = "[[action]]\nkind = \"rollback\"\nfault = \"bad\"\nat = \"2m\"\nbatch = 1\ninterval = \"1m\"\n";
  const std::string fault = "[[fault]]\nname = \"bad\"\nat = \"1m\"\n";
  CHECK_NOTHROW(load_scenario_text(kBase + fault + "kind = \"error_rate\"\ntarget = \"back\"\n" + rollback, "test.toml"));
  CHECK_NOTHROW(load_scenario_text(kBase + fault + "kind = \"host_crash\"\ntarget = \"back\"\n" + rollback + "by = \"zone\"\n",
                                   "test.toml"));
  CHECK(mistakes(kBase + fault + "kind = \"error_rate\"\ntarget = \"front->back\"\n" + rollback) ==
        Lines{"action[0].batch: 'bad' (error_rate on 'front->back') hits no replicas or hosts one by one: its "
              "rollback goes at once (drop 'batch')"});
  CHECK(mistakes(kBase + "[[action]]\nkind = \"restart\"\nservice = \"back\"\nat = \"1m\"\nby = \"zone\"\n") ==
        Lines{"action[0].by: 'by' applies only to kind = \"switch_dependency\", \"rollback\" or \"failover\""});
}

TEST_CASE("a fault's scope names segments and shares, on the kinds that hit users' calls", "[loader][response]") {
  const std::string fault = "[[fault]]\nname = \"bad\"\nat = \"1m\"\ntarget = \"back\"\n";
  CHECK(mistakes(kBase + fault + "kind = \"error_rate\"\nscope = { segments = [\"tv\"], users = 1.5 }\n") ==
        Lines{"fault.bad.scope.segments[0]: unknown segment 'tv'; known: (none)",
              "fault.bad.scope.users: must be at most 1, got 1.5"});
  CHECK(mistakes(kBase + fault + "kind = \"error_rate\"\nscope = { tenants = 0.5 }\n") ==
        Lines{"fault.bad.scope.tenants: users belong to no tenant: give traffic.tenants to scope a fault by tenant"});
  CHECK(mistakes(kBase + fault + "kind = \"error_rate\"\nscope = {}\n") ==
        Lines{"fault.bad.scope: an empty scope hits every user: give `segments`, `users` or `tenants` (or drop 'scope')"});
  CHECK(mistakes(kBase + fault + "kind = \"service_crash\"\nscope = { users = 0.5 }\n") ==
        Lines{"fault.bad.scope: 'scope' applies only to kind = \"error_rate\", \"latency\", \"slowdown\" or "
              "\"config_rollout\" without crash_loop"});
  CHECK_NOTHROW(load_scenario_text(kBase + fault + "kind = \"latency\"\ndelay = { dist = \"constant\", mean = \"1s\" }\n"
                                   "scope = { users = 0.5 }\n", "test.toml"));
}

TEST_CASE("an action's keys must belong to its kind", "[loader][response]") {
  CHECK(mistakes(kBase + "[[action]]\nkind = \"admit\"\nat = \"1m\"\nservice = \"back\"\nduration = \"5m\"\n"
                         "batch = 1\nreplicas = 2\nto = \"eu\"\n") ==
        Lines{"action[0].service: 'service' applies only to kind = \"restart\", \"failover\", \"shed_load\" or \"scale\"",
              "action[0].duration: 'duration' applies only to kind = \"shed_load\" or \"kill_switch\"",
              "action[0].batch: 'batch' applies only to kind = \"restart\", \"switch_dependency\", \"rollback\" or "
              "\"failover\"",
              "action[0].replicas: 'replicas' applies only to kind = \"scale\"",
              "action[0].to: 'to' applies only to kind = \"switch_dependency\" or \"failover\""});
  CHECK(mistakes(kBase + "[[action]]\nkind = \"restart\"\nservice = \"back\"\nat = \"1m\"\nstep = 0.5\n"
                         "feature = \"play\"\n") ==
        Lines{"action[0].step: 'step' applies only to kind = \"admit\"",
              "action[0].feature: 'feature' applies only to kind = \"kill_switch\""});
}
