// format_analysis: the plain-text report `faultline graph` prints (no colours: it is piped and diffed).
#include "graph/dependency_graph.hpp"

#include <algorithm>
#include <string_view>

namespace faultline::graph {

namespace {

constexpr std::string_view kZonePrefix = "zone:";

std::string join(const std::vector<std::string>& items, std::string_view separator, std::string_view if_empty = "-") {
  if (items.empty()) return std::string(if_empty);
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string padded(const std::string& text, std::size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

bool is_zone_cut(const std::vector<std::string>& cut) {
  return !cut.empty() && std::all_of(cut.begin(), cut.end(), [](const std::string& member) {
    return member.compare(0, kZonePrefix.size(), kZonePrefix) == 0;
  });
}

std::string zone_cut_text(const std::vector<std::string>& cut) {
  std::vector<std::string> zones;
  for (const std::string& member : cut) zones.push_back(member.substr(kZonePrefix.size()));
  std::string text = "{";  // appended piecewise: GCC 12 warns falsely on "literal" + string + "literal"
  text += join(zones, ", ");
  text += '}';
  return text;
}

// A label column, then a value that may span several lines, continued under the value column.
struct Row {
  std::string label;
  std::vector<std::string> lines;
};

void append_rows(std::string& out, const std::vector<Row>& rows) {
  std::size_t width = 0;
  for (const Row& row : rows) width = std::max(width, row.label.size());
  for (const Row& row : rows)
    for (std::size_t i = 0; i < row.lines.size(); ++i)
      out += "  " + padded(i == 0 ? row.label : "", width) + "  " + row.lines[i] + "\n";
}

void append_feature(std::string& out, const FeatureAnalysis& f) {
  out += "feature " + f.feature + " (entry: " + f.entry + ")\n";
  std::vector<Row> rows;
  rows.push_back({"hard dependencies", {join(f.hard_services, ", ", "none")}});

  Row spofs{"single points of failure", {}};
  std::size_t name_width = 0;
  for (const SinglePointOfFailure& spof : f.spofs) name_width = std::max(name_width, spof.service.size());
  for (const SinglePointOfFailure& spof : f.spofs)
    spofs.lines.push_back(padded(spof.service, name_width) + "  " + join(spof.reasons, ", "));
  if (spofs.lines.empty()) spofs.lines.push_back("none");
  rows.push_back(std::move(spofs));

  std::vector<std::string> zone_cuts;
  for (const auto& cut : f.min_cut_sets)
    if (is_zone_cut(cut)) zone_cuts.push_back(zone_cut_text(cut));
  rows.push_back({"zone cut sets", {join(zone_cuts, "  ", "none (no one or two zones take it down)")}});
  append_rows(out, rows);
}

void append_blast_radius(std::string& out, const std::vector<ServiceAnalysis>& services) {
  const std::vector<std::string> header = {"service", "features lost", "fails with it (upstream)"};
  std::vector<std::vector<std::string>> table;
  for (const ServiceAnalysis& s : services) table.push_back({s.service, join(s.blast_radius, ", "), join(s.upstream, ", ")});
  std::vector<std::size_t> width;
  for (const std::string& h : header) width.push_back(h.size());
  for (const auto& row : table)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  auto append_line = [&](const std::vector<std::string>& cells) {
    out += "  " + padded(cells[0], width[0]) + "  " + padded(cells[1], width[1]) + "  " + cells[2] + "\n";
  };
  out += "blast radius\n";
  append_line(header);
  for (const auto& row : table) append_line(row);
}

}  // namespace

std::string format_analysis(const GraphAnalysis& a) {
  std::string out;
  for (const FeatureAnalysis& f : a.features) {
    append_feature(out, f);
    out += "\n";
  }
  append_blast_radius(out, a.services);
  return out;
}

}  // namespace faultline::graph
