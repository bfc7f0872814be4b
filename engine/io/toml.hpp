// The one way faultline includes toml++, so that every translation unit sees it configured alike.
//
// toml++ 3.3 (the version Debian 12 ships) checks its parser's own invariants with TOML_ASSERT, and
// some inputs break them: `[[#` trips the one in parse_key, `x = [}` the one in parse_value. In the
// library faultline links (built with NDEBUG) those checks compile to nothing and the parser goes on
// to report the input as a positioned parse error. A build of toml++ from its headers without NDEBUG
// (the fuzz build in fuzz/) would abort instead, so here the checks are configured to do what the
// shipped library does: nothing, leaving the parser's own positioned error to the user. Inputs that
// make toml++ 3.3 misbehave beyond its checks are refused before it sees them (io/toml_guard.hpp).
#pragma once

#ifndef NDEBUG
#define TOML_ASSERT(expr) static_cast<void>(0)
#endif
#include <toml++/toml.h>
