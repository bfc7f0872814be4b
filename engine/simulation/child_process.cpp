#include "simulation/child_process.hpp"

#include "scenario/errors.hpp"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string_view>

#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace faultline {

namespace {

// What travels through the pipe: frames of one tag byte, a length and that many bytes.
enum class Frame : char { progress = 'p', result = 'r', error = 'e' };
constexpr std::size_t kHeaderSize = 1 + sizeof(std::uint64_t);

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= std::size_t(n);
  }
  return true;
}

bool write_frame(int fd, Frame tag, std::string_view payload) {
  char header[kHeaderSize];
  header[0] = char(tag);
  const std::uint64_t size = payload.size();
  std::memcpy(header + 1, &size, sizeof size);
  return write_all(fd, header, sizeof header) && write_all(fd, payload.data(), payload.size());
}

[[noreturn]] void run_child(int fd, const ChildWork& work, pid_t parent) {
  // Handlers inherited from the parent (an interpreter's, a test framework's) would run the parent's
  // code in the child: a crash report for the wrong process, or Ctrl-C (which reaches the whole
  // process group) merely noted while the child runs on. The child dies plainly instead, and the
  // parent reports how.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, SIG_DFL);
  // A child outlives nothing: killed when its parent dies (kill -9 of a sweep), even before this line.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(4);
  int status = 0;
  try {
    ProgressSink report = [fd](double t) {
      write_frame(fd, Frame::progress, std::string_view(reinterpret_cast<const char*>(&t), sizeof t));
    };
    std::string result = work(report);
    if (!write_frame(fd, Frame::result, result)) status = 3;
  } catch (const std::exception& e) {
    write_frame(fd, Frame::error, e.what());
    status = 1;
  } catch (...) {
    write_frame(fd, Frame::error, "unknown exception");
    status = 1;
  }
  ::close(fd);
  ::_exit(status);
}

std::string describe(int wait_status) {
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    const char* name = ::strsignal(sig);
    return "killed by signal " + std::to_string(sig) + (name ? std::string(" (") + name + ")" : std::string());
  }
  if (WIFEXITED(wait_status)) return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  return "ended with wait status " + std::to_string(wait_status);
}

int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

// Reaps the child whatever happens in the parent: a child left behind would be a zombie, and one
// still running (on_progress threw) is killed first.
struct ChildGuard {
  pid_t pid;
  bool reaped = false;
  ~ChildGuard() {
    if (reaped) return;
    ::kill(pid, SIGKILL);
    reap(pid);
  }
};

struct ReadEnd {
  int fd;
  ~ReadEnd() { ::close(fd); }
};

}  // namespace

std::string run_in_child_process(const ChildWork& work, const ProgressSink& on_progress) {
  // Output still buffered in this process would be copied into the child and written twice, once by
  // each (SimGrid flushes the standard streams).
  std::fflush(nullptr);
  std::cout.flush();
  std::cerr.flush();
  int fds[2];
  if (::pipe(fds) != 0) throw InternalError(std::string("cannot create a pipe: ") + std::strerror(errno));
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw InternalError(std::string("cannot fork: ") + std::strerror(err));
  }
  if (pid == 0) {
    // Keep only the standard streams and our own pipe: a write end of another run's pipe, forked
    // from another thread at the same moment, would otherwise hold that run's reader open.
    if (fds[1] > 3) ::close_range(3, unsigned(fds[1]) - 1, 0);
    ::close_range(unsigned(fds[1]) + 1, ~0U, 0);
    run_child(fds[1], work, parent);
  }
  ::close(fds[1]);
  ReadEnd pipe_in{fds[0]};
  ChildGuard child{pid};

  // Read everything before waiting: a child blocked on a full pipe would never exit.
  std::string buffer;
  std::size_t parsed = 0;
  bool have_result = false, have_error = false;
  std::string payload;
  char chunk[1 << 16];
  int read_errno = 0;
  while (true) {
    ssize_t n = ::read(pipe_in.fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      read_errno = errno;
      break;
    }
    if (n == 0) break;
    buffer.append(chunk, std::size_t(n));
    while (buffer.size() - parsed >= kHeaderSize) {
      std::uint64_t size = 0;
      std::memcpy(&size, buffer.data() + parsed + 1, sizeof size);
      if (buffer.size() - parsed - kHeaderSize < size) break;
      const auto tag = Frame(buffer[parsed]);
      std::string_view body(buffer.data() + parsed + kHeaderSize, std::size_t(size));
      if (tag == Frame::progress && size == sizeof(double)) {
        double t;
        std::memcpy(&t, body.data(), sizeof t);
        if (on_progress) on_progress(t);
      } else if (tag == Frame::result) {
        payload.assign(body);
        have_result = true;
      } else if (tag == Frame::error) {
        payload.assign(body);
        have_error = true;
      }
      parsed += kHeaderSize + std::size_t(size);
    }
    if (parsed == buffer.size()) {
      buffer.clear();
      parsed = 0;
    }
  }
  const int status = reap(pid);
  child.reaped = true;

  if (have_error) {
    // The child's InternalError already says so; don't say it twice.
    constexpr std::string_view prefix = "internal error: ";
    if (std::string_view(payload).substr(0, prefix.size()) == prefix) payload.erase(0, prefix.size());
    throw InternalError(payload);
  }
  if (have_result && status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) return payload;
  if (status >= 0 && WIFSIGNALED(status) &&
      (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM || WTERMSIG(status) == SIGHUP))
    throw Interrupted("interrupted: the simulation child process was " + describe(status));
  if (read_errno != 0) throw InternalError(std::string("reading from the child failed: ") + std::strerror(read_errno));
  throw InternalError("the simulation child process " + (status < 0 ? std::string("vanished") : describe(status)) +
                      " without a result");
}

}  // namespace faultline
