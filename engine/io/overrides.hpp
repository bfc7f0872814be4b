// --set KEY=VALUE: edits of the parsed TOML tree made before it is validated, so an override is
// checked exactly like a value written in the file.
#pragma once

#include "io/diagnostic_list.hpp"
#include "io/loader.hpp"
#include "io/toml.hpp"

#include <map>
#include <string>

namespace faultline {

// KEY is a dotted path; an array of tables is addressed by element name or index
// (`service.auth.replicas`, `dependency[2].timeout`). VALUE is read as a TOML value, or else taken as
// a string. Missing tables on the way are created. Returns the overrides applied, by key; a bad
// path is a diagnostic.
std::map<std::string, std::string> apply_overrides(toml::table& root, const Overrides& overrides, DiagnosticList& out);

}  // namespace faultline
