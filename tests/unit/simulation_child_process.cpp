// Work in a forked child: results come back whole, failures come back as InternalError and never
// take the caller down.
#include "scenario/errors.hpp"
#include "simulation/child_process.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

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
