#include "bench_measure.hpp"

#include "simulation/child_process.hpp"
#include "simulation/naive_actor_model.hpp"
#include "simulation/simulation.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace faultline::bench {

namespace {

double peak_rss_mb(int who) {
  rusage u{};
  getrusage(who, &u);
  return double(u.ru_maxrss) / 1024.0;  // Linux reports kilobytes
}

double seconds_of(const rusage& u) {
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

double cpu_seconds(int who = RUSAGE_SELF) {
  rusage u{};
  getrusage(who, &u);
  return seconds_of(u);
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

double file_mb(const std::filesystem::path& p) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(p, ec);
  return ec ? 0 : double(size) / (1024.0 * 1024.0);
}

}  // namespace

Figures measure_product(const Scenario& s) {
  return from_json(run_in_child_process([&](const ProgressSink&) {
    const auto t0 = std::chrono::steady_clock::now();
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
    // The naive run forks once more: its CPU seconds are this child's children's.
    const double cpu0 = cpu_seconds(RUSAGE_CHILDREN);
    NaiveRunStats n = run_naive_actor_model(s, s.info.seed, sim_seconds);
    Figures f;
    f.wall = n.wall_seconds;
    f.cpu = cpu_seconds(RUSAGE_CHILDREN) - cpu0;
    f.calls = double(n.calls);
    f.sim = n.simulated_seconds;
    f.peak_rss_mb = peak_rss_mb(RUSAGE_CHILDREN);  // the naive run forks once more
    f.in_flight = double(n.peak_in_flight);
    return to_json(f);
  }));
}

CliRun run_cli(const std::string& cli, const std::string& scenario, const std::vector<std::string>& sets) {
  char dir_template[] = "/tmp/faultline-bench-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (!dir) throw std::runtime_error("cannot create a temporary folder");
  std::vector<std::string> args = {cli, "run", scenario, "--out", dir, "--format", "json", "--quiet"};
  for (const std::string& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
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
  const std::filesystem::path out = dir;
  std::ifstream in(out / "report.json");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !in)
    throw std::runtime_error(fmt::format("'{} run {}' failed (status {})", cli, scenario, status));
  const auto report = nlohmann::json::parse(in);
  CliRun r;
  r.cpu = seconds_of(u);
  r.peak_rss_mb = double(u.ru_maxrss) / 1024.0;
  r.calls = report["summary"]["service_calls"].get<double>();
  r.report_json_mb = file_mb(out / "report.json");
  r.timeline_mb = file_mb(out / "timeline.csv");
  std::filesystem::remove_all(out);
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

const char* verdict(bool met) { return met ? "met" : "MISSED"; }

}  // namespace faultline::bench
