// [[expect]] and the SLOs as checks of a run (issue 13, the CI gate): each judged on the run's own
// per-run metrics, in the report whatever --check says.
#include "io/loader.hpp"
#include "metrics/expectations.hpp"
#include "model/platform_model.hpp"
#include "report/number_text.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace faultline;
using namespace faultline::testing;
using Catch::Contains;

namespace {

Expectation expect(const std::string& metric, std::optional<double> at_least, std::optional<double> at_most) {
  Expectation e;
  e.metric = metric;
  e.at_least = at_least;
  e.at_most = at_most;
  e.source.line = 40;
  return e;
}

const ExpectationResult& check(const Report& r, const std::string& metric, const std::string& kind = "expect") {
  for (const ExpectationResult& e : r.expectations)
    if (e.metric == metric && e.kind == kind) return e;
  FAIL("no check of " << metric);
  throw 0;
}

}  // namespace

TEST_CASE("a run is checked against its SLOs and its expectations", "[expectations]") {
  Scenario s = basic_scenario();
  add_service(s, "front", 2);
  add_feature(s, "f", "front");
  add_fault(s, "errors", FaultKind::error_rate, "front", 100, 60).status = Status::INTERNAL;
  s.expectations = {expect("ttr", std::nullopt, 30), expect("incidents", std::nullopt, 1),
                    expect("sessions_lost", 0, 0), expect("feature.f.availability", 0.5, std::nullopt)};
  const Report r = run_without_kernel(s, 1);
  REQUIRE(r.expectations.size() == 5);
  // The SLO first: a minute of errors in ten is below 99.9%.
  CHECK(r.expectations[0].kind == "slo");
  CHECK_FALSE(check(r, "feature.f.availability", "slo").met);
  CHECK(check(r, "feature.f.availability", "slo").at_least == Approx(0.999));
  const ExpectationResult& ttr = check(r, "ttr");
  REQUIRE(r.incident.ttr());
  CHECK(ttr.value == Approx(*r.incident.ttr()));
  CHECK(ttr.value > 30);
  CHECK_FALSE(ttr.met);
  CHECK(ttr.line == 40);
  CHECK(check(r, "incidents").met);
  CHECK(check(r, "sessions_lost").met);
  CHECK(check(r, "feature.f.availability").met);
  CHECK(missed(r.expectations) == 2);
  CHECK(expectation_text(ttr) == fmt::format("ttr {}, at most 00:30: MISSED", clock_text(ttr.value)));

  SECTION("without an incident an incident time meets its bound") {
    s.faults.clear();
    const Report calm = run_without_kernel(s, 1);
    CHECK(std::isnan(check(calm, "ttr").value));
    CHECK(check(calm, "ttr").met);
    CHECK(missed(calm.expectations) == 0);
  }
  SECTION("an incident that never recovers misses a bound on its ttr") {
    s.faults[0].duration = 10000;
    const Report open = run_without_kernel(s, 1);
    CHECK(std::isnan(check(open, "ttr").value));
    CHECK_FALSE(check(open, "ttr").met);
  }
}

TEST_CASE("[[expect]] is read with durations for the time metrics, and its mistakes are positioned",
          "[expectations][loader]") {
  const std::string base = R"(schema_version = 1
[scenario]
name = "x"
[[zone]]
name = "z"
region = "r"
[[service]]
name = "api"
[[feature]]
name = "play"
entry = "api"
share = 1
[[expect]]
metric = "ttr"
at_most = "15m"
[[expect]]
metric = "feature.play.availability"
at_least = 0.99
at_most = 1
)";
  const Scenario s = load_scenario_text(base, "x.toml");
  REQUIRE(s.expectations.size() == 2);
  CHECK(s.expectations[0].metric == "ttr");
  CHECK(s.expectations[0].at_most == Approx(900));
  CHECK_FALSE(s.expectations[0].at_least);
  CHECK(s.expectations[0].source.line == 13);
  CHECK(s.expectations[1].at_least == Approx(0.99));
  try {
    load_scenario_text(base + "[[expect]]\nmetric = \"feature.paly.availability\"\nat_least = 0.9\n", "x.toml");
    FAIL("loaded");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].key == "expect[2].metric");
    CHECK_THAT(e.diagnostics()[0].message, Contains("unknown metric 'feature.paly.availability'") &&
                                                Contains("feature.play.availability"));
  }
}
