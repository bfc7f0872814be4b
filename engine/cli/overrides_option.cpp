#include "cli/command.hpp"

namespace faultline::cli {

void add_overrides_option(CLI::App& command, std::vector<std::string>& sets) {
  command
      .add_option("--set", sets,
                  "Override a scenario value, e.g. --set traffic.rate=200 --set service.auth.replicas=3")
      ->type_name("KEY=VALUE")
      ->take_all()
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            const auto eq = text.find('=');
            if (eq == std::string::npos || eq == 0) return "expected KEY=VALUE, got '" + text + "'";
            return {};
          },
          ""));
}

// The value may itself hold '=': only the first one separates.
Overrides to_overrides(const std::vector<std::string>& sets) {
  Overrides out;
  for (const std::string& s : sets) {
    const auto eq = s.find('=');
    out.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  return out;
}

}  // namespace faultline::cli
