// The reading of services (restart, autoscaling, failover, replication, startup requires), of the
// dependencies between them and of their retry policies.

#include "io/duration.hpp"
#include "io/scenario_reader_impl.hpp"
#include "io/schema.hpp"

namespace faultline::reading {

void ScenarioReader::read_services(TableReader& root) {
  std::vector<TableReader> tables = root.tables("service");
  for (TableReader& t : tables) {
    Service svc;
    svc.source = source_of(t);
    t.fill(svc);
    if (const std::string& name = svc.name; t.filled("name")) {
      services_.declare(name, t, "name");
      if (zones_.contains(name) || regions_.contains(name))
        t.error("name", fmt::format("'{}' is also a {}'s name; a service needs a name of its own (fault targets "
                                    "take both)", name, zones_.contains(name) ? "zone" : "region"));
    }
    if (!t.has("zones")) svc.zones = zones_.names();
    else if (auto v = t.list("zones")) {
      check_list_references(t, "zones", *v, zones_);
      svc.zones = *v;
    }
    if (t.has("cpu") && t.has("service_time"))
      t.error("cpu", "a service's time is either `service_time` or `cpu` work on its host's cores, not both");
    for (const std::string& tag : svc.tags) tags_.note(tag);
    if (auto hc = t.table("health_check")) hc->fill(svc.health_check);
    if (auto rp = t.table("restart_policy")) read_restart_policy(*rp, svc.restart_policy);
    if (auto mt = t.has("memory") ? t.table("memory") : std::nullopt) {
      MemoryLimit& m = svc.memory;
      m.enabled = true;
      mt->fill(m);
      if (m.base > m.limit && m.limit > 0)
        mt->error("base", fmt::format("must be at most the limit ({} MB), got {} MB: the process could never start",
                                      m.limit, m.base));
    }
    if (auto wt = t.has("warmup") ? t.table("warmup") : std::nullopt) {
      svc.warmup.enabled = true;
      wt->fill(svc.warmup);
    }
    if (auto th = t.has("threads") ? t.table("threads") : std::nullopt) {
      ThreadLimit& l = svc.threads;
      l.enabled = true;
      th->fill(l);
      if (const int base = l.base.value_or(svc.workers); l.limit > 0 && base > l.limit)
        th->error(l.base ? "base" : "limit",
                  l.base ? fmt::format("must be at most the limit ({} threads), got {}: the process could never start",
                                       l.limit, base)
                         : fmt::format("must be at least the base (the service's {} workers), got {}: the process "
                                       "could never start",
                                       base, l.limit));
    }
    if (auto od = t.has("outlier_detection") ? t.table("outlier_detection") : std::nullopt) {
      svc.outlier_detection.enabled = true;
      od->fill(svc.outlier_detection);
    }
    if (auto as = t.has("autoscaling") ? t.table("autoscaling") : std::nullopt)
      read_autoscaling(*as, svc, t.filled("replicas"));
    if (auto fo = t.has("failover") ? t.table("failover") : std::nullopt) read_failover(*fo, svc);
    if (auto rp = t.has("replication") ? t.table("replication") : std::nullopt) read_replication(*rp, t, svc);
    s_.services.push_back(std::move(svc));
  }
  for (std::size_t i = 0; i < tables.size(); ++i) check_startup_requires(tables[i], s_.services[i]);
}

void ScenarioReader::check_startup_requires(TableReader& t, const Service& svc) {
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

void ScenarioReader::read_restart_policy(TableReader& rp, RestartPolicy& policy) {
  rp.fill(policy);
  if (rp.filled("backoff") && rp.filled("max_backoff") && policy.max_backoff < policy.backoff) {
    if (rp.has("max_backoff"))
      rp.error("max_backoff", fmt::format("must be at least backoff ({}), got {}", format_duration(policy.backoff),
                                          shown(rp, "max_backoff")));
    else
      rp.error("backoff", fmt::format("must be at most max_backoff ({}, the default), got {}",
                                      format_duration(policy.max_backoff), shown(rp, "backoff")));
  }
}

// `replicas_known`: the service's replicas were read, so the range can be checked against them.
void ScenarioReader::read_autoscaling(TableReader& as, Service& svc, bool replicas_known) {
  Autoscaling& a = svc.autoscaling;
  a.enabled = true;
  as.fill(a);
  if (as.filled("signal") && as.filled("target") && a.signal == ScalingSignal::cpu && a.target > 1)
    as.error("target", fmt::format("with signal = \"cpu\" the target is a busy share of the workers: at most 1, "
                                   "got {}",
                                   a.target));
  const bool min = as.filled("min"), max = as.filled("max");
  if (min && max && a.max < a.min) {
    as.error("max", fmt::format("must be at least min ({}), got {}", a.min, a.max));
  } else if (replicas_known) {
    if (max && a.max < svc.replicas)
      as.error("max", fmt::format("must be at least the service's replicas ({}), got {}", svc.replicas, a.max));
    if (min && a.min > svc.replicas)
      as.error("min", fmt::format("must be at most the service's replicas ({}), got {}", svc.replicas, a.min));
  }
}

void ScenarioReader::read_failover(TableReader& fo, Service& svc) {
  Failover& f = svc.failover;
  f.enabled = true;
  fo.fill(f);
  // Zones that could not be read have been reported; the placement checks need them.
  if (fo.filled("standby") && !svc.zones.empty()) check_standby(fo, svc, f.standby);
  if (fo.filled("observer")) check_reference(fo, "observer", f.observer, zones_);
}

void ScenarioReader::read_replication(TableReader& rp, TableReader& service, Service& svc) {
  Replication& r = svc.replication;
  r.enabled = true;
  rp.fill(r);
  if (!svc.failover.enabled)
    service.error("replication", "replicated state needs a `failover` (its `standby` zones hold the copy)");
}

void ScenarioReader::check_standby(TableReader& fo, const Service& svc, const std::vector<std::string>& standby) {
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
std::vector<std::string> ScenarioReader::distinct(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& n : names)
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  return out;
}

void ScenarioReader::read_dependencies(TableReader& root) {
  std::map<std::pair<std::string, std::string>, int> first_line;
  for (TableReader& t : root.tables("dependency")) {
    Dependency dep;
    dep.source = source_of(t);
    t.fill(dep);
    const bool from = t.filled("from"), to = t.filled("to");
    if (from) check_reference(t, "from", dep.from, services_);
    if (to) check_reference(t, "to", dep.to, services_);
    if (from && to && dep.from == dep.to) t.error("to", fmt::format("a service cannot depend on itself ('{}')", dep.to));
    if (from && to && dep.from != dep.to) {
      const auto [it, fresh] = first_line.emplace(std::pair(dep.from, dep.to), dep.source.line);
      if (!fresh)
        t.error_here(fmt::format("duplicate dependency {}->{}; the first is at line {}", dep.from, dep.to, it->second));
    }
    if (t.filled("features")) check_list_references(t, "features", dep.features, features_);
    // Sizes are written in KB and carried in MB.
    if (auto v = t.number("request_size")) dep.request_size = *v / 1000;
    if (auto v = t.number("reply_size")) dep.reply_size = *v / 1000;
    if (auto rp = t.table("retry_policy")) read_retry_policy(*rp, dep.retry_policy);
    if (auto cb = t.has("circuit_breakers") ? t.table("circuit_breakers") : std::nullopt) {
      dep.circuit_breakers.enabled = true;
      cb->fill(dep.circuit_breakers);
    }
    if (auto pt = t.has("pool") ? t.table("pool") : std::nullopt) {
      pt->fill(dep.pool);
      if (pt->has("max_wait") && dep.pool.on_exhausted == PoolExhausted::fail)
        pt->error("max_wait", "applies to on_exhausted = \"wait\" only: a pool that fails fast makes no call wait");
    }
    if (auto ft = t.has("on_failure") ? t.table("on_failure") : std::nullopt) ft->fill(dep.on_failure);
    if (auto ct = t.has("cache") ? t.table("cache") : std::nullopt) {
      dep.cache.enabled = true;
      ct->fill(dep.cache);
      if (dep.kind == DependencyKind::control) ct->error("hit_ratio", "control edges have their own cache (refresh, cache_ttl)");
    }
    if (auto bt = t.has("backlog") ? t.table("backlog") : std::nullopt) {
      dep.backlog.enabled = true;
      bt->fill(dep.backlog);
      if (dep.kind == DependencyKind::control)
        t.error("backlog", "a control edge reads its control plane; there is nothing to queue and replay");
    }

    // Keys of one kind of edge on another are mistakes (a fallback on a hard edge would be ignored).
    const bool kind = t.filled("kind");
    const bool soft = kind && dep.kind == DependencyKind::soft;
    const bool control = kind && dep.kind == DependencyKind::control;
    if (kind) {
      t.only_for(soft, "fallback", "soft dependencies (kind = \"soft\")");
      for (std::string_view key : {"fail_static", "refresh", "cache_ttl"})
        t.only_for(control, key, "control dependencies (kind = \"control\")");
    }
    if (auto mapping = t.table("error_mapping")) dep.error_mapping = read_status_map(*mapping);
    s_.dependencies.push_back(std::move(dep));
  }
}

// Keys of a status map must be status names too; they are reported where they are written.
std::map<Status, Status> ScenarioReader::read_status_map(TableReader& mapping) {
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

void ScenarioReader::read_retry_policy(TableReader& rp, RetryPolicy& policy) {
  rp.fill(policy);
  if (rp.filled("retry_on")) {
    const std::vector<std::string>& retry_on = policy.retry_on;
    const auto* array = rp.node("retry_on") ? rp.node("retry_on")->as_array() : nullptr;
    const auto& conditions = retry_conditions();
    std::vector<std::string> known(conditions.begin(), conditions.end());
    for (std::size_t i = 0; i < retry_on.size(); ++i) {
      const std::string& c = retry_on[i];
      if (c == "OK") {
        out_.add(array ? array->get(i)->source() : rp.where(), fmt::format("{}[{}]", rp.path_of("retry_on"), i),
                 "OK is a success: it is never retried");
        continue;
      }
      if (std::find(conditions.begin(), conditions.end(), c) != conditions.end() || parse_status(c)) continue;
      out_.add(array ? array->get(i)->source() : rp.where(), fmt::format("{}[{}]", rp.path_of("retry_on"), i),
               fmt::format("unknown retry condition '{}'; known: {}, or a status name", c, known_list(known)));
    }
  }
  if (auto backoff = rp.table("retry_back_off")) {
    BackOff& b = policy.back_off;
    backoff->fill(b);
    if (!backoff->filled("max_interval")) b.max_interval = 10 * b.base_interval;
    else if (b.max_interval < b.base_interval)
      backoff->error("max_interval", fmt::format("must be at least base_interval ({}), got {}",
                                                 format_duration(b.base_interval), shown(*backoff, "max_interval")));
  }
  if (auto b = rp.has("retry_budget") ? rp.table("retry_budget") : std::nullopt) {
    policy.retry_budget.enabled = true;
    b->fill(policy.retry_budget);
  }
  if (auto b = rp.has("retry_throttling") ? rp.table("retry_throttling") : std::nullopt) {
    policy.retry_throttling.enabled = true;
    b->fill(policy.retry_throttling);
  }
}

}  // namespace faultline::reading
