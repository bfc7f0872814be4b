// `faultline run SCENARIO` and `faultline demo`: the same run, from a file or from the bundled
// reference outage.
#include "cli/command.hpp"
#include "cli/progress_line.hpp"
#include "experiment/run_budget.hpp"
#include "io/report_files.hpp"
#include "io/report_folder.hpp"
#include "metrics/expectations.hpp"
#include "report/number_text.hpp"
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
  bool force = false;
  double event_budget = RunBudget::kDefaultEvents;
  bool strict = false;
  bool check = false;
};

void add_run_options(CLI::App& command, RunOptions& o) {
  o.seed_option = command.add_option("--seed", o.seed, "Random seed (default: the scenario's)")->check(seed_validator());
  add_overrides_option(command, o.sets);
  command.add_option("--out", o.out,
                     "Directory for report.json, timeline.csv, report.html (default: out/<name>, with --set-<tag> "
                     "and --seed-<seed> when the run has overrides or another seed than the scenario's)")
      ->type_name("DIR");
  command.add_flag("--force", o.force,
                   "Replace the report of a different run if the folder holds one, and run a scenario estimated "
                   "over the event budget or the machine's memory");
  add_event_budget_option(command, o.event_budget);
  command.add_flag("--strict", o.strict, "Refuse to run a scenario with warnings (see `faultline validate`)");
  command.add_flag("--check", o.check,
                   "A CI gate: exit 3 when a feature misses its SLO or the run misses an [[expect]] of the scenario, "
                   "naming each on stderr (the report is written either way)");
  command.add_option("--format", o.format, "What to print on stdout: the text summary or the JSON report")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command.add_flag("--quiet,-q", o.quiet, "No progress and no file notes on stderr");
}

// The scenario's warnings go to stderr before anything runs (--quiet silences notes, not warnings).
int run_scenario(const Scenario& s, const std::vector<Diagnostic>& warnings, const RunOptions& o) {
  for (const Diagnostic& d : warnings) std::cerr << d.format() << "\n";
  if (o.strict && !warnings.empty()) {
    std::cerr << "faultline: error: " << warnings.size() << " warning(s), and --strict treats them as errors\n";
    return kUserError;
  }
  check_run_budget(s, RunBudget{o.event_budget, 0, o.force});
  const std::uint64_t seed = o.seed_option->count() ? o.seed : s.info.seed;
  const RunIdentity identity{s.info.name, s.text_hash, s.overrides, seed, s.info.seed};
  // Before simulating: a long run must not end unable to write its report, or replacing another's.
  const std::string dir = o.out.empty() ? default_report_folder(identity, output_name(s.info.name)) : o.out;
  check_report_folder(dir, identity, o.force);
  ProgressLine progress(s.info.duration, !o.quiet && ProgressLine::stderr_is_terminal());
  SimulationOptions options;
  options.progress = [&progress](double sim_time) { progress.update(sim_time); };
  const Report report = simulate(s, seed, options);
  progress.finish();

  std::cout << (o.format == "json" ? report_to_json(report) : format_summary(report)) << std::flush;
  write_report_files(report, dir);
  if (!o.quiet) {
    const std::filesystem::path base(dir);
    std::cerr << "wrote " << (base / "report.json").string() << ", " << (base / "timeline.csv").string() << ", "
              << (base / "report.html").string() << "\n";
  }
  if (o.check) {
    const std::size_t n = missed(report.expectations);
    if (n == 0) return kOk;
    std::cerr << "faultline: check failed: " << n << " of " << report.expectations.size() << " missed\n";
    for (const ExpectationResult& e : report.expectations)
      if (!e.met)
        std::cerr << "  " << (e.line > 0 ? s.origin + ":" + std::to_string(e.line) + ": " : std::string())
                  << expectation_text(e) << "\n";
    return kCheckFailed;
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
            std::vector<Diagnostic> warnings;
            const Scenario s = load_scenario_file(*scenario, to_overrides(options->sets), &warnings);
            return run_scenario(s, warnings, *options);
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
            std::vector<Diagnostic> warnings;
            const Scenario s = load_scenario_text(it->second, origin, to_overrides(options->sets), &warnings);
            return run_scenario(s, warnings, *options);
          }};
}

}  // namespace faultline::cli
