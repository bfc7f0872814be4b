// Turns a parsed (and overridden) TOML tree into a Scenario: each section read against the schema
// table, then every cross-reference checked (names exist, fault targets fit their kind, no hard
// dependency cycle). Mistakes go to the DiagnosticList; reading carries on past them.
#pragma once

#include "io/diagnostic_list.hpp"
#include "io/loader.hpp"
#include "io/toml.hpp"
#include "scenario/scenario.hpp"

#include <map>
#include <string>
#include <string_view>

namespace faultline {

// The Scenario is complete only when `out` stays empty; origin, text hash and overrides are the
// caller's to fill.
Scenario read_scenario(const toml::table& tree, DiagnosticList& out);

// The TOML tree of a scenario text with the overrides applied, and the overrides applied by key in
// `applied`; throws ScenarioError when the text is not TOML (loader.cpp). Bad overrides go to `out`.
toml::table parse_scenario(std::string_view text, const std::string& origin, const Overrides& overrides,
                           DiagnosticList& out, std::map<std::string, std::string>& applied);

}  // namespace faultline
