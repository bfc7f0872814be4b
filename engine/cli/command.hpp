// The subcommands of the faultline CLI. Each file adds one to the app: its options live in the
// closure, and `run` is called once the command line chose it, returning the process exit code.
// Errors travel as exceptions (ScenarioError, FileWriteError, InternalError) to main, which owns the
// mapping to exit codes.
#pragma once

#include "io/loader.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace faultline::cli {

enum ExitCode : int { kOk = 0, kUserError = 1, kInternalError = 2 };

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command add_run_command(CLI::App& cli);
Command add_demo_command(CLI::App& cli);
Command add_validate_command(CLI::App& cli);
Command add_graph_command(CLI::App& cli);
Command add_schema_command(CLI::App& cli);

// --set KEY=VALUE, repeatable, for every command that loads a scenario; checked at parse time.
void add_overrides_option(CLI::App& command, std::vector<std::string>& sets);
Overrides to_overrides(const std::vector<std::string>& sets);

}  // namespace faultline::cli
