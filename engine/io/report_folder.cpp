#include "io/report_folder.hpp"

#include "io/report_files.hpp"
#include "scenario/fnv1a.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <system_error>

namespace faultline {

namespace fs = std::filesystem;

namespace {

// The provenance object of a report.json: the first key of the file, so reading the head of the file
// is enough even when the report is hundreds of megabytes.
std::optional<nlohmann::json> provenance_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string head(1 << 16, '\0');
  in.read(head.data(), std::streamsize(head.size()));
  head.resize(std::size_t(in.gcount()));
  const std::size_t key = head.find("\"provenance\"");
  const std::size_t open = key == std::string::npos ? key : head.find('{', key);
  if (open == std::string::npos) return std::nullopt;
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = open; i < head.size(); ++i) {
    const char c = head[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      nlohmann::json j = nlohmann::json::parse(head.substr(open, i + 1 - open), nullptr, false);
      if (j.is_discarded() || !j.is_object()) return std::nullopt;
      return j;
    }
  }
  return std::nullopt;
}

bool same_run(const RunIdentity& a, const RunIdentity& b) {
  return a.scenario_hash == b.scenario_hash && a.overrides == b.overrides && a.seed == b.seed;
}

}  // namespace

std::string text_tag(const std::vector<std::string>& parts) {
  std::uint64_t h = kFaultlineBasis;
  for (const std::string& part : parts) h = fnv1a_part(h, part);
  return fmt::format("{:08x}", std::uint32_t(h ^ (h >> 32)));
}

std::string default_report_folder(const RunIdentity& run, const std::string& safe_name) {
  std::string name = safe_name;
  if (!run.overrides.empty()) {
    std::vector<std::string> parts;
    for (const auto& [key, value] : run.overrides) {
      parts.push_back(key);
      parts.push_back(value);
    }
    name += "--set-" + text_tag(parts);
  }
  if (run.seed != run.scenario_seed) name += fmt::format("--seed-{}", run.seed);
  return (fs::path("out") / name).string();
}

std::optional<RunIdentity> run_in_folder(const std::string& dir) {
  const fs::path file = fs::path(dir) / "report.json";
  std::error_code error;
  if (!fs::exists(file, error)) return std::nullopt;
  RunIdentity run;
  const std::optional<nlohmann::json> p = provenance_of(file);
  if (!p) return run;
  try {
    run.scenario_name = p->value("scenario_name", "");
    run.scenario_hash = p->value("scenario_hash", "");
    run.seed = p->value("seed", std::uint64_t(0));
    if (const auto o = p->find("overrides"); o != p->end() && o->is_object())
      for (const auto& [key, value] : o->items())
        if (value.is_string()) run.overrides[key] = value.get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return RunIdentity{};
  }
  return run;
}

std::string describe_run(const RunIdentity& run) {
  std::string out = run.scenario_name.empty() ? "a report" : "scenario " + run.scenario_name;
  if (!run.scenario_hash.empty()) out += " (text " + run.scenario_hash.substr(0, 12) + ")";
  out += fmt::format(", seed {}", run.seed);
  if (run.overrides.empty()) return out + ", no overrides";
  out += ", overrides";
  for (const auto& [key, value] : run.overrides) out += " " + key + "=" + value;
  return out;
}

void check_report_folder(const std::string& dir, const RunIdentity& run, bool replace) {
  check_report_writable(dir);
  if (replace) return;
  const std::string folder = report_folder_of(dir);
  const std::optional<RunIdentity> there = run_in_folder(folder);
  if (!there || same_run(*there, run)) return;  // nothing there, or this very run again
  throw FileWriteError(fmt::format(
      "{} holds the report of another run ({}); this run ({}) would replace it. Pass --force to replace it, or "
      "--out DIR to write elsewhere",
      folder, describe_run(*there), describe_run(run)));
}

}  // namespace faultline
