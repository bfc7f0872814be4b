#include "model/fault_plan.hpp"

#include "scenario/fault_target.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace faultline {

namespace {

constexpr std::uint8_t kFirstSide = 1, kSecondSide = 2;

int index_by_name(const auto& items, const std::string& name) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].name == name) return int(i);
  return -1;
}

int edge_index(const Scenario& s, const std::string& from, const std::string& to) {
  for (std::size_t e = 0; e < s.dependencies.size(); ++e)
    if (s.dependencies[e].from == from && s.dependencies[e].to == to) return int(e);
  return -1;
}

bool has_tag(const std::vector<std::string>& tags, const std::string& tag) {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

void add_unique(std::vector<int>& to, int x) {
  if (std::find(to.begin(), to.end(), x) == to.end()) to.push_back(x);
}

// A uniform draw in [0, 1) that belongs to one entity alone, for values drawn once per entity.
double entity_uniform(std::uint64_t seed, const std::string& entity) {
  return double(stream_seed(seed, entity) >> 11) * (1.0 / 9007199254740992.0);
}

// Appends to the last command when it is of the same kind, so a change hands over few commands.
void command(FaultPlan::Change& c, PlatformCommand::Kind kind, int index) {
  const bool on_hosts = kind == PlatformCommand::Kind::hosts_down || kind == PlatformCommand::Kind::hosts_up;
  if (c.commands.empty() || c.commands.back().kind != kind) c.commands.push_back(PlatformCommand{kind, {}, {}});
  (on_hosts ? c.commands.back().hosts : c.commands.back().replicas).push_back(index);
}

}  // namespace

FaultPlan::FaultPlan(const Scenario& s, const Topology& t, std::uint64_t seed)
    : s_(s),
      t_(t),
      state_(s.faults.size()),
      host_holds_(t.hosts.size(), 0),
      replica_holds_(t.replicas.size(), 0),
      host_background_(t.hosts.size(), 0),
      disk_factor_(t.hosts.size(), 1),
      service_faults_(s.services.size()),
      edge_faults_(s.dependencies.size()) {
  for (const Fault& f : s.faults) rng_.emplace_back(seed, "fault." + f.name);
  std::vector<std::vector<std::string>> units;
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    resolve_targets(int(i), rng_[i]);
    units.push_back(unit_names(int(i)));
    State& st = state_[i];
    st.unit_running.assign(units.back().size(), 0);
    if (s.faults[i].kind == FaultKind::dns_failure) {
      // Each caller's cached answer expires at its own moment within the ttl.
      for (const ReplicaInfo& r : t.replicas)
        st.cache_expiry.push_back(s.faults[i].ttl * entity_uniform(seed, "fault." + s.faults[i].name + "/ttl/" + r.name));
      st.cache_expiry.push_back(s.faults[i].ttl * entity_uniform(seed, "fault." + s.faults[i].name + "/ttl/clients"));
    }
  }
  occurrences_ = schedule_faults(s, units, seed);
  occurrence_state_.resize(occurrences_.size());
  build_steps();
}

// ---- what each fault hits --------------------------------------------------------------------------

