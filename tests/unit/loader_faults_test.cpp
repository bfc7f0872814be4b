// The loader on faults: which targets each kind takes (with the known names listed when one is
// unknown), when a fault happens (at, every, after, by chance), and the keys of each kind.
#include "io/loader.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace faultline;

namespace {

// Two zones in eu (eu-b with two racks and a tag), one in us; front -> back; a feature and a segment.
const std::string kPlatform = R"(schema_version = 1
[scenario]
name = "faults"
duration = "2h"
[[zone]]
name = "eu-a"
region = "eu"
hosts = 2
[[zone]]
name = "eu-b"
region = "eu"
hosts = 4
racks = 2
tags = ["edge"]
[[zone]]
name = "us-a"
region = "us"
[[service]]
name = "front"
tags = ["web"]
[[service]]
name = "back"
[[dependency]]
from = "front"
to = "back"
[[feature]]
name = "play"
entry = "front"
share = 1
[traffic]
[[traffic.segment]]
name = "business"
)";
constexpr int kFaultLine = 33;  // the line of the first [[fault]]

std::string with_fault(const std::string& keys) { return kPlatform + "[[fault]]\n" + keys; }

// The messages of the diagnostics (positions are pinned in scenarios/invalid/).
std::vector<std::string> messages(const std::string& text) {
  std::vector<std::string> out;
  try {
    load_scenario_text(text, "test.toml");
  } catch (const ScenarioError& e) {
    for (const Diagnostic& d : e.diagnostics()) out.push_back(d.key + ": " + d.message);
  }
  return out;
}

bool loads(const std::string& text) { return messages(text).empty(); }

std::string fault(const std::string& kind, const std::string& target, const std::string& more = "at = \"1m\"\n") {
  return with_fault("kind = \"" + kind + "\"\ntarget = \"" + target + "\"\n" + more);
}

}  // namespace

TEST_CASE("each kind of fault takes its own kinds of target", "[loader][faults]") {
  CHECK(loads(fault("host_crash", "eu-b/rack1")));
  CHECK(loads(fault("host_crash", "tag:edge")));
  CHECK(loads(fault("host_crash", "us")));
  CHECK(loads(fault("service_crash", "tag:web")));
  CHECK(loads(fault("region_outage", "us")));
  CHECK(loads(fault("partition", "eu-a<->eu-b")));
  CHECK(loads(fault("partition", "eu<->us")));
  CHECK(loads(fault("link_down", "eu-b")));
  CHECK(loads(fault("latency", "eu<->us", "at = \"1m\"\ndelay = \"10ms\"\n")));
  CHECK(loads(fault("packet_loss", "front->back", "at = \"1m\"\nrate = 0.1\n")));
  CHECK(loads(fault("slowdown", "eu-a-h1", "at = \"1m\"\nfactor = 2\n")));
  CHECK(loads(fault("traffic_surge", "business", "at = \"1m\"\nfactor = 2\n")));
  CHECK(loads(fault("traffic_surge", "play", "at = \"1m\"\nfactor = 2\n")));
  CHECK(loads(fault("dns_failure", "back")));
  CHECK(loads(fault("clock_skew", "eu-b/rack0", "at = \"1m\"\nskew = \"10m\"\n")));

  CHECK(messages(fault("region_outage", "eu-a")) ==
        std::vector<std::string>{"fault[0].target: kind = \"region_outage\" does not take a zone ('eu-a' is one); "
                                 "it takes a region"});
  CHECK(messages(fault("region_outage", "asia")) ==
        std::vector<std::string>{"fault[0].target: unknown region 'asia'; known: eu, us"});
  CHECK(messages(fault("zone_outage", "tag:edge")) ==
        std::vector<std::string>{"fault[0].target: kind = \"zone_outage\" does not take a tag; it takes a zone"});
  CHECK(messages(fault("error_rate", "eu-a<->eu-b")) ==
        std::vector<std::string>{"fault[0].target: kind = \"error_rate\" does not take a link; it takes a service, "
                                 "tag:<t> or a dependency (from->to)"});
  CHECK(messages(fault("traffic_surge", "nobody", "at = \"1m\"\nfactor = 2\n")) ==
        std::vector<std::string>{"fault[0].target: unknown target 'nobody': not a region, a feature or a segment; "
                                 "regions: eu, us; features: play; segments: business"});
  CHECK(messages(fault("partition", "eu-a<->us")) ==
        std::vector<std::string>{"fault[0].target: links join two zones or two regions, not a zone and a region"});
  CHECK(messages(fault("partition", "eu<->eu")) ==
        std::vector<std::string>{"fault[0].target: a link joins two different ends, got 'eu' twice"});
  CHECK(messages(fault("host_crash", "eu-a/rack0")) ==
        std::vector<std::string>{"fault[0].target: zone 'eu-a' has no racks (give it racks = N)"});
  CHECK(messages(fault("host_crash", "eu-b/rack2")) ==
        std::vector<std::string>{"fault[0].target: zone 'eu-b' has 2 racks: eu-b/rack0 .. eu-b/rack1"});
  CHECK(messages(fault("host_crash", "tag:db")) ==
        std::vector<std::string>{"fault[0].target: unknown tag 'db'; known: edge, web"});
  CHECK(messages(fault("slowdown", "eu-a-h2", "at = \"1m\"\nfactor = 2\n")) ==
        std::vector<std::string>{"fault[0].target: zone 'eu-a' has 2 hosts: eu-a-h0 .. eu-a-h1"});
}

