// to_dot: the dependency graph as Graphviz DOT, for `faultline graph --dot FILE`.
#include "graph/dependency_graph.hpp"

#include "graph/replica_zones.hpp"

#include <algorithm>
#include <map>

namespace faultline::graph {

namespace {

// A DOT double-quoted string. "\n" inside labels is added by the caller after quoting the parts.
std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";  // appended piecewise: GCC 12 warns falsely on "literal" + string + "literal"
  out += escaped(text);
  out += '"';
  return out;
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i > 0 ? separator : "") + items[i];
  return out;
}

const char* edge_style(DependencyKind kind) {
  switch (kind) {
    case DependencyKind::hard: return "solid";
    case DependencyKind::soft: return "dashed";
    case DependencyKind::control: return "dotted";
  }
  return "solid";
}

// Service name -> every reason it is a single point of failure, over all features.
std::map<std::string, std::vector<std::string>> spof_reasons_by_service(const GraphAnalysis& a) {
  std::map<std::string, std::vector<std::string>> reasons;
  for (const FeatureAnalysis& f : a.features)
    for (const SinglePointOfFailure& spof : f.spofs) {
      auto& known = reasons[spof.service];
      for (const std::string& r : spof.reasons)
        if (std::find(known.begin(), known.end(), r) == known.end()) known.push_back(r);
    }
  return reasons;
}

}  // namespace

std::string to_dot(const Scenario& s, const GraphAnalysis& a) {
  const auto zones_of = replica_zones(s);
  const auto spofs = spof_reasons_by_service(a);
  const std::vector<std::string> regions = s.regions();
  const bool cluster_by_region = regions.size() > 1;

  auto node_line = [&](std::size_t si, const std::string& indent) {
    const Service& svc = s.services[si];
    std::vector<std::string> zone_names;
    for (std::size_t z : zones_of[si]) zone_names.push_back(escaped(s.zones[z].name));
    std::string label = escaped(svc.name) + "\\n" + std::to_string(svc.replicas) +
                        (svc.replicas == 1 ? " replica" : " replicas");
    if (!zone_names.empty()) label += "\\n" + joined(zone_names, ", ");
    std::string line = indent + quoted(svc.name) + " [label=\"" + label + "\"";
    if (auto spof = spofs.find(svc.name); spof != spofs.end())
      line += ", color=red, penwidth=2, tooltip=" + quoted("single point of failure: " + joined(spof->second, ", "));
    return line + "];\n";
  };

  // A service belongs to a region's cluster when all its replicas are in that region; one spread
  // over regions is drawn outside every cluster.
  auto region_of = [&](std::size_t si) -> std::string {
    std::string region;
    for (std::size_t z : zones_of[si]) {
      if (!region.empty() && s.zones[z].region != region) return "";
      region = s.zones[z].region;
    }
    return region;
  };

  std::string out = "digraph " + quoted(s.info.name.empty() ? "faultline" : s.info.name) + " {\n";
  out += "  graph [rankdir=LR, fontname=\"Helvetica\"];\n";
  out += "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=10];\n";

  std::vector<bool> drawn(s.services.size(), false);
  if (cluster_by_region) {
    for (std::size_t r = 0; r < regions.size(); ++r) {
      std::string body;
      for (std::size_t si = 0; si < s.services.size(); ++si)
        if (region_of(si) == regions[r]) {
          body += node_line(si, "    ");
          drawn[si] = true;
        }
      if (body.empty()) continue;
      out += "  subgraph " + quoted("cluster_" + regions[r]) + " {\n";
      out += "    label=" + quoted("region " + regions[r]) + ";\n    style=dashed;\n";
      out += body + "  }\n";
    }
  }
  for (std::size_t si = 0; si < s.services.size(); ++si)
    if (!drawn[si]) out += node_line(si, "  ");

  for (const Dependency& d : s.dependencies) {
    std::vector<std::string> notes;
    if (!d.features.empty()) notes.push_back(joined(d.features, ", "));
    // The one control edge that behaves like a hard one deserves saying so on the picture.
    if (d.kind == DependencyKind::control && !d.fail_static) notes.push_back("no fail_static");
    out += "  " + quoted(d.from) + " -> " + quoted(d.to) + " [style=" + edge_style(d.kind);
    if (!notes.empty()) out += ", label=" + quoted(joined(notes, "; "));
    out += "];\n";
  }
  out += "}\n";
  return out;
}

}  // namespace faultline::graph