void FaultPlan::resolve_targets(int f, RandomStream& rng) {
  const Fault& fault = s_.faults[std::size_t(f)];
  State& st = state_[std::size_t(f)];
  const FaultTarget target = parse_fault_target(fault.target);
  const std::string& name = target.first;

  const auto zone_hosts = [&](int z) -> const std::vector<int>& { return t_.zone_hosts[std::size_t(z)]; };
  const auto region_hosts = [&](int r) {
    std::vector<int> hosts;
    for (std::size_t z = 0; z < t_.zones.size(); ++z)
      if (t_.zone_region[z] == r) hosts.insert(hosts.end(), zone_hosts(int(z)).begin(), zone_hosts(int(z)).end());
    return hosts;
  };
  const auto rack_hosts = [&]() {
    std::vector<int> hosts;
    const int z = t_.zone_index(name);
    const int racks = z >= 0 ? s_.zones[std::size_t(z)].racks : 0;
    if (racks <= 0) return hosts;
    for (std::size_t i = 0; i < zone_hosts(z).size(); ++i)
      if (int(i) % racks == target.rack) hosts.push_back(zone_hosts(z)[i]);
    return hosts;
  };
  const auto service_replicas = [&](int sv) -> const std::vector<int>& { return t_.service_replicas[std::size_t(sv)]; };
  const auto tagged_hosts = [&]() {  // zones with the tag, then the hosts of services with it
    std::vector<int> hosts;
    for (std::size_t z = 0; z < s_.zones.size(); ++z)
      if (has_tag(s_.zones[z].tags, name))
        for (int h : zone_hosts(int(z))) add_unique(hosts, h);
    for (std::size_t sv = 0; sv < s_.services.size(); ++sv)
      if (has_tag(s_.services[sv].tags, name))
        for (int r : service_replicas(int(sv))) add_unique(hosts, t_.replicas[std::size_t(r)].host);
    return hosts;
  };
  const auto replicas_on = [&](const std::vector<int>& hosts) {
    std::vector<int> reps;
    for (int h : hosts)
      for (int r : t_.host_replicas[std::size_t(h)]) reps.push_back(r);
    std::sort(reps.begin(), reps.end());
    return reps;
  };
  const auto tagged_replicas = [&]() {  // services with the tag, then replicas on hosts of zones with it
    std::vector<int> reps;
    for (std::size_t sv = 0; sv < s_.services.size(); ++sv)
      if (has_tag(s_.services[sv].tags, name))
        for (int r : service_replicas(int(sv))) add_unique(reps, r);
    for (std::size_t z = 0; z < s_.zones.size(); ++z)
      if (has_tag(s_.zones[z].tags, name))
        for (int r : replicas_on(zone_hosts(int(z)))) add_unique(reps, r);
    std::sort(reps.begin(), reps.end());
    return reps;
  };
  const auto pick = [&](const std::vector<int>& candidates, bool keep_drawn_order = false) {
    std::vector<int> out;
    for (int k : select(fault, rng, int(candidates.size()), keep_drawn_order)) out.push_back(candidates[std::size_t(k)]);
    return out;
  };
  const auto zones_named = [&](const std::string& n) {  // a zone, or the zones of a region
    std::vector<int> zones;
    if (int z = t_.zone_index(n); z >= 0) zones.push_back(z);
    else if (int r = t_.region_index(n); r >= 0)
      for (std::size_t z = 0; z < t_.zones.size(); ++z)
        if (t_.zone_region[z] == r) zones.push_back(int(z));
    return zones;
  };
  const auto link_sides = [&]() {
    st.zone_side.assign(t_.zones.size(), 0);
    for (int z : zones_named(name)) st.zone_side[std::size_t(z)] = kFirstSide;
    if (target.form == FaultTarget::Form::link) {
      for (int z : zones_named(target.second)) st.zone_side[std::size_t(z)] = kSecondSide;
    } else {  // a zone or region alone: cut off from every other
      for (std::uint8_t& side : st.zone_side)
        if (side == 0) side = kSecondSide;
    }
  };
  const auto replica_faults = [&](std::vector<int> replicas) {
    st.grain = Grain::replica;
    st.replicas = std::move(replicas);
    st.replica_hit.assign(t_.replicas.size(), 0);
  };

  switch (fault.kind) {
    case FaultKind::host_crash:
    case FaultKind::slow_disk:
    case FaultKind::cpu_hog: {
      std::vector<int> candidates;
      if (int z = t_.zone_index(name); z >= 0 && target.form == FaultTarget::Form::name) {
        candidates = zone_hosts(z);
      } else if (int sv = index_by_name(s_.services, name); sv >= 0 && target.form == FaultTarget::Form::name) {
        for (int r : service_replicas(sv)) add_unique(candidates, t_.replicas[std::size_t(r)].host);
      } else if (target.form == FaultTarget::Form::rack) {
        candidates = rack_hosts();
      } else if (target.form == FaultTarget::Form::tag) {
        candidates = tagged_hosts();
      } else if (int h = t_.host_index(name); h >= 0) {
        candidates.push_back(h);
      } else if (int r = t_.region_index(name); r >= 0) {
        candidates = region_hosts(r);
      }
      st.grain = Grain::host;
      st.hosts = pick(candidates);
      break;
    }
    case FaultKind::link_capacity: break;  // the network model reads the link's share (platform_network.cpp)
    case FaultKind::limit_lowered:          // the model asks limit_factor_of_*
      lowers_limits_ = true;
      if (target.form == FaultTarget::Form::dependency) st.edge = edge_index(s_, target.first, target.second);
      else st.service = index_by_name(s_.services, name);
      break;
    case FaultKind::zone_outage:
      if (int z = t_.zone_index(name); z >= 0) st.hosts = zone_hosts(z);
      break;
    case FaultKind::region_outage:
      if (int r = t_.region_index(name); r >= 0) st.hosts = region_hosts(r);
      break;
    case FaultKind::link_down:
    case FaultKind::partition: link_sides(); break;
    case FaultKind::traffic_surge:
      st.feature = index_by_name(s_.features, name);
      if (st.feature < 0) st.segment = index_by_name(s_.traffic.segments, name);
      if (st.feature < 0 && st.segment < 0) st.region = t_.region_index(name);
      break;
    case FaultKind::dns_failure:
    case FaultKind::data_loss:  // which tenants; the model keeps which of them have no data now (platform_tenants.cpp)
      st.service = index_by_name(s_.services, name);
      st.tenants = select(fault, rng, s_.traffic.tenants, true);
      break;
    case FaultKind::control_plane: st.service = index_by_name(s_.services, name); break;
    default: {  // the kinds that hit replicas
      if (fault_unit(fault.kind) != FaultUnit::replica) break;
      const bool rollout = fault.kind == FaultKind::config_rollout;
      if (target.form == FaultTarget::Form::dependency) {
        st.edge = edge_index(s_, target.first, target.second);
      } else if (target.form == FaultTarget::Form::link) {
        link_sides();
      } else if (target.form == FaultTarget::Form::tag) {
        replica_faults(pick(tagged_replicas(), rollout));
      } else if (target.form == FaultTarget::Form::rack) {
        replica_faults(pick(replicas_on(rack_hosts()), rollout));
      } else if (int sv = index_by_name(s_.services, name); sv >= 0) {
        st.service = sv;
        replica_faults(pick(service_replicas(sv), rollout));
      } else if (int z = t_.zone_index(name); z >= 0) {
        replica_faults(pick(replicas_on(zone_hosts(z))));
      } else if (int h = t_.host_index(name); h >= 0) {
        replica_faults(pick(replicas_on({h})));
      }
      break;
    }
  }

  // Where the model will ask about it.
  switch (fault.kind) {
    case FaultKind::latency:
      if (st.edge >= 0) edge_faults_[std::size_t(st.edge)].push_back(f);
      else if (!st.zone_side.empty()) path_faults_.push_back(f);  // on a link
      break;
    case FaultKind::error_rate:
      if (st.edge >= 0) edge_faults_[std::size_t(st.edge)].push_back(f);
      break;
    case FaultKind::link_down:
    case FaultKind::partition:
    case FaultKind::packet_loss:
    case FaultKind::cert_expiry:
    case FaultKind::dns_failure: path_faults_.push_back(f); break;
    case FaultKind::clock_skew:
      if (fault.skew > fault.tolerance) path_faults_.push_back(f);  // within tolerance, nobody notices
      break;
    case FaultKind::traffic_surge: surge_faults_.push_back(f); break;
    default: break;
  }
  const bool acts_at_replicas = fault.kind == FaultKind::latency || fault.kind == FaultKind::error_rate ||
                                fault.kind == FaultKind::slowdown || fault.kind == FaultKind::memory_leak ||
                                (fault.kind == FaultKind::config_rollout && !fault.crash_loop);
  if (acts_at_replicas && st.grain == Grain::replica) {
    std::vector<int> services;
    for (int r : st.replicas) add_unique(services, t_.replicas[std::size_t(r)].service);
    for (int sv : services) service_faults_[std::size_t(sv)].push_back(f);
  }
  if ((fault.kind == FaultKind::control_plane || fault.kind == FaultKind::dns_failure) && st.service >= 0)
    service_faults_[std::size_t(st.service)].push_back(f);
}

