// The reading of a scenario, in the order sections refer to each other: the generic checks, the
// scenario info, zones, network and links, features, traffic and the client; then the hard-cycle check.

#include "io/scenario_reader.hpp"

#include "graph/dependency_graph.hpp"
#include "io/duration.hpp"
#include "io/scenario_reader_impl.hpp"

#include <array>
#include <cmath>
#include <numeric>

namespace faultline::reading {

Scenario ScenarioReader::read(const toml::table& tree) {
  TableReader root = TableReader::root(tree, out_);
  if (const auto version = root.integer("schema_version"); version && *version != 1)
    root.error("schema_version", fmt::format("unsupported schema_version {}; this faultline reads 1", *version));
  read_info(root);
  read_zones(root);
  read_network(root);
  read_services(root);
  read_features(root);
  read_dependencies(root);
  read_traffic(root);
  read_client(root);
  read_faults(root);
  read_monitors(root);
  read_incident(root);
  read_actions(root);
  read_expectations(root);
  check_hard_cycles();
  return std::move(s_);
}

// A quoted echo of a string value, for messages that compare it with something.
std::string ScenarioReader::shown(const TableReader& r, std::string_view key) {
  const toml::node* n = r.node(key);
  if (n && n->as_string()) return fmt::format("\"{}\"", n->as_string()->get());
  return n ? describe_node(*n) : std::string("the default");
}

void ScenarioReader::check_before_end(TableReader& r, std::string_view key, Seconds t) {
  if (run_duration_ && t >= *run_duration_)
    r.error(key, fmt::format("must be before the end of the run ({}), got {}", format_duration(*run_duration_),
                             shown(r, key)));
}

bool ScenarioReader::check_reference(TableReader& r, std::string_view key, const std::string& name,
                                     const NameRegistry& known) {
  if (known.contains(name)) return true;
  r.error(key, known.unknown(name));
  return false;
}

// Each element of a list must name a known entity; the diagnostic points at the element.
void ScenarioReader::check_list_references(TableReader& r, std::string_view key, const std::vector<std::string>& names,
                                           const NameRegistry& known) {
  const auto* array = r.node(key) ? r.node(key)->as_array() : nullptr;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (known.contains(names[i])) continue;
    const toml::source_region where = array ? array->get(i)->source() : r.where_of(key);
    out_.add(where, fmt::format("{}[{}]", r.path_of(key), i), known.unknown(names[i]));
  }
}

void ScenarioReader::read_info(TableReader& root) {
  auto t = root.table("scenario");
  if (!t) return;
  s_.info.source = source_of(*t);
  t->fill(s_.info);
  if (t->filled("duration")) run_duration_ = s_.info.duration;
  if (const Seconds bucket = s_.info.bucket; t->filled("bucket") && run_duration_) {
    if (bucket > *run_duration_)
      t->error("bucket", fmt::format("must be at most the duration ({}), got {}", format_duration(*run_duration_),
                                     shown(*t, "bucket")));
    else if (*run_duration_ / bucket > 1e6)
      t->error("bucket", fmt::format("makes {:.0f} buckets; at most 1000000 are allowed, so use at least {}",
                                     std::ceil(*run_duration_ / bucket), format_duration(*run_duration_ / 1e6)));
  }
}

void ScenarioReader::read_zones(TableReader& root) {
  std::vector<TableReader> tables = root.tables("zone");
  for (TableReader& z : tables) {
    Zone zone;
    zone.source = source_of(z);
    z.fill(zone);
    if (z.filled("name")) zones_.declare(zone.name, z, "name");
    if (z.filled("region")) regions_.note(zone.region);
    if (z.filled("racks") && zone.racks > zone.hosts)
      z.error("racks", fmt::format("must be at most hosts ({}), got {}", zone.hosts, zone.racks));
    for (const std::string& tag : zone.tags) tags_.note(tag);
    s_.zones.push_back(std::move(zone));
  }
  // A fault target names a zone or a region: one name must not be both.
  for (std::size_t i = 0; i < tables.size(); ++i)
    if (const std::string& name = s_.zones[i].name; !name.empty() && regions_.contains(name))
      tables[i].error("name", fmt::format("'{}' is also a region's name; a zone needs a name of its own", name));
}

