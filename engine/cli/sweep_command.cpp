// `faultline sweep SCENARIO --runs N [--param KEY=V1,V2,...]...`: replicates of a scenario, or of
// every point of a parameter grid, into a CSV file that an interrupted sweep resumes. Also what
// sweep and compare share: their options and running a plan into its file.
#include "cli/command.hpp"
#include "io/report_folder.hpp"
#include "experiment/parameter_grid.hpp"
#include "experiment/run_budget.hpp"
#include "report/number_text.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace faultline::cli {

namespace {

// "run 17/40" on stderr, rewritten in place; only on a terminal (in a pipe or a log it is noise).
class RunCountLine {
 public:
  RunCountLine(std::size_t total, bool enabled) : total_(total), enabled_(enabled) {}
  RunCountLine(const RunCountLine&) = delete;
  RunCountLine& operator=(const RunCountLine&) = delete;
  ~RunCountLine() { finish(); }

  void show(std::size_t done) {
    if (!enabled_) return;
    fmt::print(stderr, "\rrun {}/{}\x1b[K", done, total_);
    std::fflush(stderr);
    shown_ = true;
  }
  void finish() {
    if (!shown_) return;
    fmt::print(stderr, "\r\x1b[K");
    std::fflush(stderr);
    shown_ = false;
  }

