#include "io/diagnostic_list.hpp"

#include <algorithm>

namespace faultline {

Diagnostic DiagnosticList::at(const toml::source_region& where, std::string key, std::string message) const {
  if (where.begin.line == 0) return Diagnostic{kOverrideOrigin, 0, 0, std::move(key), std::move(message)};
  return Diagnostic{origin_, static_cast<int>(where.begin.line), static_cast<int>(where.begin.column), std::move(key),
                    std::move(message)};
}

void DiagnosticList::add(const toml::source_region& where, std::string key, std::string message) {
  diagnostics_.push_back(at(where, std::move(key), std::move(message)));
}

void DiagnosticList::add_override(std::string key, std::string message) {
  diagnostics_.push_back(Diagnostic{kOverrideOrigin, 0, 0, std::move(key), std::move(message)});
}

void DiagnosticList::warn(const toml::source_region& where, std::string key, std::string message) {
  Diagnostic d = at(where, std::move(key), std::move(message));
  d.warning = true;
  warnings_.push_back(std::move(d));
}

namespace {

std::vector<Diagnostic> sorted(std::vector<Diagnostic> out) {
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  return out;
}

}  // namespace

std::vector<Diagnostic> DiagnosticList::in_file_order() const { return sorted(diagnostics_); }

std::vector<Diagnostic> DiagnosticList::warnings_in_file_order() const { return sorted(warnings_); }

}  // namespace faultline