void ScenarioReader::read_network(TableReader& root) {
  if (auto n = root.table("network")) n->fill(s_.network);
  for (TableReader& l : root.tables("link")) {
    LinkOverride link;
    link.source = source_of(l);
    if (l.has("within")) {  // a zone's own network
      if (l.has("between")) l.error("within", "give either `between` (two zones or two regions) or `within` (a zone)");
      if (auto v = l.text("within"); v && check_reference(l, "within", *v, zones_)) link.a = link.b = *v;
      if (l.has("latency"))
        l.error("latency", "the network inside a zone takes its latency from `network.intra_zone`; a link "
                           "`within` a zone can only give it a `bandwidth`");
    } else if (!l.has("between")) {
      l.error("between", "missing: give `between` (two zones or two regions) or `within` (a zone)");
    } else if (auto between = l.list("between")) {
      if (between->size() != 2) {
        l.error("between", fmt::format("needs exactly two zones or two regions, got {}", between->size()));
      } else {
        link.a = (*between)[0];
        link.b = (*between)[1];
        check_link_ends(l, link.a, link.b);
      }
    }
    link.name = l.has("within") ? link.a + ".network" : link.a + "<->" + link.b;  // unless it has one
    l.fill(link);
    if (l.has("buffer") && !l.has("bandwidth")) l.error("buffer", "applies to a link with a `bandwidth` only");
    check_link_unique(l, link);
    s_.network.links.push_back(std::move(link));
  }
  for (TableReader& d : root.tables("device")) {
    Device dev;
    dev.source = source_of(d);
    d.fill(dev);
    if (d.filled("name")) {
      for (const LinkOverride& l : s_.network.links)
        if (l.named(dev.name))
          d.error("name", fmt::format("'{}' already names a [[link]]; a device needs a name of its own", dev.name));
      devices_.declare(dev.name, d, "name");
    }
    if (d.filled("joins")) {
      const auto* array = d.node("joins")->as_array();
      for (std::size_t i = 0; i < dev.joins.size(); ++i) {
        const std::string& j = dev.joins[i];
        if (!zones_.contains(j) && !regions_.contains(j))
          out_.add(array->get(i)->source(), fmt::format("{}[{}]", d.path_of("joins"), i),
                   fmt::format("unknown zone or region '{}'; zones: {}; regions: {}", j, known_list(zones_.names()),
                               known_list(regions_.names())));
      }
      if (dev.joins.size() < 2)
        d.error("joins", fmt::format("needs at least two zones or regions, got {}", dev.joins.size()));
    }
    s_.network.devices.push_back(std::move(dev));
  }
}

void ScenarioReader::check_link_ends(TableReader& l, const std::string& a, const std::string& b) {
  const bool zones = zones_.contains(a) && zones_.contains(b);
  const bool regions = regions_.contains(a) && regions_.contains(b);
  if (zones || regions) return;
  const std::array<std::string, 2> ends = {a, b};
  bool all_known = true;
  const auto* array = l.node("between")->as_array();
  for (std::size_t i = 0; i < ends.size(); ++i) {
    if (zones_.contains(ends[i]) || regions_.contains(ends[i])) continue;
    all_known = false;
    out_.add(array->get(i)->source(), fmt::format("{}[{}]", l.path_of("between"), i),
             fmt::format("unknown zone or region '{}'; zones: {}; regions: {}", ends[i], known_list(zones_.names()),
                         known_list(regions_.names())));
  }
  if (all_known) l.error("between", "links join two zones or two regions, not a zone and a region");
}

// One [[link]] per pair of ends (or zone network) and per name: a second would leave which one
// applies, and which one a `link_capacity` fault hits, to chance.
void ScenarioReader::check_link_unique(TableReader& l, const LinkOverride& link) {
  if (link.a.empty()) return;  // its ends were already refused
  for (const LinkOverride& earlier : s_.network.links) {
    const bool same_ends = (earlier.a == link.a && earlier.b == link.b) || (earlier.a == link.b && earlier.b == link.a);
    if (same_ends) {
      const std::string what = link.a == link.b ? fmt::format("the network within {}", link.a)
                                                : fmt::format("{} and {}", link.a, link.b);
      l.error(l.has("within") ? "within" : "between",
              fmt::format("a link for {} is already declared at line {}; give one [[link]] per pair", what,
                          earlier.source.line));
      return;
    }
    if (earlier.name == link.name) {
      l.error(l.has("name") ? "name" : "between",
              fmt::format("duplicate link name '{}'; the first is at line {}", link.name, earlier.source.line));
      return;
    }
  }
}

// Shares are weights; consumers get fractions that sum to 1.
template <class T>
void ScenarioReader::normalise(std::vector<T>& shared) {
  const double total =
      std::accumulate(shared.begin(), shared.end(), 0.0, [](double sum, const T& x) { return sum + x.share; });
  if (total > 0)
    for (T& x : shared) x.share /= total;
}

void ScenarioReader::read_features(TableReader& root) {
  for (TableReader& t : root.tables("feature")) {
    Feature f;
    f.source = source_of(t);
    t.fill(f);
    if (t.filled("name")) features_.declare(f.name, t, "name");
    if (t.filled("entry")) check_reference(t, "entry", f.entry, services_);
    s_.features.push_back(std::move(f));
  }
  normalise(s_.features);
}

