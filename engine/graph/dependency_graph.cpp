#include "graph/dependency_graph.hpp"

#include "graph/replica_zones.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/hawick_circuits.hpp>
#include <boost/graph/reverse_graph.hpp>

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <utility>

namespace faultline::graph {

namespace {

struct DependencyEdge {
  std::size_t dependency = 0;  // index into Scenario::dependencies
};

// Vertex i is Scenario::services[i]. Bidirectional so "who reaches me" is a reverse walk.
using ServiceGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                           boost::no_property, DependencyEdge>;
using ServiceVertex = boost::graph_traits<ServiceGraph>::vertex_descriptor;

// The graph of the dependencies `keep` accepts. Edges naming an unknown service are left out (the
// loader reports them); a name declared twice resolves to its first declaration for the same reason.
template <class Keep>
ServiceGraph build_service_graph(const Scenario& s, Keep keep) {
  std::unordered_map<std::string, ServiceVertex> vertex_of;
  for (std::size_t i = 0; i < s.services.size(); ++i) vertex_of.emplace(s.services[i].name, i);
  ServiceGraph g(s.services.size());
  for (std::size_t d = 0; d < s.dependencies.size(); ++d) {
    const Dependency& dep = s.dependencies[d];
    if (!keep(dep)) continue;
    auto from = vertex_of.find(dep.from);
    auto to = vertex_of.find(dep.to);
    if (from == vertex_of.end() || to == vertex_of.end()) continue;
    boost::add_edge(from->second, to->second, DependencyEdge{d}, g);
  }
  return g;
}

bool is_hard(const Dependency& d) { return d.kind == DependencyKind::hard; }

// A control plane takes its caller down only when the caller does not fail static: otherwise the
// caller keeps serving from its last-known entries.
bool fails_caller(const Dependency& d) {
  return d.kind == DependencyKind::hard || (d.kind == DependencyKind::control && !d.fail_static);
}

bool carries(const Dependency& d, const std::string& feature) {
  return d.features.empty() || std::find(d.features.begin(), d.features.end(), feature) != d.features.end();
}

// ---- cycles ----

struct CycleLimitReached {};

// Turns each elementary circuit (a vertex path) into the dependencies walked, starting from the
// lowest dependency index so that the same cycle always reads the same way.
class CycleCollector {
 public:
  explicit CycleCollector(std::vector<std::vector<std::size_t>>& out) : out_(&out) {}

  template <class Path, class Graph>
  void cycle(const Path& path, const Graph& g) {
    std::vector<std::size_t> walked;
    for (std::size_t k = 0; k < path.size(); ++k)
      walked.push_back(lowest_dependency(path[k], path[(k + 1) % path.size()], g));
    std::rotate(walked.begin(), std::min_element(walked.begin(), walked.end()), walked.end());
    out_->push_back(std::move(walked));
    if (out_->size() >= kMaxReportedCycles) throw CycleLimitReached{};
  }

 private:
  // Parallel edges between two services are one cycle, named by the first declared dependency.
  template <class Graph>
  static std::size_t lowest_dependency(ServiceVertex from, ServiceVertex to, const Graph& g) {
    std::optional<std::size_t> lowest;
    for (auto e : boost::make_iterator_range(boost::out_edges(from, g)))
      if (boost::target(e, g) == to && (!lowest || g[e].dependency < *lowest)) lowest = g[e].dependency;
    return *lowest;
  }

  std::vector<std::vector<std::size_t>>* out_;
};

// ---- reachability ----

class RecordDiscovered : public boost::default_bfs_visitor {
 public:
  explicit RecordDiscovered(std::vector<bool>& seen) : seen_(&seen) {}
  template <class Vertex, class Graph>
  void discover_vertex(Vertex v, const Graph&) { (*seen_)[v] = true; }

