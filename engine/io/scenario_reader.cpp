#include "io/scenario_reader.hpp"

#include "graph/dependency_graph.hpp"
#include "io/duration.hpp"
#include "io/schema.hpp"
#include "io/table_reader.hpp"
#include "scenario/errors.hpp"
#include "scenario/fault_target.hpp"

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
    std::vector<TableReader> tables = root.tables("zone");
    for (TableReader& z : tables) {
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
      if (auto v = z.integer("racks")) {
        zone.racks = static_cast<int>(*v);
        if (zone.racks > zone.hosts)
          z.error("racks", fmt::format("must be at most hosts ({}), got {}", zone.hosts, zone.racks));
      }
      if (auto v = z.integer("cores")) zone.cores = static_cast<int>(*v);
      if (auto v = z.number("speed")) zone.speed = *v;
      if (auto v = z.number("disk_bandwidth")) zone.disk_bandwidth = *v;
      if (z.has("tags"))
        if (auto v = z.list("tags")) {
          zone.tags = *v;
          for (const std::string& tag : *v) tags_.note(tag);
        }
      s_.zones.push_back(std::move(zone));
    }
    // A fault target names a zone or a region: one name must not be both.
    for (std::size_t i = 0; i < tables.size(); ++i)
      if (const std::string& name = s_.zones[i].name; !name.empty() && regions_.contains(name))
        tables[i].error("name", fmt::format("'{}' is also a region's name; a zone needs a name of its own", name));
  }

  void read_network(TableReader& root) {
    if (auto n = root.table("network")) {
      if (auto v = n->duration("intra_zone")) s_.network.intra_zone = *v;
      if (auto v = n->duration("inter_zone")) s_.network.inter_zone = *v;
      if (auto v = n->duration("inter_region")) s_.network.inter_region = *v;
      if (auto v = n->duration("sync_interval")) s_.network.sync_interval = *v;
    }
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
      if (l.has("latency"))
        if (auto v = l.duration("latency")) link.latency = *v;
      link.name = l.has("within") ? link.a + ".network" : link.a + "<->" + link.b;
      if (auto v = l.text("name")) link.name = *v;
      if (l.has("bandwidth"))
        if (auto v = l.number("bandwidth")) link.bandwidth = *v;
      if (l.has("buffer")) {
        if (!l.has("bandwidth")) l.error("buffer", "applies to a link with a `bandwidth` only");
        if (auto v = l.number("buffer")) link.buffer = *v;
      }
      check_link_unique(l, link);
      s_.network.links.push_back(std::move(link));
    }
    for (TableReader& d : root.tables("device")) {
      Device dev;
      dev.source = source_of(d);
      if (auto v = d.text("name")) {
        dev.name = *v;
        for (const LinkOverride& l : s_.network.links)
          if (l.named(*v)) d.error("name", fmt::format("'{}' already names a [[link]]; a device needs a name of its own", *v));
        devices_.declare(*v, d, "name");
      }
      if (auto v = d.list("joins")) {
        dev.joins = *v;
        const auto* array = d.node("joins")->as_array();
        for (std::size_t i = 0; i < v->size(); ++i) {
          const std::string& j = (*v)[i];
          if (!zones_.contains(j) && !regions_.contains(j))
            out_.add(array->get(i)->source(), fmt::format("{}[{}]", d.path_of("joins"), i),
                     fmt::format("unknown zone or region '{}'; zones: {}; regions: {}", j, known_list(zones_.names()),
                                 known_list(regions_.names())));
        }
        if (v->size() < 2) d.error("joins", fmt::format("needs at least two zones or regions, got {}", v->size()));
      }
      if (auto v = d.number("bandwidth")) dev.bandwidth = *v;
      if (d.has("buffer"))
        if (auto v = d.number("buffer")) dev.buffer = *v;
      s_.network.devices.push_back(std::move(dev));
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

  // One [[link]] per pair of ends (or zone network) and per name: a second would leave which one
  // applies, and which one a `link_capacity` fault hits, to chance.
  void check_link_unique(TableReader& l, const LinkOverride& link) {
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

  void read_services(TableReader& root) {
    std::vector<TableReader> tables = root.tables("service");
    for (TableReader& t : tables) {
      Service svc;
      svc.source = source_of(t);
      if (auto v = t.text("name")) {
        svc.name = *v;
        services_.declare(*v, t, "name");
        if (zones_.contains(*v) || regions_.contains(*v))
          t.error("name", fmt::format("'{}' is also a {}'s name; a service needs a name of its own (fault targets "
                                      "take both)", *v, zones_.contains(*v) ? "zone" : "region"));
      }
      const auto replicas = t.integer("replicas");
      if (replicas) svc.replicas = static_cast<int>(*replicas);
      if (!t.has("zones")) svc.zones = zones_.names();
      else if (auto v = t.list("zones")) {
        check_list_references(t, "zones", *v, zones_);
        svc.zones = *v;
      }
      if (auto v = t.integer("workers")) svc.workers = static_cast<int>(*v);
      if (auto v = t.integer("queue")) svc.queue = static_cast<int>(*v);
      if (auto v = t.distribution("service_time")) svc.service_time = *v;
      if (t.has("cpu")) {
        if (t.has("service_time"))
          t.error("cpu", "a service's time is either `service_time` or `cpu` work on its host's cores, not both");
        if (auto v = t.distribution("cpu")) svc.cpu = *v;
      }
      if (auto v = t.duration("restart_time")) svc.restart_time = *v;
      if (auto hc = t.table("health_check")) {
        if (auto v = hc->duration("interval")) svc.health_check.interval = *v;
        if (auto v = hc->integer("unhealthy_threshold")) svc.health_check.unhealthy_threshold = static_cast<int>(*v);
        if (auto v = hc->integer("healthy_threshold")) svc.health_check.healthy_threshold = static_cast<int>(*v);
      }
      if (auto rp = t.table("restart_policy")) read_restart_policy(*rp, svc.restart_policy);
      if (t.has("startup_requires"))  // checked once every service is known
        if (auto v = t.list("startup_requires")) svc.startup_requires = *v;
      if (auto v = t.text("queue_discipline"))
        svc.queue_discipline = from_choice<QueueDiscipline>(*v, {{"fifo", QueueDiscipline::fifo},
                                                                 {"lifo", QueueDiscipline::lifo}});
      if (t.has("max_queue_wait"))
        if (auto v = t.duration("max_queue_wait")) svc.max_queue_wait = *v;
      if (auto v = t.duration("error_cost")) svc.error_cost = *v;
      if (auto mt = t.has("memory") ? t.table("memory") : std::nullopt) {
        MemoryLimit& m = svc.memory;
        m.enabled = true;
        if (auto v = mt->number("limit")) m.limit = *v;
        if (auto v = mt->number("base")) m.base = *v;
        if (auto v = mt->number("per_request")) m.per_request = *v;
        if (auto v = mt->number("pressure")) m.pressure = *v;
        if (auto v = mt->number("pressure_slowdown")) m.pressure_slowdown = *v;
        if (m.base > m.limit && m.limit > 0)
          mt->error("base", fmt::format("must be at most the limit ({} MB), got {} MB: the process could never start",
                                        m.limit, m.base));
      }
      if (auto v = t.number("contention")) svc.contention = *v;
      if (auto wt = t.has("warmup") ? t.table("warmup") : std::nullopt) {
        Warmup& w = svc.warmup;
        w.enabled = true;
        if (auto v = wt->number("cpu")) w.cpu = *v;
        if (auto v = wt->integer("threads")) w.threads = static_cast<int>(*v);
        if (wt->has("timeout"))
          if (auto v = wt->duration("timeout")) w.timeout = *v;
      }
      if (auto th = t.has("threads") ? t.table("threads") : std::nullopt) {
        ThreadLimit& l = svc.threads;
        l.enabled = true;
        if (auto v = th->integer("limit")) l.limit = static_cast<int>(*v);
        if (th->has("base"))
          if (auto v = th->integer("base")) l.base = static_cast<int>(*v);
        if (auto v = th->number("per_peer")) l.per_peer = *v;
        if (const int base = l.base.value_or(svc.workers); l.limit > 0 && base > l.limit)
          th->error(l.base ? "base" : "limit",
                    l.base ? fmt::format("must be at most the limit ({} threads), got {}: the process could never start",
                                         l.limit, base)
                           : fmt::format("must be at least the base (the service's {} workers), got {}: the process "
                                         "could never start",
                                         base, l.limit));
        if (auto v = th->text("peers"))
          l.peers = from_choice<PeerScope>(*v, {{"service", PeerScope::service}, {"zone", PeerScope::zone}});
      }
      if (auto v = t.boolean("deadline_propagation")) svc.deadline_propagation = *v;
      if (auto v = t.boolean("cancellation")) svc.cancellation = *v;
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
      if (auto as = t.has("autoscaling") ? t.table("autoscaling") : std::nullopt)
        read_autoscaling(*as, svc, replicas.has_value());
      if (auto fo = t.has("failover") ? t.table("failover") : std::nullopt) read_failover(*fo, svc);
      if (auto rp = t.has("replication") ? t.table("replication") : std::nullopt) read_replication(*rp, t, svc);
      if (t.has("tags"))
        if (auto v = t.list("tags")) {
          svc.tags = *v;
          for (const std::string& tag : *v) tags_.note(tag);
        }
      s_.services.push_back(std::move(svc));
    }
    for (std::size_t i = 0; i < tables.size(); ++i) check_startup_requires(tables[i], s_.services[i]);
  }

  void check_startup_requires(TableReader& t, const Service& svc) {
    if (svc.startup_requires.empty()) return;
    const auto* array = t.node("startup_requires")->as_array();
    for (std::size_t i = 0; i < svc.startup_requires.size(); ++i) {
      const std::string& required = svc.startup_requires[i];
      const std::string where = fmt::format("{}[{}]", t.path_of("startup_requires"), i);
      if (required == svc.name)
        out_.add(array->get(i)->source(), where, fmt::format("a service cannot require itself ('{}')", required));
      else if (!services_.contains(required))
        out_.add(array->get(i)->source(), where, services_.unknown(required));
    }
  }

  void read_restart_policy(TableReader& rp, RestartPolicy& policy) {
    const auto backoff = rp.duration("backoff");
    if (backoff) policy.backoff = *backoff;
    if (auto v = rp.duration("max_backoff")) {
      policy.max_backoff = *v;
      if (backoff && *v < *backoff) {
        if (rp.has("max_backoff"))
          rp.error("max_backoff", fmt::format("must be at least backoff ({}), got {}", format_duration(*backoff),
                                              shown(rp, "max_backoff")));
        else
          rp.error("backoff", fmt::format("must be at most max_backoff ({}, the default), got {}", format_duration(*v),
                                          shown(rp, "backoff")));
      }
    }
    if (auto v = rp.integer("max_restarts")) policy.max_restarts = static_cast<int>(*v);
    if (auto v = rp.duration("window")) policy.window = *v;
  }

  // `replicas_known`: the service's replicas were read, so the range can be checked against them.
  void read_autoscaling(TableReader& as, Service& svc, bool replicas_known) {
    Autoscaling& a = svc.autoscaling;
    a.enabled = true;
    const auto signal = as.text("signal");
    if (signal)
      a.signal = from_choice<ScalingSignal>(
          *signal, {{"cpu", ScalingSignal::cpu}, {"queue", ScalingSignal::queue}, {"latency", ScalingSignal::latency}});
    if (auto v = as.number("target")) {
      a.target = *v;
      if (signal && a.signal == ScalingSignal::cpu && *v > 1)
        as.error("target", fmt::format("with signal = \"cpu\" the target is a busy share of the workers: at most 1, "
                                       "got {}",
                                       *v));
    }
    const auto min = as.integer("min"), max = as.integer("max");
    if (min) a.min = static_cast<int>(*min);
    if (max) a.max = static_cast<int>(*max);
    if (min && max && *max < *min) {
      as.error("max", fmt::format("must be at least min ({}), got {}", *min, *max));
    } else if (replicas_known) {
      if (max && *max < svc.replicas)
        as.error("max", fmt::format("must be at least the service's replicas ({}), got {}", svc.replicas, *max));
      if (min && *min > svc.replicas)
        as.error("min", fmt::format("must be at most the service's replicas ({}), got {}", svc.replicas, *min));
    }
    if (auto v = as.duration("interval")) a.interval = *v;
    if (auto v = as.duration("provisioning_delay")) a.provisioning_delay = *v;
    if (auto v = as.integer("max_step")) a.max_step = static_cast<int>(*v);
    if (auto v = as.duration("cooldown")) a.cooldown = *v;
  }

  void read_failover(TableReader& fo, Service& svc) {
    Failover& f = svc.failover;
    f.enabled = true;
    if (auto standby = fo.list("standby")) {
      f.standby = *standby;
      // Zones that could not be read have been reported; the placement checks need them.
      if (!svc.zones.empty()) check_standby(fo, svc, *standby);
    }
    if (auto v = fo.text("observer")) {
      f.observer = *v;
      check_reference(fo, "observer", *v, zones_);
    }
    if (auto v = fo.duration("hold_down")) f.hold_down = *v;
    if (auto v = fo.duration("delay")) f.delay = *v;
  }

  void read_replication(TableReader& rp, TableReader& service, Service& svc) {
    Replication& r = svc.replication;
    r.enabled = true;
    if (auto v = rp.text("mode"))
      r.mode = from_choice<ReplicationMode>(*v, {{"async", ReplicationMode::async}, {"sync", ReplicationMode::sync}});
    if (auto v = rp.distribution("lag")) r.lag = *v;
    if (auto v = rp.number("write_share")) r.write_share = *v;
    if (auto v = rp.number("reconcile_rate")) r.reconcile_rate = *v;
    if (!svc.failover.enabled)
      service.error("replication", "replicated state needs a `failover` (its `standby` zones hold the copy)");
  }

  void check_standby(TableReader& fo, const Service& svc, const std::vector<std::string>& standby) {
    const auto* array = fo.node("standby")->as_array();
    const auto placed = [&](const std::string& zone) {
      return std::find(svc.zones.begin(), svc.zones.end(), zone) != svc.zones.end();
    };
    bool all_placed = true;
    for (std::size_t i = 0; i < standby.size(); ++i) {
      if (placed(standby[i])) continue;
      all_placed = false;
      out_.add(array->get(i)->source(), fmt::format("{}[{}]", fo.path_of("standby"), i),
               zones_.contains(standby[i]) ? fmt::format("zone '{}' holds no replicas of '{}'; its zones: {}",
                                                         standby[i], svc.name, known_list(distinct(svc.zones)))
                                           : zones_.unknown(standby[i]));
    }
    const bool every_zone = std::all_of(svc.zones.begin(), svc.zones.end(), [&](const std::string& zone) {
      return std::find(standby.begin(), standby.end(), zone) != standby.end();
    });
    if (all_placed && every_zone)
      fo.error("standby", fmt::format("leaves no active zone: every zone of '{}' stands by; leave at least one out",
                                      svc.name));
  }

  // A service's zones in first-appearance order, once each (a zone may be listed more than once).
  static std::vector<std::string> distinct(const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const std::string& n : names)
      if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    return out;
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
      if (auto pt = t.has("pool") ? t.table("pool") : std::nullopt) {
        ConnectionPool& p = dep.pool;
        if (auto v = pt->integer("size")) p.size = static_cast<int>(*v);
        if (auto v = pt->text("on_exhausted"))
          p.on_exhausted = from_choice<PoolExhausted>(*v, {{"wait", PoolExhausted::wait}, {"fail", PoolExhausted::fail}});
        if (pt->has("max_wait")) {
          if (p.on_exhausted == PoolExhausted::fail)
            pt->error("max_wait", "applies to on_exhausted = \"wait\" only: a pool that fails fast makes no call wait");
          if (auto v = pt->duration("max_wait")) p.max_wait = *v;
        }
      }
      if (auto v = t.number("request_size")) dep.request_size = *v / 1000;
      if (auto v = t.number("reply_size")) dep.reply_size = *v / 1000;
      if (auto v = t.text("traffic_class"))
        dep.traffic_class = from_choice<TrafficClass>(
            *v, {{"bulk", TrafficClass::bulk}, {"rpc", TrafficClass::rpc}, {"control", TrafficClass::control}});
      if (auto ft = t.has("on_failure") ? t.table("on_failure") : std::nullopt) {
        FailureCost& f = dep.on_failure;
        if (auto v = ft->number("cpu")) f.cpu = *v;
        if (auto v = ft->number("log")) f.log = *v;
        if (auto v = ft->number("log_limit")) f.log_limit = *v;
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
      if (auto bt = t.has("backlog") ? t.table("backlog") : std::nullopt) {
        Backlog& b = dep.backlog;
        b.enabled = true;
        if (auto v = bt->integer("max")) b.max = static_cast<int>(*v);
        if (auto v = bt->number("replay_rate")) b.replay_rate = *v;
        if (auto v = bt->duration("pause")) b.pause = *v;
        if (dep.kind == DependencyKind::control)
          t.error("backlog", "a control edge reads its control plane; there is nothing to queue and replay");
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
        if (c == "OK") {
          out_.add(array ? array->get(i)->source() : rp.where(), fmt::format("{}[{}]", rp.path_of("retry_on"), i),
                   "OK is a success: it is never retried");
          continue;
        }
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
    if (auto b = rp.has("retry_throttling") ? rp.table("retry_throttling") : std::nullopt) {
      policy.retry_throttling.enabled = true;
      if (auto v = b->number("max_tokens")) policy.retry_throttling.max_tokens = *v;
      if (auto v = b->number("token_ratio")) policy.retry_throttling.token_ratio = *v;
    }
  }

  void read_traffic(TableReader& root) {
    auto t = root.table("traffic");
    if (!t) return;
    Traffic& traffic = s_.traffic;
    if (auto v = t->number("rate")) traffic.rate = *v;
    if (auto v = t->number("users")) traffic.users = *v;
    if (auto v = t->integer("sample_users")) traffic.sample_users = static_cast<int>(*v);
    if (auto v = t->integer("tenants")) {
      traffic.tenants = static_cast<int>(*v);
      if (traffic.tenants > traffic.sample_users)
        t->error("tenants", fmt::format("must be at most sample_users ({}), got {}: every tenant needs a simulated user",
                                        traffic.sample_users, traffic.tenants));
    }
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
            step.error("at", fmt::format("steps must be in ascending order of 'at': {} is not after {}",
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
                                                    {"region_outage", FaultKind::region_outage},
                                                    {"link_down", FaultKind::link_down},
                                                    {"partition", FaultKind::partition},
                                                    {"latency", FaultKind::latency},
                                                    {"packet_loss", FaultKind::packet_loss},
                                                    {"error_rate", FaultKind::error_rate},
                                                    {"slowdown", FaultKind::slowdown},
                                                    {"traffic_surge", FaultKind::traffic_surge},
                                                    {"config_rollout", FaultKind::config_rollout},
                                                    {"cert_expiry", FaultKind::cert_expiry},
                                                    {"dns_failure", FaultKind::dns_failure},
                                                    {"control_plane", FaultKind::control_plane},
                                                    {"clock_skew", FaultKind::clock_skew},
                                                    {"cpu_hog", FaultKind::cpu_hog},
                                                    {"link_capacity", FaultKind::link_capacity},
                                                    {"memory_leak", FaultKind::memory_leak},
                                                    {"slow_disk", FaultKind::slow_disk},
                                                    {"limit_lowered", FaultKind::limit_lowered},
                                                    {"data_loss", FaultKind::data_loss}});
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
      if (kind && fault.kind == FaultKind::data_loss) check_tenants_hit(t, fault);
      read_fault_timing(t, fault, kind.has_value());
      if (kind) read_fault_effect(t, fault);
      s_.faults.push_back(std::move(fault));
    }
    check_fault_chains(tables);
  }

  // A data loss hits tenants: the scenario must have them, and a fixed count must fit.
  void check_tenants_hit(TableReader& t, const Fault& fault) {
    if (s_.traffic.tenants < 1) {
      t.error("kind", "data_loss hits tenants, and this scenario has none: give traffic.tenants");
      return;
    }
    if (fault.mode == SelectorMode::fixed && fault.value > s_.traffic.tenants)
      t.error("value", fmt::format("mode = \"fixed\" hits {} tenants, but traffic.tenants is {}", fault.value,
                                   s_.traffic.tenants));
  }

  // When a fault happens: at a time (perhaps again and again), after another fault, or by chance.
  void read_fault_timing(TableReader& t, Fault& fault, bool kind_known) {
    const bool at = t.has("at"), after = t.has("after");
    const bool random = t.has("mttf") || t.has("failure") || t.has("mttr") || t.has("repair");
    const std::string_view random_key = t.has("mttf") ? "mttf" : t.has("failure") ? "failure" : t.has("mttr") ? "mttr" : "repair";
    if (!at && !after && !random)
      out_.add(t.where(), t.path_of("at"),
               "missing 'at' (or 'after' another fault, or 'mttf'/'failure' for a fault that happens by chance)");
    if (at && after) t.error("after", "give either 'at' or 'after', not both");
    if ((at || after) && random)
      t.error(random_key, fmt::format("'{}' makes the fault happen by chance: leave out '{}'", random_key, at ? "at" : "after"));

    if (at)
      if (auto v = t.duration("at")) {
        fault.at = *v;
        check_before_end(t, "at", *v);
      }
    if (t.has("duration")) {
      if (random) t.error("duration", "a fault that happens by chance lasts its repair time: use 'mttr' or 'repair'");
      else if (auto v = t.duration("duration")) fault.duration = *v;
    }
    if (t.has("every")) {
      if (!at) t.error("every", "'every' repeats a fault that starts 'at' a time");
      else if (auto v = t.duration("every")) {
        fault.every = *v;
        if (!t.has("duration")) t.error("every", "a repeated fault needs a 'duration' (at most 'every')");
        else if (fault.duration && *fault.duration > *v)
          t.error("duration", fmt::format("must be at most every ({}), got {}", format_duration(*v), shown(t, "duration")));
      }
    }
    t.only_for(after, "after_delay", "faults with 'after'");
    if (after) {
      if (auto v = t.text("after")) fault.after = *v;
      if (auto v = t.duration("after_delay")) fault.after_delay = *v;
    }
    for (std::string_view key : {"common_cause", "age_while_down"}) t.only_for(random, key, "faults with 'mttf' or 'failure'");
    if (random) {
      if (kind_known && fault.kind == FaultKind::config_rollout) {
        t.error(random_key, "a config rollout happens at a time ('at' or 'after'), not by chance");
        return;
      }
      fault.random = read_failure_process(t);
    }
  }

  FailureProcess read_failure_process(TableReader& t) {
    FailureProcess p;
    const auto one_of = [&](std::string_view mean_key, std::string_view dist_key, Distribution& into) {
      const bool mean = t.has(mean_key), dist = t.has(dist_key);
      if (mean && dist) return t.error(dist_key, fmt::format("give either '{}' or '{}', not both", mean_key, dist_key));
      if (!mean && !dist)
        return out_.add(t.where(), t.path_of(mean_key),
                        fmt::format("missing '{}' or '{}' (a fault that happens by chance needs both a time to "
                                    "failure and a time to repair)",
                                    mean_key, dist_key));
      if (mean) {
        if (auto v = t.duration(mean_key)) into = Distribution::exponential(*v);
      } else if (auto v = t.distribution(dist_key)) {
        into = *v;
      }
    };
    one_of("mttf", "failure", p.failure);
    one_of("mttr", "repair", p.repair);
    // A repair that takes no time would make failures invisible (and a failure process that never stops).
    const std::string_view repair_key = t.has("mttr") ? "mttr" : "repair";
    const auto got = [&](std::string_view key) {
      return t.node(key)->as_string() ? fmt::format("got {}", shown(t, key)) : std::string("its mean is 0s");
    };
    if (t.has(repair_key) && p.repair.expected() <= 0)
      t.error(repair_key, fmt::format("a repair time of zero would make every failure invisible; give a time "
                                      "greater than 0s ({})",
                                      got(repair_key)));
    if (t.has("failure") && p.failure.expected() <= 0)
      t.error("failure", fmt::format("a time to failure of zero: give a time greater than 0s ({})", got("failure")));
    if (t.has("common_cause"))
      if (auto cc = t.table("common_cause"))
        if (auto v = cc->number("probability")) p.common_cause = *v;
    if (auto v = t.boolean("age_while_down")) p.age_while_down = *v;
    return p;
  }

  // `after` names another fault; chains must not loop.
  void check_fault_chains(std::vector<TableReader>& tables) {
    for (std::size_t i = 0; i < s_.faults.size() && i < tables.size(); ++i) {
      const Fault& f = s_.faults[i];
      if (f.after.empty()) continue;
      if (!check_reference(tables[i], "after", f.after, faults_)) continue;
      if (f.after == f.name) {
        tables[i].error("after", fmt::format("a fault cannot start after itself ('{}')", f.name));
        continue;
      }
      std::vector<std::string> walk = {f.name};
      for (const Fault* next = s_.find_fault(f.after); next; next = next->after.empty() ? nullptr : s_.find_fault(next->after)) {
        walk.push_back(next->name);
        if (next->name == f.name) {
          tables[i].error("after", fmt::format("'after' goes round in a loop: {}", fmt::join(walk, " -> ")));
          break;
        }
        if (walk.size() > s_.faults.size()) break;  // a loop that does not pass through this fault
      }
    }
  }

  // The keys that shape what a fault does differ by kind; the others must be absent.
  void read_fault_effect(TableReader& t, Fault& fault) {
    const FaultKind k = fault.kind;
    const bool latency = k == FaultKind::latency, error_rate = k == FaultKind::error_rate,
               control_plane = k == FaultKind::control_plane, packet_loss = k == FaultKind::packet_loss,
               slowdown = k == FaultKind::slowdown, surge = k == FaultKind::traffic_surge,
               rollout = k == FaultKind::config_rollout, cert = k == FaultKind::cert_expiry,
               dns = k == FaultKind::dns_failure, skew = k == FaultKind::clock_skew,
               partition = k == FaultKind::partition, hog = k == FaultKind::cpu_hog,
               leak = k == FaultKind::memory_leak, data_loss = k == FaultKind::data_loss,
               capacity = k == FaultKind::link_capacity || k == FaultKind::slow_disk || k == FaultKind::limit_lowered;
    if (rollout)
      if (auto v = t.boolean("crash_loop")) fault.crash_loop = *v;
    const bool erring_rollout = rollout && !fault.crash_loop;
    t.only_for(latency, "delay", "kind = \"latency\"");
    t.only_for(error_rate || packet_loss || erring_rollout, "rate",
               "kind = \"error_rate\", \"packet_loss\" or \"config_rollout\" without crash_loop");
    t.only_for(error_rate || control_plane || erring_rollout || cert || dns || data_loss, "status",
               "kind = \"error_rate\", \"control_plane\", \"config_rollout\" (without crash_loop), \"cert_expiry\", "
               "\"dns_failure\" or \"data_loss\"");
    t.only_for(control_plane, "behaviour", "kind = \"control_plane\"");
    t.only_for(slowdown || surge || capacity, "factor",
               "kind = \"slowdown\", \"traffic_surge\", \"link_capacity\", \"slow_disk\" or \"limit_lowered\"");
    t.only_for(partition, "direction", "kind = \"partition\"");
    t.only_for(rollout, "ramp", "kind = \"config_rollout\"");
    t.only_for(rollout, "crash_loop", "kind = \"config_rollout\"");
    t.only_for(rollout && fault.crash_loop, "crash_after", "kind = \"config_rollout\" with crash_loop = true");
    t.only_for(dns, "ttl", "kind = \"dns_failure\"");
    t.only_for(error_rate || erring_rollout, "poisons_cache", "kind = \"error_rate\" or \"config_rollout\" without crash_loop");
    t.only_for(error_rate || erring_rollout, "poison_ttl", "kind = \"error_rate\" or \"config_rollout\" without crash_loop");
    t.only_for(hog, "threads", "kind = \"cpu_hog\"");
    t.only_for(leak, "leak", "kind = \"memory_leak\"");
    for (std::string_view key : {"skew", "tolerance", "checked_by"}) t.only_for(skew, key, "kind = \"clock_skew\"");
    const bool scoped = error_rate || latency || slowdown || erring_rollout;
    t.only_for(scoped, "scope", "kind = \"error_rate\", \"latency\", \"slowdown\" or \"config_rollout\" without crash_loop");

    if (latency && t.require("delay"))
      if (auto v = t.distribution("delay")) fault.delay = *v;
    if (error_rate || packet_loss || erring_rollout)
      if (auto v = t.number("rate")) fault.rate = *v;
    if (error_rate || erring_rollout) {
      if (auto v = t.boolean("poisons_cache")) fault.poisons_cache = *v;
      if (fault.poisons_cache && parse_fault_target(fault.target).form == FaultTarget::Form::dependency)
        t.error("poisons_cache", "a fault on a dependency gives no answer for a cache to keep; target the service");
      if (t.has("poison_ttl")) {
        if (auto v = t.duration("poison_ttl")) fault.poison_ttl = *v;
        if (!fault.poisons_cache) t.error("poison_ttl", "'poison_ttl' needs 'poisons_cache = true'");
      }
    }
    if (error_rate || control_plane || erring_rollout || cert || dns || data_loss) {
      fault.status = control_plane || data_loss ? Status::NOT_FOUND : Status::UNAVAILABLE;
      if (t.has("status"))
        if (auto v = t.status("status")) {
          fault.status = *v;
          if (*v == Status::OK) t.error("status", "OK is not a failure: give the status failed requests answer with, e.g. \"UNAVAILABLE\"");
        }
    }
    if (control_plane)
      if (auto v = t.text("behaviour"))
        fault.behaviour = from_choice<ControlPlaneBehaviour>(
            *v, {{"missing", ControlPlaneBehaviour::missing}, {"errors", ControlPlaneBehaviour::errors}});
    if ((slowdown || surge || capacity) && t.require("factor"))
      if (auto v = t.number("factor")) {
        fault.factor = *v;
        if (capacity && *v > 1)
          t.error("factor", fmt::format("a {} fault leaves a share of what there was: at most 1, got {}",
                                        to_string(k), *v));
      }
    if (partition)
      if (auto v = t.text("direction"))
        fault.direction = from_choice<PartitionDirection>(
            *v, {{"both", PartitionDirection::both}, {"one_way", PartitionDirection::one_way}});
    if (rollout && t.require("ramp"))
      if (auto v = t.duration("ramp")) {
        fault.ramp = *v;
        check_ramp(t, fault);
      }
    if (rollout && fault.crash_loop)
      if (auto v = t.duration("crash_after")) fault.crash_after = *v;
    if (dns)
      if (auto v = t.duration("ttl")) fault.ttl = *v;
    if (hog && t.require("threads"))
      if (auto v = t.number("threads")) fault.threads = *v;
    if (leak && t.require("leak"))
      if (auto v = t.number("leak")) fault.leak = *v;
    if (scoped && t.has("scope")) read_fault_scope(t, fault);
    if (skew) {
      if (t.require("skew"))
        if (auto v = t.duration("skew")) fault.skew = *v;
      if (auto v = t.duration("tolerance")) fault.tolerance = *v;
      if (t.has("checked_by"))
        if (auto v = t.list("checked_by")) {
          check_list_references(t, "checked_by", *v, services_);
          fault.checked_by = *v;
        }
    }
  }

  // The users a fault hits: segments by list, tenants and users by share.
  void read_fault_scope(TableReader& t, Fault& fault) {
    auto st = t.table("scope");
    if (!st) return;
    FaultScope& scope = fault.scope;
    scope.enabled = true;
    if (st->has("segments"))
      if (auto v = st->list("segments")) {
        check_list_references(*st, "segments", *v, segments_);
        scope.segments = *v;
      }
    if (auto v = st->number("users")) scope.users = *v;
    if (st->has("tenants"))
      if (auto v = st->number("tenants")) {
        scope.tenants = *v;
        if (s_.traffic.tenants < 1)
          st->error("tenants", "users belong to no tenant: give traffic.tenants to scope a fault by tenant");
      }
    if (fault.poisons_cache)
      t.error("scope", "a cache fetches for no user, so a fault scoped to users poisons no cache: drop 'scope' or "
                       "'poisons_cache'");
    if (!st->has("segments") && !st->has("users") && !st->has("tenants"))
      t.error("scope", "an empty scope hits every user: give `segments`, `users` or `tenants` (or drop 'scope')");
  }

  // A rollout that cannot reach its last replica before the run ends is a mistake in the scenario.
  void check_ramp(TableReader& t, const Fault& fault) {
    if (!run_duration_) return;
    const Seconds start = fault.after.empty() ? fault.at : 0;
    if (fault.ramp > *run_duration_)
      t.error("ramp", fmt::format("must fit in the run ({}), got {}", format_duration(*run_duration_), shown(t, "ramp")));
    else if (fault.after.empty() && start + fault.ramp > *run_duration_)
      t.error("ramp", fmt::format("ends after the run: at ({}) + ramp ({}) is past the duration ({})",
                                  format_duration(start), format_duration(fault.ramp), format_duration(*run_duration_)));
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

  // A host name with a known zone and an index below its host count: nullopt; a known zone and an
  // index past its hosts: what the zone has; anything else: "".
  std::optional<std::string> host_problem(const std::string& target) const {
    const HostName host = parse_host_name(target);
    const Zone* z = host.index >= 0 ? s_.find_zone(host.zone) : nullptr;
    if (!z) return "";
    if (host.index >= z->hosts) {
      if (z->hosts == 1) return fmt::format("zone '{}' has 1 host: {}-h0", host.zone, host.zone);
      return fmt::format("zone '{}' has {} hosts: {}-h0 .. {}-h{}", host.zone, z->hosts, host.zone, host.zone,
                         z->hosts - 1);
    }
    return std::nullopt;
  }

  // What a fault's target may name, by kind (the schema's fault[].target says the same in words).
  struct TargetRules {
    bool service = false, tag = false, host = false, rack = false, zone = false, region = false, dependency = false,
         link = false, feature = false, segment = false;
  };

  static TargetRules target_rules(FaultKind kind) {
    TargetRules r;
    switch (kind) {
      case FaultKind::host_crash:
      case FaultKind::slow_disk:
      case FaultKind::cpu_hog: r.host = r.rack = r.zone = r.region = r.service = r.tag = true; break;
      case FaultKind::limit_lowered: r.service = r.dependency = true; break;
      case FaultKind::link_capacity: r.link = true; break;
      case FaultKind::service_crash:
      case FaultKind::config_rollout:
      case FaultKind::cert_expiry: r.service = r.tag = true; break;
      case FaultKind::zone_outage: r.zone = true; break;
      case FaultKind::region_outage: r.region = true; break;
      case FaultKind::link_down:
      case FaultKind::partition: r.link = r.zone = r.region = true; break;
      case FaultKind::latency:
      case FaultKind::packet_loss: r.service = r.tag = r.dependency = r.link = true; break;
      case FaultKind::error_rate: r.service = r.tag = r.dependency = true; break;
      case FaultKind::slowdown:
      case FaultKind::memory_leak:
      case FaultKind::clock_skew: r.service = r.tag = r.host = r.rack = r.zone = true; break;
      case FaultKind::traffic_surge: r.feature = r.segment = r.region = true; break;
      case FaultKind::dns_failure:
      case FaultKind::data_loss:
      case FaultKind::control_plane: r.service = true; break;
    }
    return r;
  }

  static std::string accepted_forms(const TargetRules& r) {
    std::vector<std::string> forms;
    if (r.service) forms.push_back("a service");
    if (r.tag) forms.push_back("tag:<t>");
    if (r.host) forms.push_back("a host (<zone>-h<i>)");
    if (r.rack) forms.push_back("a rack (<zone>/rack<i>)");
    if (r.zone) forms.push_back("a zone");
    if (r.region) forms.push_back("a region");
    if (r.dependency) forms.push_back("a dependency (from->to)");
    if (r.link) forms.push_back("a link (a<->b)");
    if (r.feature) forms.push_back("a feature");
    if (r.segment) forms.push_back("a segment");
    if (forms.size() == 1) return forms.front();
    const std::string last = forms.back();
    forms.pop_back();
    return fmt::format("{} or {}", fmt::join(forms, ", "), last);
  }

  void check_fault_target(TableReader& t, FaultKind kind, const std::string& text) {
    if (kind == FaultKind::link_capacity) {  // a link with a bandwidth, by its name or its ends, or a device
      std::vector<std::string> names;
      for (const LinkOverride& l : s_.network.links)
        if (l.bandwidth && !l.a.empty()) {
          if (l.named(text)) return;
          names.push_back(l.name);
        }
      for (const Device& d : s_.network.devices) {
        if (d.name == text) return;
        if (std::find(names.begin(), names.end(), d.name) == names.end()) names.push_back(d.name);
      }
      t.error("target", fmt::format("no link with a bandwidth or device named '{}'; links with a bandwidth and "
                                    "devices: {}", text, known_list(names)));
      return;
    }
    if (kind == FaultKind::limit_lowered) {  // a limit that exists: a service's threads, a dependency's pool
      std::vector<std::string> names;
      for (const Service& svc : s_.services)
        if (svc.threads.enabled) {
          if (svc.name == text) return;
          names.push_back(svc.name);
        }
      for (const Dependency& d : s_.dependencies)
        if (d.pool.size > 0) {
          if (d.from + "->" + d.to == text) return;
          names.push_back(d.from + "->" + d.to);
        }
      t.error("target", fmt::format("'{}' has no limit to lower; services with `threads` and dependencies with a "
                                    "`pool`: {}", text, known_list(names)));
      return;
    }
    const TargetRules ok = target_rules(kind);
    const FaultTarget target = parse_fault_target(text);
    const auto wrong_form = [&](std::string_view form) {
      t.error("target", fmt::format("kind = \"{}\" does not take {}; it takes {}", to_string(kind), form, accepted_forms(ok)));
    };
    switch (target.form) {
      case FaultTarget::Form::tag:
        if (!ok.tag) return wrong_form("a tag");
        if (!tags_.contains(target.first)) t.error("target", tags_.unknown(target.first));
        return;
      case FaultTarget::Form::dependency:
        if (!ok.dependency) return wrong_form("a dependency");
        if (!has_dependency(target.first, target.second))
          t.error("target", fmt::format("unknown dependency '{}'; known: {}", text, known_list(dependency_names())));
        return;
      case FaultTarget::Form::link: {
        if (!ok.link) return wrong_form("a link");
        const std::array<std::string, 2> ends = {target.first, target.second};
        for (const std::string& end : ends)
          if (!zones_.contains(end) && !regions_.contains(end))
            return t.error("target", fmt::format("unknown zone or region '{}'; zones: {}; regions: {}", end,
                                                 known_list(zones_.names()), known_list(regions_.names())));
        if (ends[0] == ends[1]) return t.error("target", fmt::format("a link joins two different ends, got '{}' twice", ends[0]));
        if (zones_.contains(ends[0]) != zones_.contains(ends[1]))
          t.error("target", "links join two zones or two regions, not a zone and a region");
        return;
      }
      case FaultTarget::Form::rack: {
        if (!ok.rack) return wrong_form("a rack");
        const Zone* z = s_.find_zone(target.first);
        if (!z) return t.error("target", zones_.unknown(target.first));
        if (z->racks == 0) return t.error("target", fmt::format("zone '{}' has no racks (give it racks = N)", z->name));
        if (target.rack < 0 || target.rack >= z->racks)
          t.error("target", z->racks == 1 ? fmt::format("zone '{}' has 1 rack: {}/rack0", z->name, z->name)
                                          : fmt::format("zone '{}' has {} racks: {}/rack0 .. {}/rack{}", z->name,
                                                        z->racks, z->name, z->name, z->racks - 1));
        return;
      }
      case FaultTarget::Form::name: break;
    }
    if ((ok.service && services_.contains(text)) || (ok.zone && zones_.contains(text)) ||
        (ok.region && regions_.contains(text)) || (ok.feature && features_.contains(text)) ||
        (ok.segment && segments_.contains(text)))
      return;
    if (ok.host) {
      const std::optional<std::string> problem = host_problem(text);
      if (!problem) return;
      if (!problem->empty()) return t.error("target", *problem);
    }
    // A name of a kind this fault does not take says so, rather than that the name is unknown.
    if (!ok.service && services_.contains(text)) return wrong_form(fmt::format("a service ('{}' is one)", text));
    if (!ok.zone && zones_.contains(text)) return wrong_form(fmt::format("a zone ('{}' is one)", text));
    if (!ok.region && regions_.contains(text)) return wrong_form(fmt::format("a region ('{}' is one)", text));
    if (!ok.feature && features_.contains(text)) return wrong_form(fmt::format("a feature ('{}' is one)", text));
    // One kind of name: the registry's own message lists the known ones.
    if (ok.service && !ok.zone && !ok.region && !ok.dependency && !ok.link) return t.error("target", services_.unknown(text));
    if (ok.zone && !ok.service && !ok.region) return t.error("target", zones_.unknown(text));
    if (ok.region && !ok.service && !ok.zone && !ok.feature) return t.error("target", regions_.unknown(text));
    std::vector<std::string> known;
    if (ok.service) known.push_back(fmt::format("services: {}", known_list(services_.names())));
    if (ok.zone) known.push_back(fmt::format("zones: {}", known_list(zones_.names())));
    if (ok.region) known.push_back(fmt::format("regions: {}", known_list(regions_.names())));
    if (ok.feature) known.push_back(fmt::format("features: {}", known_list(features_.names())));
    if (ok.segment) known.push_back(fmt::format("segments: {}", known_list(segments_.names())));
    t.error("target", fmt::format("unknown target '{}': not {}; {}", text, accepted_forms(ok), fmt::join(known, "; ")));
  }

  void read_monitors(TableReader& root) {
    for (TableReader& t : root.tables("monitor")) {
      Monitor m;
      m.source = source_of(t);
      if (auto v = t.text("name")) {
        m.name = *v;
        monitors_.declare(*v, t, "name");
      }
      std::optional<bool> latency_metric = false;  // nothing: an unknown metric (its threshold is not read)
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
        if (latency_metric)
          if (auto v = threshold(t, key, *latency_metric)) m.threshold = *v;
      }
      if (auto v = t.duration("for")) m.for_ = *v;
      if (t.has("depends_on"))
        if (auto v = t.list("depends_on")) {
          check_list_references(t, "depends_on", *v, services_);
          m.depends_on = *v;
        }
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

  // Returns whether the metric is a latency; nothing when it is not a metric.
  std::optional<bool> check_metric(TableReader& t, const std::string& metric) {
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
    constexpr std::array<std::string_view, 7> service_metrics = {
        "availability", "error_rate", "p50_latency", "p95_latency", "p99_latency", "queue", "replicas_serving"};
    for (std::string_view name : service_metrics)
      if (auto s = strip(service_prefix, fmt::format(".{}", name))) {
        check_reference(t, "metric", *s, services_);
        return name.ends_with("_latency");
      }
    std::vector<std::string> known = {"feature.<f>.availability"};
    for (std::string_view name : service_metrics) known.push_back(fmt::format("service.<s>.{}", name));
    t.error("metric", fmt::format("unknown metric '{}'; known: {}", metric, known_list(known)));
    return std::nullopt;
  }

  void read_incident(TableReader& root) {
    auto t = root.table("incident");
    if (!t) return;
    Incident& incident = s_.incident;
    if (root.has("incident")) incident.source = source_of(*t);
    if (auto v = t->distribution("acknowledge")) incident.acknowledge = *v;
    if (auto v = t->distribution("diagnose")) incident.diagnose = *v;
    if (auto v = t->distribution("act")) incident.act = *v;
    if (auto v = t->duration("stable_for")) incident.stable_for = *v;
    if (t->has("tooling"))
      if (auto v = t->list("tooling")) {
        check_list_references(*t, "tooling", *v, services_);
        incident.tooling = *v;
      }
    if (auto v = t->number("tooling_down_speed")) incident.tooling_down_speed = *v;
    const bool status_page = t->has("status_page");
    if (status_page)
      if (auto v = t->text("status_page")) {
        incident.status_page = *v;
        check_reference(*t, "status_page", *v, services_);
      }
    t->only_for(status_page, "status_page_fallback", "incidents with a status_page");
    if (status_page && t->has("status_page_fallback"))
      if (auto v = t->duration("status_page_fallback")) incident.status_page_fallback = *v;
    if (t->has("status_update_every"))
      if (auto v = t->duration("status_update_every")) incident.status_update_every = *v;
    if (auto ut = t->has("user_reports") ? t->table("user_reports") : std::nullopt) {
      UserReports& u = incident.user_reports;
      u.enabled = true;
      if (auto v = ut->number("rate")) u.rate = *v;
      if (auto v = ut->number("threshold")) u.threshold = *v;
      if (auto v = ut->duration("window")) u.window = *v;
      if (auto v = ut->distribution("escalate")) u.escalate = *v;
    }
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
      if (t.has("mitigates"))
        if (auto v = t.boolean("mitigates")) a.mitigates = *v;
      if (t.has("tooling"))
        if (auto v = t.list("tooling")) {
          check_list_references(t, "tooling", *v, services_);
          a.tooling = *v;
        }
      if (t.has("tooling_down_speed") && !t.has("tooling"))
        t.error("tooling_down_speed", "'tooling_down_speed' needs a 'tooling' (the services the action is done with)");
      if (auto v = t.number("tooling_down_speed")) a.tooling_down_speed = *v;

      const auto kind = t.text("kind");
      if (kind) {
        a.kind = from_choice<ActionKind>(*kind, {{"switch_dependency", ActionKind::switch_dependency},
                                                 {"rollback", ActionKind::rollback},
                                                 {"restart", ActionKind::restart},
                                                 {"failover", ActionKind::failover},
                                                 {"shed_load", ActionKind::shed_load},
                                                 {"scale", ActionKind::scale},
                                                 {"kill_switch", ActionKind::kill_switch},
                                                 {"admit", ActionKind::admit},
                                                 {"restore", ActionKind::restore},
                                                 {"flush_cache", ActionKind::flush_cache}});
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

  // How a gradual action goes: what a batch counts, and the monitor that holds its next step.
  void read_rollout_gate(TableReader& t, Action& a) {
    const bool switching = a.kind == ActionKind::switch_dependency;
    const bool counted = switching || a.kind == ActionKind::rollback || a.kind == ActionKind::failover;
    if (counted && t.has("by"))
      if (auto v = t.text("by"))
        a.by = from_choice<RolloutUnit>(*v, {{"replica", RolloutUnit::replica}, {"zone", RolloutUnit::zone}});
    if (t.has("gate"))
      if (auto v = t.text("gate")) {
        a.gate = *v;
        check_reference(t, "gate", *v, monitors_);
      }
    if (t.has("on_gate_failure"))
      if (auto v = t.text("on_gate_failure")) {
        a.on_gate_failure = from_choice<GateFailure>(*v, {{"pause", GateFailure::pause}, {"revert", GateFailure::revert}});
        if (!t.has("gate")) t.error("on_gate_failure", "'on_gate_failure' needs a 'gate'");
        else if (a.on_gate_failure == GateFailure::revert && !switching)
          t.error("on_gate_failure", fmt::format("a {} cannot be reverted; only a switch_dependency can", to_string(a.kind)));
      }
    const bool stepped = a.kind == ActionKind::admit || a.batch > 0;
    if (t.has("gate") && !stepped)
      t.error("gate", "a gate is looked at between steps; this action goes at once (give it a 'batch')");
    if (a.batch > 0 && a.interval <= 0 && (counted || t.has("gate")))
      t.error(t.has("interval") ? "interval" : "batch", "the steps of a batched rollout need an 'interval' above 0s");
  }

  // Each kind takes its own keys; those of another kind are mistakes, not something to ignore.
  void read_action_target(TableReader& t, Action& a) {
    const ActionKind k = a.kind;
    const bool rollback = k == ActionKind::rollback, restart = k == ActionKind::restart,
               switching = k == ActionKind::switch_dependency, failover = k == ActionKind::failover,
               shed = k == ActionKind::shed_load, scale = k == ActionKind::scale, kill = k == ActionKind::kill_switch,
               admit = k == ActionKind::admit, restore = k == ActionKind::restore, flush = k == ActionKind::flush_cache;
    const bool on_service = restart || failover || shed || scale;
    t.only_for(rollback || restore, "fault", "kind = \"rollback\" or \"restore\"");
    for (std::string_view key : {"size", "size_stddev", "rate", "parallelism", "bandwidth"})
      t.only_for(restore, key, "kind = \"restore\"");
    t.only_for(on_service, "service", "kind = \"restart\", \"failover\", \"shed_load\" or \"scale\"");
    for (std::string_view key : {"services", "from"}) t.only_for(switching, key, "kind = \"switch_dependency\"");
    t.only_for(switching || failover, "to", "kind = \"switch_dependency\" or \"failover\"");
    const bool stepped = restart || switching || rollback || failover;
    for (std::string_view key : {"batch", "interval"})
      t.only_for(stepped, key, "kind = \"restart\", \"switch_dependency\", \"rollback\" or \"failover\"");
    t.only_for(switching || rollback || failover, "by", "kind = \"switch_dependency\", \"rollback\" or \"failover\"");
    for (std::string_view key : {"gate", "on_gate_failure"})
      t.only_for(stepped || admit, key,
                 "kind = \"restart\", \"switch_dependency\", \"rollback\", \"failover\" or \"admit\"");
    t.only_for(shed, "fraction", "kind = \"shed_load\"");
    t.only_for(scale, "replicas", "kind = \"scale\"");
    t.only_for(kill, "feature", "kind = \"kill_switch\"");
    t.only_for(kill || flush, "dependency", "kind = \"kill_switch\" or \"flush_cache\"");
    t.only_for(shed || kill, "duration", "kind = \"shed_load\" or \"kill_switch\"");
    for (std::string_view key : {"features", "step", "every"}) t.only_for(admit, key, "kind = \"admit\"");

    if ((rollback || restore) && t.require("fault"))
      if (auto v = t.text("fault")) {
        a.fault = *v;
        if (check_reference(t, "fault", *v, faults_) && restore)
          if (const Fault* f = s_.find_fault(*v); f && f->kind != FaultKind::data_loss)
            t.error("fault", fmt::format("a restore repairs a data_loss fault; '{}' is a {} fault (end it with a rollback)",
                                         *v, to_string(f->kind)));
      }
    if (restore) read_restore(t, a);
    const Service* service = nullptr;
    if (on_service && t.require("service"))
      if (auto v = t.text("service")) {
        a.service = *v;
        if (check_reference(t, "service", *v, services_)) service = s_.find_service(*v);
      }
    if (stepped) {
      if (auto v = t.integer("batch")) a.batch = static_cast<int>(*v);
      if (auto v = t.duration("interval")) a.interval = *v;
    }
    if (stepped || admit) read_rollout_gate(t, a);
    if (rollback && a.batch > 0) check_batched_rollback(t, a);
    if (failover && a.batch > 0 && service && service->replication.enabled)
      t.error("batch", fmt::format("'{}' replicates its state: its failover promotes the copy at once and "
                                   "cannot go in batches", service->name));
    if (failover && t.require("to"))
      if (auto v = t.text("to")) {
        a.to = *v;
        if (service) check_failover_target(t, *service, *v);
      }
    if (shed && t.require("fraction"))
      if (auto v = t.number("fraction")) a.fraction = *v;
    if ((shed || kill) && t.has("duration"))
      if (auto v = t.duration("duration")) a.duration = *v;
    if (scale && t.require("replicas"))
      if (auto v = t.integer("replicas")) {
        a.replicas = static_cast<int>(*v);
        if (service) check_scale(t, *service, a.replicas);
      }
    if (kill) read_kill_switch(t, a);
    if (flush && t.require("dependency"))
      if (const Dependency* d = read_action_dependency(t, a); d && !d->cache.enabled)
        t.error("dependency", fmt::format("'{}' has no cache to flush (give it a `cache`)", a.dependency));
    if (admit) {
      if (t.has("features"))
        if (auto v = t.list("features")) {
          check_list_references(t, "features", *v, features_);
          a.features = *v;
        }
      if (auto v = t.number("step")) a.step = *v;
      if (auto v = t.duration("every")) a.every = *v;
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

  // The work of a restore: each lost tenant's size, copied by parallel streams at a rate, perhaps
  // under a shared bandwidth.
  void read_restore(TableReader& t, Action& a) {
    if (t.require("size"))
      if (auto v = t.number("size")) a.size = *v;
    if (auto v = t.number("size_stddev")) a.size_stddev = *v;
    if (t.require("rate"))
      if (auto v = t.number("rate")) a.rate = *v;
    if (auto v = t.integer("parallelism")) a.parallelism = static_cast<int>(*v);
    if (t.has("bandwidth"))
      if (auto v = t.number("bandwidth")) a.bandwidth = *v;
  }

  // A failover makes active a zone, or a region, that holds replicas of the service.
  // A rollback in batches takes back the fault's hosts or replicas a few at a time; a fault that hits
  // a dependency, a link, a control plane or a whole zone at once has nothing to take in batches.
  void check_batched_rollback(TableReader& t, const Action& a) {
    const Fault* f = s_.find_fault(a.fault);
    if (!f) return;  // reported with its reference
    const FaultTarget target = parse_fault_target(f->target);
    const FaultUnit unit = fault_unit(f->kind);
    const bool units = unit == FaultUnit::host ||
                       (unit == FaultUnit::replica && target.form != FaultTarget::Form::dependency &&
                        target.form != FaultTarget::Form::link);
    if (!units)
      t.error("batch", fmt::format("'{}' ({} on '{}') hits no replicas or hosts one by one: its rollback goes at "
                                   "once (drop 'batch')", f->name, to_string(f->kind), f->target));
  }

  void check_failover_target(TableReader& t, const Service& service, const std::string& to) {
    if (!zones_.contains(to) && !regions_.contains(to))
      return t.error("to", fmt::format("unknown zone or region '{}'; zones: {}; regions: {}", to,
                                       known_list(zones_.names()), known_list(regions_.names())));
    if (service.zones.empty()) return;  // they could not be read, which has been reported
    std::vector<std::string> regions;
    for (const std::string& zone : service.zones) {
      const Zone* z = s_.find_zone(zone);
      if (zone == to || (z && z->region == to)) return;
      if (z && std::find(regions.begin(), regions.end(), z->region) == regions.end()) regions.push_back(z->region);
    }
    t.error("to", fmt::format("{} '{}' holds no replicas of '{}'; its zones: {}; its regions: {}",
                              zones_.contains(to) ? "zone" : "region", to, service.name,
                              known_list(distinct(service.zones)), known_list(regions)));
  }

  // Scaling up reaches only replicas the service has: its parked ones, which autoscaling's max provides.
  void check_scale(TableReader& t, const Service& service, int replicas) {
    const Autoscaling& as = service.autoscaling;
    if (as.enabled && replicas > as.max)
      t.error("replicas", fmt::format("must be at most the autoscaling max of '{}' ({}), got {}: the extra capacity a "
                                      "service can get is its parked replicas",
                                      service.name, as.max, replicas));
    else if (!as.enabled && replicas > service.replicas)
      t.error("replicas", fmt::format("must be at most the replicas of '{}' ({}), got {}: the extra capacity a service "
                                      "can get is its parked replicas, and without autoscaling it has none",
                                      service.name, service.replicas, replicas));
  }

  void read_kill_switch(TableReader& t, Action& a) {
    const bool feature = t.has("feature"), dependency = t.has("dependency");
    if (feature && dependency) t.error("dependency", "give either 'feature' or 'dependency', not both");
    if (!feature && !dependency)
      out_.add(t.where(), t.path_of("feature"), "missing 'feature' or 'dependency' (exactly one is required)");
    if (feature && !dependency)
      if (auto v = t.text("feature")) {
        a.feature = *v;
        check_reference(t, "feature", *v, features_);
      }
    if (dependency && !feature) read_action_dependency(t, a);
  }

  // An action's `dependency`, written from->to: the first dependency it names, or null (after a
  // diagnostic) when it is not that form or names none.
  const Dependency* read_action_dependency(TableReader& t, Action& a) {
    const auto v = t.text("dependency");
    if (!v) return nullptr;
    a.dependency = *v;
    const FaultTarget target = parse_fault_target(*v);
    if (target.form != FaultTarget::Form::dependency) {
      t.error("dependency", fmt::format("expected a dependency written from->to, got \"{}\"", *v));
      return nullptr;
    }
    for (const Dependency& d : s_.dependencies)
      if (d.from == target.first && d.to == target.second) return &d;
    t.error("dependency", fmt::format("unknown dependency '{}'; known: {}", *v, known_list(dependency_names())));
    return nullptr;
  }

  // Reported once per cycle, at its first dependency in the file, walking from there.
  void check_hard_cycles() {
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

  DiagnosticList& out_;
  Scenario s_;
  std::optional<Seconds> run_duration_;
  NameRegistry zones_{"zone"}, regions_{"region"}, services_{"service"}, features_{"feature"}, faults_{"fault"},
      monitors_{"monitor"}, actions_{"action"}, segments_{"segment"}, tags_{"tag"}, devices_{"device"};
};


}  // namespace

Scenario read_scenario(const toml::table& tree, DiagnosticList& out) { return ScenarioReader(out).read(tree); }

}  // namespace faultline
