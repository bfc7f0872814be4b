// `faultline validate SCENARIO`: every mistake in the file, one per line on stdout, or OK.
#include "cli/command.hpp"

#include <iostream>
#include <memory>

namespace faultline::cli {

Command add_validate_command(CLI::App& cli) {
  auto scenario = std::make_shared<std::string>();
  auto sets = std::make_shared<std::vector<std::string>>();
  CLI::App* app = cli.add_subcommand("validate", "Check a scenario without simulating it");
  app->add_option("SCENARIO", *scenario, "Scenario file (TOML)")->required();
  add_overrides_option(*app, *sets);
  return {app, [scenario, sets] {
            std::vector<Diagnostic> diagnostics;
            if (sets->empty()) {
              diagnostics = validate_scenario_file(*scenario);
            } else {
              // Overrides only exist on the load path; its error carries the same diagnostics.
              try {
                load_scenario_file(*scenario, to_overrides(*sets));
              } catch (const ScenarioError& e) {
                diagnostics = e.diagnostics();
              }
            }
            if (diagnostics.empty()) {
              std::cout << "OK\n";
              return kOk;
            }
            for (const Diagnostic& d : diagnostics) std::cout << d.format() << "\n";
            return kUserError;
          }};
}

}  // namespace faultline::cli