// Picks which of `n` candidates a fault's selector hits, from the fault's own random stream: the
// first k of a seeded partial shuffle, back in topology order unless the drawn order matters (the
// order in which a rollout reaches replicas).
std::vector<int> FaultPlan::select(const Fault& f, RandomStream& rng, int n, bool keep_drawn_order) {
  std::vector<int> all(std::size_t(std::max(0, n)));
  for (int i = 0; i < n; ++i) all[std::size_t(i)] = i;
  int k = n;
  switch (f.mode) {
    case SelectorMode::all:
      if (!keep_drawn_order) return all;
      break;
    case SelectorMode::one: k = std::min(1, n); break;
    case SelectorMode::fixed: k = std::min(n, int(f.value)); break;
    case SelectorMode::percent: k = std::min(n, int(std::ceil(f.value / 100.0 * n - 1e-9))); break;
  }
  for (int i = 0; i < k; ++i)
    std::swap(all[std::size_t(i)], all[std::size_t(i + int(rng.below(std::uint64_t(n - i))))]);
  all.resize(std::size_t(k));
  if (!keep_drawn_order) std::sort(all.begin(), all.end());
  return all;
}

std::vector<std::string> FaultPlan::unit_names(int f) const {
  const State& st = state_[std::size_t(f)];
  std::vector<std::string> names;
  switch (st.grain) {
    case Grain::host:
      for (int h : st.hosts) names.push_back(t_.hosts[std::size_t(h)].name);
      break;
    case Grain::replica:
      for (int r : st.replicas) names.push_back(t_.replicas[std::size_t(r)].name);
      break;
    case Grain::whole: names.push_back(s_.faults[std::size_t(f)].target); break;
  }
  return names;
}

