// The faults of one run: what each one hits (its target resolved against the topology, its selector
// drawn from the run's seed and the fault's name), when it happens (the occurrences of
// model/fault_schedule.hpp, as a timeline of steps), whether it is active, what it does to a call
// while it is, and which platform commands start or end it. The model asks; the plan answers.
//
// Overlapping faults compose: a host is down while any fault holds it down and comes back when the
// last one lets go; a replica killed by a service crash stays dead when its host comes back.
#pragma once

#include "model/fault_schedule.hpp"
#include "model/platform_port.hpp"
#include "model/random.hpp"
#include "model/topology.hpp"
#include "scenario/scenario.hpp"

#include <string>
#include <vector>

namespace faultline {

// A call made for no user (a cache or control-plane refresh): no tenant's data is asked for, and no
// fault scoped to users hits it.
inline constexpr std::uint32_t kNoUser = 0xffffffffu;

class FaultPlan {
 public:
  FaultPlan(const Scenario& s, const Topology& t, std::uint64_t seed);

  std::size_t size() const { return state_.size(); }
  bool active(int f) const { return state_[std::size_t(f)].running > 0; }  // an occurrence is in progress
  const std::vector<int>& hosts(int f) const { return state_[std::size_t(f)].hosts; }        // it takes down
  const std::vector<int>& replicas(int f) const { return state_[std::size_t(f)].replicas; }  // rollouts: in order
  const std::vector<FaultOccurrence>& occurrences() const { return occurrences_; }

  // ---- when ---------------------------------------------------------------------------------------
  // A moment at which the plan changes something: an occurrence starts or ends, a rollout reaches a
  // replica. The steps known at construction are in time order; advancing one may append later ones.
  struct Step {
    enum class Kind { start, reach, end };  // the order of steps at the same time
    double time = 0;
    Kind kind = Kind::start;
    int occurrence = 0;
    int unit = -1;  // reach: the replica's place in the rollout
  };
  const std::vector<Step>& steps() const { return steps_; }

  // What a step or a rollback changed: platform commands to hand to the kernel at once, and what to
  // log (kinds fault_start, fault_end, fault_progress).
  struct Change {
    struct Note {
      std::string kind, detail;
    };
    int fault = -1;
    std::vector<PlatformCommand> commands;
    std::vector<Note> notes;
    std::vector<int> cpu_hosts;   // hosts whose background CPU load changed (cpu_hog)
    std::vector<int> disk_hosts;  // hosts whose disk bandwidth changed (slow_disk)
  };
  // Applies step k, whose time has come. A step whose occurrence was cancelled or is over changes
  // nothing.
  Change advance(int k);
  // Ends every occurrence of fault f in progress and cancels those still to come (a rollback).
  Change end(int f, const std::string& why);
  std::string describe(int f) const;

  // ---- a rollback in batches (platform_rollout.cpp) -----------------------------------------------
  // The units (places in hosts(f) or replicas(f)) fault f affects now, in order.
  std::vector<int> affected(int f) const;
  // Stops fault f from reaching more: a config_rollout reaches no more replicas, occurrences to come
  // are called off.
  void halt(int f) { state_[std::size_t(f)].cancelled = true; }
  bool by_host(int f) const { return state_[std::size_t(f)].grain == Grain::host; }  // else by replica
  int unit_zone(int f, int unit) const;
  // Takes `units` back from the fault (they are as if it had ended there); when none is left
  // affected, its occurrences end.
  Change roll_back(int f, const std::vector<int>& units, const std::string& why);

  // ---- what active faults do to calls -------------------------------------------------------------
  // The users a scoped fault hits (fault[].scope), by simulated user: the model draws them, having
  // the traffic's segments and tenants. Unscoped faults hit every call.
  void set_scope(int f, std::vector<std::uint8_t> users) { state_[std::size_t(f)].scope = std::move(users); }
  bool scoped(int f) const { return !state_[std::size_t(f)].scope.empty(); }
  bool in_scope(int f, std::uint32_t user) const {
    const std::vector<std::uint8_t>& users = state_[std::size_t(f)].scope;
    return users.empty() || (user < users.size() && users[user]);
  }
  // At `replica` of `service` (latency, slowdown, error_rate, an erring config rollout), for a call
  // made for `user`.
  bool touches_service(int service) const { return !service_faults_[std::size_t(service)].empty(); }
  double added_delay_at(int service, int replica, std::uint32_t user);
  double slowdown_at(int service, int replica, std::uint32_t user) const;  // service time multiplier
  double leak_at(int service, int replica) const;      // MB per second its process loses now
  int injected_error_at(int service, int replica, std::uint32_t user);  // the striking fault, or -1
  // A fetch by a cache from `replica` of `service` now: the fault with poisons_cache whose bad answer
  // it gets, or -1 (drawn from the caller's stream, so the plan's own draws are untouched).
  int poisoned_answer_at(int service, int replica, RandomStream& rng) const;
  // Along a dependency edge (latency, error_rate on `from->to`).
  bool touches_edge(int edge) const { return !edge_faults_[std::size_t(edge)].empty(); }
  double added_delay_on(int edge, std::uint32_t user);
  int injected_error_on(int edge, std::uint32_t user);

