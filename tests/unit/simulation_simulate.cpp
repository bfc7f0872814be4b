// simulate / simulate_isolated with the real request-level model on top of the SimGrid kernel.
// Every run here goes through a child process: this test process never creates a SimGrid engine.
#include "io/loader.hpp"
#include "model/platform_model.hpp"
#include "report/json.hpp"
#include "scenario/errors.hpp"
#include "simulation/child_process.hpp"
#include "simulation/simulation.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace faultline;

namespace {

// Every platform command the model gives: a zone goes down and comes back, replicas are killed and
// restarted, a restart action kills and restarts a whole service, and a latency override across
// regions takes a bypass route.
const char* const kPlatformFaults = R"(
schema_version = 1
[scenario]
name = "platform-faults"
duration = "30m"
seed = 7
bucket = "10s"

[[zone]]
name = "eu-a"
region = "eu"
hosts = 3
[[zone]]
name = "eu-b"
region = "eu"
hosts = 3
[[zone]]
name = "us-a"
region = "us"
hosts = 3

[network]
intra_zone = "0.2ms"
inter_zone = "1ms"
inter_region = "70ms"

[[link]]
between = ["eu-b", "us-a"]
latency = "50ms"

[[service]]
name = "frontend"
replicas = 6
workers = 16
service_time = "2ms"
restart_time = "20s"

[[service]]
name = "backend"
replicas = 3
workers = 8
service_time = { dist = "exponential", mean = "5ms" }
restart_time = "45s"

[[dependency]]
from = "frontend"
to = "backend"
timeout = "300ms"
retry_policy = { num_retries = 2, per_try_timeout = "100ms" }

[[feature]]
name = "play"
entry = "frontend"
share = 1

[traffic]
rate = 40

[[fault]]
name = "eu-a-outage"
kind = "zone_outage"
target = "eu-a"
at = "5m"
duration = "4m"

[[fault]]
name = "backend-crash"
kind = "service_crash"
target = "backend"
mode = "fixed"
value = 2
at = "12m"
duration = "3m"

[[fault]]
name = "us-host"
kind = "host_crash"
target = "us-a-h1"
at = "18m"
duration = "90s"

[[action]]
name = "restart-frontend"
kind = "restart"
service = "frontend"
at = "22m"
)";

Scenario platform_faults() { return load_scenario_text(kPlatformFaults, "platform-faults.toml"); }

Scenario short_reference() {
  // The bundled outage, shortened and thinned to keep the test fast; the fault (at 1h) stays in.
  return load_scenario_file(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/spotify-2022-03-08.toml",
                            {{"scenario.duration", "\"80m\""}, {"traffic.rate", "20"}});
}

// Parked replicas (some on hosts that reboot), scaling in and out, a failover and a crash loop under
// a restart rate limit: the recovery machinery commands the platform too.
const char* kRecovery = R"(schema_version = 1
[scenario]
name = "recovery"
duration = "30m"
[[zone]]
name = "a"
region = "r"
hosts = 6
[[zone]]
name = "b"
region = "r"
hosts = 6
[[zone]]
name = "c"
region = "r"
hosts = 2
[[service]]
name = "api"
replicas = 3
zones = ["a", "b"]
restart_time = "20s"
autoscaling = { signal = "cpu", target = 0.5, min = 1, max = 6, interval = "30s", provisioning_delay = "40s", cooldown = "1m" }
[[service]]
name = "store"
replicas = 4
zones = ["a", "b"]
restart_time = "1m"
failover = { standby = ["b"], observer = "c", hold_down = "20s", delay = "30s" }
[[service]]
name = "worker"
replicas = 2
restart_time = "15s"
startup_requires = ["store"]
restart_policy = { backoff = "10s", max_backoff = "1m", max_restarts = 2, window = "2m" }
[[dependency]]
from = "api"
to = "store"
[[dependency]]
from = "api"
to = "worker"
kind = "soft"
[[feature]]
name = "f"
entry = "api"
share = 1
[traffic]
rate = 150
[[fault]]
name = "store-down"
kind = "service_crash"
target = "store"
at = "5m"
duration = "4m"
[[fault]]
name = "worker-down"
kind = "service_crash"
target = "worker"
at = "5m"
duration = "10s"
[[fault]]
name = "cut"
kind = "partition"
target = "a<->c"
at = "15m"
duration = "1m"
[[fault]]
name = "zone-b-down"
kind = "zone_outage"
target = "b"
at = "25m"
duration = "1m"
[[monitor]]
name = "f-down"
metric = "feature.f.availability"
below = 0.99
[incident]
acknowledge = { dist = "exponential", mean = "2m" }
diagnose = { dist = "lognormal", mean = "5m", stddev = "2m" }
status_update_every = "5m"
[[action]]
name = "more-api"
kind = "scale"
service = "api"
replicas = 5
at = "20m"
)";

