#include "support/cli_sandbox.hpp"
#include "io/report_files.hpp"
#include "report/html.hpp"
#include "report/json.hpp"
#include "report/timeline_csv.hpp"
#include "report_sample.hpp"

#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

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
