// The benchmark harness: how fast faultline simulates, against the naive SimGrid mapping.
//
// On bench/scenarios/large-platform.toml (100 services, 1,008 hosts, 3 regions) it measures, each run
// in its own process:
//   normal    the scenario as written (every feature within its SLO);
//   overload  the gateway's workers cut and the rate raised until well over 10,000 user requests
//             are in flight (queues full, rejections, timeouts);
// for the product (request-level model under the SimGrid kernel) and for the naive mapping (a pool of
// worker actors per replica, one mailbox put/get per call) over a shorter simulated time, and prints
// simulated service calls per wall-clock second, events per second, peak memory and the ratios.
#include "io/loader.hpp"
#include "simulation/child_process.hpp"
#include "simulation/naive_actor_model.hpp"
#include "simulation/simulation.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>

using namespace faultline;

namespace {

struct Figures {
  double calls = 0, events = 0, wall = 0, sim = 0, peak_rss_mb = 0, in_flight = 0;
  double calls_per_s() const { return wall > 0 ? calls / wall : 0; }
  double events_per_s() const { return wall > 0 && events > 0 ? events / wall : 0; }
};

double peak_rss_mb(int who) {
  rusage u{};
  getrusage(who, &u);
  return double(u.ru_maxrss) / 1024.0;  // Linux reports kilobytes
}

Figures from_json(const std::string& text) {
  auto j = nlohmann::json::parse(text);
  return Figures{j["calls"], j["events"], j["wall"], j["sim"], j["rss"], j["in_flight"]};
}

std::string to_json(const Figures& f) {
  return nlohmann::json{{"calls", f.calls}, {"events", f.events}, {"wall", f.wall}, {"sim", f.sim},
                        {"rss", f.peak_rss_mb}, {"in_flight", f.in_flight}}
      .dump();
}

Figures measure_product(const Scenario& s) {
  return from_json(run_in_child_process([&](const ProgressSink&) {
    auto t0 = std::chrono::steady_clock::now();
    Report r = simulate(s, s.info.seed);
    Figures f;
    f.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    f.calls = double(r.summary.service_calls);
    f.events = double(r.summary.events);
    f.sim = s.info.duration;
    f.peak_rss_mb = peak_rss_mb(RUSAGE_SELF);
    f.in_flight = double(r.summary.peak_in_flight);
    return to_json(f);
  }));
}

Figures measure_naive(const Scenario& s, double sim_seconds) {
  return from_json(run_in_child_process([&](const ProgressSink&) {
    NaiveRunStats n = run_naive_actor_model(s, s.info.seed, sim_seconds);
    Figures f;
    f.wall = n.wall_seconds;
    f.calls = double(n.calls);
    f.sim = n.simulated_seconds;
    f.peak_rss_mb = peak_rss_mb(RUSAGE_CHILDREN);  // the naive run forks once more
    f.in_flight = double(n.peak_in_flight);
    return to_json(f);
  }));
}

void print_row(const char* load, const char* mapping, const Figures& f) {
  fmt::print("{:<9} {:<22} {:>8.1f} {:>12.3g} {:>8.2f} {:>14.3g} {:>14} {:>10.0f} {:>11.0f}\n", load, mapping, f.sim,
             f.calls, f.wall, f.calls_per_s(), f.events ? fmt::format("{:.3g}", f.events_per_s()) : "-",
             f.peak_rss_mb, f.in_flight);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"faultline benchmark: simulated service calls per wall-clock second"};
  std::string path = std::string(FAULTLINE_SOURCE_DIR) + "/bench/scenarios/large-platform.toml";
  double normal_seconds = 300, overload_seconds = 60, naive_seconds = 10, naive_overload_seconds = 0.5;
  double overload_rate = 30000;
  int overload_workers = 1;
  app.add_option("--scenario", path, "Benchmark platform");
  app.add_option("--normal-seconds", normal_seconds, "Simulated seconds at normal load");
  app.add_option("--overload-seconds", overload_seconds, "Simulated seconds at overload");
  app.add_option("--naive-seconds", naive_seconds, "Simulated seconds for the naive mapping, normal load");
  app.add_option("--naive-overload-seconds", naive_overload_seconds, "Simulated seconds for the naive mapping, overload");
  app.add_option("--overload-rate", overload_rate, "User requests per second at overload");
  app.add_option("--overload-workers", overload_workers, "Gateway workers per replica at overload");
  CLI11_PARSE(app, argc, argv);

  try {
    Scenario normal = load_scenario_file(path, {{"scenario.duration", fmt::format("\"{}s\"", normal_seconds)}});
    Scenario overload = load_scenario_file(
        path, {{"scenario.duration", fmt::format("\"{}s\"", overload_seconds)},
               {"traffic.rate", fmt::format("{}", overload_rate)},
               {"service.gateway.workers", fmt::format("{}", overload_workers)}});
    fmt::print("faultline benchmark on {} ({} services, {} zones, {} user requests/s normal, {} overload)\n\n",
               normal.info.name, normal.services.size(), normal.zones.size(), normal.traffic.rate, overload_rate);
    fmt::print("{:<9} {:<22} {:>8} {:>12} {:>8} {:>14} {:>14} {:>10} {:>11}\n", "load", "mapping", "sim s",
               "calls", "wall s", "calls/s", "events/s", "peak MB", "in flight");
    Figures pn = measure_product(normal);
    print_row("normal", "request model+SimGrid", pn);
    Figures nn = measure_naive(normal, naive_seconds);
    print_row("normal", "naive actor per call", nn);
    Figures po = measure_product(overload);
    print_row("overload", "request model+SimGrid", po);
    Figures no = measure_naive(overload, naive_overload_seconds);
    print_row("overload", "naive actor per call", no);

    fmt::print("\nratio to the naive mapping (calls/s): normal {:.1f}x, overload {:.1f}x\n",
               pn.calls_per_s() / nn.calls_per_s(), po.calls_per_s() / no.calls_per_s());
    fmt::print("overload / normal (calls/s): {:.2f}\n", po.calls_per_s() / pn.calls_per_s());
    bool normal_ok = pn.calls_per_s() >= 1e6, overload_ok = po.calls_per_s() >= 0.5 * pn.calls_per_s(),
         flight_ok = po.in_flight >= 10000;
    fmt::print("target >= 1M calls/s at normal load: {}\n", normal_ok ? "met" : "MISSED");
    fmt::print("target overload >= half of normal: {}\n", overload_ok ? "met" : "MISSED");
    fmt::print("overload has >= 10,000 requests in flight: {} ({:.0f}; naive mapping {:.0f})\n",
               flight_ok ? "yes" : "NO", po.in_flight, no.in_flight);
    return 0;
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "faultline_bench: " << e.what() << "\n";
    return 2;
  }
}
