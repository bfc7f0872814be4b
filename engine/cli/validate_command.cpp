// `faultline validate SCENARIO`: every mistake in the file, one per line on stderr (where every command
// puts its diagnostics), or OK on stdout.
#include "cli/command.hpp"

#include <iostream>
#include <memory>

namespace faultline::cli {

Command add_validate_command(CLI::App& cli) {
  auto scenario = std::make_shared<std::string>();
  auto sets = std::make_shared<std::vector<std::string>>();
  auto strict = std::make_shared<bool>(false);
  CLI::App* app = cli.add_subcommand("validate", "Check a scenario without simulating it");
  app->add_option("SCENARIO", *scenario, "Scenario file (TOML)")->required();
  add_overrides_option(*app, *sets);
  app->add_flag("--strict", *strict, "Treat warnings as errors (exit 1 when there are any)");
  return {app, [scenario, sets, strict] {
            std::vector<Diagnostic> warnings;
            try {
              load_scenario_file(*scenario, to_overrides(*sets), &warnings);
            } catch (const ScenarioError& e) {
              for (const Diagnostic& d : e.diagnostics()) std::cerr << d.format() << "\n";
              return kUserError;
            }
            for (const Diagnostic& d : warnings) std::cerr << d.format() << "\n";
            if (warnings.empty()) {
              std::cout << "OK\n";
              return kOk;
            }
            if (*strict) {
              std::cerr << "faultline: error: " << warnings.size() << " warning(s), and --strict treats them as errors\n";
              return kUserError;
            }
            std::cout << "OK, with " << warnings.size() << " warning(s)\n";
            return kOk;
          }};
}

}  // namespace faultline::cli
