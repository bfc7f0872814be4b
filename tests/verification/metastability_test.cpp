// The bundled retry-storm scenarios behave as their headers say: the retrying platform stays down
// after its trigger (metastable), its twins with a retry budget or load shedding recover.
#include "io/loader.hpp"
#include "simulation/simulation.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <numeric>

using namespace faultline;
using namespace faultline::testing;

namespace {

// Successful user requests per second in each bucket.
std::vector<double> goodput(const Report& r) {
  std::vector<double> g;
  for (const Counts& c : r.features.front().buckets) g.push_back(double(c.ok) / r.bucket);
  return g;
}

double mean(const std::vector<double>& v, std::size_t from, std::size_t to) {
  return std::accumulate(v.begin() + std::ptrdiff_t(from), v.begin() + std::ptrdiff_t(to), 0.0) / double(to - from);
}

Report run_bundled(const std::string& name, const Overrides& overrides = {}) {
  Scenario s = load_scenario_file(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/" + name + ".toml", overrides);
  return simulate_isolated(s, s.info.seed);
}

}  // namespace

TEST_CASE("a retry storm outlives its trigger, a retry budget or load shedding recovers", "[verification][metastability]") {
  // Trigger: 10 s from 5m (bucket 30); buckets of 10 s; the run lasts 20 minutes.
  const std::size_t trigger_end = 31, two_minutes = 12;
  Report storm = run_bundled("retry-storm-metastable");
  std::vector<double> g = goodput(storm);
  double before = mean(g, 6, 30);
  CHECK(before == Approx(240).epsilon(0.05));
  for (std::size_t b = trigger_end; b < g.size(); ++b) {
    INFO("bucket " << b);
    CHECK(g[b] < 0.1 * before);  // for the rest of the run: 14 minutes and more
  }
  CHECK(edge(storm, "gateway", "backend").amplification() > 3);  // 4 in the storm, 1 in the first 5 minutes

  for (const char* twin : {"retry-storm-retry-budget", "retry-storm-load-shedding"}) {
    INFO(twin);
    std::vector<double> t = goodput(run_bundled(twin));
    for (std::size_t b = trigger_end + two_minutes; b < t.size(); ++b) {
      INFO("bucket " << b);
      CHECK(t[b] > 0.95 * before - 3 * std::sqrt(before / 10));  // above 95%, allowing Poisson noise per bucket
    }
    CHECK(mean(t, trigger_end + two_minutes, t.size()) > 0.95 * before);
  }
}

TEST_CASE("below a threshold the same trigger is absorbed", "[verification][metastability]") {
  std::vector<double> g = goodput(run_bundled("retry-storm-metastable", {{"fault.backend-pause.duration", "\"200ms\""}}));
  CHECK(mean(g, 40, g.size()) > 0.95 * mean(g, 6, 30));
}
