#include "io/scenario_reader.hpp"

#include "graph/dependency_graph.hpp"
#include "io/duration.hpp"
#include "io/schema.hpp"
#include "io/table_reader.hpp"
#include "scenario/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>

namespace faultline {

namespace {

Source source_of(const TableReader& r) {
  return Source{static_cast<int>(r.where().begin.line), static_cast<int>(r.where().begin.column), r.key_path()};
}

toml::source_region region_of(const Source& s) {
  toml::source_region region;
  region.begin = {static_cast<toml::source_index>(s.line), static_cast<toml::source_index>(s.column)};
  region.end = region.begin;
  return region;
}

template <class Enum>
Enum from_choice(const std::string& value, std::initializer_list<std::pair<std::string_view, Enum>> choices) {
  for (const auto& [name, e] : choices)
    if (name == value) return e;
  throw InternalError(fmt::format("choice '{}' passed the schema but has no enumerator", value));
}

// The names of one kind of entity in declaration order, for duplicate checks and "known: ..." lists.
class NameRegistry {
 public:
  explicit NameRegistry(std::string_view kind) : kind_(kind) {}

  // Records a name; a duplicate is a diagnostic on r's `key`.
  void declare(const std::string& name, TableReader& r, std::string_view key) {
    if (const auto it = first_line_.find(name); it != first_line_.end()) {
      r.error(key, it->second > 0 ? fmt::format("duplicate {} name '{}'; the first is at line {}", kind_, name, it->second)
                                  : fmt::format("duplicate {} name '{}'", kind_, name));
      return;
    }
    first_line_.emplace(name, static_cast<int>(r.where_of(key).begin.line));
    names_.push_back(name);
  }
  void note(const std::string& name) {  // for regions, which zones declare implicitly
    if (!contains(name)) names_.push_back(name);
  }
  bool contains(const std::string& name) const {
    return std::find(names_.begin(), names_.end(), name) != names_.end();
  }
  const std::vector<std::string>& names() const { return names_; }
  std::string unknown(const std::string& name) const {
    return fmt::format("unknown {} '{}'; known: {}", kind_, name, known_list(names_));
  }

 private:
  std::string kind_;
  std::vector<std::string> names_;
  std::map<std::string, int> first_line_;
};

// Converts the (overridden) TOML tree into a Scenario, section by section, in the order in which
// sections refer to each other, so every reference is checked against names already read.
class ScenarioReader {
 public:
  explicit ScenarioReader(DiagnosticList& out) : out_(out) {}

  Scenario read(const toml::table& tree) {
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
    check_hard_cycles();
    return std::move(s_);
  }

 private:
  // A quoted echo of a string value, for messages that compare it with something.
  static std::string shown(const TableReader& r, std::string_view key) {
    const toml::node* n = r.node(key);
    if (n && n->as_string()) return fmt::format("\"{}\"", n->as_string()->get());
    return n ? describe_node(*n) : std::string("the default");
  }

  void check_before_end(TableReader& r, std::string_view key, Seconds t) {
    if (run_duration_ && t >= *run_duration_)
      r.error(key, fmt::format("must be before the end of the run ({}), got {}", format_duration(*run_duration_),
                               shown(r, key)));
  }

  bool check_reference(TableReader& r, std::string_view key, const std::string& name, const NameRegistry& known) {
    if (known.contains(name)) return true;
    r.error(key, known.unknown(name));
    return false;
  }

  // Each element of a list must name a known entity; the diagnostic points at the element.
  void check_list_references(TableReader& r, std::string_view key, const std::vector<std::string>& names,
                             const NameRegistry& known) {
    const auto* array = r.node(key) ? r.node(key)->as_array() : nullptr;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (known.contains(names[i])) continue;
      const toml::source_region where = array ? array->get(i)->source() : r.where_of(key);
      out_.add(where, fmt::format("{}[{}]", r.path_of(key), i), known.unknown(names[i]));
    }
  }

  void read_info(TableReader& root) {
    auto t = root.table("scenario");
    if (!t) return;
    s_.info.source = source_of(*t);
    if (auto v = t->text("name")) s_.info.name = *v;
    if (auto v = t->text("description")) s_.info.description = *v;
    if (auto v = t->duration("duration")) s_.info.duration = run_duration_.emplace(*v);
    if (auto v = t->integer("seed")) s_.info.seed = static_cast<std::uint64_t>(*v);
    if (auto v = t->duration("bucket")) {
      s_.info.bucket = *v;
      if (run_duration_ && *v > *run_duration_)
        t->error("bucket", fmt::format("must be at most the duration ({}), got {}", format_duration(*run_duration_),
                                       shown(*t, "bucket")));
      else if (run_duration_ && *run_duration_ / *v > 1e6)
        t->error("bucket", fmt::format("makes {:.0f} buckets; at most 1000000 are allowed, so use at least {}",
                                       std::ceil(*run_duration_ / *v), format_duration(*run_duration_ / 1e6)));
    }
  }

