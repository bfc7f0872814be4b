// A scratch directory that removes itself, and the faultline binary (FAULTLINE_CLI) run inside one, so
// that its default `out/<name>` lands there; stdout and stderr are kept apart.
#pragma once

#include "support/text_files.hpp"

#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace faultline::testing {

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "faultline-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
  }
  ~ScratchDir() { std::filesystem::remove_all(dir_); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& dir() const { return dir_; }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

#ifdef FAULTLINE_CLI
class CliSandbox : public ScratchDir {
 public:
  CliResult run(const std::string& args) const {
    const std::filesystem::path out = dir() / ".stdout", err = dir() / ".stderr";
    const std::string command = "cd '" + dir().string() + "' && '" FAULTLINE_CLI "' " + args + " >'" +
                                out.string() + "' 2>'" + err.string() + "'";
    const int status = std::system(command.c_str());
    CliResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = file_contents(out);
    r.err = file_contents(err);
    std::filesystem::remove(out);
    std::filesystem::remove(err);
    return r;
  }
};
#endif

}  // namespace faultline::testing