// ---- when --------------------------------------------------------------------------------------

void FaultPlan::build_steps() {
  const double end = s_.info.duration;
  for (std::size_t o = 0; o < occurrences_.size(); ++o) {
    const FaultOccurrence& occ = occurrences_[o];
    const Fault& fault = s_.faults[std::size_t(occ.fault)];
    steps_.push_back(Step{occ.start, Step::Kind::start, int(o)});
    if (occ.end < end) steps_.push_back(Step{occ.end, Step::Kind::end, int(o)});
    if (fault.kind != FaultKind::config_rollout) continue;
    const int n = int(state_[std::size_t(occ.fault)].replicas.size());
    for (int k = 0; k < n; ++k) {
      // The first replica at the start, the last `ramp` later, the others evenly in between.
      const double at = occ.start + (n > 1 ? fault.ramp * k / (n - 1) : 0.0);
      if (at < end && at < occ.end) steps_.push_back(Step{at, Step::Kind::reach, int(o), k});
    }
  }
  std::stable_sort(steps_.begin(), steps_.end(), [](const Step& a, const Step& b) {
    return a.time < b.time || (a.time == b.time && a.kind < b.kind);
  });
}

bool FaultPlan::live(int o) const {
  const OccurrenceState& os = occurrence_state_[std::size_t(o)];
  return os.started && !os.ended;
}

FaultPlan::Change FaultPlan::advance(int k) {
  const Step step = steps_[std::size_t(k)];
  const FaultOccurrence& occ = occurrences_[std::size_t(step.occurrence)];
  const Fault& fault = s_.faults[std::size_t(occ.fault)];
  State& st = state_[std::size_t(occ.fault)];
  Change c;
  c.fault = occ.fault;
  switch (step.kind) {
    case Step::Kind::start: {
      if (st.cancelled) break;
      if (occ.trigger >= 0 && !occurrence_state_[std::size_t(occ.trigger)].started) break;  // its cause never came
      begin(step.occurrence, step.time, c);
      std::string detail = describe(occ.fault);
      if (occ.unit >= 0)
        detail = fmt::format("{} on {} ({})", to_string(fault.kind), unit_names(occ.fault)[std::size_t(occ.unit)],
                             occ.common_cause ? "common cause" : "by chance");
      c.notes.push_back({"fault_start", detail});
      break;
    }
    case Step::Kind::end:
      if (!live(step.occurrence)) break;
      finish(step.occurrence, c);
      c.notes.push_back({"fault_end", fault.random ? "repaired" : "duration elapsed"});
      break;
    case Step::Kind::reach: {
      if (!live(step.occurrence) || st.cancelled) break;  // over, or halted by a rollback
      occurrence_state_[std::size_t(step.occurrence)].reached = step.unit + 1;
      enter(occ.fault, step.unit, c);
      const int replica = st.replicas[std::size_t(step.unit)];
      if (fault.crash_loop) restart_if_free(replica, c);  // the bad version starts
      c.notes.push_back({"fault_progress", fmt::format("{} reaches {} ({} of {})", fault.name,
                                                       t_.replicas[std::size_t(replica)].name, step.unit + 1,
                                                       st.replicas.size())});
      break;
    }
  }
  return c;
}

FaultPlan::Change FaultPlan::end(int f, const std::string& why) {
  Change c;
  c.fault = f;
  state_[std::size_t(f)].cancelled = true;
  finish_all(f, why, c);
  return c;
}

void FaultPlan::finish_all(int f, const std::string& why, Change& c) {
  bool ended = false;
  for (std::size_t o = 0; o < occurrences_.size(); ++o)
    if (occurrences_[o].fault == f && live(int(o))) {
      finish(int(o), c);
      ended = true;
    }
  if (ended) c.notes.push_back({"fault_end", why});
}

std::vector<int> FaultPlan::affected(int f) const {
  const State& st = state_[std::size_t(f)];
  std::vector<int> units;
  for (std::size_t u = 0; u < st.unit_running.size(); ++u)
    if (st.unit_running[u] > 0) units.push_back(int(u));
  return units;
}

int FaultPlan::unit_zone(int f, int unit) const {
  const State& st = state_[std::size_t(f)];
  return st.grain == Grain::host ? t_.hosts[std::size_t(st.hosts[std::size_t(unit)])].zone
                                 : t_.replicas[std::size_t(st.replicas[std::size_t(unit)])].zone;
}