  void read_zones(TableReader& root) {
    for (TableReader& z : root.tables("zone")) {
      Zone zone;
      zone.source = source_of(z);
      if (auto v = z.text("name")) {
        zone.name = *v;
        zones_.declare(*v, z, "name");
      }
      if (auto v = z.text("region")) {
        zone.region = *v;
        regions_.note(*v);
      }
      if (auto v = z.integer("hosts")) zone.hosts = static_cast<int>(*v);
      s_.zones.push_back(std::move(zone));
    }
  }

  void read_network(TableReader& root) {
    if (auto n = root.table("network")) {
      if (auto v = n->duration("intra_zone")) s_.network.intra_zone = *v;
      if (auto v = n->duration("inter_zone")) s_.network.inter_zone = *v;
      if (auto v = n->duration("inter_region")) s_.network.inter_region = *v;
    }
    for (TableReader& l : root.tables("link")) {
      LinkOverride link;
      link.source = source_of(l);
      if (auto between = l.list("between")) {
        if (between->size() != 2) {
          l.error("between", fmt::format("needs exactly two zones or two regions, got {}", between->size()));
        } else {
          link.a = (*between)[0];
          link.b = (*between)[1];
          check_link_ends(l, link.a, link.b);
        }
      }
      if (auto v = l.duration("latency")) link.latency = *v;
      s_.network.links.push_back(std::move(link));
    }
  }

