#include "io/report_files.hpp"

#include "report/html.hpp"
#include "report/json.hpp"
#include "report/timeline_csv.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace faultline {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int error) {
  throw FileWriteError("cannot " + what + " " + path + ": " + std::strerror(error));
}

// Closes the descriptor and removes the temporary file unless the rename went through.
class TemporaryFile {
 public:
  // Not mkstemp: it creates files 0600, and a report should get the mode the umask gives any new
  // file. O_EXCL with a name unique to this process and call keeps writers from sharing a file.
  explicit TemporaryFile(const std::string& target) {
    static std::atomic<unsigned> counter{0};
    for (int attempt = 0; attempt < 100; ++attempt) {
      path_ = target + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ >= 0 || errno != EEXIST) break;
    }
    if (fd_ < 0) fail("create a temporary file for", target, errno);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
  }

  void write_all(std::string_view content, const std::string& target) {
    while (!content.empty()) {
      ssize_t n = ::write(fd_, content.data(), content.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("write", target, errno);
      content.remove_prefix(std::size_t(n));
    }
    if (::fsync(fd_) != 0) fail("flush", target, errno);
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("close", target, errno);
  }

  void rename_to(const std::string& target) {
    if (::rename(path_.c_str(), target.c_str()) != 0) fail("rename a temporary file to", target, errno);
    renamed_ = true;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool renamed_ = false;
};

// The rename is durable only once the directory entry itself reaches the disk.
void sync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the file itself is complete either way
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
  TemporaryFile temporary(path);
  temporary.write_all(content, path);
  temporary.rename_to(path);
  sync_directory(std::filesystem::path(path).parent_path());
}

void write_report_files(const Report& r, const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw FileWriteError("cannot create directory " + dir + ": " + error.message());
  const std::filesystem::path base(dir);
  write_file_atomically((base / "report.json").string(), report_to_json(r));
  write_file_atomically((base / "timeline.csv").string(), timeline_csv(r));
  write_file_atomically((base / "report.html").string(), report_html(r));
}

}  // namespace faultline