 private:
  std::vector<bool>* seen_;
};

// Every vertex reachable from `start` in g (start included), as a membership vector.
template <class Graph>
std::vector<bool> reachable_from(const Graph& g, ServiceVertex start, std::size_t vertex_count) {
  std::vector<bool> seen(vertex_count, false);
  boost::breadth_first_search(g, start, boost::visitor(RecordDiscovered(seen)));
  return seen;
}

// Keeps the edges of g (a ServiceGraph or a view of one) that carry one feature.
template <class Graph>
struct CarriesFeature {
  const Graph* g = nullptr;
  const Scenario* s = nullptr;
  const std::string* feature = nullptr;
  template <class Edge>
  bool operator()(const Edge& e) const { return carries(s->dependencies[(*g)[e].dependency], *feature); }
};

// ---- single points of failure and cut sets ----

std::vector<std::string> spof_reasons(const Scenario& s, std::size_t service,
                                      const std::vector<std::size_t>& zones) {
  const Service& svc = s.services[service];
  std::vector<std::string> reasons;
  if (svc.replicas <= 0) reasons.push_back("no replicas");
  if (svc.replicas == 1) reasons.push_back("one replica");
  if (zones.size() == 1) reasons.push_back("one zone (" + s.zones[zones.front()].name + ")");
  std::vector<std::string> regions;
  for (std::size_t z : zones)
    if (std::find(regions.begin(), regions.end(), s.zones[z].region) == regions.end())
      regions.push_back(s.zones[z].region);
  if (regions.size() == 1 && s.regions().size() > 1) reasons.push_back("one region (" + regions.front() + ")");
  return reasons;
}

// Sets of at most two zones whose joint loss removes every replica of some service in `services`,
// minimal (no listed pair contains a listed single), singles first, each in scenario zone order.
std::vector<std::vector<std::size_t>> zone_cut_sets(const std::vector<std::size_t>& services,
                                                    const std::vector<std::vector<std::size_t>>& zones_of) {
  std::vector<std::vector<std::size_t>> singles, pairs;
  for (std::size_t svc : services) {
    const auto& zones = zones_of[svc];
    if (zones.size() == 1) singles.push_back(zones);
    if (zones.size() == 2) pairs.push_back(zones);
  }
  auto sort_unique = [](std::vector<std::vector<std::size_t>>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  sort_unique(singles);
  sort_unique(pairs);
  auto contains_a_single = [&](const std::vector<std::size_t>& pair) {
    return std::any_of(singles.begin(), singles.end(), [&](const std::vector<std::size_t>& single) {
      return single.front() == pair[0] || single.front() == pair[1];
    });
  };
  pairs.erase(std::remove_if(pairs.begin(), pairs.end(), contains_a_single), pairs.end());
  singles.insert(singles.end(), pairs.begin(), pairs.end());
  return singles;
}

// The hard dependencies between services that can lie on a cycle: a service without a hard caller,
// or without a hard callee, is on none, and neither is one left so once those are gone. The circuit
// enumeration's set-up costs the square of the vertices (100,000 services: minutes), so the others
// are left out before it; the services kept keep their order, and the cycles are the same.
ServiceGraph hard_cycle_candidates(const Scenario& s) {
  const ServiceGraph all = build_service_graph(s, is_hard);
  const std::size_t n = boost::num_vertices(all);
  std::vector<std::size_t> in(n), out(n);
  std::vector<bool> gone(n, false);
  std::vector<ServiceVertex> todo;
  for (ServiceVertex v = 0; v < n; ++v) {
    in[v] = boost::in_degree(v, all);
    out[v] = boost::out_degree(v, all);
    if (in[v] == 0 || out[v] == 0) todo.push_back(v);
  }
  while (!todo.empty()) {
    const ServiceVertex v = todo.back();
    todo.pop_back();
    if (gone[v]) continue;
    gone[v] = true;
    for (auto e : boost::make_iterator_range(boost::out_edges(v, all)))
      if (const ServiceVertex w = boost::target(e, all); !gone[w] && --in[w] == 0) todo.push_back(w);
    for (auto e : boost::make_iterator_range(boost::in_edges(v, all)))
      if (const ServiceVertex w = boost::source(e, all); !gone[w] && --out[w] == 0) todo.push_back(w);
  }
  std::vector<ServiceVertex> kept_index(n);
  std::size_t kept = 0;
  for (ServiceVertex v = 0; v < n; ++v)
    if (!gone[v]) kept_index[v] = kept++;
  ServiceGraph g(kept);
  // Edges in the order they were declared, as build_service_graph adds them.
  std::vector<std::pair<std::size_t, std::pair<ServiceVertex, ServiceVertex>>> edges;
  for (auto e : boost::make_iterator_range(boost::edges(all)))
    if (!gone[boost::source(e, all)] && !gone[boost::target(e, all)])
      edges.push_back({all[e].dependency, {kept_index[boost::source(e, all)], kept_index[boost::target(e, all)]}});
  std::sort(edges.begin(), edges.end());
  for (const auto& [d, ends] : edges) boost::add_edge(ends.first, ends.second, DependencyEdge{d}, g);
  return g;
}

}  // namespace

std::vector<std::vector<std::size_t>> hard_dependency_cycles(const Scenario& s) {
  const ServiceGraph g = hard_cycle_candidates(s);
  std::vector<std::vector<std::size_t>> cycles;
  try {
    boost::hawick_unique_circuits(g, CycleCollector(cycles));
  } catch (const CycleLimitReached&) {
    // Enough to show the graph needs redesign; enumerating further could take exponential time.
  }
  std::sort(cycles.begin(), cycles.end());
  return cycles;
}

GraphAnalysis analyse(const Scenario& s) {
  const std::size_t n = s.services.size();
  const ServiceGraph g = build_service_graph(s, fails_caller);
  const auto zones_of = replica_zones(s);
  std::unordered_map<std::string, ServiceVertex> vertex_of;
  for (std::size_t i = 0; i < n; ++i) vertex_of.emplace(s.services[i].name, i);

  GraphAnalysis analysis;
  std::vector<std::vector<bool>> hard_set_of_feature;  // by feature, membership by service
  for (const Feature& feature : s.features) {
    FeatureAnalysis fa;
    fa.feature = feature.name;
    fa.entry = feature.entry;
    std::vector<bool> in_hard_set(n, false);
    if (auto entry = vertex_of.find(feature.entry); entry != vertex_of.end()) {
      boost::filtered_graph<ServiceGraph, CarriesFeature<ServiceGraph>> feature_graph(
          g, CarriesFeature<ServiceGraph>{&g, &s, &feature.name});
      in_hard_set = reachable_from(feature_graph, entry->second, n);
    }
    std::vector<std::size_t> hard_services;
    for (std::size_t i = 0; i < n; ++i)
      if (in_hard_set[i]) hard_services.push_back(i);

    for (std::size_t i : hard_services) {
      fa.hard_services.push_back(s.services[i].name);
      if (auto reasons = spof_reasons(s, i, zones_of[i]); !reasons.empty())
        fa.spofs.push_back({s.services[i].name, std::move(reasons)});
    }
    // A service failing entirely fails every feature that hard-depends on it, so each hard service
    // is an order-1 cut and no pair of services is minimal: zones are where order two means something.
    for (std::size_t i : hard_services) fa.min_cut_sets.push_back({s.services[i].name});
    for (const auto& zones : zone_cut_sets(hard_services, zones_of)) {
      std::vector<std::string> cut;
      for (std::size_t z : zones) cut.push_back("zone:" + s.zones[z].name);
      fa.min_cut_sets.push_back(std::move(cut));
    }
    analysis.features.push_back(std::move(fa));
    hard_set_of_feature.push_back(std::move(in_hard_set));
  }

  // Upstream: callers that fail with a service on some feature's requests, so the walk back from it
  // only follows edges of one feature at a time (a path mixing features is taken by no request).
  using CallerGraph = boost::reverse_graph<ServiceGraph>;
  const CallerGraph callers(g);
  std::vector<std::vector<bool>> upstream(n, std::vector<bool>(n, false));
  for (const Feature& feature : s.features) {
    boost::filtered_graph<CallerGraph, CarriesFeature<CallerGraph>> feature_callers(
        callers, CarriesFeature<CallerGraph>{&callers, &s, &feature.name});
    for (std::size_t i = 0; i < n; ++i) {
      const auto reached = reachable_from(feature_callers, i, n);
      for (std::size_t j = 0; j < n; ++j)
        if (reached[j] && j != i) upstream[i][j] = true;
    }
  }

  for (std::size_t i = 0; i < n; ++i) {
    ServiceAnalysis sa;
    sa.service = s.services[i].name;
    for (std::size_t f = 0; f < s.features.size(); ++f)
      if (hard_set_of_feature[f][i]) sa.blast_radius.push_back(s.features[f].name);
    for (std::size_t j = 0; j < n; ++j)
      if (upstream[i][j]) sa.upstream.push_back(s.services[j].name);
    analysis.services.push_back(std::move(sa));
  }
  return analysis;
}

}  // namespace faultline::graph
