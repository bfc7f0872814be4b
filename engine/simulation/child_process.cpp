#include "simulation/child_process.hpp"

#include "scenario/errors.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include <poll.h>
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

}  // namespace

ChildProcess::ChildProcess(const ChildWork& work) {
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
    // Keep only the standard streams and our own pipe: the read end of another run under way would
    // otherwise stay open here, and a write end forked from another thread would hold that run's
    // reader open.
    if (fds[1] > 3) ::close_range(3, unsigned(fds[1]) - 1, 0);
    ::close_range(unsigned(fds[1]) + 1, ~0U, 0);
    run_child(fds[1], work, parent);
  }
  ::close(fds[1]);
  pid_ = pid;
  fd_ = fds[0];
}

ChildProcess::~ChildProcess() {
  ::close(fd_);
  if (reaped_) return;
  // Still running (the caller gave up on it) or not yet waited for: a child left behind would be a
  // zombie.
  ::kill(pid_, SIGKILL);
  reap(pid_);
}

bool ChildProcess::read_some(const ProgressSink& on_progress) {
  // Everything is read before the child is waited for: a child blocked on a full pipe would never exit.
  char chunk[1 << 16];
  ssize_t n = 0;
  do n = ::read(fd_, chunk, sizeof chunk);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    read_errno_ = errno;
    return false;
  }
  if (n == 0) return false;
  buffer_.append(chunk, std::size_t(n));
  while (buffer_.size() - parsed_ >= kHeaderSize) {
    std::uint64_t size = 0;
    std::memcpy(&size, buffer_.data() + parsed_ + 1, sizeof size);
    if (buffer_.size() - parsed_ - kHeaderSize < size) break;
    const auto tag = Frame(buffer_[parsed_]);
    std::string_view body(buffer_.data() + parsed_ + kHeaderSize, std::size_t(size));
    parsed_ += kHeaderSize + std::size_t(size);
    if (tag == Frame::progress && size == sizeof(double)) {
      double t;
      std::memcpy(&t, body.data(), sizeof t);
      if (on_progress) on_progress(t);
    } else if (tag == Frame::result) {
      payload_.assign(body);
      have_result_ = true;
    } else if (tag == Frame::error) {
      payload_.assign(body);
      have_error_ = true;
    }
  }
  if (parsed_ == buffer_.size()) {
    buffer_.clear();
    parsed_ = 0;
  }
  return true;
}

std::string ChildProcess::finish() {
  const int status = reap(pid_);
  reaped_ = true;
  if (have_error_) {
    // The child's InternalError already says so; don't say it twice.
    constexpr std::string_view prefix = "internal error: ";
    if (std::string_view(payload_).substr(0, prefix.size()) == prefix) payload_.erase(0, prefix.size());
    throw InternalError(payload_);
  }
  if (have_result_ && status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) return std::move(payload_);
  if (status >= 0 && WIFSIGNALED(status) &&
      (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM || WTERMSIG(status) == SIGHUP))
    throw Interrupted("interrupted: the simulation child process was " + describe(status));
  if (read_errno_ != 0) throw InternalError(std::string("reading from the child failed: ") + std::strerror(read_errno_));
  throw InternalError("the simulation child process " + (status < 0 ? std::string("vanished") : describe(status)) +
                      " without a result");
}

std::string run_in_child_process(const ChildWork& work, const ProgressSink& on_progress) {
  ChildProcess child(work);
  while (child.read_some(on_progress)) {
  }
  return child.finish();
}

void run_in_child_processes(std::size_t count, unsigned jobs, const std::function<ChildWork(std::size_t)>& work_for,
                            const std::function<void(std::size_t, std::string)>& on_result,
                            const std::function<void()>& poll) {
  const std::size_t at_once = std::clamp<std::size_t>(jobs, 1, std::max<std::size_t>(count, 1));
  // Destroying a child under way kills it, so a failure or an interrupt leaves none behind.
  std::vector<std::pair<std::size_t, std::unique_ptr<ChildProcess>>> under_way;
  std::size_t next = 0;
  const ProgressSink no_progress;
  auto last_poll = std::chrono::steady_clock::now() - std::chrono::seconds(1);  // polled on the first round too
  while (next < count || !under_way.empty()) {
    while (under_way.size() < at_once && next < count) {
      under_way.emplace_back(next, std::make_unique<ChildProcess>(work_for(next)));
      ++next;
    }
    std::vector<pollfd> fds;
    for (const auto& [index, child] : under_way) fds.push_back({child->fd(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), 200) < 0 && errno != EINTR)
      throw InternalError(std::string("cannot wait for the simulation children: ") + std::strerror(errno));
    for (std::size_t i = fds.size(); i-- > 0;) {
      if (fds[i].revents == 0 || under_way[i].second->read_some(no_progress)) continue;
      auto [index, child] = std::move(under_way[i]);
      under_way.erase(under_way.begin() + std::ptrdiff_t(i));
      std::string result = child->finish();
      child.reset();
      on_result(index, std::move(result));
    }
    if (poll && std::chrono::steady_clock::now() - last_poll >= std::chrono::milliseconds(200)) {
      last_poll = std::chrono::steady_clock::now();
      poll();
    }
  }
}

}  // namespace faultline
