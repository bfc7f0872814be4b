// The subcommands of the faultline CLI. Each file adds one to the app: its options live in the
// closure, and `run` is called once the command line chose it, returning the process exit code.
// Errors travel as exceptions (ScenarioError, FileWriteError, InternalError) to main, which owns the
// mapping to exit codes.
#pragma once

#include "experiment/run_budget.hpp"
#include "experiment/sweep_csv.hpp"
#include "io/loader.hpp"

#include <CLI/CLI.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace faultline::cli {

// kCheckFailed: `run --check` and an SLO or an [[expect]] was missed (the run itself went fine).
enum ExitCode : int { kOk = 0, kUserError = 1, kInternalError = 2, kCheckFailed = 3, kInterrupted = 130 };

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command add_run_command(CLI::App& cli);
Command add_demo_command(CLI::App& cli);
Command add_validate_command(CLI::App& cli);
Command add_graph_command(CLI::App& cli);
Command add_schema_command(CLI::App& cli);
Command add_sweep_command(CLI::App& cli);
Command add_compare_command(CLI::App& cli);

// --set KEY=VALUE, repeatable, for every command that loads a scenario; checked at parse time.
void add_overrides_option(CLI::App& command, std::vector<std::string>& sets);
Overrides to_overrides(const std::vector<std::string>& sets);

// What sweep and compare share (defined in sweep_command.cpp): their options, and running a plan
// into its CSV file with a "run 17/40" line on a terminal and a note of what was written.
struct ExperimentOptions {
  std::size_t runs = 10;
  unsigned jobs = 1;
  std::uint64_t seed = 0;
  CLI::Option* seed_option = nullptr;
  std::string out;
  bool quiet = false;
  bool force = false;                   // run points estimated over the budget
  double event_budget = RunBudget::kDefaultEvents;
  std::optional<std::uint64_t> chosen_seed() const;
};
void add_experiment_options(CLI::App& command, ExperimentOptions& o);
// --event-budget N: the model events a run may take before it is refused (with --force, it is not).
void add_event_budget_option(CLI::App& command, double& budget);
SweepOutcome run_plan_into_csv(const SweepPlan& plan, const std::string& path, const ExperimentOptions& o);
// A scenario name as a directory name under out/: only characters safe everywhere.
std::string output_name(const std::string& scenario_name);  // a safe directory name
CLI::Validator seed_validator();  // a 64-bit unsigned seed, refusing what CLI11 would wrap around

}  // namespace faultline::cli
