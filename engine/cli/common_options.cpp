// Options and names several subcommands share.
#include "cli/command.hpp"

#include <cctype>
#include <charconv>

namespace faultline::cli {

CLI::Validator seed_validator() {
  // CLI11 would wrap "-4" around, or saturate a number that is too large, into some other seed.
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || error != std::errc() || end != text.data() + text.size())
          return "expected an integer from 0 to 18446744073709551615, got '" + text + "'";
        return {};
      },
      "");
}

void add_event_budget_option(CLI::App& command, double& budget) {
  command
      .add_option("--event-budget", budget,
                  "Refuse, before simulating, a run estimated to take more model events than this (also refused: "
                  "one estimated over the machine's physical memory); --force runs it anyway")
      ->type_name("N")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

// A scenario name is free text; as a directory name it keeps only characters safe everywhere.
std::string output_name(const std::string& scenario_name) {
  std::string name = scenario_name;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '-';
  if (name.empty() || name == "." || name == "..") name = "scenario";
  return name;
}

}  // namespace faultline::cli