  void check_link_ends(TableReader& l, const std::string& a, const std::string& b) {
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

  void read_services(TableReader& root) {
    for (TableReader& t : root.tables("service")) {
      Service svc;
      svc.source = source_of(t);
      if (auto v = t.text("name")) {
        svc.name = *v;
        services_.declare(*v, t, "name");
      }
      if (auto v = t.integer("replicas")) svc.replicas = static_cast<int>(*v);
      if (!t.has("zones")) svc.zones = zones_.names();
      else if (auto v = t.list("zones")) {
        check_list_references(t, "zones", *v, zones_);
        svc.zones = *v;
      }
      if (auto v = t.integer("workers")) svc.workers = static_cast<int>(*v);
      if (auto v = t.integer("queue")) svc.queue = static_cast<int>(*v);
      if (auto v = t.distribution("service_time")) svc.service_time = *v;
      if (auto v = t.duration("restart_time")) svc.restart_time = *v;
      if (auto hc = t.table("health_check")) {
        if (auto v = hc->duration("interval")) svc.health_check.interval = *v;
        if (auto v = hc->integer("unhealthy_threshold")) svc.health_check.unhealthy_threshold = static_cast<int>(*v);
        if (auto v = hc->integer("healthy_threshold")) svc.health_check.healthy_threshold = static_cast<int>(*v);
      }
      if (auto v = t.text("queue_discipline"))
        svc.queue_discipline = from_choice<QueueDiscipline>(*v, {{"fifo", QueueDiscipline::fifo},
                                                                 {"lifo", QueueDiscipline::lifo}});
      if (t.has("max_queue_wait"))
        if (auto v = t.duration("max_queue_wait")) svc.max_queue_wait = *v;
      if (auto v = t.duration("error_cost")) svc.error_cost = *v;
      if (auto v = t.boolean("deadline_propagation")) svc.deadline_propagation = *v;
      if (auto v = t.text("load_balancer"))
        svc.load_balancer = from_choice<LoadBalancer>(*v, {{"round_robin", LoadBalancer::round_robin},
                                                          {"random", LoadBalancer::random},
                                                          {"least_request", LoadBalancer::least_request},
                                                          {"zone_aware", LoadBalancer::zone_aware}});
      if (auto od = t.has("outlier_detection") ? t.table("outlier_detection") : std::nullopt) {
        OutlierDetection& o = svc.outlier_detection;
        o.enabled = true;
        if (auto v = od->integer("consecutive_5xx")) o.consecutive_5xx = static_cast<int>(*v);
        if (auto v = od->duration("base_ejection_time")) o.base_ejection_time = *v;
        if (auto v = od->number("max_ejection_percent")) o.max_ejection_percent = *v;
      }
      s_.services.push_back(std::move(svc));
    }
  }

  void read_features(TableReader& root) {
    for (TableReader& t : root.tables("feature")) {
      Feature f;
      f.source = source_of(t);
      if (auto v = t.text("name")) {
        f.name = *v;
        features_.declare(*v, t, "name");
      }
      if (auto v = t.text("entry")) {
        f.entry = *v;
        check_reference(t, "entry", *v, services_);
      }
      if (auto v = t.number("share")) f.share = *v;
      if (auto v = t.number("slo")) f.slo = *v;
      s_.features.push_back(std::move(f));
    }
    normalise(s_.features);
  }

  // Shares are weights; consumers get fractions that sum to 1.
  template <class T>
  static void normalise(std::vector<T>& shared) {
    const double total =
        std::accumulate(shared.begin(), shared.end(), 0.0, [](double sum, const T& x) { return sum + x.share; });
    if (total > 0)
      for (T& x : shared) x.share /= total;
  }

  void read_dependencies(TableReader& root) {
    std::map<std::pair<std::string, std::string>, int> first_line;
    for (TableReader& t : root.tables("dependency")) {
      Dependency dep;
      dep.source = source_of(t);
      const auto from = t.text("from");
      const auto to = t.text("to");
      if (from) {
        dep.from = *from;
        check_reference(t, "from", *from, services_);
      }
      if (to) {
        dep.to = *to;
        check_reference(t, "to", *to, services_);
      }
      if (from && to && *from == *to) t.error("to", fmt::format("a service cannot depend on itself ('{}')", *to));
      if (from && to && *from != *to) {
        const auto [it, fresh] = first_line.emplace(std::pair(*from, *to), dep.source.line);
        if (!fresh)
          t.error_here(fmt::format("duplicate dependency {}->{}; the first is at line {}", *from, *to, it->second));
      }

      const auto kind = t.text("kind");
      if (kind)
        dep.kind = from_choice<DependencyKind>(
            *kind, {{"hard", DependencyKind::hard}, {"soft", DependencyKind::soft}, {"control", DependencyKind::control}});
      if (auto v = t.number("calls")) dep.calls = *v;
      if (t.has("features"))
        if (auto v = t.list("features")) {
          check_list_references(t, "features", *v, features_);
          dep.features = *v;
        }
      if (auto v = t.duration("timeout")) dep.timeout = *v;
      if (auto rp = t.table("retry_policy")) read_retry_policy(*rp, dep.retry_policy);
      if (auto cb = t.has("circuit_breakers") ? t.table("circuit_breakers") : std::nullopt) {
        CircuitBreakers& b = dep.circuit_breakers;
        b.enabled = true;
        if (auto v = cb->integer("max_requests")) b.max_requests = static_cast<int>(*v);
        if (auto v = cb->integer("max_pending_requests")) b.max_pending_requests = static_cast<int>(*v);
        if (auto v = cb->integer("max_retries")) b.max_retries = static_cast<int>(*v);
      }
      if (auto ct = t.has("cache") ? t.table("cache") : std::nullopt) {
        Cache& c = dep.cache;
        c.enabled = true;
        if (auto v = ct->number("hit_ratio")) c.hit_ratio = *v;
        if (auto v = ct->duration("ttl")) c.ttl = *v;
        if (auto v = ct->duration("refresh")) c.refresh = *v;
        if (auto v = ct->duration("warmup")) c.warmup = *v;
        if (auto v = ct->boolean("serve_stale")) c.serve_stale = *v;
        if (dep.kind == DependencyKind::control) ct->error("hit_ratio", "control edges have their own cache (refresh, cache_ttl)");
      }

      // Keys of one kind of edge on another are mistakes (a fallback on a hard edge would be ignored).
      const bool soft = kind && dep.kind == DependencyKind::soft;
      const bool control = kind && dep.kind == DependencyKind::control;
      if (kind) {
        t.only_for(soft, "fallback", "soft dependencies (kind = \"soft\")");
        for (std::string_view key : {"fail_static", "refresh", "cache_ttl"})
          t.only_for(control, key, "control dependencies (kind = \"control\")");
      }
      if (soft)
        if (auto v = t.text("fallback"))
          dep.fallback = from_choice<Fallback>(
              *v, {{"degrade", Fallback::degrade}, {"fail", Fallback::fail}, {"ignore", Fallback::ignore}});
      if (control) {
        if (auto v = t.boolean("fail_static")) dep.fail_static = *v;
        if (auto v = t.duration("refresh")) dep.refresh = *v;
        if (auto v = t.duration("cache_ttl")) dep.cache_ttl = *v;
      }
      if (auto mapping = t.table("error_mapping")) dep.error_mapping = read_status_map(*mapping);
      s_.dependencies.push_back(std::move(dep));
    }
  }

  // Keys of a status map must be status names too; they are reported where they are written.
  std::map<Status, Status> read_status_map(TableReader& mapping) {
    std::map<Status, Status> out;
    for (const auto& [key, where] : mapping.keys()) {
      const std::optional<Status> from = parse_status(key);
      if (!from)
        out_.add(where, mapping.path_of(key), fmt::format("unknown status '{}'; known: {}", key, known_list(status_names())));
      const std::optional<Status> to = mapping.status(key);
      if (from && to) out[*from] = *to;
    }
    return out;
  }

  void read_retry_policy(TableReader& rp, RetryPolicy& policy) {
    if (auto v = rp.integer("num_retries")) policy.num_retries = static_cast<int>(*v);
    if (rp.has("per_try_timeout"))
      if (auto v = rp.duration("per_try_timeout")) policy.per_try_timeout = *v;
    if (auto v = rp.list("retry_on")) {
      const auto* array = rp.node("retry_on") ? rp.node("retry_on")->as_array() : nullptr;
      const auto& conditions = retry_conditions();
      std::vector<std::string> known(conditions.begin(), conditions.end());
      for (std::size_t i = 0; i < v->size(); ++i) {
        const std::string& c = (*v)[i];
        if (std::find(conditions.begin(), conditions.end(), c) != conditions.end() || parse_status(c)) continue;
        out_.add(array ? array->get(i)->source() : rp.where(), fmt::format("{}[{}]", rp.path_of("retry_on"), i),
                 fmt::format("unknown retry condition '{}'; known: {}, or a status name", c, known_list(known)));
      }
      policy.retry_on = *v;
    }
    if (auto backoff = rp.table("retry_back_off")) {
      if (auto v = backoff->duration("base_interval")) policy.back_off.base_interval = *v;
      policy.back_off.max_interval = 10 * policy.back_off.base_interval;
      if (backoff->has("max_interval"))
        if (auto v = backoff->duration("max_interval")) {
          policy.back_off.max_interval = *v;
          if (*v < policy.back_off.base_interval)
            backoff->error("max_interval", fmt::format("must be at least base_interval ({}), got {}",
                                                       format_duration(policy.back_off.base_interval),
                                                       shown(*backoff, "max_interval")));
        }
    }
    if (auto v = rp.text("jitter"))
      policy.jitter = from_choice<Jitter>(*v, {{"none", Jitter::none},
                                               {"full", Jitter::full},
                                               {"equal", Jitter::equal},
                                               {"decorrelated", Jitter::decorrelated}});
    if (auto b = rp.has("retry_budget") ? rp.table("retry_budget") : std::nullopt) {
      policy.retry_budget.enabled = true;
      if (auto v = b->number("budget_percent")) policy.retry_budget.budget_percent = *v;
      if (auto v = b->integer("min_retry_concurrency")) policy.retry_budget.min_retry_concurrency = static_cast<int>(*v);
    }
  }

  void read_traffic(TableReader& root) {
    auto t = root.table("traffic");
    if (!t) return;
    Traffic& traffic = s_.traffic;
    if (auto v = t->number("rate")) traffic.rate = *v;
    if (auto v = t->number("users")) traffic.users = *v;
    if (auto v = t->integer("sample_users")) traffic.sample_users = static_cast<int>(*v);
    const auto pattern = t->text("pattern");
    if (pattern)
      traffic.pattern = from_choice<TrafficPattern>(*pattern, {{"constant", TrafficPattern::constant},
                                                               {"piecewise", TrafficPattern::piecewise},
                                                               {"diurnal", TrafficPattern::diurnal}});
    if (pattern) {
      t->only_for(traffic.pattern == TrafficPattern::piecewise, "steps", "pattern = \"piecewise\"");
      t->only_for(traffic.pattern == TrafficPattern::diurnal, "diurnal", "pattern = \"diurnal\"");
    }
    if (pattern && traffic.pattern == TrafficPattern::piecewise && t->require("steps")) {
      std::optional<Seconds> previous;
      for (TableReader& step : t->tables("steps")) {
        TrafficStep s;
        if (auto v = step.duration("at")) {
          s.at = *v;
          check_before_end(step, "at", *v);
          if (previous && *v <= *previous)
            step.error("at", fmt::format("steps must be in ascending order of 'at': {} comes after {}",
                                         shown(step, "at"), format_duration(*previous)));
          previous = *v;
        }
        if (auto v = step.number("multiplier")) s.multiplier = *v;
        traffic.steps.push_back(s);
      }
    }
    if (pattern && traffic.pattern == TrafficPattern::diurnal)
      if (auto d = t->table("diurnal")) {
        if (auto v = d->duration("period")) traffic.diurnal_period = *v;
        if (auto v = d->duration("peak")) {
          traffic.diurnal_peak = *v;
          if (*v >= traffic.diurnal_period)
            d->error("peak", fmt::format("must be less than the period ({}), got {}",
                                         format_duration(traffic.diurnal_period), shown(*d, "peak")));
        }
        if (auto v = d->number("trough")) traffic.diurnal_trough = *v;
      }
    if (auto shares = t->table("region_share")) read_region_share(*t, *shares);
    for (TableReader& seg : t->tables("segment")) {
      Segment segment;
      segment.source = source_of(seg);
      if (auto v = seg.text("name")) {
        segment.name = *v;
        segments_.declare(*v, seg, "name");
      }
      if (auto v = seg.number("share")) segment.share = *v;
      if (seg.has("features"))
        if (auto v = seg.list("features")) {
          check_list_references(seg, "features", *v, features_);
          segment.features = *v;
        }
      traffic.segments.push_back(std::move(segment));
    }
    normalise(traffic.segments);
  }

  void read_region_share(TableReader& traffic, TableReader& shares) {
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

  void read_client(TableReader& root) {
    auto c = root.table("client");
    if (!c) return;
    if (auto on_status = c->table("on_status")) {
      for (const auto& [key, where] : on_status->keys()) {
        const std::optional<Status> status = parse_status(key);
        if (!status)
          out_.add(where, on_status->path_of(key),
                   fmt::format("unknown status '{}'; known: {}", key, known_list(status_names())));
        const auto action = on_status->text(key);
        if (status && action)
          s_.client.on_status[*status] = from_choice<ClientAction>(*action, {{"error", ClientAction::error},
                                                                             {"retry", ClientAction::retry},
                                                                             {"logout", ClientAction::logout},
                                                                             {"ignore", ClientAction::ignore}});
      }
    }
    if (auto v = c->integer("retries")) s_.client.retries = static_cast<int>(*v);
    if (auto v = c->duration("retry_delay")) s_.client.retry_delay = *v;
    if (auto v = c->duration("timeout")) s_.client.timeout = *v;
    if (c->has("relogin_feature"))
      if (auto v = c->text("relogin_feature")) {
        s_.client.relogin_feature = *v;
        check_reference(*c, "relogin_feature", *v, features_);
      }
  }

  void read_faults(TableReader& root) {
    std::vector<TableReader> tables = root.tables("fault");
    for (std::size_t i = 0; i < tables.size(); ++i) {
      TableReader& t = tables[i];
      Fault fault;
      fault.source = source_of(t);
      fault.name = fmt::format("fault[{}]", i);
      if (t.has("name"))
        if (auto v = t.text("name")) fault.name = *v;
      faults_.declare(fault.name, t, "name");

      const auto kind = t.text("kind");
      if (kind)
        fault.kind = from_choice<FaultKind>(*kind, {{"host_crash", FaultKind::host_crash},
                                                    {"service_crash", FaultKind::service_crash},
                                                    {"zone_outage", FaultKind::zone_outage},
                                                    {"latency", FaultKind::latency},
                                                    {"error_rate", FaultKind::error_rate},
                                                    {"control_plane", FaultKind::control_plane}});
      const auto target = t.text("target");
      if (target) fault.target = *target;
      if (kind && target) check_fault_target(t, fault.kind, *target);

      if (auto mode = t.text("mode")) {
        fault.mode = from_choice<SelectorMode>(*mode, {{"one", SelectorMode::one},
                                                       {"all", SelectorMode::all},
                                                       {"fixed", SelectorMode::fixed},
                                                       {"percent", SelectorMode::percent}});
        const bool counted = fault.mode == SelectorMode::fixed || fault.mode == SelectorMode::percent;
        t.only_for(counted, "value", "mode = \"fixed\" or \"percent\"");
        if (counted && t.require("value"))
          if (auto v = t.number("value")) {
            fault.value = *v;
            if (fault.mode == SelectorMode::fixed && (*v < 1 || *v != std::floor(*v)))
              t.error("value", fmt::format("mode = \"fixed\" needs a whole number of at least 1, got {}", *v));
            if (fault.mode == SelectorMode::percent && (*v <= 0 || *v > 100))
              t.error("value", fmt::format("mode = \"percent\" needs 0 < value <= 100, got {}", *v));
          }
      }
      if (auto v = t.duration("at")) {
        fault.at = *v;
        check_before_end(t, "at", *v);
      }
      if (t.has("duration"))
        if (auto v = t.duration("duration")) fault.duration = *v;

      if (kind) read_fault_effect(t, fault);
      s_.faults.push_back(std::move(fault));
    }
  }

  // The keys that shape what a fault does differ by kind; the others must be absent.
  void read_fault_effect(TableReader& t, Fault& fault) {
    const bool latency = fault.kind == FaultKind::latency;
    const bool error_rate = fault.kind == FaultKind::error_rate;
    const bool control_plane = fault.kind == FaultKind::control_plane;
    t.only_for(latency, "delay", "kind = \"latency\"");
    t.only_for(error_rate, "rate", "kind = \"error_rate\"");
    t.only_for(error_rate || control_plane, "status", "kind = \"error_rate\" or \"control_plane\"");
    t.only_for(control_plane, "behaviour", "kind = \"control_plane\"");
    if (latency && t.require("delay"))
      if (auto v = t.distribution("delay")) fault.delay = *v;
    if (error_rate)
      if (auto v = t.number("rate")) fault.rate = *v;
    if (error_rate || control_plane) {
      fault.status = control_plane ? Status::NOT_FOUND : Status::UNAVAILABLE;
      if (t.has("status"))
        if (auto v = t.status("status")) fault.status = *v;
    }
    if (control_plane)
      if (auto v = t.text("behaviour"))
        fault.behaviour = from_choice<ControlPlaneBehaviour>(
            *v, {{"missing", ControlPlaneBehaviour::missing}, {"errors", ControlPlaneBehaviour::errors}});
  }

  bool has_dependency(const std::string& from, const std::string& to) const {
    return std::any_of(s_.dependencies.begin(), s_.dependencies.end(),
                       [&](const Dependency& d) { return d.from == from && d.to == to; });
  }

  std::vector<std::string> dependency_names() const {
    std::vector<std::string> names;
    for (const Dependency& d : s_.dependencies)
      if (!d.from.empty() && !d.to.empty()) names.push_back(fmt::format("{}->{}", d.from, d.to));
    return names;
  }

  // "<zone>-h<i>" with a known zone and i below its host count.
  std::optional<std::string> host_problem(const std::string& target) const {
    const auto dash = target.rfind("-h");
    if (dash == std::string::npos || dash + 2 == target.size()) return "";
    const std::string zone = target.substr(0, dash);
    const std::string index = target.substr(dash + 2);
    if (!std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; })) return "";
    const Zone* z = s_.find_zone(zone);
    if (!z) return "";
    if (index.size() > 6 || std::stoi(index) >= z->hosts) {
      if (z->hosts == 1) return fmt::format("zone '{}' has 1 host: {}-h0", zone, zone);
      return fmt::format("zone '{}' has {} hosts: {}-h0 .. {}-h{}", zone, z->hosts, zone, zone, z->hosts - 1);
    }
    return std::nullopt;
  }

