// The speed and scale sections (issue 12): calls and events per CPU-second, the cost per call as the
// platform grows, replicates of the reference outage, and memory and report sizes at scale.
#include "bench_measure.hpp"
#include "bench_platforms.hpp"
#include "bench_sections.hpp"
#include "io/loader.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <vector>

namespace faultline::bench {

namespace {

// Issue 12's targets.
constexpr double kFanOutCallsPerCpuS = 3e6;
constexpr double kPlatformCallsPerCpuS = 2e6;
constexpr double kOverloadShare = 0.8;
constexpr double kScaleCostRatio = 1.5;
constexpr double kCpuSecondsPerReplicate = 2;
constexpr double kLargePeakMb = 2048, kLargeReportMb = 20, kLargeTimelineMb = 100;

void header() {
  fmt::print("{:<26} {:>8} {:>11} {:>10} {:>8} {:>8} {:>13} {:>14} {:>9} {:>10}\n", "run", "sim s", "calls",
             "events", "CPU s", "wall s", "calls/CPU-s", "events/CPU-s", "peak MB", "in flight");
}

void row(const std::string& what, const Figures& f) {
  fmt::print("{:<26} {:>8.1f} {:>11.3g} {:>10.3g} {:>8.2f} {:>8.2f} {:>13.3g} {:>14} {:>9.0f} {:>10.0f}\n", what,
             f.sim, f.calls, f.events, f.cpu, f.wall, f.calls_per_cpu_s(),
             f.events > 0 ? fmt::format("{:.3g}", f.events_per_cpu_s()) : "-", f.peak_rss_mb, f.in_flight);
  std::fflush(stdout);
}

Scenario generated(int services, double calls) {
  constexpr double rate = 2000;
  const double seconds = calls / (rate * kCallsPerGeneratedRequest);
  return load_scenario_text(generated_platform(services, rate, seconds), fmt::format("<generated {}>", services));
}

}  // namespace

void bench_platform(const Options& o) {
  const Scenario normal = load_scenario_file(o.bench_path, {{"scenario.duration", fmt::format("\"{}s\"", o.normal_seconds)}});
  const Scenario overload = load_scenario_file(
      o.bench_path, {{"scenario.duration", fmt::format("\"{}s\"", o.overload_seconds)},
                     {"traffic.rate", fmt::format("{}", o.overload_rate)},
                     {"service.gateway.workers", fmt::format("{}", o.overload_workers)}});
  fmt::print("bench platform {} ({} services, {} zones; {} user requests/s normal, {} overload)\n",
             normal.info.name, normal.services.size(), normal.zones.size(), normal.traffic.rate, o.overload_rate);
  header();
  const Figures pn = measure_product(normal);
  row("normal, product", pn);
  const Figures nn = measure_naive(normal, o.naive_seconds);
  row("normal, naive mapping", nn);
  const Figures po = measure_product(overload);
  row("overload, product", po);
  const Figures no = measure_naive(overload, o.naive_overload_seconds);
  row("overload, naive mapping", no);
  fmt::print("ratio to the naive mapping (calls/CPU-s): normal {:.1f}x, overload {:.1f}x\n",
             pn.calls_per_cpu_s() / nn.calls_per_cpu_s(), po.calls_per_cpu_s() / no.calls_per_cpu_s());
  const double share = po.calls_per_cpu_s() / pn.calls_per_cpu_s();
  fmt::print("target normal >= {:.0f}M calls/CPU-s: {} ({:.3g})\n", kPlatformCallsPerCpuS / 1e6,
             verdict(pn.calls_per_cpu_s() >= kPlatformCallsPerCpuS), pn.calls_per_cpu_s());
  fmt::print("target overload >= {} of normal (calls/CPU-s): {} ({:.2f})\n", kOverloadShare,
             verdict(share >= kOverloadShare), share);
  fmt::print("overload has >= 10,000 requests in flight: {} ({:.0f}; naive mapping {:.0f})\n\n",
             po.in_flight >= 10000 ? "yes" : "NO", po.in_flight, no.in_flight);
}

void bench_fan_out(const Options& o) {
  const Scenario s = load_scenario_file(o.source_dir + "/bench/scenarios/fan-out.toml",
                                        {{"scenario.duration", fmt::format("\"{}s\"", o.fan_out_seconds)}});
  fmt::print("fan-out platform (7 services, {} user requests/s)\n", s.traffic.rate);
  header();
  const Figures f = measure_product(s);
  row("fan-out", f);
  fmt::print("target >= {:.0f}M calls/CPU-s: {} ({:.3g})\n\n", kFanOutCallsPerCpuS / 1e6,
             verdict(f.calls_per_cpu_s() >= kFanOutCallsPerCpuS), f.calls_per_cpu_s());
}

void bench_scale(const Options& o) {
  fmt::print("scale series: generated platforms (hosts = 10 x services), {:.3g} service calls each\n", o.scale_calls);
  header();
  std::vector<std::pair<int, Figures>> runs;
  for (int services : {250, 500, 1000, 2000}) {
    const Scenario s = generated(services, o.scale_calls);
    const Figures f = measure_product(s);
    int hosts = 0;
    for (const Zone& z : s.zones) hosts += z.hosts;
    row(fmt::format("{} services, {} hosts", s.services.size(), hosts), f);
    runs.emplace_back(services, f);
  }
  fmt::print("CPU per call (microseconds):");
  for (const auto& [services, f] : runs) fmt::print(" {} services {:.3f};", services, 1e6 * f.cpu_per_call());
  const double ratio = runs.front().second.cpu_per_call() > 0
                           ? runs.back().second.cpu_per_call() / runs.front().second.cpu_per_call()
                           : 0;
  fmt::print("\ntarget cost per call at 2,000 services <= {}x that at 250: {} ({:.2f}x)\n\n", kScaleCostRatio,
             verdict(ratio > 0 && ratio <= kScaleCostRatio), ratio);
}

void bench_replicates(const Options& o) {
  const std::string path = o.source_dir + "/scenarios/spotify-2022-03-08.toml";
  const Scenario base = load_scenario_file(path);
  fmt::print("replicates of the reference outage ({}), seeds 1..{}\n", base.info.name, o.replicates);
  header();
  std::vector<double> cpu;
  for (int k = 1; k <= o.replicates; ++k) {
    Scenario s = base;
    s.info.seed = std::uint64_t(k);
    const Figures f = measure_product(s);
    row(fmt::format("seed {}", k), f);
    cpu.push_back(f.cpu);
  }
  const double mean = std::accumulate(cpu.begin(), cpu.end(), 0.0) / double(std::max<std::size_t>(1, cpu.size()));
  fmt::print("CPU seconds per replicate: mean {:.2f}, median {:.2f}; 1,000 replicates on two cores: {:.1f} minutes\n",
             mean, median(cpu), mean * 1000 / 2 / 60);
  fmt::print("target <= {} CPU-s per replicate: {}\n\n", kCpuSecondsPerReplicate, verdict(mean <= kCpuSecondsPerReplicate));
}

void bench_large(const Options& o) {
  // The CLI's own run, report files included: written to a file so that it is the CLI that reads it.
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "faultline-bench-generated-2000.toml";
  {
    std::ofstream out(file);
    out << generated_platform(2000, 20, 86400);
  }
  fmt::print("large run: 2,000 services, 20,000 hosts, 24 simulated hours at 20 requests/s (CLI, report written)\n");
  const CliRun r = run_cli(o.cli, file.string(), {});
  std::filesystem::remove(file);
  fmt::print("CPU {:.1f} s, {:.3g} calls, peak memory {:.0f} MB, report.json {:.1f} MB, timeline {:.1f} MB\n", r.cpu,
             r.calls, r.peak_rss_mb, r.report_json_mb, r.timeline_mb);
  fmt::print("target peak memory <= {:.0f} MB: {}\n", kLargePeakMb, verdict(r.peak_rss_mb <= kLargePeakMb));
  fmt::print("target report.json <= {:.0f} MB: {}\n", kLargeReportMb, verdict(r.report_json_mb <= kLargeReportMb));
  fmt::print("target timeline <= {:.0f} MB: {}\n\n", kLargeTimelineMb, verdict(r.timeline_mb <= kLargeTimelineMb));
}

}  // namespace faultline::bench
