#include "io/diagnostic_list.hpp"

#include <algorithm>

namespace faultline {

void DiagnosticList::add(const toml::source_region& where, std::string key, std::string message) {
  if (where.begin.line == 0) {
    add_override(std::move(key), std::move(message));
    return;
  }
  diagnostics_.push_back(Diagnostic{origin_, static_cast<int>(where.begin.line), static_cast<int>(where.begin.column),
                                    std::move(key), std::move(message)});
}

void DiagnosticList::add_override(std::string key, std::string message) {
  diagnostics_.push_back(Diagnostic{kOverrideOrigin, 0, 0, std::move(key), std::move(message)});
}

std::vector<Diagnostic> DiagnosticList::in_file_order() const {
  std::vector<Diagnostic> out = diagnostics_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  return out;
}

}  // namespace faultline
