// `faultline schema`: the scenario file reference (scenarios/SCHEMA.md is this output, checked in CI).
#include "cli/command.hpp"

#include <iostream>

namespace faultline::cli {

Command add_schema_command(CLI::App& cli) {
  CLI::App* app = cli.add_subcommand("schema", "Print the scenario file reference (Markdown)");
  return {app, [] {
            std::cout << schema_markdown();
            return kOk;
          }};
}

}  // namespace faultline::cli
