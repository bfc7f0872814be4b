// The scenario reader's class and its helpers, shared by the scenario_reader*.cpp files that define
// its member functions, one concept of the scenario per file.
#pragma once

#include "io/diagnostic_list.hpp"
#include "io/table_reader.hpp"
#include "io/toml.hpp"
#include "scenario/errors.hpp"
#include "scenario/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace faultline::reading {

inline Source source_of(const TableReader& r) {
  return Source{static_cast<int>(r.where().begin.line), static_cast<int>(r.where().begin.column), r.key_path()};
}

inline toml::source_region region_of(const Source& s) {
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

  Scenario read(const toml::table& tree);

 private:
  // What a fault's target may name, by kind (the schema's fault[].target says the same in words).
  struct TargetRules {
    bool service = false, tag = false, host = false, rack = false, zone = false, region = false, dependency = false,
         link = false, feature = false, segment = false;
  };

  // scenario_reader.cpp: generic checks, info, zones, network and links, features, traffic, client, cycles.
  static std::string shown(const TableReader& r, std::string_view key);
  void check_before_end(TableReader& r, std::string_view key, Seconds t);
  bool check_reference(TableReader& r, std::string_view key, const std::string& name, const NameRegistry& known);
  void check_list_references(TableReader& r, std::string_view key, const std::vector<std::string>& names,
                             const NameRegistry& known);
  void read_info(TableReader& root);
  void read_zones(TableReader& root);
  void read_network(TableReader& root);
  void check_link_ends(TableReader& l, const std::string& a, const std::string& b);
  void check_link_unique(TableReader& l, const LinkOverride& link);
  void read_features(TableReader& root);
  template <class T>
  static void normalise(std::vector<T>& shared);
  void read_traffic(TableReader& root);
  void read_region_share(TableReader& traffic, TableReader& shares);
  void read_client(TableReader& root);
  void check_hard_cycles();

  // scenario_reader_services.cpp: services and their policies, dependencies and retry policies.
  void read_services(TableReader& root);
  void check_startup_requires(TableReader& t, const Service& svc);
  void read_restart_policy(TableReader& rp, RestartPolicy& policy);
  void read_autoscaling(TableReader& as, Service& svc, bool replicas_known);
  void read_failover(TableReader& fo, Service& svc);
  void read_replication(TableReader& rp, TableReader& service, Service& svc);
  void check_standby(TableReader& fo, const Service& svc, const std::vector<std::string>& standby);
  static std::vector<std::string> distinct(const std::vector<std::string>& names);
  void read_dependencies(TableReader& root);
  std::map<Status, Status> read_status_map(TableReader& mapping);
  void read_retry_policy(TableReader& rp, RetryPolicy& policy);

  // scenario_reader_faults.cpp: faults, their timing, effect, scope and targets.
  void read_faults(TableReader& root);
  void check_tenants_hit(TableReader& t, const Fault& fault);
  void read_fault_timing(TableReader& t, Fault& fault, bool kind_known);
  FailureProcess read_failure_process(TableReader& t);
  void check_fault_chains(std::vector<TableReader>& tables);
  void read_fault_effect(TableReader& t, Fault& fault);
  void read_fault_scope(TableReader& t, Fault& fault);
  void check_ramp(TableReader& t, const Fault& fault);
  bool has_dependency(const std::string& from, const std::string& to) const;
  std::vector<std::string> dependency_names() const;
  std::optional<std::string> host_problem(const std::string& target) const;
  static TargetRules target_rules(FaultKind kind);
  static std::string accepted_forms(const TargetRules& r);
  void check_fault_target(TableReader& t, FaultKind kind, const std::string& text);

  // scenario_reader_response.cpp: monitors, the incident and actions.
  void read_monitors(TableReader& root);
  void warn_about_monitor(TableReader& t, const Monitor& m);
  bool hard_needs(const std::string& from, const std::string& to) const;
  std::optional<double> threshold(TableReader& t, std::string_view key, bool latency_metric);
  std::optional<bool> check_metric(TableReader& t, const std::string& metric);
  void read_incident(TableReader& root);
  void read_actions(TableReader& root);
  void read_expectations(TableReader& root);
  void read_trigger(TableReader& t, const std::string& after, Action& a);
  void read_rollout_gate(TableReader& t, Action& a);
  void read_action_target(TableReader& t, Action& a);
  void check_batched_rollback(TableReader& t, const Action& a);
  void check_failover_target(TableReader& t, const Service& service, const std::string& to);
  void check_scale(TableReader& t, const Service& service, int replicas);
  void read_kill_switch(TableReader& t, Action& a);
  const Dependency* action_dependency(TableReader& t, const Action& a);

  DiagnosticList& out_;
  Scenario s_;
  std::optional<Seconds> run_duration_;
  NameRegistry zones_{"zone"}, regions_{"region"}, services_{"service"}, features_{"feature"}, faults_{"fault"},
      monitors_{"monitor"}, actions_{"action"}, segments_{"segment"}, tags_{"tag"}, devices_{"device"};
};

}  // namespace faultline::reading