Scenario recovery() { return load_scenario_text(kRecovery, "recovery.toml"); }

}  // namespace

TEST_CASE("the SimGrid kernel gives the same report as the kernel-less runner", "[simulation][simulate]") {
  // Both platforms realise the same network table and apply the model's commands at the times it
  // asks; with these latencies SimGrid's route sums are exact, so the reports match byte for byte.
  for (const Scenario& s : {platform_faults(), short_reference(), recovery()}) {
    INFO(s.info.name);
    const Report kernel = simulate_isolated(s, 11);
    const Report direct = run_without_kernel(s, 11);
    CHECK(kernel.summary.requests.requests > 10000);
    CHECK(kernel.summary.requests.failed > 0);  // the faults did something
    CHECK(report_to_json(kernel) == report_to_json(direct));
  }
}

TEST_CASE("the platform faults reach the model through SimGrid", "[simulation][simulate]") {
  const Report r = simulate_isolated(platform_faults(), 3);
  auto has_event = [&](const std::string& kind, const std::string& name, double t) {
    return std::any_of(r.events.begin(), r.events.end(),
                       [&](const Event& e) { return e.kind == kind && e.name == name && e.time == Approx(t); });
  };
  CHECK(has_event("fault_start", "eu-a-outage", 300));
  CHECK(has_event("fault_end", "eu-a-outage", 540));
  CHECK(has_event("fault_start", "backend-crash", 720));
  CHECK(has_event("fault_start", "us-host", 1080));
  auto& backend = *std::find_if(r.services.begin(), r.services.end(), [](const ServiceReport& s) { return s.name == "backend"; });
  CHECK(backend.errors[int(Cause::host_down)] > 0);
}

TEST_CASE("isolated runs repeat exactly and depend on the seed", "[simulation][simulate]") {
  const Scenario s = platform_faults();
  const std::string first = report_to_json(simulate_isolated(s, 5));
  CHECK(report_to_json(simulate_isolated(s, 5)) == first);
  CHECK(report_to_json(simulate_isolated(s, 6)) != first);
}

TEST_CASE("simulate_isolated reports progress up to the end", "[simulation][simulate]") {
  const Scenario s = platform_faults();
  std::vector<double> seen;
  SimulationOptions o;
  o.progress = [&](double t) { seen.push_back(t); };
  simulate_isolated(s, 1, o);
  REQUIRE(!seen.empty());
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  CHECK(seen.back() == s.info.duration);
}

TEST_CASE("simulate works once per process, simulate_isolated any number of times", "[simulation][simulate]") {
  const Scenario s = platform_faults();
  const std::string out = run_in_child_process([&](const ProgressSink&) {
    std::string log = std::to_string(simulate(s, 1).summary.requests.requests);
    try {
      simulate(s, 1);
      log += " second run allowed";
    } catch (const InternalError& e) {
      log += std::string(" second run refused: ") + e.what();
    }
    return log;
  });
  CHECK_THAT(out, Catch::Contains("second run refused") && Catch::Contains("simulate_isolated"));
  CHECK(out.substr(0, out.find(' ')) != "0");
}
