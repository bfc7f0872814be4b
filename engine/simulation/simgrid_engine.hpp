// The one SimGrid engine a process may ever have, configured the way faultline needs it: literal
// latencies (CM02: the default LV08 model multiplies them by 13.01), one scheduling thread (more
// breaks determinism) and no log output. SimGrid keeps global state (the clock, static signals)
// after its Engine is destroyed, so a second engine in the same process would silently give wrong
// results: constructing a second SimgridEngine throws InternalError instead. Fork to run again
// (see child_process.hpp). Built with AddressSanitizer, every actor runs as a thread with a 1 MiB
// stack (ASan cannot follow SimGrid's own context switches) and callers' stack sizes are ignored.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace simgrid::s4u {
class Engine;
}

namespace faultline {

class SimgridEngine {
 public:
  // `extra_config`: more --cfg flags, e.g. small actor stacks for models with many actors.
  explicit SimgridEngine(const std::vector<std::string>& extra_config = {});
  ~SimgridEngine();
  SimgridEngine(const SimgridEngine&) = delete;
  SimgridEngine& operator=(const SimgridEngine&) = delete;

  simgrid::s4u::Engine& get() { return *engine_; }
  void run();

  // The stack of the actors created from now on (SimGrid sizes a stack by the configuration when
  // the actor is created); ignored under AddressSanitizer, as `extra_config`'s stack sizes are.
  void set_actor_stack_size_kib(unsigned kib);

  // Whether this process has already created a SimGrid engine (then it cannot create another).
  static bool used_in_this_process();

 private:
  std::unique_ptr<simgrid::s4u::Engine> engine_;
};

}  // namespace faultline