FaultPlan::Change FaultPlan::roll_back(int f, const std::vector<int>& units, const std::string& why) {
  State& st = state_[std::size_t(f)];
  Change c;
  c.fault = f;
  if (st.rolled_back.empty()) st.rolled_back.assign(st.unit_running.size(), 0);
  int taken = 0;
  for (int u : units) {
    if (st.unit_running[std::size_t(u)] == 0 || st.rolled_back[std::size_t(u)]) continue;
    st.unit_running[std::size_t(u)] = 1;  // however many occurrences hold it, it is taken back once
    leave(f, u, c);
    st.rolled_back[std::size_t(u)] = 1;   // the occurrences' own ends leave it alone
    ++taken;
  }
  const auto left = std::count_if(st.unit_running.begin(), st.unit_running.end(), [](int n) { return n > 0; });
  if (left > 0) {
    c.notes.push_back({"fault_progress", fmt::format("{}: {} more {} taken back, {} still affected", why, taken,
                                                     st.grain == Grain::host ? "host(s)" : "replica(s)", left)});
    return c;
  }
  finish_all(f, why, c);
  return c;
}

double FaultPlan::crash_loop_after(int replica) const {
  double after = -1;
  for (std::size_t i = 0; i < state_.size(); ++i) {  // crash loops are few and readiness is rare
    const int f = int(i);
    const Fault& fault = s_.faults[i];
    if (fault.kind == FaultKind::config_rollout && fault.crash_loop && active(f) &&
        !state_[i].replica_hit.empty() && state_[i].replica_hit[std::size_t(replica)])
      after = after < 0 ? fault.crash_after : std::min(after, fault.crash_after);
  }
  return after;
}

bool FaultPlan::holds(int replica) const {
  return replica_holds_[std::size_t(replica)] > 0 || host_holds_[std::size_t(t_.replicas[std::size_t(replica)].host)] > 0;
}

void FaultPlan::begin(int o, double now, Change& c) {
  const FaultOccurrence& occ = occurrences_[std::size_t(o)];
  State& st = state_[std::size_t(occ.fault)];
  occurrence_state_[std::size_t(o)].started = true;
  if (st.running++ == 0) st.since = now;
  if (s_.faults[std::size_t(occ.fault)].kind == FaultKind::config_rollout) return;  // replicas are reached one by one
  if (occ.unit >= 0) return enter(occ.fault, occ.unit, c);
  for (std::size_t u = 0; u < st.unit_running.size(); ++u) enter(occ.fault, int(u), c);
}

void FaultPlan::finish(int o, Change& c) {
  const FaultOccurrence& occ = occurrences_[std::size_t(o)];
  State& st = state_[std::size_t(occ.fault)];
  OccurrenceState& os = occurrence_state_[std::size_t(o)];
  os.ended = true;
  --st.running;
  if (s_.faults[std::size_t(occ.fault)].kind == FaultKind::config_rollout) {
    for (int u = 0; u < os.reached; ++u) leave(occ.fault, u, c);
  } else if (occ.unit >= 0) {
    leave(occ.fault, occ.unit, c);
  } else {
    for (std::size_t u = 0; u < st.unit_running.size(); ++u) leave(occ.fault, int(u), c);
  }
}

void FaultPlan::enter(int f, int unit, Change& c) {
  State& st = state_[std::size_t(f)];
  if (!st.rolled_back.empty() && st.rolled_back[std::size_t(unit)]) return;
  if (st.unit_running[std::size_t(unit)]++ > 0) return;
  switch (st.grain) {
    case Grain::host:
      if (s_.faults[std::size_t(f)].kind == FaultKind::cpu_hog) load_host(st.hosts[std::size_t(unit)], f, +1, c);
      else if (s_.faults[std::size_t(f)].kind == FaultKind::slow_disk) slow_disk(st.hosts[std::size_t(unit)], f, true, c);
      else hold_host(st.hosts[std::size_t(unit)], c);
      break;
    case Grain::whole:
      for (int h : st.hosts) hold_host(h, c);
      break;
    case Grain::replica: {
      const int r = st.replicas[std::size_t(unit)];
      st.replica_hit[std::size_t(r)] = 1;
      if (s_.faults[std::size_t(f)].kind == FaultKind::service_crash) hold_replica(r, c);
      break;
    }
  }
}

void FaultPlan::leave(int f, int unit, Change& c) {
  State& st = state_[std::size_t(f)];
  if (!st.rolled_back.empty() && st.rolled_back[std::size_t(unit)]) return;
  if (--st.unit_running[std::size_t(unit)] > 0) return;
  const Fault& fault = s_.faults[std::size_t(f)];
  switch (st.grain) {
    case Grain::host:
      if (fault.kind == FaultKind::cpu_hog) load_host(st.hosts[std::size_t(unit)], f, -1, c);
      else if (fault.kind == FaultKind::slow_disk) slow_disk(st.hosts[std::size_t(unit)], f, false, c);
      else release_host(st.hosts[std::size_t(unit)], c);
      break;
    case Grain::whole:
      for (int h : st.hosts) release_host(h, c);
      break;
    case Grain::replica: {
      const int r = st.replicas[std::size_t(unit)];
      st.replica_hit[std::size_t(r)] = 0;
      if (fault.kind == FaultKind::service_crash) release_replica(r, c);
      if (fault.kind == FaultKind::config_rollout && fault.crash_loop) restart_if_free(r, c);  // the good version
      break;
    }
  }
}

