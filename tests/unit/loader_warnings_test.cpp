// Warnings (issue 13, item 7): a scenario that loads but cannot do what it seems to says so, with the
// position of the key, and still loads; errors stay errors.
#include "io/loader.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace faultline;
using Catch::Contains;

namespace {

// One zone; "front" needs "back", "metrics" (a monitoring pipeline) needs "back" too, "logs" nothing.
const std::string kBase = R"(schema_version = 1
[scenario]
name = "warned"
duration = "1h"
[[zone]]
name = "eu-a"
region = "eu"
[[service]]
name = "front"
[[service]]
name = "back"
[[service]]
name = "metrics"
[[service]]
name = "logs"
[[dependency]]
from = "front"
to = "back"
[[dependency]]
from = "metrics"
to = "back"
[[feature]]
name = "play"
entry = "front"
share = 1
)";

struct Loaded {
  std::vector<Diagnostic> warnings;
  bool loaded = false;
};

Loaded load(const std::string& extra) {
  Loaded out;
  load_scenario_text(kBase + extra, "test.toml", {}, &out.warnings);
  out.loaded = true;
  return out;
}

std::vector<std::string> keys_and_messages(const std::vector<Diagnostic>& ds) {
  std::vector<std::string> out;
  for (const Diagnostic& d : ds) out.push_back(d.key + ": " + d.message);
  return out;
}

}  // namespace

TEST_CASE("a clean scenario has no warnings", "[loader][warnings]") {
  const Loaded l = load(R"(
[[monitor]]
name = "play-down"
metric = "feature.play.availability"
below = 0.99
depends_on = ["logs"]
[[action]]
name = "fix"
kind = "restart"
service = "back"
after = "detected"
delay = "10m"
)");
  CHECK(l.loaded);
  CHECK(l.warnings.empty());
}

TEST_CASE("an availability threshold outside 0..1 is always or never true", "[loader][warnings]") {
  const Loaded l = load(R"(
[[monitor]]
name = "always"
metric = "feature.play.availability"
below = 1.5
[[monitor]]
name = "never"
metric = "service.back.error_rate"
above = 2
[[monitor]]
name = "latency-is-fine"
metric = "service.back.p99_latency"
above = "2s"
)");
  const auto w = keys_and_messages(l.warnings);
  REQUIRE(w.size() == 2);
  CHECK_THAT(w[0], Contains("monitor.always.below") && Contains("always true") && Contains("fires at the first bucket"));
  CHECK_THAT(w[1], Contains("monitor.never.above") && Contains("never true") && Contains("never fires"));
  CHECK(l.warnings[0].warning);
  CHECK(l.warnings[0].line > 0);
  CHECK_THAT(l.warnings[0].format(), Contains("test.toml:") && Contains(": warning: monitor.always.below: "));
}

TEST_CASE("a monitor or an action that cannot act within the run is warned about", "[loader][warnings]") {
  const Loaded l = load(R"(
[[monitor]]
name = "slow"
metric = "feature.play.availability"
below = 0.9
for = "2h"
[[action]]
name = "late"
kind = "restart"
service = "back"
at = "50m"
delay = "15m"
[[action]]
name = "later"
kind = "restart"
service = "back"
after = "detected"
delay = "1h"
)");
  const auto w = keys_and_messages(l.warnings);
  REQUIRE(w.size() == 3);
  CHECK_THAT(w[0], Contains("monitor.slow.for") && Contains("never fires"));
  CHECK_THAT(w[1], Contains("action.late.delay") && Contains("after the end of the run") && Contains("never happens"));
  CHECK_THAT(w[2], Contains("action.later.delay") && Contains("never happens"));
}

TEST_CASE("a monitoring pipeline that needs the service it watches is warned about", "[loader][warnings]") {
  const Loaded l = load(R"(
[[monitor]]
name = "back-errors"
metric = "service.back.error_rate"
above = 0.05
depends_on = ["metrics"]
[[monitor]]
name = "play-down"
metric = "feature.play.availability"
below = 0.99
depends_on = ["front"]
[[monitor]]
name = "independent"
metric = "service.back.availability"
below = 0.99
depends_on = ["logs"]
)");
  const auto w = keys_and_messages(l.warnings);
  REQUIRE(w.size() == 2);
  CHECK_THAT(w[0], Contains("monitor.back-errors.depends_on") && Contains("metrics needs back") && Contains("cannot fire"));
  CHECK_THAT(w[1], Contains("monitor.play-down.depends_on") && Contains("is front, the service it watches"));
}

TEST_CASE("warnings do not hide errors, and errors carry no warnings", "[loader][warnings]") {
  std::vector<Diagnostic> warnings;
  try {
    load_scenario_text(kBase + "[[monitor]]\nname = \"m\"\nmetric = \"feature.play.availability\"\nbelow = 1.5\n"
                               "for = \"-1s\"\n",
                       "test.toml", {}, &warnings);
    FAIL("loaded");
  } catch (const ScenarioError& e) {
    for (const Diagnostic& d : e.diagnostics()) CHECK_FALSE(d.warning);
    CHECK_THAT(std::string(e.what()), Contains("monitor.m.for"));
  }
}
