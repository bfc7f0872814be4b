// A bug in faultline itself, as opposed to a mistake in the user's scenario (faultline::ScenarioError
// in engine/io/loader.hpp). The CLI maps it to exit code 2.
#pragma once

#include <stdexcept>
#include <string>

namespace faultline {

struct InternalError : std::logic_error {
  explicit InternalError(const std::string& what) : std::logic_error("internal error: " + what) {}
};

}  // namespace faultline