  void check_fault_target(TableReader& t, FaultKind kind, const std::string& target) {
    switch (kind) {
      case FaultKind::service_crash:
      case FaultKind::control_plane: check_reference(t, "target", target, services_); return;
      case FaultKind::zone_outage: check_reference(t, "target", target, zones_); return;
      case FaultKind::host_crash: {
        if (zones_.contains(target) || services_.contains(target)) return;
        const std::optional<std::string> problem = host_problem(target);
        if (!problem) return;
        if (!problem->empty()) return t.error("target", *problem);
        return t.error("target", fmt::format("unknown target '{}': not a host (<zone>-h<i>), zone or service; "
                                             "zones: {}; services: {}",
                                             target, known_list(zones_.names()), known_list(services_.names())));
      }
      case FaultKind::latency:
      case FaultKind::error_rate: {
        if (const auto arrow = target.find("->"); arrow != std::string::npos) {
          if (!has_dependency(target.substr(0, arrow), target.substr(arrow + 2)))
            t.error("target", fmt::format("unknown dependency '{}'; known: {}", target, known_list(dependency_names())));
          return;
        }
        if (!services_.contains(target))
          t.error("target", fmt::format("unknown target '{}': not a service or a dependency (from->to); services: {}",
                                        target, known_list(services_.names())));
        return;
      }
    }
  }