void FaultPlan::load_host(int h, int f, int sign, Change& c) {
  double& threads = host_background_[std::size_t(h)];
  threads += sign * s_.faults[std::size_t(f)].threads;
  if (threads < 1e-9) threads = 0;  // what the hogs added, taken away again
  c.cpu_hosts.push_back(h);
}

void FaultPlan::slow_disk(int h, int f, bool on, Change& c) {
  double& factor = disk_factor_[std::size_t(h)];
  factor = on ? factor * s_.faults[std::size_t(f)].factor : factor / s_.faults[std::size_t(f)].factor;
  if (std::abs(factor - 1) < 1e-12) factor = 1;
  c.disk_hosts.push_back(h);
}

// The product of the factors of the active limit_lowered faults on `service` or on `edge` (-1: neither).
double FaultPlan::lowered_limit(int service, int edge) const {
  double factor = 1;
  if (!lowers_limits_) return factor;
  for (std::size_t f = 0; f < s_.faults.size(); ++f) {
    const State& st = state_[f];
    if (s_.faults[f].kind == FaultKind::limit_lowered && st.running > 0 &&
        ((service >= 0 && st.service == service) || (edge >= 0 && st.edge == edge)))
      factor *= s_.faults[f].factor;
  }
  return factor;
}

void FaultPlan::hold_host(int h, Change& c) {
  if (host_holds_[std::size_t(h)]++ == 0) command(c, PlatformCommand::Kind::hosts_down, h);
}

void FaultPlan::release_host(int h, Change& c) {
  if (--host_holds_[std::size_t(h)] > 0) return;
  command(c, PlatformCommand::Kind::hosts_up, h);
  // A rebooted host starts every process on it, even one a service crash still holds dead.
  for (int r : t_.host_replicas[std::size_t(h)])
    if (replica_holds_[std::size_t(r)] > 0) command(c, PlatformCommand::Kind::kill_replicas, r);
}

void FaultPlan::hold_replica(int r, Change& c) {
  if (replica_holds_[std::size_t(r)]++ == 0 && host_holds_[std::size_t(t_.replicas[std::size_t(r)].host)] == 0)
    command(c, PlatformCommand::Kind::kill_replicas, r);
}

void FaultPlan::release_replica(int r, Change& c) {
  if (--replica_holds_[std::size_t(r)] == 0) restart_if_free(r, c);
}

void FaultPlan::restart_if_free(int r, Change& c) {
  if (replica_holds_[std::size_t(r)] == 0 && host_holds_[std::size_t(t_.replicas[std::size_t(r)].host)] == 0)
    command(c, PlatformCommand::Kind::restart_replicas, r);
}

std::string FaultPlan::describe(int f) const {
  const Fault& fault = s_.faults[std::size_t(f)];
  const State& st = state_[std::size_t(f)];
  std::string d = fmt::format("{} on {}", to_string(fault.kind), fault.target);
  if (st.grain == Grain::host && fault.kind == FaultKind::cpu_hog)
    d += fmt::format(" ({} host(s), {} busy thread(s) each)", st.hosts.size(), fault.threads);
  else if (st.grain == Grain::host)
    d += fmt::format(" ({} host(s))", st.hosts.size());
  if (st.grain == Grain::whole && !st.hosts.empty()) d += fmt::format(" ({} host(s))", st.hosts.size());
  if (st.grain == Grain::replica) {
    if (st.service >= 0)
      d += fmt::format(" ({} of {} replica(s))", st.replicas.size(), t_.service_replicas[std::size_t(st.service)].size());
    else
      d += fmt::format(" ({} replica(s))", st.replicas.size());
  }
  return d;
}

// ---- what active faults do -----------------------------------------------------------------------

double FaultPlan::added_delay_at(int service, int replica, std::uint32_t user) {
  double extra = 0;
  for (int f : service_faults_[std::size_t(service)]) {
    const Fault& fault = s_.faults[std::size_t(f)];
    const State& st = state_[std::size_t(f)];
    if (fault.kind == FaultKind::latency && st.replica_hit[std::size_t(replica)] && in_scope(f, user))
      extra += rng_[std::size_t(f)].sample(fault.delay);
  }
  return extra;
}

