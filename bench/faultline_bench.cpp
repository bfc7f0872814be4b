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
// Then the shared-resource figures, in CPU seconds: a run without resources against a baseline CLI
// built from an earlier commit (--baseline-cli), side by side, and the platform with CPU work on every
// host (--resources-only for these alone).
#include "io/loader.hpp"
#include "simulation/child_process.hpp"
#include "simulation/naive_actor_model.hpp"
#include "simulation/simulation.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>

using namespace faultline;

namespace {

struct Figures {
  double calls = 0, events = 0, wall = 0, sim = 0, peak_rss_mb = 0, in_flight = 0, cpu = 0;
  double calls_per_s() const { return wall > 0 ? calls / wall : 0; }
  double calls_per_cpu_s() const { return cpu > 0 ? calls / cpu : 0; }
  double events_per_s() const { return wall > 0 && events > 0 ? events / wall : 0; }
};

double peak_rss_mb(int who) {
  rusage u{};
  getrusage(who, &u);
  return double(u.ru_maxrss) / 1024.0;  // Linux reports kilobytes
}

// User + system CPU seconds of this process so far: the machines are shared, wall time is not a measure.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

Figures from_json(const std::string& text) {
  auto j = nlohmann::json::parse(text);
  return Figures{j["calls"], j["events"], j["wall"], j["sim"], j["rss"], j["in_flight"], j["cpu"]};
}

std::string to_json(const Figures& f) {
  return nlohmann::json{{"calls", f.calls}, {"events", f.events}, {"wall", f.wall}, {"sim", f.sim},
                        {"rss", f.peak_rss_mb}, {"in_flight", f.in_flight}, {"cpu", f.cpu}}
      .dump();
}

Figures measure_product(const Scenario& s) {
  return from_json(run_in_child_process([&](const ProgressSink&) {
    auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();
    Report r = simulate(s, s.info.seed);
    Figures f;
    f.cpu = cpu_seconds() - cpu0;
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

// ---- shared resources (issue 10), in CPU seconds -------------------------------------------------------

namespace {

struct CliRun {
  double cpu = 0, calls = 0;
  double calls_per_cpu_s() const { return cpu > 0 ? calls / cpu : 0; }
};

// `cli run SCENARIO` as a child process: its CPU seconds (from wait4) and the calls it simulated.
CliRun run_cli(const std::string& cli, const std::string& scenario, double seconds) {
  char dir_template[] = "/tmp/faultline-bench-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (!dir) throw std::runtime_error("cannot create a temporary folder");
  const std::string duration = fmt::format("scenario.duration=\"{}s\"", seconds);
  std::vector<std::string> args = {cli, "run", scenario, "--set", duration, "--out", dir, "--format", "json"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage u{};
  wait4(pid, &status, 0, &u);
  const std::string report_path = std::string(dir) + "/report.json";
  std::ifstream in(report_path);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !in)
    throw std::runtime_error(fmt::format("'{} run {}' failed (status {})", cli, scenario, status));
  const auto report = nlohmann::json::parse(in);
  CliRun r;
  r.cpu = double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
  r.calls = report["summary"]["service_calls"].get<double>();
  for (const char* f : {"report.json", "timeline.csv", "report.html"}) std::remove((std::string(dir) + "/" + f).c_str());
  rmdir(dir);
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void bench_resources(const Scenario& normal, const std::string& scenario_path, double seconds,
                     const std::string& baseline_cli, const std::string& current_cli) {
  fmt::print("\nshared resources, in CPU seconds (user + system of the process that simulates)\n");
  if (baseline_cli.empty()) {
    fmt::print("without resources vs an earlier commit: not measured (give --baseline-cli FAULTLINE_BINARY)\n");
  } else {
    // Alternating runs of the two binaries, so that a busy spell of the machine hits both alike.
    std::vector<double> before, after;
    for (int k = 0; k < 3; ++k) {
      before.push_back(run_cli(baseline_cli, scenario_path, seconds).calls_per_cpu_s());
      after.push_back(run_cli(current_cli, scenario_path, seconds).calls_per_cpu_s());
    }
    const double b = median(before), a = median(after);
    fmt::print("without resources, {} simulated s, median of 3: baseline {:.3g} calls/CPU-s, this build {:.3g}; "
               "ratio {:.3f}\n", seconds, b, a, b > 0 ? a / b : 0);
    fmt::print("target without resources >= 0.95 of the baseline: {}\n", b > 0 && a >= 0.95 * b ? "met" : "MISSED");
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
  fmt::print("target CPU declared everywhere >= 0.5M calls/CPU-s: {}\n", with.calls_per_cpu_s() >= 5e5 ? "met" : "MISSED");
  fmt::print("target CPU, links and pools everywhere >= 0.5M calls/CPU-s: {}\n",
             everything.calls_per_cpu_s() >= 5e5 ? "met" : "MISSED");
}

// The CLI next to this program (both are built into the same folder).
std::string sibling_cli(const char* argv0) {
  std::string self = argv0;
  const auto slash = self.rfind('/');
  return (slash == std::string::npos ? std::string(".") : self.substr(0, slash)) + "/faultline";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"faultline benchmark: simulated service calls per wall-clock second"};
  std::string path = std::string(FAULTLINE_SOURCE_DIR) + "/bench/scenarios/large-platform.toml";
  double normal_seconds = 300, overload_seconds = 60, naive_seconds = 10, naive_overload_seconds = 0.5;
  double overload_rate = 30000;
  int overload_workers = 1;
  std::string baseline_cli;
  double resource_seconds = 120;
  bool resources_only = false;
  app.add_option("--scenario", path, "Benchmark platform");
  app.add_option("--normal-seconds", normal_seconds, "Simulated seconds at normal load");
  app.add_option("--overload-seconds", overload_seconds, "Simulated seconds at overload");
  app.add_option("--naive-seconds", naive_seconds, "Simulated seconds for the naive mapping, normal load");
  app.add_option("--naive-overload-seconds", naive_overload_seconds, "Simulated seconds for the naive mapping, overload");
  app.add_option("--overload-rate", overload_rate, "User requests per second at overload");
  app.add_option("--overload-workers", overload_workers, "Gateway workers per replica at overload");
  app.add_option("--baseline-cli", baseline_cli,
                 "A faultline binary built from an earlier commit: runs without resources are timed against it");
  app.add_option("--resource-seconds", resource_seconds, "Simulated seconds of the shared-resource runs");
  app.add_flag("--resources-only", resources_only, "Only the shared-resource figures");
  CLI11_PARSE(app, argc, argv);

  try {
    Scenario normal = load_scenario_file(path, {{"scenario.duration", fmt::format("\"{}s\"", normal_seconds)}});
    Scenario overload = load_scenario_file(
        path, {{"scenario.duration", fmt::format("\"{}s\"", overload_seconds)},
               {"traffic.rate", fmt::format("{}", overload_rate)},
               {"service.gateway.workers", fmt::format("{}", overload_workers)}});
    fmt::print("faultline benchmark on {} ({} services, {} zones, {} user requests/s normal, {} overload)\n\n",
               normal.info.name, normal.services.size(), normal.zones.size(), normal.traffic.rate, overload_rate);
    if (resources_only) {
      bench_resources(normal, path, resource_seconds, baseline_cli, sibling_cli(argv[0]));
      return 0;
    }
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
    bench_resources(normal, path, resource_seconds, baseline_cli, sibling_cli(argv[0]));
    return 0;
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "faultline_bench: " << e.what() << "\n";
    return 2;
  }
}
