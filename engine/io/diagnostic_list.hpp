// Collects diagnostics while a scenario is read, so that one pass reports every mistake.
#pragma once

#include "io/loader.hpp"
#include "io/toml.hpp"

#include <string>
#include <vector>

namespace faultline {

// Where values that came from --set overrides are reported: they have no place in the file.
inline constexpr const char* kOverrideOrigin = "<--set>";

class DiagnosticList {
 public:
  explicit DiagnosticList(std::string origin) : origin_(std::move(origin)) {}

  // A node without a source position was put into the tree by an override: it is reported as
  // `<--set>` rather than as line 0 of the file.
  void add(const toml::source_region& where, std::string key, std::string message);
  void add_override(std::string key, std::string message);
  // A warning: kept apart, it does not stop the scenario from loading.
  void warn(const toml::source_region& where, std::string key, std::string message);

  bool empty() const { return diagnostics_.empty(); }
  const std::string& origin() const { return origin_; }

  // Overrides first (they have no position), then in file order; ties keep the order found.
  std::vector<Diagnostic> in_file_order() const;
  std::vector<Diagnostic> warnings_in_file_order() const;

 private:
  // Placed in the file, or from an override (no position).
  Diagnostic at(const toml::source_region& where, std::string key, std::string message) const;

  std::string origin_;
  std::vector<Diagnostic> diagnostics_, warnings_;
};

}  // namespace faultline
