// faultline: a thin shell over the libraries. Exit codes (PRODUCT.md): 0 ok, 1 a user error (a bad
// scenario, bad arguments, a file that cannot be read or written), 2 a bug in faultline, 130
// interrupted (SIGINT, SIGTERM, SIGHUP).
#include "cli/command.hpp"
#include "io/report_files.hpp"
#include "scenario/errors.hpp"

#include <csignal>
#include <iostream>

#include <unistd.h>

namespace {

bool stderr_is_terminal = false;

// Ctrl-C or SIGTERM: stop at once. Nothing is lost: report files and sweep rows are only ever
// replaced whole, and a sweep resumes where it stopped; simulation children get the same Ctrl-C
// (one process group) or die with their parent. Only async-signal-safe calls here.
extern "C" void on_interrupt(int) {
  static constexpr char kTerminal[] = "\nfaultline: interrupted\n";
  const char* text = stderr_is_terminal ? kTerminal : kTerminal + 1;
  ssize_t ignored = ::write(STDERR_FILENO, text, stderr_is_terminal ? sizeof kTerminal - 1 : sizeof kTerminal - 2);
  (void)ignored;
  ::_exit(faultline::cli::kInterrupted);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace faultline;
  using namespace faultline::cli;

  stderr_is_terminal = ::isatty(STDERR_FILENO) == 1;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction action{};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    ::sigaction(sig, &action, nullptr);
  }

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
  } catch (const Interrupted& e) {  // a child was stopped on its own (kill -INT of the child alone)
    std::cerr << "faultline: " << e.what() << "\n";
    return kInterrupted;
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
