// The CSV file of a sweep, written as it goes and resumable. Columns:
//   point, run, <label columns...>, seed, <metric columns...>, config_hash
// One row per finished run, appended, flushed and synced to the disk the moment the run ends, so a
// sweep that is interrupted (Ctrl-C, a crash, a power cut) loses at most the runs under way. Runs
// finish in any order when several go at once: (point, run) orders the rows. Empty cells are stages
// that never happened (NaN). Opening the file again for the same plan picks up the rows already there
// and leaves only the missing runs to do; a partial last line (the write a crash interrupted) is
// dropped. A file written by another sweep (other columns, other values at a point, another version
// of the scenario) is refused rather than mixed with this one.
#pragma once

#include "experiment/sweep.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace faultline {

class SweepCsv {
 public:
  // Creates the file (and its directory) or reads the rows it holds. Throws FileWriteError (a user
  // error: the file cannot be written, or it belongs to another sweep).
  SweepCsv(const std::string& path, const SweepPlan& plan);
  SweepCsv(const SweepCsv&) = delete;
  SweepCsv& operator=(const SweepCsv&) = delete;
  ~SweepCsv();

  // Runs of the plan that already have a row, in plan order, with their metrics read back.
  const std::vector<FinishedRun>& resumed() const { return resumed_; }
  // Runs of the plan that have no row yet, in plan order.
  std::vector<PlannedRun> missing() const;

  // Appends the run's row and syncs it to the disk. Throws FileWriteError.
  void append(const FinishedRun& run);

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  const SweepPlan& plan_;
  std::vector<std::string> metric_columns_;
  std::vector<FinishedRun> resumed_;
  std::vector<bool> done_;  // by plan index
  int fd_ = -1;
};

// The header line and a row, without the line end: what SweepCsv writes.
std::string sweep_csv_header(const SweepPlan& plan);
std::string sweep_csv_row(const SweepPlan& plan, const std::vector<std::string>& metric_columns, const FinishedRun& run);

struct SweepOutcome {
  std::vector<FinishedRun> runs;  // every run of the plan, in plan order
  std::size_t resumed = 0;        // how many were already in the file
};

// Runs what the file at `path` does not hold yet, `jobs` at a time, appending each row as its run
// ends. `on_progress` (optional) hears how many runs of the plan are in the file: once it has been
// read, then after each row is on the disk.
SweepOutcome run_sweep_into_csv(const SweepPlan& plan, const std::string& path, unsigned jobs,
                                const std::function<void(std::size_t done)>& on_progress = {});

}  // namespace faultline
