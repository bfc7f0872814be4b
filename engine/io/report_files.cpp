#include "io/report_files.hpp"

#include "report/html.hpp"
#include "report/json.hpp"
#include "report/timeline_csv.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iterator>
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

namespace {

namespace fs = std::filesystem;

constexpr const char* kReportNames[] = {"report.json", "timeline.csv", "report.html"};

bool process_alive(long pid) { return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM); }

// The pid in a name "<prefix><pid>.<n>", or -1 when it does not have that shape.
long pid_in(const std::string& name, const std::string& prefix) {
  if (name.compare(0, prefix.size(), prefix) != 0) return -1;
  const std::string rest = name.substr(prefix.size());
  const std::size_t dot = rest.find('.');
  if (dot == 0 || dot == std::string::npos) return -1;
  long pid = 0;
  for (std::size_t i = 0; i < dot; ++i) {
    if (rest[i] < '0' || rest[i] > '9' || pid > 1L << 40) return -1;
    pid = pid * 10 + (rest[i] - '0');
  }
  return pid;
}

// What a writer killed part-way left: staging folders next to `dir` and temporary files inside it,
// of processes that no longer exist (a live writer's are left alone).
void remove_leftovers(const fs::path& parent, const std::string& name, const fs::path& dir) {
  std::error_code ignored;
  for (fs::directory_iterator it(parent, ignored), end; !ignored && it != end; it.increment(ignored)) {
    const long pid = pid_in(it->path().filename().string(), "." + name + ".new.");
    if (pid > 0 && !process_alive(pid)) fs::remove_all(it->path(), ignored);
  }
  for (fs::directory_iterator it(dir, ignored), end; !ignored && it != end; it.increment(ignored))
    for (const char* report : kReportNames) {
      const long pid = pid_in(it->path().filename().string(), std::string(report) + ".tmp.");
      if (pid > 0 && !process_alive(pid)) fs::remove(it->path(), ignored);
    }
}

// A folder the set can replace as a whole: absent, or a real folder holding report files only.
bool replaceable_as_a_set(const fs::path& dir) {
  std::error_code error;
  const fs::file_status st = fs::symlink_status(dir, error);
  if (st.type() == fs::file_type::not_found) return true;
  if (st.type() != fs::file_type::directory) return false;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const std::string n = it->path().filename().string();
    if (std::find(std::begin(kReportNames), std::end(kReportNames), n) == std::end(kReportNames)) return false;
  }
  return !error;
}

// Where a report set goes: the folder itself (`dir` without a trailing slash), the folder it is in
// (where the staging folder is made) and its name.
struct ReportPlace {
  fs::path base, parent;
  std::string name;
};

ReportPlace place_of(const std::string& dir) {
  const fs::path target = fs::path(dir).lexically_normal();
  ReportPlace p;
  p.base = target.has_filename() ? target : target.parent_path();
  p.parent = p.base.parent_path().empty() ? fs::path(".") : p.base.parent_path();
  p.name = p.base.filename().string();
  return p;
}

void make_parent(const ReportPlace& p) {
  std::error_code error;
  fs::create_directories(p.parent, error);
  if (error) throw FileWriteError("cannot create directory " + p.parent.string() + ": " + error.message());
}

}  // namespace

std::string report_folder_of(const std::string& dir) { return place_of(dir).base.string(); }

void check_report_writable(const std::string& dir) {
  const ReportPlace p = place_of(dir);
  std::error_code error;
  if (fs::exists(p.base, error) && !fs::is_directory(p.base, error))
    throw FileWriteError("cannot write the report into " + p.base.string() + ": it is a file, not a folder");
  make_parent(p);
  // A file made and removed where the staging folder would go shows the folder takes new entries,
  // whoever the user is (root passes access(2) on a read-only or virtual file system).
  TemporaryFile probe((p.parent / ".faultline-probe").string());
}

void write_report_files(const Report& r, const std::string& dir) {
  const std::string contents[] = {report_to_json(r), timeline_csv(r), report_html(r)};  // before touching the disk
  const ReportPlace place = place_of(dir);
  const fs::path& base = place.base;
  const fs::path& parent = place.parent;
  const std::string& name = place.name;
  std::error_code error;
  make_parent(place);
  remove_leftovers(parent, name, base);

  if (name != "." && name != ".." && replaceable_as_a_set(base)) {
    // The set is written whole into a staging folder next to the target, then takes the target's
    // place in one rename (or swaps places with the old set, which is then removed): a reader, or a
    // kill at any moment, finds the old set or the new one, never a mix.
    static std::atomic<unsigned> counter{0};
    const fs::path staging =
        parent / ("." + name + ".new." + std::to_string(::getpid()) + "." + std::to_string(counter++));
    fs::create_directory(staging, error);
    if (error) throw FileWriteError("cannot create directory " + staging.string() + ": " + error.message());
    try {
      for (std::size_t i = 0; i < std::size(kReportNames); ++i)
        write_file_atomically((staging / kReportNames[i]).string(), contents[i]);
    } catch (...) {
      fs::remove_all(staging, error);
      throw;
    }
    if (::rename(staging.c_str(), base.c_str()) == 0) {
      sync_directory(parent);
      return;
    }
    if ((errno == ENOTEMPTY || errno == EEXIST) &&
        ::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, base.c_str(), RENAME_EXCHANGE) == 0) {
      sync_directory(parent);
      fs::remove_all(staging, error);  // the old set
      return;
    }
    fs::remove_all(staging, error);  // a file system without exchange: file by file below
  }
  // A folder with other things in it (or a file system that cannot swap folders): each file is
  // replaced atomically, the JSON last.
  fs::create_directories(base, error);
  if (error) throw FileWriteError("cannot create directory " + base.string() + ": " + error.message());
  for (std::size_t i : {2u, 1u, 0u}) write_file_atomically((base / kReportNames[i]).string(), contents[i]);
}

}  // namespace faultline
