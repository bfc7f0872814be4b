// A bug in faultline itself, as opposed to a mistake in the user's scenario (faultline::ScenarioError
// in engine/io/loader.hpp). The CLI maps it to exit code 2. And an interruption by the user.
#pragma once

#include <stdexcept>
#include <string>

namespace faultline {

struct InternalError : std::logic_error {
  explicit InternalError(const std::string& what) : std::logic_error("internal error: " + what) {}
};

// The user stopped the work (Ctrl-C, SIGTERM): a simulation child died of SIGINT, SIGTERM or SIGHUP.
// Neither a bug nor a mistake: the CLI exits 130, Python raises KeyboardInterrupt.
struct Interrupted : std::runtime_error {
  explicit Interrupted(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace faultline
