#include "simulation/simgrid_engine.hpp"

#include "scenario/errors.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <csignal>
#include <xbt/log.h>

#include <string>
#include <vector>

namespace faultline {

namespace {
bool engine_created = false;

// AddressSanitizer cannot follow SimGrid's own context switches (its stack bookkeeping reports
// overflows in sigaltstack and loses track of actor stacks): under ASan every actor is a thread,
// with a stack large enough for ASan's redzones, whatever the caller asked for.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

bool overridden_under_sanitizer(const std::string& config) {
  return kAddressSanitizer && (config.starts_with("contexts/stack-size:") || config.starts_with("contexts/guard-size:"));
}
}  // namespace

bool SimgridEngine::used_in_this_process() { return engine_created; }

SimgridEngine::SimgridEngine(const std::vector<std::string>& extra_config) {
  if (engine_created || simgrid::s4u::Engine::has_instance())
    throw InternalError(
        "a SimGrid engine was already created in this process; SimGrid cannot run twice in one process "
        "(use simulate_isolated)");
  engine_created = true;
  // Before the engine exists, so that nothing it prints while parsing its configuration gets through.
  xbt_log_control_set("root.thres:critical");
  std::vector<std::string> args = {
      "faultline",
      "--log=root.thres:critical",
      "--cfg=network/model:CM02",
      "--cfg=contexts/nthreads:1",
      "--cfg=debug/verbose-exit:0",
  };
  if (kAddressSanitizer) {
    args.push_back("--cfg=contexts/factory:thread");
    args.push_back("--cfg=contexts/stack-size:1024");
  }
  for (const std::string& c : extra_config)
    if (!overridden_under_sanitizer(c)) args.push_back("--cfg=" + c);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = int(args.size());
  // SimGrid installs a SIGINT handler of its own that ends the process with status 1: Ctrl-C would
  // look like a failed run. Whatever the process had (the CLI's handler, a child's default) stays.
  struct sigaction interrupt{};
  ::sigaction(SIGINT, nullptr, &interrupt);
  engine_ = std::make_unique<simgrid::s4u::Engine>(&argc, argv.data());
  ::sigaction(SIGINT, &interrupt, nullptr);
}

SimgridEngine::~SimgridEngine() = default;

void SimgridEngine::run() { engine_->run(); }

void SimgridEngine::set_actor_stack_size_kib(unsigned kib) {
  const std::string config = "contexts/stack-size:" + std::to_string(kib);
  if (!overridden_under_sanitizer(config)) simgrid::s4u::Engine::set_config(config);
}

}  // namespace faultline