  void read_monitors(TableReader& root) {
    for (TableReader& t : root.tables("monitor")) {
      Monitor m;
      m.source = source_of(t);
      if (auto v = t.text("name")) {
        m.name = *v;
        monitors_.declare(*v, t, "name");
      }
      bool latency_metric = false;
      if (auto v = t.text("metric")) {
        m.metric = *v;
        latency_metric = check_metric(t, *v);
      }
      const bool below = t.has("below"), above = t.has("above");
      if (below && above) t.error("above", "give either 'below' or 'above', not both");
      if (!below && !above)
        out_.add(t.where(), t.path_of("below"), "missing 'below' or 'above' (exactly one is required)");
      if (below != above) {
        const std::string_view key = below ? "below" : "above";
        m.op = below ? CompareOp::lt : CompareOp::gt;
        if (auto v = threshold(t, key, latency_metric)) m.threshold = *v;
      }
      if (auto v = t.duration("for")) m.for_ = *v;
      s_.monitors.push_back(std::move(m));
    }
  }

  // A latency threshold reads best as a duration ("500ms"); a bare number of seconds works too.
  std::optional<double> threshold(TableReader& t, std::string_view key, bool latency_metric) {
    const toml::node* n = t.node(key);
    if (latency_metric && n && n->as_string()) {
      const auto parsed = parse_duration(n->as_string()->get());
      if (const auto* e = std::get_if<DurationError>(&parsed)) {
        t.error(key, e->message);
        return std::nullopt;
      }
      return std::get<Seconds>(parsed);
    }
    return t.number(key);
  }

