// Report files on disk. Each file is written to a temporary file in the same directory, flushed to
// the disk and renamed over the target, so a reader (or a crash) never sees half a report.
#pragma once

#include "report/report.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

namespace faultline {

// A file or directory that could not be written (permissions, full disk, a file where a directory
// should be): the user's environment, not a bug, so the CLI treats it as a user error.
struct FileWriteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes dir/report.json, dir/timeline.csv and dir/report.html as a set, creating dir (and its
// parents) if needed: when dir is absent or holds only these files, the new set is written into a
// staging folder beside it and replaces the old set in one rename, so dir always holds one
// complete set; a dir with other files gets each file replaced atomically, JSON last. Leftovers of
// a writer killed part-way (staging folders, temporary files of processes that no longer exist) are
// removed. Throws FileWriteError.
void write_report_files(const Report& r, const std::string& dir);

// Before a run: the report set could be written to `dir` (it is not a file; the folder it goes in is
// made now, as writing would make it, and takes new files). Throws FileWriteError.
void check_report_writable(const std::string& dir);

// The folder write_report_files(r, dir) writes into: `dir`, normalised, without a trailing slash.
std::string report_folder_of(const std::string& dir);

// Replaces the file at `path` with `content` atomically (temporary file, fsync, rename, fsync of the
// directory). The directory must exist. Throws FileWriteError; leaves no temporary file behind.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace faultline
