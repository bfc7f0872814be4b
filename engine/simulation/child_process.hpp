// Running work in a forked child process: SimGrid allows one engine per process and keeps global
// state after it, so each run gets a fresh process; a crash in the child cannot take the caller down.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include <sys/types.h>

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

// Runs `count` pieces of work, each in a child of its own, `jobs` at a time, every child forked and
// read from this thread (see ChildProcess): `on_result(i, bytes)` is called here as piece i finishes,
// in the order they finish, and `poll` (when given) a few times a second. The first failure (a
// child's, or an exception from a callback) kills the children under way and propagates.
void run_in_child_processes(std::size_t count, unsigned jobs, const std::function<ChildWork(std::size_t)>& work_for,
                            const std::function<void(std::size_t, std::string)>& on_result,
                            const std::function<void()>& poll = {});

// One child, for a caller that runs several at once from one thread (poll() on their fds):
// forking only from that thread keeps the children free of locks other threads held at the fork
// (AddressSanitizer's allocator has no fork handlers, so a child forked while another thread was
// allocating would hang). Destroying a child that has not finished kills and reaps it.
class ChildProcess {
 public:
  explicit ChildProcess(const ChildWork& work);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  int fd() const { return fd_; }  // readable when read_some() has something to do
  // Reads what the child has sent, handing its progress to on_progress; false once the child has
  // closed its end (then call finish()). Blocks only when nothing is ready.
  bool read_some(const ProgressSink& on_progress);
  // Reaps the child and returns its result, or throws as run_in_child_process does.
  std::string finish();

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  bool reaped_ = false;
  std::string buffer_, payload_;
  std::size_t parsed_ = 0;
  bool have_result_ = false, have_error_ = false;
  int read_errno_ = 0;
};

}  // namespace faultline
