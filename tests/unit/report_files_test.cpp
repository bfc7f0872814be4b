#include "support/cli_sandbox.hpp"
#include "io/report_files.hpp"
#include "report/html.hpp"
#include "report/json.hpp"
#include "report/timeline_csv.hpp"
#include "report_sample.hpp"

#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace faultline;
namespace fs = std::filesystem;

using namespace faultline::testing;

namespace {

// A fresh directory under the system temp dir, removed with everything in it at the end of the test.
struct ScratchDirectory {
  fs::path path;
  ScratchDirectory() {
    std::string pattern = (fs::temp_directory_path() / "faultline-report-files-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~ScratchDirectory() { fs::remove_all(path); }
};

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("write_report_files creates the directory and writes the three reports", "[report][files]") {
  ScratchDirectory scratch;
  const Report r = test::sample_report();
  const fs::path dir = scratch.path / "out" / "sample-outage";
  write_report_files(r, dir.string());
  CHECK(names_in(dir) == std::vector<std::string>{"report.html", "report.json", "timeline.csv"});
  CHECK(file_contents(dir / "report.json") == report_to_json(r));
  CHECK(file_contents(dir / "timeline.csv") == timeline_csv(r));
  CHECK(file_contents(dir / "report.html") == report_html(r));
}

TEST_CASE("write_file_atomically replaces a file and leaves no temporary behind", "[report][files]") {
  ScratchDirectory scratch;
  const fs::path file = scratch.path / "graph.dot";
  write_file_atomically(file.string(), "first, and longer than the second");
  write_file_atomically(file.string(), "second");
  CHECK(file_contents(file) == "second");
  CHECK(names_in(scratch.path) == std::vector<std::string>{"graph.dot"});
}

TEST_CASE("write_file_atomically gives the file the mode the umask allows", "[report][files]") {
  ScratchDirectory scratch;
  const fs::path file = scratch.path / "report.json";
  write_file_atomically(file.string(), "{}");
  const mode_t mask = ::umask(0);
  ::umask(mask);
  CHECK(unsigned(fs::status(file).permissions()) == (0666u & ~unsigned(mask)));
}

TEST_CASE("writing where no file can go is a FileWriteError naming the path", "[report][files]") {
  ScratchDirectory scratch;
  const fs::path missing = scratch.path / "no-such-dir" / "x.txt";
  CHECK_THROWS_WITH(write_file_atomically(missing.string(), "x"),
                    Catch::Contains("no-such-dir/x.txt") && Catch::Contains("No such file"));
  CHECK(names_in(scratch.path).empty());

  // A file where the report directory should be.
  write_file_atomically((scratch.path / "taken").string(), "x");
  CHECK_THROWS_AS(write_report_files(test::sample_report(), (scratch.path / "taken").string()), FileWriteError);
}

namespace {

Report sample_with_seed(std::uint64_t seed) {
  Report r = test::sample_report();  // different in every file: the seed, and the first bucket's count
  r.provenance.seed = seed;
  REQUIRE_FALSE(r.features.empty());
  REQUIRE_FALSE(r.features[0].buckets.empty());
  r.features[0].buckets[0].requests += seed;
  r.features[0].buckets[0].ok += seed;
  return r;
}

bool holds_set_of(const fs::path& dir, const Report& r) {
  return names_in(dir) == std::vector<std::string>{"report.html", "report.json", "timeline.csv"} &&
         file_contents(dir / "report.json") == report_to_json(r) && file_contents(dir / "timeline.csv") == timeline_csv(r) &&
         file_contents(dir / "report.html") == report_html(r);
}

pid_t a_dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

}  // namespace

TEST_CASE("a new report set replaces the old one whole, with nothing left beside it", "[report][files]") {
  ScratchDirectory scratch;
  const fs::path dir = scratch.path / "run";
  write_report_files(sample_with_seed(1), dir.string());
  write_report_files(sample_with_seed(2), dir.string());
  CHECK(holds_set_of(dir, sample_with_seed(2)));
  CHECK(names_in(scratch.path) == std::vector<std::string>{"run"});
  write_report_files(sample_with_seed(3), dir.string() + "/");  // a trailing slash names the same folder
  CHECK(holds_set_of(dir, sample_with_seed(3)));
  CHECK(names_in(scratch.path) == std::vector<std::string>{"run"});
}

TEST_CASE("a folder with other files keeps them and gets its reports replaced one by one", "[report][files]") {
  ScratchDirectory scratch;
  const fs::path dir = scratch.path / "mine";
  fs::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "keep me";
  write_report_files(sample_with_seed(1), dir.string());
  CHECK(file_contents(dir / "notes.txt") == "keep me");
  CHECK(file_contents(dir / "report.json") == report_to_json(sample_with_seed(1)));
  CHECK(names_in(dir) == std::vector<std::string>{"notes.txt", "report.html", "report.json", "timeline.csv"});
}

TEST_CASE("what a killed writer left behind is removed by the next write", "[report][files]") {
  ScratchDirectory scratch;
  const fs::path dir = scratch.path / "run";
  write_report_files(sample_with_seed(1), dir.string());
  const std::string dead = std::to_string(a_dead_pid()), alive = std::to_string(::getppid());
  fs::create_directories(scratch.path / (".run.new." + dead + ".0"));
  std::ofstream(scratch.path / (".run.new." + dead + ".0") / "report.json") << "half";
  fs::create_directories(scratch.path / (".run.new." + alive + ".7"));  // a live writer's: left alone
  std::ofstream(dir / ("timeline.csv.tmp." + dead + ".3")) << "half";
  write_report_files(sample_with_seed(2), dir.string());
  CHECK(names_in(scratch.path) == std::vector<std::string>{".run.new." + alive + ".7", "run"});
  CHECK(holds_set_of(dir, sample_with_seed(2)));
}

TEST_CASE("a writer killed at any moment leaves one complete set, the old or the new", "[report][files]") {
  ScratchDirectory scratch;
  const fs::path dir = scratch.path / "run";
  const Report a = sample_with_seed(1), b = sample_with_seed(2);
  REQUIRE(timeline_csv(a) != timeline_csv(b));
  REQUIRE(report_html(a) != report_html(b));
  write_report_files(a, dir.string());
  int old_sets = 0, new_sets = 0;
  for (int round = 0; round < 20; ++round) {
    const pid_t writer = ::fork();
    REQUIRE(writer >= 0);
    if (writer == 0) {  // writes b and a in turn until killed
      for (std::uint64_t k = 0;; ++k) write_report_files(k % 2 ? a : b, dir.string());
    }
    ::usleep(useconds_t(1000 + 1700 * round));  // lands the kill at a different point of the writes each round
    ::kill(writer, SIGKILL);
    int status = 0;
    ::waitpid(writer, &status, 0);
    const bool is_a = holds_set_of(dir, a), is_b = holds_set_of(dir, b);
    CHECK((is_a || is_b));
    old_sets += is_a;
    new_sets += is_b;
    write_report_files(a, dir.string());  // and the next writer cleans up after the killed one
    CHECK(names_in(scratch.path) == std::vector<std::string>{"run"});
  }
  CHECK(old_sets + new_sets == 20);
}
