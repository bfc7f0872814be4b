// faultline: a thin shell over the libraries. Exit codes (PRODUCT.md): 0 ok, 1 a user error (a bad
// scenario, bad arguments, a file that cannot be read or written), 2 a bug in faultline.
#include "cli/command.hpp"
#include "io/report_files.hpp"
#include "scenario/errors.hpp"

#include <iostream>

int main(int argc, char** argv) {
  using namespace faultline;
  using namespace faultline::cli;

  CLI::App cli("faultline: chaos and outage simulation of a service dependency graph", "faultline");
  cli.set_version_flag("--version", std::string("faultline ") + FAULTLINE_VERSION);
  cli.require_subcommand(1);
  const Command commands[] = {add_run_command(cli),    add_validate_command(cli), add_graph_command(cli),
                              add_demo_command(cli),   add_schema_command(cli),   add_sweep_command(cli),
                              add_compare_command(cli)};
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? kOk : kUserError;  // --help and --version end parsing "successfully"
  }

  try {
    for (const Command& c : commands)
      if (c.app->parsed()) return c.run();
    return kInternalError;  // unreachable: require_subcommand(1)
  } catch (const ScenarioError& e) {
    for (const Diagnostic& d : e.diagnostics()) std::cerr << d.format() << "\n";
    if (e.diagnostics().empty()) std::cerr << "faultline: error: " << e.what() << "\n";
    return kUserError;
  } catch (const FileWriteError& e) {
    std::cerr << "faultline: error: " << e.what() << "\n";
    return kUserError;
  } catch (const std::exception& e) {
    // InternalError's message already says "internal error".
    const bool labelled = dynamic_cast<const InternalError*>(&e) != nullptr;
    std::cerr << "faultline: " << (labelled ? "" : "internal error: ") << e.what() << "\n";
    return kInternalError;
  } catch (...) {
    std::cerr << "faultline: internal error: unknown exception\n";
    return kInternalError;
  }
}