TEST_CASE("a fault happens at a time, repeatedly, after another, or by chance: one of them", "[loader][faults]") {
  CHECK(loads(fault("host_crash", "eu-a", "at = \"10m\"\nevery = \"30m\"\nduration = \"5m\"\n")));
  CHECK(loads(fault("host_crash", "eu-a", "mttf = \"1d\"\nmttr = \"1h\"\n")));
  CHECK(loads(fault("host_crash", "eu-a", "failure = { dist = \"weibull\", shape = 1.5, scale = \"1d\" }\nrepair = \"30m\"\n")));

  CHECK(messages(fault("host_crash", "eu-a", "")) ==
        std::vector<std::string>{"fault[0].at: missing 'at' (or 'after' another fault, or 'mttf'/'failure' for a "
                                 "fault that happens by chance)"});
  CHECK(messages(fault("host_crash", "eu-a", "at = \"1m\"\nmttf = \"1d\"\nmttr = \"1h\"\n")) ==
        std::vector<std::string>{"fault[0].mttf: 'mttf' makes the fault happen by chance: leave out 'at'"});
  CHECK(messages(fault("host_crash", "eu-a", "mttf = \"1d\"\nfailure = \"1d\"\nmttr = \"1h\"\n")) ==
        std::vector<std::string>{"fault[0].failure: give either 'mttf' or 'failure', not both"});
  CHECK(messages(fault("host_crash", "eu-a", "mttf = \"1d\"\nmttr = \"1h\"\nduration = \"1h\"\n")) ==
        std::vector<std::string>{"fault[0].duration: a fault that happens by chance lasts its repair time: use "
                                 "'mttr' or 'repair'"});
  CHECK(messages(fault("host_crash", "eu-a", "at = \"1m\"\nevery = \"10m\"\nduration = \"20m\"\n")) ==
        std::vector<std::string>{"fault[0].duration: must be at most every (10m), got \"20m\""});
  CHECK(messages(fault("host_crash", "eu-a", "at = \"1m\"\ncommon_cause = { probability = 0.5 }\n")) ==
        std::vector<std::string>{"fault[0].common_cause: 'common_cause' applies only to faults with 'mttf' or "
                                 "'failure'"});
  CHECK(messages(fault("config_rollout", "front", "mttf = \"1d\"\nmttr = \"1h\"\nramp = \"1m\"\n")) ==
        std::vector<std::string>{"fault[0].mttf: a config rollout happens at a time ('at' or 'after'), not by chance"});
  CHECK(messages(fault("host_crash", "eu-a", "after = \"ghost\"\n")) ==
        std::vector<std::string>{"fault[0].after: unknown fault 'ghost'; known: fault[0]"});
  CHECK(messages(with_fault("name = \"me\"\nkind = \"host_crash\"\ntarget = \"eu-a\"\nafter = \"me\"\n")) ==
        std::vector<std::string>{"fault.me.after: a fault cannot start after itself ('me')"});
}

TEST_CASE("the keys of one kind of fault are mistakes on another", "[loader][faults]") {
  CHECK(messages(fault("host_crash", "eu-a", "at = \"1m\"\nfactor = 2\nramp = \"1m\"\n")) ==
        std::vector<std::string>{
            "fault[0].factor: 'factor' applies only to kind = \"slowdown\", \"traffic_surge\", \"link_capacity\", "
                           "\"slow_disk\" or \"limit_lowered\"",
            "fault[0].ramp: 'ramp' applies only to kind = \"config_rollout\""});
  CHECK(messages(fault("config_rollout", "front", "at = \"1m\"\nramp = \"1m\"\ncrash_loop = true\nrate = 0.5\n")) ==
        std::vector<std::string>{"fault[0].rate: 'rate' applies only to kind = \"error_rate\", \"packet_loss\" or "
                                 "\"config_rollout\" without crash_loop"});
  CHECK(messages(fault("slowdown", "front")) == std::vector<std::string>{"fault[0].factor: missing required key 'factor'"});
  CHECK(messages(fault("clock_skew", "front", "at = \"1m\"\nskew = \"1m\"\nchecked_by = [\"nobody\"]\n")) ==
        std::vector<std::string>{"fault[0].checked_by[0]: unknown service 'nobody'; known: front, back"});
  CHECK(messages(fault("partition", "eu-a", "at = \"1m\"\ndirection = \"sideways\"\n")) ==
        std::vector<std::string>{"fault[0].direction: unknown direction 'sideways'; known: both, one_way"});
  std::string too_many_racks = kPlatform;
  too_many_racks.replace(too_many_racks.find("racks = 2"), 9, "racks = 5");
  CHECK(messages(too_many_racks) == std::vector<std::string>{"zone.eu-b.racks: must be at most hosts (4), got 5"});
}

TEST_CASE("a fault's diagnostics point at the fault's lines", "[loader][faults]") {
  try {
    load_scenario_text(fault("zone_outage", "eu-z"), "test.toml");
    FAIL("loaded");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].line == kFaultLine + 2);  // its target
    CHECK(e.diagnostics()[0].column == 10);
  }
}
