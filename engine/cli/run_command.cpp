// `faultline run SCENARIO` and `faultline demo`: the same run, from a file or from the bundled
// reference outage.
#include "cli/command.hpp"
#include "cli/progress_line.hpp"
#include "io/report_files.hpp"
#include "report/json.hpp"
#include "report/summary_text.hpp"
#include "scenario/errors.hpp"
#include "simulation/simulation.hpp"

#include <cctype>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <memory>

namespace faultline::cli {

namespace {

constexpr const char* kDemoScenario = "spotify-2022-03-08.toml";

struct RunOptions {
  std::uint64_t seed = 0;
  CLI::Option* seed_option = nullptr;
  std::vector<std::string> sets;
  std::string out;
  std::string format = "text";
  bool quiet = false;
};

void add_run_options(CLI::App& command, RunOptions& o) {
  o.seed_option = command.add_option("--seed", o.seed, "Random seed (default: the scenario's)")->check(seed_validator());
  add_overrides_option(command, o.sets);
  command.add_option("--out", o.out, "Directory for report.json, timeline.csv, report.html (default: out/<name>)")
      ->type_name("DIR");
  command.add_option("--format", o.format, "What to print on stdout: the text summary or the JSON report")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command.add_flag("--quiet,-q", o.quiet, "No progress and no file notes on stderr");
}

std::string default_out_dir(const Scenario& s) { return (std::filesystem::path("out") / output_name(s.info.name)).string(); }

int run_scenario(const Scenario& s, const RunOptions& o) {
  const std::uint64_t seed = o.seed_option->count() ? o.seed : s.info.seed;
  ProgressLine progress(s.info.duration, !o.quiet && ProgressLine::stderr_is_terminal());
  SimulationOptions options;
  options.progress = [&progress](double sim_time) { progress.update(sim_time); };
  const Report report = simulate(s, seed, options);
  progress.finish();

  std::cout << (o.format == "json" ? report_to_json(report) : format_summary(report)) << std::flush;
  const std::string dir = o.out.empty() ? default_out_dir(s) : o.out;
  write_report_files(report, dir);
  if (!o.quiet) {
    const std::filesystem::path base(dir);
    std::cerr << "wrote " << (base / "report.json").string() << ", " << (base / "timeline.csv").string() << ", "
              << (base / "report.html").string() << "\n";
  }
  return kOk;
}

}  // namespace

Command add_run_command(CLI::App& cli) {
  auto scenario = std::make_shared<std::string>();
  auto options = std::make_shared<RunOptions>();
  CLI::App* app = cli.add_subcommand("run", "Simulate a scenario, print the summary and write the report files");
  app->add_option("SCENARIO", *scenario, "Scenario file (TOML)")->required();
  add_run_options(*app, *options);
  return {app, [scenario, options] {
            return run_scenario(load_scenario_file(*scenario, to_overrides(options->sets)), *options);
          }};
}

Command add_demo_command(CLI::App& cli) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* app = cli.add_subcommand("demo", "Run the bundled reference outage (a global streaming outage)");
  add_run_options(*app, *options);
  return {app, [options] {
            const auto& bundled = embedded_scenarios();
            const auto it = bundled.find(kDemoScenario);
            if (it == bundled.end()) throw InternalError(std::string("the bundled ") + kDemoScenario + " is missing");
            const std::string origin = std::string("<embedded>/") + kDemoScenario;
            return run_scenario(load_scenario_text(it->second, origin, to_overrides(options->sets)), *options);
          }};
}

}  // namespace faultline::cli
