// libFuzzer target for the scenario loader: TOML text in, a Scenario or diagnostics out, through the
// same path as the CLI (the toml_guard, toml++, --set overrides, every reader and check).
//
// An input is a scenario file, optionally followed by a line "#%set" and one override per line
// (KEY=VALUE, split at the first '=' as the CLI's --set does). Being a comment, the marker leaves
// the TOML part a valid file, so every example scenario seeds the corpus as it is.
//
// Besides crashes, hangs, leaks and sanitizer reports, the target fails on a broken promise of the
// loader: a refused input without a diagnostic, or a diagnostic placed outside the text.
#include "io/loader.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kMarker = "\n#%set\n";

faultline::Overrides overrides_in(std::string_view lines) {
  faultline::Overrides out;
  while (!lines.empty()) {
    const std::size_t end = lines.find('\n');
    const std::string_view line = lines.substr(0, end);
    lines = end == std::string_view::npos ? std::string_view{} : lines.substr(end + 1);
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;  // the CLI refuses these before loading
    out.emplace_back(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
  }
  return out;
}

[[noreturn]] void broken(const char* what, const std::string& detail) {
  std::fprintf(stderr, "loader promise broken: %s\n%s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t marker = input.find(kMarker);
  const std::string_view text = input.substr(0, marker);
  const faultline::Overrides overrides =
      marker == std::string_view::npos ? faultline::Overrides{} : overrides_in(input.substr(marker + kMarker.size()));
  int lines = 1;
  for (char c : text) lines += c == '\n';
  try {
    faultline::load_scenario_text(text, "fuzz.toml", overrides);
  } catch (const faultline::ScenarioError& e) {
    if (e.diagnostics().empty()) broken("a refused input has no diagnostic", "");
    for (const faultline::Diagnostic& d : e.diagnostics()) {
      if (d.message.empty()) broken("a diagnostic without a message", d.format());
      if (d.line < 0 || d.line > lines || d.column < 0 || (d.line == 0) != (d.column == 0))
        broken("a diagnostic placed outside the text", d.format());
    }
  }
  return 0;  // any other exception escapes: libFuzzer reports it with the input
}
