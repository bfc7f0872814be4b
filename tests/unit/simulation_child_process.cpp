// Work in a forked child: results come back whole, failures come back as InternalError and never
// take the caller down.
#include "scenario/errors.hpp"
#include "simulation/child_process.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace faultline;

TEST_CASE("the child's result comes back whole, however large", "[simulation][child]") {
  std::string big(24 << 20, '\0');  // more than any pipe buffer: the parent must read while the child writes
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = char(i * 7919 % 251);
  const std::string got = run_in_child_process([&](const ProgressSink&) { return big; });
  CHECK(got.size() == big.size());
  CHECK(got == big);
}

TEST_CASE("the child runs in its own process", "[simulation][child]") {
  const pid_t parent = ::getpid();
  const std::string got = run_in_child_process([](const ProgressSink&) { return std::to_string(::getpid()); });
  CHECK(got != std::to_string(parent));
  CHECK(!got.empty());
}

TEST_CASE("progress reported in the child reaches the parent in order", "[simulation][child]") {
  std::vector<double> seen;
  const std::string got = run_in_child_process(
      [](const ProgressSink& report) {
        for (int i = 1; i <= 5; ++i) report(i * 1.5);
        return std::string("done");
      },
      [&](double t) { seen.push_back(t); });
  CHECK(got == "done");
  CHECK(seen == std::vector<double>{1.5, 3.0, 4.5, 6.0, 7.5});
}

TEST_CASE("failures in the child become InternalError in the parent", "[simulation][child]") {
  SECTION("an exception") {
    CHECK_THROWS_MATCHES(
        run_in_child_process([](const ProgressSink&) -> std::string { throw std::runtime_error("no route"); }),
        InternalError, Catch::Message("internal error: no route"));
  }
  SECTION("an InternalError keeps its message, said once") {
    CHECK_THROWS_MATCHES(
        run_in_child_process([](const ProgressSink&) -> std::string { throw InternalError("clock skew"); }),
        InternalError, Catch::Message("internal error: clock skew"));
  }
  SECTION("an abort (what SimGrid does on a failed assertion)") {
    CHECK_THROWS_WITH(run_in_child_process([](const ProgressSink&) -> std::string { std::abort(); }),
                      Catch::Contains("killed by signal 6"));
  }
  SECTION("an exit without a result") {
    CHECK_THROWS_WITH(run_in_child_process([](const ProgressSink&) -> std::string { ::_exit(3); }),
                      Catch::Contains("exited with status 3"));
  }
}

TEST_CASE("an exception from the progress callback stops the child and propagates", "[simulation][child]") {
  struct Cancelled {};
  CHECK_THROWS_AS(run_in_child_process(
                      [](const ProgressSink& report) {
                        for (int i = 0;; ++i) {  // would never end on its own
                          report(double(i));
                          ::usleep(1000);
                        }
                        return std::string();
                      },
                      [](double t) {
                        if (t >= 3) throw Cancelled{};
                      }),
                  Cancelled);
}

TEST_CASE("a child stopped by SIGINT, SIGTERM or SIGHUP is an interruption, any other signal a failure",
          "[simulation][child]") {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    CAPTURE(sig);
    CHECK_THROWS_AS(run_in_child_process([sig](const ProgressSink&) -> std::string {
                      ::raise(sig);
                      return "not reached";
                    }),
                    Interrupted);
  }
  CHECK_THROWS_AS(run_in_child_process([](const ProgressSink&) -> std::string {
                    ::raise(SIGKILL);
                    return "not reached";
                  }),
                  InternalError);
}

TEST_CASE("a child does not outlive its parent", "[simulation][child]") {
  // An intermediate process runs a child that never ends and tells us its pid; killed with -9 (no
  // chance to clean up), it takes the child with it.
  const pid_t middle = ::fork();
  REQUIRE(middle >= 0);
  if (middle == 0) {
    try {
      // The child closes every inherited descriptor but its own pipe, so the grandchild's pid comes
      // back through a file.
      const std::string path = "/tmp/faultline-orphan-test." + std::to_string(::getpid());
      run_in_child_process([path](const ProgressSink&) -> std::string {
        if (FILE* f = std::fopen(path.c_str(), "w")) {
          std::fprintf(f, "%d\n", int(::getpid()));
          std::fclose(f);
        }
        while (true) ::pause();
      });
    } catch (...) {
    }
    ::_exit(0);
  }
  const std::string path = "/tmp/faultline-orphan-test." + std::to_string(middle);
  pid_t child = 0;
  for (int i = 0; i < 2000 && child == 0; ++i) {  // up to 20 s for the file to appear
    if (FILE* f = std::fopen(path.c_str(), "r")) {
      int pid = 0;
      if (std::fscanf(f, "%d", &pid) == 1) child = pid;
      std::fclose(f);
    }
    if (child == 0) ::usleep(10000);
  }
  REQUIRE(child > 0);
  ::kill(middle, SIGKILL);
  int status = 0;
  ::waitpid(middle, &status, 0);
  bool gone = false;
  for (int i = 0; i < 1000 && !gone; ++i) {  // up to 10 s: the kernel delivers the parent-death signal
    gone = ::kill(child, 0) != 0 && errno == ESRCH;
    if (!gone) ::usleep(10000);
  }
  std::remove(path.c_str());
  if (!gone) ::kill(child, SIGKILL);
  CHECK(gone);
}
