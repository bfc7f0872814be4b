// Verification against closed forms (labelled "verification" in CTest): availability of components
// that fail and are repaired by chance, measured time-weighted from the replicas' own up and down
// states (ServiceReport::time_by_replicas_up), and a deterministic series system. Restart times are
// zero so that a replica serves again the moment it is repaired, as the formulas assume.
#include "model/platform_model.hpp"
#include "simulation/simulation.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

using namespace faultline;
using namespace faultline::testing;

namespace {

constexpr double kHour = 3600, kDay = 86400;

// Hosts that each carry one replica of `name`; traffic is a trickle (availability here is
// time-weighted and needs none).
Scenario platform_of(int replicas, double duration, const std::string& name = "c") {
  Scenario s = basic_scenario(1, replicas);
  s.info.duration = duration;
  s.info.bucket = 3600;
  s.traffic.rate = 0.001;
  add_service(s, name, replicas).restart_time = 0;
  add_feature(s, "f", name);
  return s;
}

// Share of the run with at least `needed` replicas serving.
double k_of_n(const ServiceReport& s, int needed, double duration) {
  double up = 0;
  for (std::size_t k = std::size_t(needed); k < s.time_by_replicas_up.size(); ++k) up += s.time_by_replicas_up[k];
  return up / duration;
}

double mean_replica_availability(const ServiceReport& s, double duration) {
  double weighted = 0;
  for (std::size_t k = 0; k < s.time_by_replicas_up.size(); ++k) weighted += double(k) * s.time_by_replicas_up[k];
  return weighted / (double(s.time_by_replicas_up.size() - 1) * duration);
}

int fault_starts(const Report& r) {
  return int(std::count_if(r.events.begin(), r.events.end(), [](const Event& e) { return e.kind == "fault_start"; }));
}

}  // namespace

TEST_CASE("a component with exponential MTTF and MTTR is available MTTF / (MTTF + MTTR)",
          "[verification][availability]") {
  // 20 independent components (a host each), 400 days, MTTF 1 h, MTTR 6 min: about 175,000 cycles.
  const double duration = 400 * kDay, mttf = kHour, mttr = 0.1 * kHour;
  Scenario s = platform_of(20, duration);
  Fault& f = add_fault(s, "hosts", FaultKind::host_crash, "z0", 0);
  f.random = FailureProcess{Distribution::exponential(mttf), Distribution::exponential(mttr)};
  const Report r = run_without_kernel(s, 11);
  const double expected = mttf / (mttf + mttr);
  CHECK(expected == Approx(0.909090909));
  CHECK(mean_replica_availability(service(r, "c"), duration) == Approx(expected).epsilon(0.005));
  CHECK(fault_starts(r) > 150000);
}

TEST_CASE("2 of 3 replicas (MTTF 10 h, MTTR 1 h) match the binomial availability",
          "[verification][availability]") {
  // Four such services in one 400-day run: 12 replicas, more than 10,000 failure cycles in all.
  const double duration = 400 * kDay;
  Scenario s = basic_scenario(1, 12);
  s.info.duration = duration;
  s.info.bucket = 3600;
  s.traffic.rate = 0.001;
  for (const char* name : {"a", "b", "c", "d"}) {
    Service& svc = add_service(s, name, 3);
    svc.restart_time = 0;
    svc.tags = {"trio"};
  }
  add_feature(s, "f", "a");
  Fault& f = add_fault(s, "replicas", FaultKind::service_crash, "tag:trio", 0);
  f.random = FailureProcess{Distribution::exponential(10 * kHour), Distribution::exponential(kHour)};
  const Report r = run_without_kernel(s, 12);

  const double p = 10.0 / 11;
  const double expected = p * p * p + 3 * p * p * (1 - p);
  CHECK(expected == Approx(0.9767).margin(0.0001));
  REQUIRE(fault_starts(r) >= 10000);
  double sum = 0;
  for (const char* name : {"a", "b", "c", "d"}) {
    const double measured = k_of_n(service(r, name), 2, duration);
    CHECK(measured == Approx(expected).margin(0.01));
    sum += measured;
  }
  CHECK(sum / 4 == Approx(expected).margin(0.005));
}

TEST_CASE("two components in series that do not age while the system is down: 4 outages, 40 h in 300 h",
          "[verification][availability]") {
  // The product path (SimGrid kernel, forked run). a fails after 100 h in service, b after 120 h, each
  // is repaired in 10 h, and neither ages while the other is down: a at 100 h, b at 130 h (its 120 h
  // of service, with 10 h stopped), a at 220 h, b at 270 h; a would fail next at 340 h.
  const double duration = 300 * kHour;
  Scenario s = basic_scenario(1, 2);
  s.info.duration = duration;
  s.info.bucket = 600;
  s.traffic.rate = 0.02;
  add_service(s, "a", 1).restart_time = 0;
  add_service(s, "b", 1).restart_time = 0;
  add_dependency(s, "a", "b");
  add_feature(s, "f", "a");
  for (auto [name, life] : {std::pair{"a", 100.0}, std::pair{"b", 120.0}}) {
    Fault& f = add_fault(s, std::string(name) + "-fails", FaultKind::service_crash, name, 0);
    f.random = FailureProcess{Distribution::constant(life * kHour), Distribution::constant(10 * kHour)};
    f.random->age_while_down = false;
  }
  const Report r = simulate_isolated(s, 1);

  std::vector<std::pair<double, double>> outages;  // [start, end) of each fault occurrence
  for (const Event& e : r.events) {
    if (e.kind == "fault_start") outages.emplace_back(e.time, duration);
    if (e.kind == "fault_end") {
      REQUIRE_FALSE(outages.empty());
      outages.back().second = e.time;
    }
  }
  REQUIRE(outages.size() == 4);
  const std::vector<double> expected_starts = {100 * kHour, 130 * kHour, 220 * kHour, 270 * kHour};
  double downtime = 0;
  for (std::size_t i = 0; i < outages.size(); ++i) {
    CHECK(outages[i].first == Approx(expected_starts[i]));
    CHECK(outages[i].second - outages[i].first == Approx(10 * kHour));
    if (i > 0) CHECK(outages[i].first >= outages[i - 1].second);  // they never overlap
    downtime += outages[i].second - outages[i].first;
  }
  CHECK(downtime == Approx(40 * kHour));
  // The replicas' own states agree, and so do the users.
  CHECK(service(r, "a").outages == 2);
  CHECK(service(r, "b").outages == 2);
  CHECK(service(r, "a").time_by_replicas_up[0] + service(r, "b").time_by_replicas_up[0] == Approx(40 * kHour));
  CHECK(feature(r, "f").total.availability() == Approx(260.0 / 300).margin(0.01));
}