  // Returns whether the metric is a latency.
  bool check_metric(TableReader& t, const std::string& metric) {
    constexpr std::string_view feature_prefix = "feature.", service_prefix = "service.";
    auto strip = [&](std::string_view prefix, std::string_view suffix) -> std::optional<std::string> {
      if (metric.size() > prefix.size() + suffix.size() && metric.starts_with(prefix) && metric.ends_with(suffix))
        return metric.substr(prefix.size(), metric.size() - prefix.size() - suffix.size());
      return std::nullopt;
    };
    if (auto f = strip(feature_prefix, ".availability")) {
      check_reference(t, "metric", *f, features_);
      return false;
    }
    for (std::string_view suffix : {".availability", ".error_rate", ".p99_latency"})
      if (auto s = strip(service_prefix, suffix)) {
        check_reference(t, "metric", *s, services_);
        return suffix == ".p99_latency";
      }
    t.error("metric", fmt::format("unknown metric '{}'; known: feature.<f>.availability, service.<s>.availability, "
                                  "service.<s>.error_rate, service.<s>.p99_latency",
                                  metric));
    return false;
  }

  void read_incident(TableReader& root) {
    auto t = root.table("incident");
    if (!t) return;
    if (auto v = t->duration("acknowledge")) s_.incident.acknowledge = *v;
    if (auto v = t->duration("diagnose")) s_.incident.diagnose = *v;
    if (auto v = t->duration("stable_for")) s_.incident.stable_for = *v;
  }

