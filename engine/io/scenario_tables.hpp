// A scenario as data in its own terms: every table and key of the file (after the overrides), each
// key the schema declares filled with its default, as JSON. The schema table (io/schema.hpp) drives
// it, so the Python object model (faultline.Scenario's services, dependencies, ...) has exactly the
// keys, defaults and units the loader and SCHEMA.md have.
#pragma once

#include "io/loader.hpp"

#include <string>
#include <string_view>

namespace faultline {

// Throws ScenarioError as load_scenario_text does. Durations (and distribution parameters other
// than `shape`) are in seconds; a distribution written as a duration is a constant of that many
// seconds. A key absent from the file has its schema default, or null when the default is computed
// or there is none; an absent table whose presence switches something on (`Present: enabled` in
// SCHEMA.md) is null, other absent tables are filled with their defaults.
std::string scenario_tables_json(std::string_view text, const std::string& origin, const Overrides& overrides);

}  // namespace faultline
