// The reading of the response to an incident: monitors, their thresholds, the incident and actions.

#include "io/duration.hpp"
#include "io/scenario_reader_impl.hpp"
#include "metrics/run_metrics.hpp"
#include "scenario/fault_target.hpp"

#include <array>

namespace faultline::reading {

void ScenarioReader::read_monitors(TableReader& root) {
  for (TableReader& t : root.tables("monitor")) {
    Monitor m;
    m.source = source_of(t);
    t.fill(m);
    if (t.filled("name")) monitors_.declare(m.name, t, "name");
    std::optional<bool> latency_metric = false;  // nothing: an unknown metric (its threshold is not read)
    if (t.filled("metric")) latency_metric = check_metric(t, m.metric);
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
    if (t.filled("depends_on")) check_list_references(t, "depends_on", m.depends_on, services_);
    if (!m.metric.empty() && latency_metric && below != above) warn_about_monitor(t, m);
    s_.monitors.push_back(std::move(m));
  }
}

// A monitor that loads but cannot do what it seems to: a share compared with a number outside
// [0, 1] (always or never true), a condition that must hold longer than the run, or a pipeline that
// goes blind exactly when the service it watches fails.
void ScenarioReader::warn_about_monitor(TableReader& t, const Monitor& m) {
  const std::string_view key = m.op == CompareOp::lt ? "below" : "above";
  const bool share = m.metric.ends_with(".availability") || m.metric.ends_with(".error_rate");
  if (share && (m.threshold < 0 || m.threshold > 1)) {
    const bool always = (m.op == CompareOp::lt) == (m.threshold > 1);
    t.warn(key, fmt::format("{} is a share from 0 to 1, so '{} = {}' is {}: the monitor {}", m.metric, key,
                            shown(t, key), always ? "always true" : "never true",
                            always ? "fires at the first bucket" : "never fires"));
  }
  if (run_duration_ && m.for_ >= *run_duration_)
    t.warn("for", fmt::format("the condition must hold for {}, as long as the run ({}) or longer: the monitor never "
                              "fires", shown(t, "for"), format_duration(*run_duration_)));
  // The service whose metric it watches (a feature's: its entry service).
  std::string watched;
  constexpr std::string_view service_prefix = "service.";
  if (m.metric.starts_with(service_prefix)) {
    const std::string rest = m.metric.substr(service_prefix.size());
    watched = rest.substr(0, rest.rfind('.'));
  } else {
    for (const Feature& feature : s_.features)
      if (m.metric == "feature." + feature.name + ".availability") watched = feature.entry;
  }
  if (watched.empty()) return;
  for (const std::string& pipeline : m.depends_on)
    if (hard_needs(pipeline, watched)) {
      t.warn("depends_on",
             pipeline == watched
                 ? fmt::format("the monitoring pipeline is {}, the service it watches: when {} fails the monitor "
                               "gets no data and cannot fire",
                               watched, watched)
                 : fmt::format("the monitoring pipeline {} needs {} (by hard or control dependencies), the service "
                               "it watches: when {} fails the monitor gets no data and cannot fire",
                               pipeline, watched, watched));
      return;
    }
}

// `from` is `to`, or reaches it over hard and control dependencies.
bool ScenarioReader::hard_needs(const std::string& from, const std::string& to) const {
  std::vector<std::string> seen{from}, todo{from};
  while (!todo.empty()) {
    const std::string at = todo.back();
    todo.pop_back();
    if (at == to) return true;
    for (const Dependency& d : s_.dependencies)
      if (d.from == at && d.kind != DependencyKind::soft && std::find(seen.begin(), seen.end(), d.to) == seen.end()) {
        seen.push_back(d.to);
        todo.push_back(d.to);
      }
  }
  return false;
}

// A latency threshold reads best as a duration ("500ms"); a bare number of seconds works too.
std::optional<double> ScenarioReader::threshold(TableReader& t, std::string_view key, bool latency_metric) {
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
std::optional<bool> ScenarioReader::check_metric(TableReader& t, const std::string& metric) {
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

void ScenarioReader::read_incident(TableReader& root) {
  auto t = root.table("incident");
  if (!t) return;
  Incident& incident = s_.incident;
  if (root.has("incident")) incident.source = source_of(*t);
  t->fill(incident);
  if (t->filled("tooling")) check_list_references(*t, "tooling", incident.tooling, services_);
  const bool status_page = t->has("status_page");
  if (t->filled("status_page")) check_reference(*t, "status_page", incident.status_page, services_);
  t->only_for(status_page, "status_page_fallback", "incidents with a status_page");
  if (auto ut = t->has("user_reports") ? t->table("user_reports") : std::nullopt) {
    incident.user_reports.enabled = true;
    ut->fill(incident.user_reports);
  }
}

void ScenarioReader::read_actions(TableReader& root) {
  std::vector<TableReader> tables = root.tables("action");
  for (std::size_t i = 0; i < tables.size(); ++i) {
    TableReader& t = tables[i];
    Action a;
    a.source = source_of(t);
    a.name = fmt::format("action[{}]", i);
    t.fill(a);
    actions_.declare(a.name, t, "name");

    const bool at = t.has("at"), after = t.has("after");
    if (at && after) t.error("after", "give either 'at' or 'after', not both");
    if (!at && !after) out_.add(t.where(), t.path_of("at"), "missing 'at' or 'after' (exactly one is required)");
    if (at && !after && t.filled("at")) {
      a.trigger = Trigger::at;
      check_before_end(t, "at", a.at);
    }
    if (after && !at)
      if (auto v = t.text("after")) read_trigger(t, *v, a);
    if (run_duration_ && a.delay > 0 && (a.trigger == Trigger::at ? a.at + a.delay : a.delay) >= *run_duration_)
      t.warn("delay", a.trigger == Trigger::at
                          ? fmt::format("at {} plus a delay of {} is after the end of the run ({}): the action never "
                                        "happens",
                                        shown(t, "at"), shown(t, "delay"), format_duration(*run_duration_))
                          : fmt::format("a delay of {} after its trigger is as long as the run ({}) or longer: the "
                                        "action never happens",
                                        shown(t, "delay"), format_duration(*run_duration_)));
    if (t.filled("tooling")) check_list_references(t, "tooling", a.tooling, services_);
    if (t.has("tooling_down_speed") && !t.has("tooling"))
      t.error("tooling_down_speed", "'tooling_down_speed' needs a 'tooling' (the services the action is done with)");
    if (t.filled("kind")) read_action_target(t, a);
    s_.actions.push_back(std::move(a));
  }
}

void ScenarioReader::read_trigger(TableReader& t, const std::string& after, Action& a) {
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
void ScenarioReader::read_rollout_gate(TableReader& t, Action& a) {
  const bool switching = a.kind == ActionKind::switch_dependency;
  const bool counted = switching || a.kind == ActionKind::rollback || a.kind == ActionKind::failover;
  if (t.filled("gate")) check_reference(t, "gate", a.gate, monitors_);
  if (t.has("on_gate_failure") && t.filled("on_gate_failure")) {
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
void ScenarioReader::read_action_target(TableReader& t, Action& a) {
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

  if ((rollback || restore) && t.require("fault") && t.filled("fault"))
    if (check_reference(t, "fault", a.fault, faults_) && restore)
      if (const Fault* f = s_.find_fault(a.fault); f && f->kind != FaultKind::data_loss)
        t.error("fault", fmt::format("a restore repairs a data_loss fault; '{}' is a {} fault (end it with a rollback)",
                                     a.fault, to_string(f->kind)));
  if (restore) {
    t.require("size");
    t.require("rate");
  }
  const Service* service = nullptr;
  if (on_service && t.require("service") && t.filled("service") && check_reference(t, "service", a.service, services_))
    service = s_.find_service(a.service);
  if (stepped || admit) read_rollout_gate(t, a);
  if (rollback && a.batch > 0) check_batched_rollback(t, a);
  if (failover && a.batch > 0 && service && service->replication.enabled)
    t.error("batch", fmt::format("'{}' replicates its state: its failover promotes the copy at once and "
                                 "cannot go in batches", service->name));
  if (failover && t.require("to") && t.filled("to") && service) check_failover_target(t, *service, a.to);
  if (shed) t.require("fraction");
  if (scale && t.require("replicas") && t.filled("replicas") && service) check_scale(t, *service, a.replicas);
  if (kill) read_kill_switch(t, a);
  if (flush && t.require("dependency"))
    if (const Dependency* d = action_dependency(t, a); d && !d->cache.enabled)
      t.error("dependency", fmt::format("'{}' has no cache to flush (give it a `cache`)", a.dependency));
  if (admit && t.filled("features")) check_list_references(t, "features", a.features, features_);
  if (!switching) return;
  const bool has_from = t.require("from"), has_to = t.require("to");
  const bool from = has_from && t.filled("from"), to = has_to && t.filled("to");
  if (to) check_reference(t, "to", a.to, services_);
  if (!from || !check_reference(t, "from", a.from, services_)) return;
  if (to && a.to == a.from) t.error("to", fmt::format("switches '{}' to itself", a.from));
  std::vector<std::string> callers;
  for (const Dependency& d : s_.dependencies)
    if (d.to == a.from && std::find(callers.begin(), callers.end(), d.from) == callers.end()) callers.push_back(d.from);
  if (callers.empty()) {
    t.error("from", fmt::format("no service calls '{}', so there is nothing to switch", a.from));
    return;
  }
  if (!t.filled("services")) return;
  const auto* array = t.node("services")->as_array();
  for (std::size_t i = 0; i < a.services.size(); ++i) {
    const std::string& s = a.services[i];
    if (std::find(callers.begin(), callers.end(), s) != callers.end()) continue;
    const std::string message = services_.contains(s)
                                    ? fmt::format("'{}' does not call '{}'; callers: {}", s, a.from, known_list(callers))
                                    : services_.unknown(s);
    out_.add(array->get(i)->source(), fmt::format("{}[{}]", t.path_of("services"), i), message);
  }
}

// A failover makes active a zone, or a region, that holds replicas of the service.
// A rollback in batches takes back the fault's hosts or replicas a few at a time; a fault that hits
// a dependency, a link, a control plane or a whole zone at once has nothing to take in batches.
void ScenarioReader::check_batched_rollback(TableReader& t, const Action& a) {
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

void ScenarioReader::check_failover_target(TableReader& t, const Service& service, const std::string& to) {
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
void ScenarioReader::check_scale(TableReader& t, const Service& service, int replicas) {
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

void ScenarioReader::read_kill_switch(TableReader& t, Action& a) {
  const bool feature = t.has("feature"), dependency = t.has("dependency");
  if (feature && dependency) t.error("dependency", "give either 'feature' or 'dependency', not both");
  if (!feature && !dependency)
    out_.add(t.where(), t.path_of("feature"), "missing 'feature' or 'dependency' (exactly one is required)");
  if (feature && !dependency && t.filled("feature")) check_reference(t, "feature", a.feature, features_);
  if (dependency && !feature) action_dependency(t, a);
}

// An action's `dependency` (read), written from->to: the first dependency it names, or null (after a
// diagnostic) when it is not that form or names none.
const Dependency* ScenarioReader::action_dependency(TableReader& t, const Action& a) {
  if (!t.filled("dependency")) return nullptr;
  const FaultTarget target = parse_fault_target(a.dependency);
  if (target.form != FaultTarget::Form::dependency) {
    t.error("dependency", fmt::format("expected a dependency written from->to, got \"{}\"", a.dependency));
    return nullptr;
  }
  for (const Dependency& d : s_.dependencies)
    if (d.from == target.first && d.to == target.second) return &d;
  t.error("dependency", fmt::format("unknown dependency '{}'; known: {}", a.dependency, known_list(dependency_names())));
  return nullptr;
}

// [[expect]]: a metric of the runs' (the names metric_names gives this scenario) and its bounds.
void ScenarioReader::read_expectations(TableReader& root) {
  const std::vector<std::string> known = metric_names(s_);
  for (TableReader& t : root.tables("expect")) {
    Expectation e;
    e.source = source_of(t);
    t.fill(e);
    bool time = false;
    if (t.filled("metric")) {
      if (std::find(known.begin(), known.end(), e.metric) == known.end())
        t.error("metric", fmt::format("unknown metric '{}'; known: {}", e.metric, known_list(known)));
      time = is_time_metric(e.metric);
    }
    if (t.has("at_least")) e.at_least = threshold(t, "at_least", time);
    if (t.has("at_most")) e.at_most = threshold(t, "at_most", time);
    if (!t.has("at_least") && !t.has("at_most"))
      out_.add(t.where(), t.path_of("at_least"), "missing 'at_least' or 'at_most' (give one or both)");
    if (e.at_least && e.at_most && *e.at_least > *e.at_most) {
      auto text = [time](double v) { return time ? format_duration(v) : fmt::format("{}", v); };
      t.error("at_most", fmt::format("{} is below at_least = {}: no run can meet both", text(*e.at_most),
                                     text(*e.at_least)));
    }
    s_.expectations.push_back(std::move(e));
  }
}

}  // namespace faultline::reading
