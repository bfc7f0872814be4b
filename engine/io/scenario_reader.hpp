// Turns a parsed (and overridden) TOML tree into a Scenario: each section read against the schema
// table, then every cross-reference checked (names exist, fault targets fit their kind, no hard
// dependency cycle). Mistakes go to the DiagnosticList; reading carries on past them.
#pragma once

#include "io/diagnostic_list.hpp"
#include "io/toml.hpp"
#include "scenario/scenario.hpp"

namespace faultline {

// The Scenario is complete only when `out` stays empty; origin, text hash and overrides are the
// caller's to fill.
Scenario read_scenario(const toml::table& tree, DiagnosticList& out);

}  // namespace faultline