void ScenarioReader::read_traffic(TableReader& root) {
  auto t = root.table("traffic");
  if (!t) return;
  Traffic& traffic = s_.traffic;
  t->fill(traffic);
  if (t->filled("tenants") && traffic.tenants > traffic.sample_users)
    t->error("tenants", fmt::format("must be at most sample_users ({}), got {}: every tenant needs a simulated user",
                                    traffic.sample_users, traffic.tenants));
  const bool pattern = t->filled("pattern");
  if (pattern) {
    t->only_for(traffic.pattern == TrafficPattern::piecewise, "steps", "pattern = \"piecewise\"");
    t->only_for(traffic.pattern == TrafficPattern::diurnal, "diurnal", "pattern = \"diurnal\"");
  }
  if (pattern && traffic.pattern == TrafficPattern::piecewise && t->require("steps")) {
    std::optional<Seconds> previous;
    for (TableReader& step : t->tables("steps")) {
      TrafficStep s;
      step.fill(s);
      if (step.filled("at")) {
        check_before_end(step, "at", s.at);
        if (previous && s.at <= *previous)
          step.error("at", fmt::format("steps must be in ascending order of 'at': {} is not after {}",
                                       shown(step, "at"), format_duration(*previous)));
        previous = s.at;
      }
      traffic.steps.push_back(s);
    }
  }
  if (pattern && traffic.pattern == TrafficPattern::diurnal)
    if (auto d = t->table("diurnal")) {
      d->fill(traffic);
      if (d->filled("peak") && traffic.diurnal_peak >= traffic.diurnal_period)
        d->error("peak", fmt::format("must be less than the period ({}), got {}",
                                     format_duration(traffic.diurnal_period), shown(*d, "peak")));
    }
  if (auto shares = t->table("region_share")) read_region_share(*t, *shares);
  for (TableReader& seg : t->tables("segment")) {
    Segment segment;
    segment.source = source_of(seg);
    seg.fill(segment);
    if (seg.filled("name")) segments_.declare(segment.name, seg, "name");
    if (seg.filled("features")) check_list_references(seg, "features", segment.features, features_);
    traffic.segments.push_back(std::move(segment));
  }
  normalise(traffic.segments);
}

void ScenarioReader::read_region_share(TableReader& traffic, TableReader& shares) {
  double total = 0;
  bool any = false;
  for (const auto& [region, where] : shares.keys()) {
    any = true;
    if (!regions_.contains(region)) out_.add(where, shares.path_of(region), regions_.unknown(region));
    if (auto v = shares.number(region)) {
      s_.traffic.region_share[region] = *v;
      total += *v;
    }
  }
  if (any && total <= 0) traffic.error("region_share", "needs at least one region with a share above 0");
  if (total > 0)
    for (auto& [region, share] : s_.traffic.region_share) share /= total;
}

void ScenarioReader::read_client(TableReader& root) {
  auto c = root.table("client");
  if (!c) return;
  if (auto on_status = c->table("on_status")) {
    for (const auto& [key, where] : on_status->keys()) {
      const std::optional<Status> status = parse_status(key);
      if (!status)
        out_.add(where, on_status->path_of(key),
                 fmt::format("unknown status '{}'; known: {}", key, known_list(status_names())));
      if (status == Status::OK)
        out_.add(where, on_status->path_of(key), "OK is not a failure: on_status gives the client's reaction to failures");
      const auto action = on_status->text(key);
      if (status && action)
        s_.client.on_status[*status] = from_choice<ClientAction>(*action, {{"error", ClientAction::error},
                                                                           {"retry", ClientAction::retry},
                                                                           {"logout", ClientAction::logout},
                                                                           {"ignore", ClientAction::ignore}});
    }
  }
  c->fill(s_.client);
  if (c->filled("relogin_feature")) check_reference(*c, "relogin_feature", s_.client.relogin_feature, features_);
}

// Reported once per cycle, at its first dependency in the file, walking from there.
void ScenarioReader::check_hard_cycles() {
  const std::vector<std::vector<std::size_t>> cycles = graph::hard_dependency_cycles(s_);
  for (std::vector<std::size_t> cycle : cycles) {
    // A dependency on itself is already reported as such where it is read.
    if (cycle.empty() || (cycle.size() == 1 && s_.dependencies[cycle.front()].from == s_.dependencies[cycle.front()].to))
      continue;
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    std::vector<std::string> walk;
    for (std::size_t index : cycle) walk.push_back(s_.dependencies[index].from);
    walk.push_back(s_.dependencies[cycle.front()].from);
    const Dependency& first = s_.dependencies[cycle.front()];
    out_.add(region_of(first.source), first.source.key,
             fmt::format("hard dependency cycle: {}", fmt::join(walk, " -> ")));
  }
  if (cycles.size() >= graph::kMaxReportedCycles && !cycles.back().empty()) {  // the search stopped there
    const Dependency& last = s_.dependencies[*std::min_element(cycles.back().begin(), cycles.back().end())];
    out_.add(region_of(last.source), last.source.key,
             fmt::format("the search for hard dependency cycles stopped after {}; there may be more", cycles.size()));
  }
}

}  // namespace faultline::reading

namespace faultline {

Scenario read_scenario(const toml::table& tree, DiagnosticList& out) { return reading::ScenarioReader(out).read(tree); }

}  // namespace faultline
