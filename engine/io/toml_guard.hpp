// What toml++ 3.3 (the version Debian 12 ships) must not be given. A non-ASCII character outside a
// string or a comment (a bare key such as `café = 1`) makes its parser reach __builtin_unreachable in
// its Unicode tables: undefined behaviour even in a release build (fixed upstream after 3.3). Such
// text is never valid TOML anyway (bare keys are ASCII, and so is every value outside a string), so
// it is refused here with a positioned diagnostic before the parser sees it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace faultline {

struct TomlGuardProblem {
  int line = 1, column = 1;  // 1-based; the column counts characters (UTF-8 code points)
  std::string message;
};

// The first place in `text` that toml++ 3.3 must not parse, or nothing.
std::optional<TomlGuardProblem> toml_guard(std::string_view text);

}  // namespace faultline
