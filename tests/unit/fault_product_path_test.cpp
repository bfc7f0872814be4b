// Every fault kind through the product path (the SimGrid kernel, in a forked run) gives the report
// the kernel-less runner gives: the plan's platform commands (hosts off and on, replicas killed and
// restarted, crash loops) mean the same to both kernels, and the network faults act in the model.
#include "io/loader.hpp"
#include "model/platform_model.hpp"
#include "report/json.hpp"
#include "simulation/simulation.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace faultline;

namespace {

const std::string kEveryKind = R"(schema_version = 1
[scenario]
name = "every-fault-kind"
duration = "40m"
bucket = "30s"
[[zone]]
name = "eu-a"
region = "eu"
hosts = 4
racks = 2
[[zone]]
name = "eu-b"
region = "eu"
hosts = 4
tags = ["flaky"]
[[zone]]
name = "us-a"
region = "us"
hosts = 4
[[service]]
name = "gateway"
replicas = 6
workers = 64
[[service]]
name = "playback"
replicas = 6
restart_time = "5s"
[[service]]
name = "auth"
replicas = 3
tags = ["identity"]
[[service]]
name = "discovery"
replicas = 3
[[dependency]]
from = "gateway"
to = "playback"
features = ["play"]
retry_policy = { num_retries = 1, per_try_timeout = "300ms", retry_on = ["5xx", "reset", "timeout"] }
[[dependency]]
from = "gateway"
to = "auth"
features = ["login"]
[[dependency]]
from = "playback"
to = "discovery"
kind = "control"
refresh = "10s"
[[feature]]
name = "play"
entry = "gateway"
share = 3
[[feature]]
name = "login"
entry = "gateway"
share = 1
[traffic]
rate = 30
sample_users = 5000
[client]
on_status = { UNAVAILABLE = "retry", UNAUTHENTICATED = "logout" }
relogin_feature = "login"
[[fault]]
name = "split"
kind = "partition"
target = "eu-a<->eu-b"
direction = "one_way"
at = "1m"
duration = "1m"
[[fault]]
name = "uplink"
kind = "link_down"
target = "us"
after = "split"
after_delay = "2m"
duration = "1m"
[[fault]]
name = "slow-link"
kind = "latency"
target = "eu<->us"
delay = { dist = "uniform", min = "20ms", max = "60ms" }
at = "5m"
duration = "2m"
[[fault]]
name = "lossy"
kind = "packet_loss"
target = "playback"
rate = 0.2
at = "8m"
duration = "2m"
[[fault]]
name = "cpu"
kind = "slowdown"
target = "eu-a/rack0"
factor = 5
at = "11m"
duration = "2m"
[[fault]]
name = "surge"
kind = "traffic_surge"
target = "login"
factor = 3
at = "14m"
duration = "2m"
[[fault]]
name = "bad-config"
kind = "config_rollout"
target = "playback"
mode = "percent"
value = 50
ramp = "1m"
crash_loop = true
crash_after = "15s"
at = "17m"
duration = "3m"
[[fault]]
name = "cert"
kind = "cert_expiry"
target = "tag:identity"
at = "21m"
duration = "1m"
[[fault]]
name = "dns"
kind = "dns_failure"
target = "discovery"
at = "23m"
duration = "2m"
[[fault]]
name = "skew"
kind = "clock_skew"
target = "gateway"
mode = "one"
skew = "10m"
checked_by = ["auth"]
at = "26m"
duration = "2m"
[[fault]]
name = "us-dark"
kind = "region_outage"
target = "us"
at = "29m"
every = "5m"
duration = "1m"
[[fault]]
name = "flaky-hosts"
kind = "host_crash"
target = "tag:flaky"
mttf = "20m"
mttr = "1m"
common_cause = { probability = 0.3 }
)";

std::string example(const std::string& name) { return std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/" + name + ".toml"; }

}  // namespace

TEST_CASE("every fault kind gives the same report through SimGrid as without it", "[fault][simulation]") {
  const Scenario s = load_scenario_text(kEveryKind, "every-fault-kind.toml");
  const Report kernel = simulate_isolated(s, 4);
  const Report direct = run_without_kernel(s, 4);
  CHECK(kernel.summary.requests.failed > 0);
  for (const Fault& f : s.faults) {
    INFO("fault " << f.name);
    CHECK(std::any_of(kernel.events.begin(), kernel.events.end(),
                      [&](const Event& e) { return e.kind == "fault_start" && e.name == f.name; }));
  }
  CHECK(report_to_json(kernel) == report_to_json(direct));
}

TEST_CASE("the fault examples give the same report through SimGrid as without it", "[fault][simulation]") {
  for (const char* name : {"bad-config-rollout", "cdn-certificate-expiry"}) {
    INFO(name);
    const Scenario s = load_scenario_file(example(name));
    CHECK(report_to_json(simulate_isolated(s, 9)) == report_to_json(run_without_kernel(s, 9)));
  }
}
