// The shared-resource figures (issue 10), in CPU seconds: a run without resources against a baseline
// CLI built from an earlier commit, side by side, and the bench platform with CPU work on every host,
// then with links and connection pools too.
#include "bench_measure.hpp"
#include "bench_sections.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

namespace faultline::bench {

void bench_resources(const Scenario& normal, const std::string& scenario_path, double seconds,
                     const std::string& baseline_cli, const std::string& current_cli) {
  fmt::print("\nshared resources, in CPU seconds (user + system of the process that simulates)\n");
  if (baseline_cli.empty()) {
    fmt::print("without resources vs an earlier commit: not measured (give --baseline-cli FAULTLINE_BINARY)\n");
  } else {
    // Alternating runs of the two binaries, so that a busy spell of the machine hits both alike.
    std::vector<double> before, after;
    for (int k = 0; k < 3; ++k) {
      const std::vector<std::string> sets = {fmt::format("scenario.duration=\"{}s\"", seconds)};
      before.push_back(run_cli(baseline_cli, scenario_path, sets).calls_per_cpu_s());
      after.push_back(run_cli(current_cli, scenario_path, sets).calls_per_cpu_s());
    }
    const double b = median(before), a = median(after);
    fmt::print("without resources, {} simulated s, median of 3: baseline {:.3g} calls/CPU-s, this build {:.3g}; "
               "ratio {:.3f}\n", seconds, b, a, b > 0 ? a / b : 0);
    fmt::print("target without resources >= 0.95 of the baseline: {}\n", verdict(b > 0 && a >= 0.95 * b));
  }
  // Every service's time becomes CPU work on its host's cores; then, besides, every dependency gets a
  // connection pool (twice the caller's workers: it seldom waits) and every pair of zones a link with
  // a bandwidth (ample: shared, never saturated), so that every call goes through all three.
  Scenario cpu = normal;
  cpu.info.duration = seconds;
  for (Service& svc : cpu.services) svc.cpu = svc.service_time;
  Scenario all = cpu;
  for (Dependency& d : all.dependencies) {
    const Service* from = all.find_service(d.from);
    d.pool.size = 2 * (from ? from->workers : 8);
  }
  for (std::size_t a = 0; a < all.zones.size(); ++a)
    for (std::size_t b = a + 1; b < all.zones.size(); ++b) {
      LinkOverride link;
      link.a = all.zones[a].name;
      link.b = all.zones[b].name;
      link.name = link.a + "<->" + link.b;
      link.bandwidth = 1e6;
      all.network.links.push_back(link);
    }
  Scenario plain = normal;
  plain.info.duration = seconds;
  const Figures without = measure_product(plain), with = measure_product(cpu), everything = measure_product(all);
  const auto share = [&](const Figures& f) {
    return without.calls_per_cpu_s() > 0 ? f.calls_per_cpu_s() / without.calls_per_cpu_s() : 0;
  };
  fmt::print("bench platform, {} simulated s: without resources {:.3g} calls/CPU-s; CPU declared everywhere "
             "{:.3g} calls/CPU-s ({:.2f} of it); CPU, links and pools everywhere {:.3g} calls/CPU-s ({:.2f} of it)\n",
             seconds, without.calls_per_cpu_s(), with.calls_per_cpu_s(), share(with), everything.calls_per_cpu_s(),
             share(everything));
  fmt::print("target CPU declared everywhere >= 0.5M calls/CPU-s: {}\n", verdict(with.calls_per_cpu_s() >= 5e5));
  fmt::print("target CPU, links and pools everywhere >= 0.5M calls/CPU-s: {}\n",
             verdict(everything.calls_per_cpu_s() >= 5e5));
}

}  // namespace faultline::bench