double FaultPlan::leak_at(int service, int replica) const {
  double rate = 0;
  for (int f : service_faults_[std::size_t(service)]) {
    const Fault& fault = s_.faults[std::size_t(f)];
    if (fault.kind == FaultKind::memory_leak && state_[std::size_t(f)].replica_hit[std::size_t(replica)]) rate += fault.leak;
  }
  return rate;
}

double FaultPlan::slowdown_at(int service, int replica, std::uint32_t user) const {
  double factor = 1;
  for (int f : service_faults_[std::size_t(service)]) {
    const Fault& fault = s_.faults[std::size_t(f)];
    if (fault.kind == FaultKind::slowdown && state_[std::size_t(f)].replica_hit[std::size_t(replica)] && in_scope(f, user))
      factor *= fault.factor;
  }
  return factor;
}

int FaultPlan::injected_error_at(int service, int replica, std::uint32_t user) {
  for (int f : service_faults_[std::size_t(service)]) {
    const Fault& fault = s_.faults[std::size_t(f)];
    const bool errs = fault.kind == FaultKind::error_rate || fault.kind == FaultKind::config_rollout;
    if (errs && state_[std::size_t(f)].replica_hit[std::size_t(replica)] && in_scope(f, user) &&
        rng_[std::size_t(f)].bernoulli(fault.rate))
      return f;
  }
  return -1;
}

int FaultPlan::poisoned_answer_at(int service, int replica, RandomStream& rng) const {
  for (int f : service_faults_[std::size_t(service)]) {
    const Fault& fault = s_.faults[std::size_t(f)];
    // A cache's fetch is made for no user: a fault scoped to users does not reach it.
    if (fault.poisons_cache && state_[std::size_t(f)].replica_hit[std::size_t(replica)] && !scoped(f) &&
        rng.bernoulli(fault.rate))
      return f;
  }
  return -1;
}

double FaultPlan::added_delay_on(int edge, std::uint32_t user) {
  double extra = 0;
  for (int f : edge_faults_[std::size_t(edge)]) {
    const Fault& fault = s_.faults[std::size_t(f)];
    if (active(f) && fault.kind == FaultKind::latency && in_scope(f, user)) extra += rng_[std::size_t(f)].sample(fault.delay);
  }
  return extra;
}

int FaultPlan::injected_error_on(int edge, std::uint32_t user) {
  for (int f : edge_faults_[std::size_t(edge)]) {
    const Fault& fault = s_.faults[std::size_t(f)];
    if (active(f) && fault.kind == FaultKind::error_rate && in_scope(f, user) && rng_[std::size_t(f)].bernoulli(fault.rate))
      return f;
  }
  return -1;
}

bool FaultPlan::cuts(const State& st, int from_zone, int to_zone) const {
  const std::uint8_t from = st.zone_side[std::size_t(from_zone)], to = st.zone_side[std::size_t(to_zone)];
  return from == kFirstSide && to == kSecondSide;
}

bool FaultPlan::crosses(const State& st, int zone_a, int zone_b) const {
  const std::uint8_t a = st.zone_side[std::size_t(zone_a)], b = st.zone_side[std::size_t(zone_b)];
  return a != 0 && b != 0 && a != b;
}

bool FaultPlan::checks_validity(const Fault& f, int service) const {
  if (f.checked_by.empty()) return true;
  return has_tag(f.checked_by, s_.services[std::size_t(service)].name);
}