  // On the way between caller and callee: network faults between their zones, lost packets,
  // expired certificates, names that no longer resolve, skewed clocks.
  bool touches_paths() const { return !path_faults_.empty(); }
  struct Transit {
    double delay_there = 0, delay_back = 0;  // latency on a link crossed
    int fault = -1;                          // the fault that stops the attempt, or -1
    bool lost = false;        // it vanishes on the way: the caller can only time out
    bool at_once = false;     // it fails in the caller before anything is sent (a failed resolution)
    Status status = Status::OK;  // otherwise (not lost) the caller gets this status after a round trip
  };
  // caller_host and caller_replica are -1 for users' clients, which reach the platform from outside:
  // faults of the platform's own network do not apply to them.
  Transit transit(int caller_host, int caller_replica, int edge, int callee_replica, double now);
  // The fault that drops an answer from callee_host back to caller_host (a one-way partition, or one
  // that began while the call was out), or -1.
  int reply_lost(int callee_host, int caller_host) const;
  // Whether a probe from zone_a gets an answer from zone_b (no partition or cut link either way).
  bool round_trip(int zone_a, int zone_b) const;

  // What a control plane answers a resolver now, as far as faults go.
  struct ControlAnswer {
    bool ok = true;
    bool missing = false;  // an authoritative "no such entry" rather than an error
    Status status = Status::OK;
    int fault = -1;
  };
  ControlAnswer control_plane_answer(int service);

  // Rate multiplier of active traffic surges for a user request of this feature, segment and region.
  double traffic_multiplier(int feature, int segment, int region) const;

  // Whether an active fault hits the service (directly or through its hosts): acting on it mitigates.
  bool hits_service(int service) const;

  // A replica running a crash-looping bad version crashes this long after each time it is ready;
  // negative when it is not crash-looping. The model schedules the crashes: their timing depends on
  // when the supervisor lets the replica start again.
  double crash_loop_after(int replica) const;
  // Busy threads that active CPU hogs run on the host, besides its replicas' work.
  double host_background(int host) const { return host_background_[std::size_t(host)]; }
  // Share of its disk bandwidth a host has (slow_disk faults multiply it).
  double disk_factor(int host) const { return disk_factor_[std::size_t(host)]; }
  // Share of the limit a service's threads or an edge's pool has (limit_lowered faults multiply it).
  double limit_factor_of_service(int service) const { return lowered_limit(service, -1); }
  double limit_factor_of_edge(int edge) const { return lowered_limit(-1, edge); }

  // data_loss: the tenants fault f hits, in the drawn order (the order a restore takes them in).
  const std::vector<int>& tenants_hit(int f) const { return state_[std::size_t(f)].tenants; }

  // Whether a fault holds the replica dead (a service crash, or its host down): it must not start.
  bool holds(int replica) const;

 private:
  enum class Grain { host, replica, whole };  // what fails independently: each host, each replica, or all

  struct State {
    Grain grain = Grain::whole;
    std::vector<int> hosts;     // taken down (host grain: one unit each)
    std::vector<int> replicas;  // hit (replica grain: one unit each)
    int service = -1;           // the service named (dns_failure, control_plane, data_loss and service targets)
    std::vector<int> tenants;   // data_loss: the tenants hit, in the drawn order
    int edge = -1;
    std::vector<std::uint8_t> zone_side;  // link faults: by zone, kFirstSide, kSecondSide or 0
    int feature = -1, segment = -1, region = -1;  // traffic_surge
    std::vector<double> cache_expiry;  // dns_failure: by caller replica, then users' clients: when, after
                                       // the failure starts, the caller's cached answer runs out
    std::vector<int> unit_running;         // occurrences in progress, by unit
    std::vector<std::uint8_t> rolled_back;  // by unit: taken back by a rollback in batches (empty: none)
    std::vector<std::uint8_t> scope;        // by simulated user: hit (empty: every call)
    std::vector<std::uint8_t> replica_hit;  // replica grain: by replica of the topology
    int running = 0;    // occurrences in progress
    double since = 0;   // when the current stretch of activity began
    bool cancelled = false;
  };
  struct OccurrenceState {
    bool started = false, ended = false;
    int reached = 0;  // config_rollout: replicas reached so far
  };

  void resolve_targets(int f, RandomStream& rng);
  std::vector<int> select(const Fault& f, RandomStream& rng, int n, bool keep_drawn_order = false);
  std::vector<std::string> unit_names(int f) const;
  void build_steps();

  void begin(int occurrence, double now, Change& c);
  void finish(int occurrence, Change& c);
  void finish_all(int f, const std::string& why, Change& c);  // every occurrence in progress
  void enter(int f, int unit, Change& c);
  void leave(int f, int unit, Change& c);
  void slow_disk(int h, int f, bool on, Change& c);
  double lowered_limit(int service, int edge) const;
  void hold_host(int host, Change& c);
  void load_host(int host, int f, int sign, Change& c);
  void release_host(int host, Change& c);
  void hold_replica(int replica, Change& c);
  void release_replica(int replica, Change& c);
  void restart_if_free(int replica, Change& c);
  bool live(int occurrence) const;
  bool cuts(const State& st, int from_zone, int to_zone) const;
  bool crosses(const State& st, int zone_a, int zone_b) const;
  bool checks_validity(const Fault& f, int service) const;

  const Scenario& s_;
  const Topology& t_;
  std::vector<State> state_;
  std::vector<RandomStream> rng_;
  std::vector<FaultOccurrence> occurrences_;
  std::vector<OccurrenceState> occurrence_state_;
  std::vector<Step> steps_;
  std::vector<int> host_holds_, replica_holds_;  // faults holding each host down, each replica dead
  std::vector<double> host_background_;          // by host: threads of the active CPU hogs
  std::vector<double> disk_factor_;              // by host: product of the active slow disks' factors
  bool lowers_limits_ = false;                   // the scenario has limit_lowered faults
  std::vector<std::vector<int>> service_faults_;  // by service: faults acting on its replicas or on it
  std::vector<std::vector<int>> edge_faults_;     // by dependency: latency / error_rate on it
  std::vector<int> path_faults_, surge_faults_;
};

}  // namespace faultline
