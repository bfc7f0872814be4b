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
void ScenarioReader::read_autoscaling(TableReader& as, Service& svc, bool replicas_known) {
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

void ScenarioReader::read_failover(TableReader& fo, Service& svc) {
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

void ScenarioReader::read_replication(TableReader& rp, TableReader& service, Service& svc) {
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

}  // namespace faultline::reading