 private:
  std::size_t total_;
  bool enabled_;
  bool shown_ = false;
};

// A bad --param found after parsing (a key given twice) reads like a bad --set.
ParameterGrid grid_of(const std::vector<std::string>& params) {
  try {
    std::vector<Parameter> parameters;
    for (const std::string& p : params) parameters.push_back(parse_parameter(p));
    return ParameterGrid(std::move(parameters));
  } catch (const ParameterError& e) {
    throw ScenarioError({Diagnostic{"<--param>", 0, 0, "", e.what()}});
  }
}

double mean_of_defined(const std::vector<FinishedRun>& runs, std::size_t point, const std::string& metric,
                       std::size_t& defined) {
  double sum = 0;
  defined = 0;
  for (const FinishedRun& r : runs) {
    const double v = r.metrics[metric];
    if (r.planned.point != point || std::isnan(v)) continue;
    sum += v;
    ++defined;
  }
  return defined ? sum / double(defined) : std::nan("");
}

// One line per point: its values and the means of the headline metrics over its runs.
std::string point_means(const SweepPlan& plan, const std::vector<FinishedRun>& runs) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"point"};
  header.insert(header.end(), plan.label_columns.begin(), plan.label_columns.end());
  for (const char* h : {"availability", "users_affected", "user_minutes_lost", "sessions_lost", "ttr"})
    header.push_back(std::string("mean ") + h);
  rows.push_back(header);
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    std::vector<std::string> row{std::to_string(p)};
    row.insert(row.end(), plan.points[p].labels.begin(), plan.points[p].labels.end());
    std::size_t defined = 0;
    row.push_back(percent_text(mean_of_defined(runs, p, "availability", defined)));
    for (const char* m : {"users_affected", "user_minutes_lost", "sessions_lost"})
      row.push_back(abbreviated(mean_of_defined(runs, p, m, defined)));
    const double ttr = mean_of_defined(runs, p, "ttr", defined);
    row.push_back(defined ? fmt::format("{} ({} of {})", clock_text(ttr), defined, plan.runs_per_point) : "never");
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(header.size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) line += fmt::format("{:<{}}  ", row[c], width[c]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::optional<std::uint64_t> ExperimentOptions::chosen_seed() const {
  if (seed_option && seed_option->count()) return seed;
  return std::nullopt;
}

void add_experiment_options(CLI::App& command, ExperimentOptions& o) {
  command.add_option("--jobs,-j", o.jobs, "Runs simulated at the same time (each in its own process)")
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  o.seed_option = command.add_option("--seed", o.seed, "Seed of the first run; run i uses seed + i (default: the scenario's)")
                      ->check(seed_validator());
  command.add_flag("--quiet,-q", o.quiet, "No progress and no file notes on stderr");
  command.add_flag("--force", o.force, "Run points estimated over the event budget or the machine's memory");
  add_event_budget_option(command, o.event_budget);
}

SweepOutcome run_plan_into_csv(const SweepPlan& plan, const std::string& path, const ExperimentOptions& o) {
  check_run_budget(plan, RunBudget{o.event_budget, 0, o.force});  // before the file is touched
  RunCountLine progress(plan.size(), !o.quiet && ::isatty(STDERR_FILENO) == 1);
  const SweepOutcome outcome =
      run_sweep_into_csv(plan, path, o.jobs, [&progress](std::size_t done) { progress.show(done); });
  progress.finish();
  if (!o.quiet)
    std::cerr << "wrote " << path << ": " << outcome.runs.size() << " runs, " << outcome.resumed
              << " of them resumed from the file\n";
  return outcome;
}

struct SweepOptions {
  std::string scenario;
  std::vector<std::string> params, sets;
  ExperimentOptions experiment;
};

// out/<name>/sweep.csv for replicates of the scenario as written; with a grid, overrides or a chosen
// seed, sweep-<tag>.csv, the tag standing for them: two different sweeps never share a file, and the
// same command finds its own file to resume.
std::string default_sweep_file(const SweepOptions& o, const SweepPlan& plan) {
  std::vector<std::string> parts;
  for (const std::string& p : o.params) parts.push_back("param " + p);
  for (const std::string& s : o.sets) parts.push_back("set " + s);
  if (const auto seed = o.experiment.chosen_seed()) parts.push_back("seed " + std::to_string(*seed));
  const std::string file = parts.empty() ? "sweep.csv" : "sweep-" + text_tag(parts) + ".csv";
  return (std::filesystem::path("out") / output_name(plan.points.front().scenario.info.name) / file).string();
}

Command add_sweep_command(CLI::App& cli) {
  using Options = SweepOptions;
  auto o = std::make_shared<Options>();
  CLI::App* app = cli.add_subcommand(
      "sweep", "Replicates of a scenario, or of every point of a parameter grid, into a resumable CSV file");
  app->add_option("SCENARIO", o->scenario, "Scenario file (TOML)")->required();
  app->add_option("--runs,-n", o->experiment.runs, "Runs of each point, with seeds seed, seed + 1, ...")
      ->required()
      ->check(CLI::Range(std::size_t(1), std::size_t(1000000)));
  app->add_option("--param", o->params,
                  "A grid axis, repeatable: --param service.api.replicas=1,2,3 (points: every combination)")
      ->type_name("KEY=V1,V2,...")
      ->take_all()
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            try {
              parse_parameter(text);
              return {};
            } catch (const ParameterError& e) {
              return e.what();
            }
          },
          ""));
  app->add_option("--out", o->experiment.out,
                  "The CSV file (default: out/<name>/sweep.csv, or sweep-<tag>.csv for a grid, overrides or a seed: "
                  "the tag stands for them, so the same command resumes its own file); resumed if it exists")
      ->type_name("FILE.csv");
  add_overrides_option(*app, o->sets);
  add_experiment_options(*app, o->experiment);
  return {app, [o] {
            const ParameterGrid grid = grid_of(o->params);
            const std::string path = o->scenario;
            const SweepPlan plan = plan_sweep([&path](const Overrides& overrides) { return load_scenario_file(path, overrides); },
                                              to_overrides(o->sets), grid, o->experiment.runs, o->experiment.chosen_seed());
            const std::string out = o->experiment.out.empty() ? default_sweep_file(*o, plan) : o->experiment.out;
            const SweepOutcome outcome = run_plan_into_csv(plan, out, o->experiment);
            std::cout << point_means(plan, outcome.runs) << std::flush;
            return kOk;
          }};
}

}  // namespace faultline::cli