FaultPlan::Transit FaultPlan::transit(int caller_host, int caller_replica, int edge, int callee_replica, double now) {
  Transit t;
  const ReplicaInfo& callee = t_.replicas[std::size_t(callee_replica)];
  const int caller_zone = caller_host >= 0 ? t_.hosts[std::size_t(caller_host)].zone : -1;
  const auto stop = [&](int f, bool lost, Status status = Status::OK) {
    t.fault = f;
    t.lost = lost;
    t.status = status;
  };
  for (int f : path_faults_) {
    const State& st = state_[std::size_t(f)];
    if (st.running == 0) continue;
    const Fault& fault = s_.faults[std::size_t(f)];
    switch (fault.kind) {
      case FaultKind::dns_failure: {
        const double expiry = st.cache_expiry[caller_replica >= 0 ? std::size_t(caller_replica) : t_.replicas.size()];
        if (callee.service == st.service && now - st.since >= expiry) {
          stop(f, false, fault.status);
          t.at_once = true;
        }
        break;
      }
      case FaultKind::link_down:
      case FaultKind::partition: {
        if (caller_zone < 0) break;
        const bool both = fault.kind == FaultKind::link_down || fault.direction == PartitionDirection::both;
        if (both ? crosses(st, caller_zone, callee.zone) : cuts(st, caller_zone, callee.zone)) stop(f, true);
        break;
      }
      case FaultKind::latency:  // on a link
        if (caller_zone >= 0 && crosses(st, caller_zone, callee.zone)) {
          t.delay_there += rng_[std::size_t(f)].sample(fault.delay);
          t.delay_back += rng_[std::size_t(f)].sample(fault.delay);
        }
        break;
      case FaultKind::packet_loss: {
        const bool on_path = st.grain == Grain::replica   ? bool(st.replica_hit[std::size_t(callee_replica)])
                             : st.edge >= 0               ? st.edge == edge
                                                          : caller_zone >= 0 && crosses(st, caller_zone, callee.zone);
        if (on_path && rng_[std::size_t(f)].bernoulli(fault.rate)) stop(f, true);
        break;
      }
      case FaultKind::cert_expiry:
        if (st.replica_hit[std::size_t(callee_replica)]) stop(f, false, fault.status);
        break;
      case FaultKind::clock_skew: {
        const bool caller_skewed = caller_replica >= 0 && st.replica_hit[std::size_t(caller_replica)];
        const bool callee_skewed = st.replica_hit[std::size_t(callee_replica)];
        if (caller_skewed != callee_skewed && checks_validity(fault, callee.service))
          stop(f, false, Status::UNAUTHENTICATED);
        break;
      }
      default: break;
    }
    if (t.fault >= 0) break;
  }
  return t;
}

int FaultPlan::reply_lost(int callee_host, int caller_host) const {
  const int from = t_.hosts[std::size_t(callee_host)].zone, to = t_.hosts[std::size_t(caller_host)].zone;
  for (int f : path_faults_) {
    const State& st = state_[std::size_t(f)];
    const Fault& fault = s_.faults[std::size_t(f)];
    if (st.running == 0 || (fault.kind != FaultKind::partition && fault.kind != FaultKind::link_down)) continue;
    const bool both = fault.kind == FaultKind::link_down || fault.direction == PartitionDirection::both;
    if (both ? crosses(st, from, to) : cuts(st, from, to)) return f;
  }
  return -1;
}

bool FaultPlan::round_trip(int zone_a, int zone_b) const {
  for (int f : path_faults_) {
    const State& st = state_[std::size_t(f)];
    const Fault& fault = s_.faults[std::size_t(f)];
    if (st.running == 0 || (fault.kind != FaultKind::partition && fault.kind != FaultKind::link_down)) continue;
    const bool both = fault.kind == FaultKind::link_down || fault.direction == PartitionDirection::both;
    if (both ? crosses(st, zone_a, zone_b) : cuts(st, zone_a, zone_b) || cuts(st, zone_b, zone_a)) return false;
  }
  return true;
}

FaultPlan::ControlAnswer FaultPlan::control_plane_answer(int service) {
  for (int f : service_faults_[std::size_t(service)]) {
    const Fault& fault = s_.faults[std::size_t(f)];
    if (!active(f)) continue;
    if (fault.kind == FaultKind::control_plane)
      return ControlAnswer{false, fault.behaviour == ControlPlaneBehaviour::missing, fault.status, f};
    if (fault.kind == FaultKind::dns_failure) return ControlAnswer{false, false, fault.status, f};
    if (fault.kind == FaultKind::error_rate && rng_[std::size_t(f)].bernoulli(fault.rate))
      return ControlAnswer{false, false, fault.status, f};
  }
  return {};
}

double FaultPlan::traffic_multiplier(int feature, int segment, int region) const {
  double m = 1;
  for (int f : surge_faults_) {
    const State& st = state_[std::size_t(f)];
    if (st.running == 0) continue;
    if ((st.feature >= 0 && st.feature == feature) || (st.segment >= 0 && st.segment == segment) ||
        (st.region >= 0 && st.region == region))
      m *= s_.faults[std::size_t(f)].factor;
  }
  return m;
}

bool FaultPlan::hits_service(int service) const {
  for (std::size_t f = 0; f < state_.size(); ++f) {
    const State& st = state_[f];
    if (st.running == 0) continue;
    if (st.service == service && st.grain == Grain::whole) return true;
    switch (st.grain) {
      case Grain::host:
      case Grain::whole:
        for (std::size_t u = 0; u < st.hosts.size(); ++u) {
          if (st.grain == Grain::host && st.unit_running[u] == 0) continue;
          for (int r : t_.host_replicas[std::size_t(st.hosts[u])])
            if (t_.replicas[std::size_t(r)].service == service) return true;
        }
        break;
      case Grain::replica:
        for (int r : t_.service_replicas[std::size_t(service)])
          if (st.replica_hit[std::size_t(r)]) return true;
        break;
    }
  }
  return false;
}

}  // namespace faultline