  void read_actions(TableReader& root) {
    std::vector<TableReader> tables = root.tables("action");
    for (std::size_t i = 0; i < tables.size(); ++i) {
      TableReader& t = tables[i];
      Action a;
      a.source = source_of(t);
      a.name = fmt::format("action[{}]", i);
      if (t.has("name"))
        if (auto v = t.text("name")) a.name = *v;
      actions_.declare(a.name, t, "name");

      const bool at = t.has("at"), after = t.has("after");
      if (at && after) t.error("after", "give either 'at' or 'after', not both");
      if (!at && !after) out_.add(t.where(), t.path_of("at"), "missing 'at' or 'after' (exactly one is required)");
      if (at && !after)
        if (auto v = t.duration("at")) {
          a.trigger = Trigger::at;
          a.at = *v;
          check_before_end(t, "at", *v);
        }
      if (after && !at)
        if (auto v = t.text("after")) read_trigger(t, *v, a);
      if (auto v = t.duration("delay")) a.delay = *v;

      const auto kind = t.text("kind");
      if (kind) {
        a.kind = from_choice<ActionKind>(*kind, {{"switch_dependency", ActionKind::switch_dependency},
                                                 {"rollback", ActionKind::rollback},
                                                 {"restart", ActionKind::restart}});
        read_action_target(t, a);
      }
      s_.actions.push_back(std::move(a));
    }
  }

