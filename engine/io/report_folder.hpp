// Where a run's report files go, and the checks made before simulating, so that a long run never ends
// unable to write its report, and a report never silently replaces the report of a different run.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace faultline {

// What makes two runs the same run: the scenario's text, the overrides applied to it and the seed
// (the simulation is deterministic for them).
struct RunIdentity {
  std::string scenario_name;
  std::string scenario_hash;
  std::map<std::string, std::string> overrides;
  std::uint64_t seed = 0;
  std::uint64_t scenario_seed = 0;  // the scenario's own seed (a run with it needs no tag)
};

// Eight hex digits that stand for `parts` in a file or folder name (FNV-1a: the same on every machine).
std::string text_tag(const std::vector<std::string>& parts);

// out/<name> for the scenario as written with its own seed; out/<name>--seed-<seed> for another
// seed; out/<name>--set-<8 hex digits of the overrides>[--seed-<seed>] with overrides. `safe_name`
// is the scenario name made safe as a directory name.
std::string default_report_folder(const RunIdentity& run, const std::string& safe_name);

// The run whose report.json is in `dir`, as far as its provenance says; nullopt when there is no
// report.json. A report.json that cannot be read as one of ours gives an identity with an empty hash.
std::optional<RunIdentity> run_in_folder(const std::string& dir);

// Before simulating: `dir` (or the nearest existing folder it would go in) can be written, and it does
// not hold the report of a different run unless `replace` (--force). Throws FileWriteError naming the
// folder and, for another run's report, that run (scenario, seed, overrides) and the way out.
void check_report_folder(const std::string& dir, const RunIdentity& run, bool replace);

// "seed 7, overrides traffic.rate=50" ("the scenario as written, seed 7" without overrides).
std::string describe_run(const RunIdentity& run);

}  // namespace faultline
