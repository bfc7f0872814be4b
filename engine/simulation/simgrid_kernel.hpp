// SimGrid as the time kernel under a KernelClient (the request-level model). SimGrid owns simulated
// time and the platform: hosts go down and up, replica processes die and restart on them. The client
// runs its own events between synchronisation points (conservative synchronisation):
//
//   dispatcher actor: loop { if client's next event < next sync point: client.run_until(sync)
//                            else: SimGrid sleeps to the sync point and applies the commands due }
//
// Sync points are the commands the client handed over (PlatformPort::command), the moments replica
// processes become ready, a regular tick (every bucket boundary, at most every 5 simulated seconds,
// so that SimGrid's clock follows the model closely; ticks before the client's next event are
// skipped, as they would synchronise nothing) and the end of the run. horizon() is the earliest of
// them, and the client never runs an event at or past it.
//
// Each replica has a small daemon actor on its host: it registers its readiness time as a sync point,
// sleeps for the service's restart_time, tells the client it is ready and then waits to be killed.
// At t = 0 every replica is ready at once, without a notification (the client starts that way).
// Commands: hosts_down turns hosts off (their replica processes die; the client hears
// on_host_state), hosts_up turns them on (SimGrid auto-restarts every replica process of the host,
// even one a command had killed, as a rebooted machine starts its services), kill_replicas kills
// replica processes (on_replica_down for each that was alive), restart_replicas kills a live
// process (on_replica_down) and starts a new one, ready after restart_time; on a host that is off
// it starts when the host comes back. A command that changes nothing (turning off a host that is
// off) sends no notification.
#pragma once

#include "model/platform_port.hpp"
#include "model/topology.hpp"
#include "scenario/scenario.hpp"
#include "simulation/kernel_client.hpp"
#include "simulation/simgrid_platform.hpp"

#include <simgrid/s4u/Actor.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <queue>
#include <string>
#include <vector>

namespace faultline {

class SimgridEngine;

class SimgridKernel final : public PlatformPort {
 public:
  using Progress = std::function<void(double sim_time)>;

  SimgridKernel(const Scenario& scenario, const Topology& topology, SimgridPlatform& platform, Progress progress = {});

  // The SimGrid configuration its actors need (for SimgridEngine): one small daemon per replica,
  // so small stacks (SimGrid's default, 8 MiB each, puts 1,000 replicas past an 8 GiB address
  // space), and the dispatcher, which runs the whole model on its own stack, a large one of its own.
  static std::vector<std::string> engine_config();
  static constexpr unsigned kReplicaStackKiB = 64;
  static constexpr unsigned kDispatcherStackBytes = 8u << 20;

  // Starts the client, runs SimGrid to the end of the scenario. An exception raised by the client or
  // by the kernel stops the run and is rethrown here as InternalError; one raised by the progress
  // callback is rethrown as it is.
  void run(SimgridEngine& engine, KernelClient& client);

  // PlatformPort
  double latency(int from_host, int to_host) override { return platform_.latency(from_host, to_host); }
  double horizon() const override { return horizon_; }
  void command(double t, const PlatformCommand& c) override;

  double sync_interval() const { return tick_interval_; }
  std::uint64_t sync_points_reached() const { return sync_points_reached_; }
  std::uint64_t commands_applied() const { return commands_applied_; }

 private:
  void dispatch();
  void replica_process(int replica);
  void deliver_ready();
  void apply(const PlatformCommand& c);
  void start_replica(int replica);
  void stop_replica(int replica);
  void add_sync_point(double t);
  void update_horizon();
  bool skip_idle_ticks(double client_next);  // true when it moved the next tick later
  void report_progress(double t, bool last);
  template <class Body>
  void guarded(Body&& body);
  void stop_run(std::exception_ptr e, bool from_progress);

  const Topology& topology_;
  SimgridPlatform& platform_;
  Progress progress_;
  KernelClient* client_ = nullptr;

  const double end_;
  double tick_interval_ = 5;
  std::uint64_t next_tick_ = 1;  // the next tick is at next_tick_ * tick_interval_
  double now_ = 0;               // the sync point the kernel is at
  double horizon_ = 0;
  std::multimap<double, PlatformCommand> commands_;  // ties keep the order they were given in
  std::priority_queue<double, std::vector<double>, std::greater<>> sync_points_;

  std::vector<double> restart_time_;                  // by replica
  std::vector<simgrid::s4u::ActorPtr> replica_actor_;  // by replica; null while its process is dead
  std::vector<int> boots_;       // by replica: how many times its process started
  // Replicas that became ready at the current instant, told to the client in replica order (the
  // order SimGrid wakes their actors in is its own, and the client's reactions depend on the order).
  std::vector<int> ready_now_;

  std::exception_ptr failure_;
  bool failure_from_progress_ = false;
  std::chrono::steady_clock::time_point last_progress_{};
  std::uint64_t sync_points_reached_ = 0;
  std::uint64_t commands_applied_ = 0;
};

}  // namespace faultline
