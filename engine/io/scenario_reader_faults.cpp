// The reading of faults: their timing, failure process, chains, effect, scope and targets.

#include "io/duration.hpp"
#include "io/scenario_reader_impl.hpp"
#include "scenario/fault_target.hpp"

#include <array>
#include <cmath>

namespace faultline::reading {

void ScenarioReader::read_faults(TableReader& root) {
  std::vector<TableReader> tables = root.tables("fault");
  for (std::size_t i = 0; i < tables.size(); ++i) {
    TableReader& t = tables[i];
    Fault fault;
    fault.source = source_of(t);
    fault.name = fmt::format("fault[{}]", i);
    t.fill(fault);
    faults_.declare(fault.name, t, "name");

    const bool kind = t.filled("kind");
    if (kind && t.filled("target")) check_fault_target(t, fault.kind, fault.target);
    const bool counted = fault.mode == SelectorMode::fixed || fault.mode == SelectorMode::percent;
    if (t.filled("mode")) {
      t.only_for(counted, "value", "mode = \"fixed\" or \"percent\"");
      if (counted && t.require("value") && t.filled("value")) {
        const double v = fault.value;
        if (fault.mode == SelectorMode::fixed && (v < 1 || v != std::floor(v)))
          t.error("value", fmt::format("mode = \"fixed\" needs a whole number of at least 1, got {}", v));
        if (fault.mode == SelectorMode::percent && (v <= 0 || v > 100))
          t.error("value", fmt::format("mode = \"percent\" needs 0 < value <= 100, got {}", v));
      }
    }
    if (kind && fault.kind == FaultKind::data_loss) check_tenants_hit(t, fault);
    read_fault_timing(t, fault, kind);
    if (kind) read_fault_effect(t, fault);
    s_.faults.push_back(std::move(fault));
  }
  check_fault_chains(tables);
}

// A data loss hits tenants: the scenario must have them, and a fixed count must fit.
void ScenarioReader::check_tenants_hit(TableReader& t, const Fault& fault) {
  if (s_.traffic.tenants < 1) {
    t.error("kind", "data_loss hits tenants, and this scenario has none: give traffic.tenants");
    return;
  }
  if (fault.mode == SelectorMode::fixed && fault.value > s_.traffic.tenants)
    t.error("value", fmt::format("mode = \"fixed\" hits {} tenants, but traffic.tenants is {}", fault.value,
                                 s_.traffic.tenants));
}

// When a fault happens: at a time (perhaps again and again), after another fault, or by chance.
void ScenarioReader::read_fault_timing(TableReader& t, Fault& fault, bool kind_known) {
  const bool at = t.has("at"), after = t.has("after");
  const bool random = t.has("mttf") || t.has("failure") || t.has("mttr") || t.has("repair");
  const std::string_view random_key = t.has("mttf") ? "mttf" : t.has("failure") ? "failure" : t.has("mttr") ? "mttr" : "repair";
  if (!at && !after && !random)
    out_.add(t.where(), t.path_of("at"),
             "missing 'at' (or 'after' another fault, or 'mttf'/'failure' for a fault that happens by chance)");
  if (at && after) t.error("after", "give either 'at' or 'after', not both");
  if ((at || after) && random)
    t.error(random_key, fmt::format("'{}' makes the fault happen by chance: leave out '{}'", random_key, at ? "at" : "after"));

  if (at && t.filled("at")) check_before_end(t, "at", fault.at);
  if (t.has("duration") && random)
    t.error("duration", "a fault that happens by chance lasts its repair time: use 'mttr' or 'repair'");
  if (t.has("every")) {
    if (!at) t.error("every", "'every' repeats a fault that starts 'at' a time");
    else if (const Seconds every = fault.every.value_or(0); t.filled("every")) {
      if (!t.has("duration")) t.error("every", "a repeated fault needs a 'duration' (at most 'every')");
      else if (fault.duration && *fault.duration > every)
        t.error("duration", fmt::format("must be at most every ({}), got {}", format_duration(every), shown(t, "duration")));
    }
  }
  t.only_for(after, "after_delay", "faults with 'after'");
  for (std::string_view key : {"common_cause", "age_while_down"}) t.only_for(random, key, "faults with 'mttf' or 'failure'");
  if (random) {
    if (kind_known && fault.kind == FaultKind::config_rollout) {
      t.error(random_key, "a config rollout happens at a time ('at' or 'after'), not by chance");
      return;
    }
    fault.random = read_failure_process(t);
  }
}

FailureProcess ScenarioReader::read_failure_process(TableReader& t) {
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
  t.fill(p);
  if (t.has("common_cause"))
    if (auto cc = t.table("common_cause")) cc->fill(p);
  return p;
}

// `after` names another fault; chains must not loop.
void ScenarioReader::check_fault_chains(std::vector<TableReader>& tables) {
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
void ScenarioReader::read_fault_effect(TableReader& t, Fault& fault) {
  const FaultKind k = fault.kind;
  const bool latency = k == FaultKind::latency, error_rate = k == FaultKind::error_rate,
             control_plane = k == FaultKind::control_plane, packet_loss = k == FaultKind::packet_loss,
             slowdown = k == FaultKind::slowdown, surge = k == FaultKind::traffic_surge,
             rollout = k == FaultKind::config_rollout, cert = k == FaultKind::cert_expiry,
             dns = k == FaultKind::dns_failure, skew = k == FaultKind::clock_skew,
             partition = k == FaultKind::partition, hog = k == FaultKind::cpu_hog,
             leak = k == FaultKind::memory_leak, data_loss = k == FaultKind::data_loss,
             capacity = k == FaultKind::link_capacity || k == FaultKind::slow_disk || k == FaultKind::limit_lowered;
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

  // What applies is read (by TableReader::fill); what is required of this kind must be there.
  if (latency) t.require("delay");
  if (error_rate || erring_rollout) {
    if (fault.poisons_cache && parse_fault_target(fault.target).form == FaultTarget::Form::dependency)
      t.error("poisons_cache", "a fault on a dependency gives no answer for a cache to keep; target the service");
    if (t.has("poison_ttl") && !fault.poisons_cache) t.error("poison_ttl", "'poison_ttl' needs 'poisons_cache = true'");
  }
  if (error_rate || control_plane || erring_rollout || cert || dns || data_loss) {
    if (!t.filled("status")) fault.status = control_plane || data_loss ? Status::NOT_FOUND : Status::UNAVAILABLE;
    else if (fault.status == Status::OK)
      t.error("status", "OK is not a failure: give the status failed requests answer with, e.g. \"UNAVAILABLE\"");
  }
  if ((slowdown || surge || capacity) && t.require("factor") && t.filled("factor") && capacity && fault.factor > 1)
    t.error("factor", fmt::format("a {} fault leaves a share of what there was: at most 1, got {}", to_string(k),
                                  fault.factor));
  if (rollout && t.require("ramp") && t.filled("ramp")) check_ramp(t, fault);
  if (hog) t.require("threads");
  if (leak) t.require("leak");
  if (scoped && t.has("scope")) read_fault_scope(t, fault);
  if (skew) {
    t.require("skew");
    if (t.filled("checked_by")) check_list_references(t, "checked_by", fault.checked_by, services_);
  }
}

// The users a fault hits: segments by list, tenants and users by share.
void ScenarioReader::read_fault_scope(TableReader& t, Fault& fault) {
  auto st = t.table("scope");
  if (!st) return;
  FaultScope& scope = fault.scope;
  scope.enabled = true;
  st->fill(scope);
  if (st->filled("segments")) check_list_references(*st, "segments", scope.segments, segments_);
  if (st->has("tenants") && st->filled("tenants") && s_.traffic.tenants < 1)
    st->error("tenants", "users belong to no tenant: give traffic.tenants to scope a fault by tenant");
  if (fault.poisons_cache)
    t.error("scope", "a cache fetches for no user, so a fault scoped to users poisons no cache: drop 'scope' or "
                     "'poisons_cache'");
  if (!st->has("segments") && !st->has("users") && !st->has("tenants"))
    t.error("scope", "an empty scope hits every user: give `segments`, `users` or `tenants` (or drop 'scope')");
}

// A rollout that cannot reach its last replica before the run ends is a mistake in the scenario.
void ScenarioReader::check_ramp(TableReader& t, const Fault& fault) {
  if (!run_duration_) return;
  const Seconds start = fault.after.empty() ? fault.at : 0;
  if (fault.ramp > *run_duration_)
    t.error("ramp", fmt::format("must fit in the run ({}), got {}", format_duration(*run_duration_), shown(t, "ramp")));
  else if (fault.after.empty() && start + fault.ramp > *run_duration_)
    t.error("ramp", fmt::format("ends after the run: at ({}) + ramp ({}) is past the duration ({})",
                                format_duration(start), format_duration(fault.ramp), format_duration(*run_duration_)));
}

bool ScenarioReader::has_dependency(const std::string& from, const std::string& to) const {
  return std::any_of(s_.dependencies.begin(), s_.dependencies.end(),
                     [&](const Dependency& d) { return d.from == from && d.to == to; });
}

std::vector<std::string> ScenarioReader::dependency_names() const {
  std::vector<std::string> names;
  for (const Dependency& d : s_.dependencies)
    if (!d.from.empty() && !d.to.empty()) names.push_back(fmt::format("{}->{}", d.from, d.to));
  return names;
}

// A host name with a known zone and an index below its host count: nullopt; a known zone and an
// index past its hosts: what the zone has; anything else: "".
std::optional<std::string> ScenarioReader::host_problem(const std::string& target) const {
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

ScenarioReader::TargetRules ScenarioReader::target_rules(FaultKind kind) {
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

std::string ScenarioReader::accepted_forms(const TargetRules& r) {
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

void ScenarioReader::check_fault_target(TableReader& t, FaultKind kind, const std::string& text) {
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

}  // namespace faultline::reading
