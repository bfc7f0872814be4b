// faultline: a thin shell over the libraries. Exit codes (PRODUCT.md): 0 ok, 1 a user error (a bad
// scenario, bad arguments, a file that cannot be read or written), 2 a bug in faultline, 3 a check
// missed (`run --check`: the run went fine), 130 interrupted (SIGINT, SIGTERM, SIGHUP).
#include "cli/command.hpp"
#include "io/report_files.hpp"
#include "scenario/errors.hpp"

#include <algorithm>
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

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

// Edits (insertions, deletions, substitutions) between two words, for "did you mean".
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The first argument names no command (and is no option): say so, with the commands, rather than
// CLI11's "A subcommand is required".
std::string unknown_command_message(const std::string& word, const std::vector<std::string>& names) {
  std::string list, closest;
  std::size_t best = 3;  // suggest only a near miss
  for (const std::string& n : names) {
    list += (list.empty() ? "" : ", ") + n;
    if (const std::size_t d = edit_distance(word, n); d < best) {
      best = d;
      closest = n;
    }
  }
  std::string out = "faultline: error: unknown command '" + word + "'";
  if (!closest.empty()) out += "; did you mean '" + closest + "'?";
  return out + "\nthe commands are " + list + " (faultline --help)";
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
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const Command& c : commands) names.push_back(c.app->get_name());
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      std::cerr << unknown_command_message(argv[1], names) << "\n";
      return kUserError;
    }
  }
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