  void read_trigger(TableReader& t, const std::string& after, Action& a) {
    constexpr std::string_view monitor_prefix = "monitor:";
    if (after == "detected") a.trigger = Trigger::detected;
    else if (after == "acknowledged") a.trigger = Trigger::acknowledged;
    else if (after == "diagnosed") a.trigger = Trigger::diagnosed;
    else if (after.starts_with(monitor_prefix)) {
      a.trigger = Trigger::monitor;
      a.monitor = after.substr(monitor_prefix.size());
      check_reference(t, "after", a.monitor, monitors_);
    } else {
      t.error("after", fmt::format("unknown trigger '{}'; known: detected, acknowledged, diagnosed, monitor:<name>",
                                   after));
    }
  }

  void read_action_target(TableReader& t, Action& a) {
    const bool rollback = a.kind == ActionKind::rollback;
    const bool restart = a.kind == ActionKind::restart;
    const bool switching = a.kind == ActionKind::switch_dependency;
    t.only_for(rollback, "fault", "kind = \"rollback\"");
    t.only_for(restart, "service", "kind = \"restart\"");
    for (std::string_view key : {"services", "from", "to"}) t.only_for(switching, key, "kind = \"switch_dependency\"");
    if (rollback && t.require("fault"))
      if (auto v = t.text("fault")) {
        a.fault = *v;
        check_reference(t, "fault", *v, faults_);
      }
    if (restart && t.require("service"))
      if (auto v = t.text("service")) {
        a.service = *v;
        check_reference(t, "service", *v, services_);
      }
    if (!switching) return;
    const bool has_from = t.require("from"), has_to = t.require("to");
    std::optional<std::string> from, to;
    if (has_from) from = t.text("from");
    if (has_to) to = t.text("to");
    if (to) {
      a.to = *to;
      check_reference(t, "to", *to, services_);
    }
    if (!from) return;
    a.from = *from;
    if (!check_reference(t, "from", *from, services_)) return;
    if (to && *to == *from) t.error("to", fmt::format("switches '{}' to itself", *from));
    std::vector<std::string> callers;
    for (const Dependency& d : s_.dependencies)
      if (d.to == *from && std::find(callers.begin(), callers.end(), d.from) == callers.end()) callers.push_back(d.from);
    if (callers.empty()) {
      t.error("from", fmt::format("no service calls '{}', so there is nothing to switch", *from));
      return;
    }
    if (!t.has("services")) return;
    if (auto services = t.list("services")) {
      const auto* array = t.node("services")->as_array();
      for (std::size_t i = 0; i < services->size(); ++i) {
        const std::string& s = (*services)[i];
        if (std::find(callers.begin(), callers.end(), s) != callers.end()) continue;
        const std::string message = services_.contains(s)
                                        ? fmt::format("'{}' does not call '{}'; callers: {}", s, *from, known_list(callers))
                                        : services_.unknown(s);
        out_.add(array->get(i)->source(), fmt::format("{}[{}]", t.path_of("services"), i), message);
      }
      a.services = *services;
    }
  }

  // Reported once per cycle, at its first dependency in the file, walking from there.
  void check_hard_cycles() {
    for (std::vector<std::size_t> cycle : graph::hard_dependency_cycles(s_)) {
      if (cycle.empty()) continue;
      std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
      std::vector<std::string> walk;
      for (std::size_t index : cycle) walk.push_back(s_.dependencies[index].from);
      walk.push_back(s_.dependencies[cycle.front()].from);
      const Dependency& first = s_.dependencies[cycle.front()];
      out_.add(region_of(first.source), first.source.key,
               fmt::format("hard dependency cycle: {}", fmt::join(walk, " -> ")));
    }
  }

  DiagnosticList& out_;
  Scenario s_;
  std::optional<Seconds> run_duration_;
  NameRegistry zones_{"zone"}, regions_{"region"}, services_{"service"}, features_{"feature"}, faults_{"fault"},
      monitors_{"monitor"}, actions_{"action"}, segments_{"segment"};
};


}  // namespace

Scenario read_scenario(const toml::table& tree, DiagnosticList& out) { return ScenarioReader(out).read(tree); }

}  // namespace faultline
