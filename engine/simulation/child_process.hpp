// Running work in a forked child process: SimGrid allows one engine per process and keeps global
// state after it, so each run gets a fresh process; a crash in the child cannot take the caller down.
#pragma once

#include <functional>
#include <string>

namespace faultline {

using ProgressSink = std::function<void(double sim_time)>;
// The work done in the child: returns its result as bytes, may report progress as it goes.
using ChildWork = std::function<std::string(const ProgressSink& report_progress)>;

// Forks, runs `work` in the child and returns the bytes it returned. Progress the child reports is
// handed to `on_progress` in the calling thread while the child runs. The child leaves with _exit()
// (no atexit handlers, no flushing of buffers it inherited). An exception in the child, or a child
// that dies (a signal, an abort in SimGrid), becomes an InternalError here; the caller survives.
// An exception thrown by on_progress kills the child and propagates.
std::string run_in_child_process(const ChildWork& work, const ProgressSink& on_progress = {});

}  // namespace faultline
