#include "experiment/sweep_csv.hpp"

#include "io/report_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace faultline {

namespace fs = std::filesystem;

namespace {

// RFC 4180: a field with a comma, a quote or a line break is quoted, quotes doubled. Override values
// such as ["a", "b"] need it; numbers and names never do.
std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// The fields of one line written by csv_field; nullopt when the quoting is broken.
std::optional<std::vector<std::string>> csv_fields(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') {
        out.back() += c;
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"' && out.back().empty()) {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  if (quoted) return std::nullopt;
  return out;
}

// The shortest text that reads back as the same double; a stage that never happened is an empty cell.
std::string number_field(double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); }

template <typename T>
bool parse_number(const std::string& text, T& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

std::string join(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_field(fields[i]);
  }
  return out;
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileWriteError("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string sweep_csv_header(const SweepPlan& plan) {
  std::vector<std::string> columns{"point", "run"};
  columns.insert(columns.end(), plan.label_columns.begin(), plan.label_columns.end());
  columns.push_back("seed");
  for (std::string& m : plan.metric_columns()) columns.push_back(std::move(m));
  columns.push_back("config_hash");
  return join(columns);
}

std::string sweep_csv_row(const SweepPlan& plan, const std::vector<std::string>& metric_columns, const FinishedRun& run) {
  const SweepPoint& point = plan.points.at(run.planned.point);
  std::vector<std::string> fields{std::to_string(run.planned.point), std::to_string(run.planned.replicate)};
  fields.insert(fields.end(), point.labels.begin(), point.labels.end());
  fields.push_back(std::to_string(run.planned.seed));
  for (const std::string& m : metric_columns) fields.push_back(number_field(run.metrics[m]));
  fields.push_back(point.config_hash);
  return join(fields);
}

SweepCsv::SweepCsv(const std::string& path, const SweepPlan& plan)
    : path_(path), plan_(plan), metric_columns_(plan.metric_columns()), done_(plan.size(), false) {
  const fs::path file(path);
  std::error_code ec;
  if (file.has_parent_path()) {
    fs::create_directories(file.parent_path(), ec);
    if (ec) throw FileWriteError("cannot create directory " + file.parent_path().string() + ": " + ec.message());
  }
  const std::string header = sweep_csv_header(plan);
  std::string existing = fs::exists(file, ec) ? read_whole_file(path) : std::string();

  // Only whole lines count: what follows the last line end is a row a crash cut short.
  const std::size_t complete = existing.rfind('\n') == std::string::npos ? 0 : existing.rfind('\n') + 1;
  const bool truncate = complete != existing.size();
  existing.resize(complete);

  std::istringstream lines(existing);
  std::string line;
  std::size_t line_number = 0;
  const auto refuse = [&](const std::string& why) {
    throw FileWriteError("cannot resume " + path + " (line " + std::to_string(line_number) + "): " + why +
                         "; write to another --out, or remove the file to start again");
  };
  while (std::getline(lines, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_number == 1) {
      if (line != header) refuse("its columns are not this sweep's");
      continue;
    }
    const auto fields = csv_fields(line);
    const std::size_t labels = plan.label_columns.size();
    const std::size_t expected = 2 + labels + 1 + metric_columns_.size() + 1;
    if (!fields || fields->size() != expected) refuse("a row that is not a sweep row");
    const std::vector<std::string>& f = *fields;
    std::size_t point = 0, replicate = 0;
    std::uint64_t seed = 0;
    if (!parse_number(f[0], point) || !parse_number(f[1], replicate) || !parse_number(f[2 + labels], seed))
      refuse("a row that is not a sweep row");
    if (point >= plan.points.size()) refuse("a run of point " + f[0] + ", which this sweep does not have");
    const SweepPoint& p = plan.points[point];
    if (!std::equal(p.labels.begin(), p.labels.end(), f.begin() + 2) || f.back() != p.config_hash)
      refuse("point " + f[0] + " was run with other parameter values or another version of the scenario");
    if (seed != p.base_seed + std::uint64_t(replicate)) refuse("a run with another base seed");
    // A row beyond --runs (an earlier, longer sweep) stays in the file but is not this sweep's.
    if (replicate >= plan.runs_per_point) continue;
    const std::size_t index = point * plan.runs_per_point + replicate;
    if (done_[index]) continue;  // the same run twice: both rows hold the same numbers
    FinishedRun run{plan.run(index), {}};
    run.metrics.seed = seed;
    for (const std::string& name : metric_names(p.scenario)) {
      const auto column = std::find(metric_columns_.begin(), metric_columns_.end(), name) - metric_columns_.begin();
      const std::string& cell = f[2 + labels + 1 + std::size_t(column)];
      double value = std::numeric_limits<double>::quiet_NaN();
      if (!cell.empty() && !parse_number(cell, value)) refuse("'" + cell + "' in column " + name + " is not a number");
      run.metrics.metrics.push_back({name, value});
    }
    done_[index] = true;
    resumed_.push_back(std::move(run));
  }
  std::sort(resumed_.begin(), resumed_.end(), [&](const FinishedRun& a, const FinishedRun& b) {
    return std::pair(a.planned.point, a.planned.replicate) < std::pair(b.planned.point, b.planned.replicate);
  });

  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw FileWriteError("cannot write " + path + ": " + std::strerror(errno));
  if (truncate && ::ftruncate(fd_, off_t(complete)) != 0) {
    const int err = errno;
    ::close(fd_);
    throw FileWriteError("cannot drop the partial last line of " + path + ": " + std::strerror(err));
  }
  if (complete == 0) {
    const std::string line_out = header + "\n";
    if (::write(fd_, line_out.data(), line_out.size()) != ssize_t(line_out.size()) || ::fsync(fd_) != 0) {
      const int err = errno;
      ::close(fd_);
      throw FileWriteError("cannot write " + path + ": " + std::strerror(err));
    }
  }
}

SweepCsv::~SweepCsv() {
  if (fd_ >= 0) ::close(fd_);
}

std::vector<PlannedRun> SweepCsv::missing() const {
  std::vector<PlannedRun> out;
  for (std::size_t i = 0; i < done_.size(); ++i)
    if (!done_[i]) out.push_back(plan_.run(i));
  return out;
}

void SweepCsv::append(const FinishedRun& run) {
  // One write per row: with O_APPEND the row lands whole at the end, and a crash can cut only the
  // last one short, which the next open drops.
  const std::string line = sweep_csv_row(plan_, metric_columns_, run) + "\n";
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw FileWriteError("cannot write " + path_ + ": " + std::strerror(errno));
    if (n == 0) throw FileWriteError("cannot write " + path_ + ": nothing was written");
    written += std::size_t(n);
  }
  if (::fsync(fd_) != 0) throw FileWriteError("cannot sync " + path_ + ": " + std::strerror(errno));
  done_[run.planned.point * plan_.runs_per_point + run.planned.replicate] = true;
}

SweepOutcome run_sweep_into_csv(const SweepPlan& plan, const std::string& path, unsigned jobs,
                                const std::function<void(std::size_t done)>& on_progress) {
  SweepCsv file(path, plan);
  SweepOutcome outcome;
  outcome.runs = file.resumed();
  outcome.resumed = outcome.runs.size();
  if (on_progress) on_progress(outcome.runs.size());
  SweepCallbacks writing;
  writing.on_finished = [&](const FinishedRun& run) {
    file.append(run);
    outcome.runs.push_back(run);
    if (on_progress) on_progress(outcome.runs.size());
  };
  run_sweep(plan, file.missing(), jobs, writing);
  std::sort(outcome.runs.begin(), outcome.runs.end(), [](const FinishedRun& a, const FinishedRun& b) {
    return std::pair(a.planned.point, a.planned.replicate) < std::pair(b.planned.point, b.planned.replicate);
  });
  return outcome;
}

}  // namespace faultline
