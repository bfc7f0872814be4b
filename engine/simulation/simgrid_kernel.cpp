#include "simulation/simgrid_kernel.hpp"

#include "scenario/errors.hpp"
#include "simulation/simgrid_engine.hpp"

#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace sg4 = simgrid::s4u;

namespace faultline {

namespace {
constexpr double kMaxTickInterval = 5;  // simulated seconds between two sync points at most
constexpr auto kProgressEvery = std::chrono::milliseconds(200);  // wall-clock time between progress calls

void check_index(int i, std::size_t n, const char* what) {
  if (i < 0 || std::size_t(i) >= n)
    throw InternalError(std::string("platform command names ") + what + " " + std::to_string(i) + " of " +
                        std::to_string(n));
}
}  // namespace

SimgridKernel::SimgridKernel(const Scenario& s, const Topology& t, SimgridPlatform& platform, Progress progress)
    : topology_(t),
      platform_(platform),
      progress_(std::move(progress)),
      end_(s.info.duration),
      replica_actor_(t.replicas.size()),
      boots_(t.replicas.size(), 0) {
  // Ticks fall on bucket boundaries (a bucket split evenly when it is longer than the maximum).
  const double bucket = s.info.bucket > 0 ? s.info.bucket : kMaxTickInterval;
  tick_interval_ = bucket / std::ceil(bucket / kMaxTickInterval);
  for (const ReplicaInfo& r : t.replicas) restart_time_.push_back(s.services[std::size_t(r.service)].restart_time);
  update_horizon();
}

std::vector<std::string> SimgridKernel::engine_config() {
  // A replica's actor registers, sleeps and suspends, and is killed (the unwinding is the deepest it
  // goes): with 16 KiB stacks, the kernel tests' crash, restart and reboot cases and the examples
  // with restarts and host crashes (restart-storm, random-host-failures-year, zone-outage-at-peak)
  // ran unchanged; four times that is the margin. The guard page stays, so that an overflow would
  // crash rather than corrupt.
  return {"contexts/stack-size:" + std::to_string(kReplicaStackKiB)};
}

void SimgridKernel::command(double t, const PlatformCommand& c) {
  if (t < now_)
    throw InternalError("platform command for t=" + std::to_string(t) + " arrived at t=" + std::to_string(now_));
  if (t > end_) return;  // after the run: nothing would see it
  commands_.emplace(t, c);
  update_horizon();
}

void SimgridKernel::add_sync_point(double t) {
  sync_points_.push(t);
  update_horizon();
}

void SimgridKernel::update_horizon() {
  double h = std::min(end_, double(next_tick_) * tick_interval_);
  if (!commands_.empty()) h = std::min(h, commands_.begin()->first);
  if (!sync_points_.empty()) h = std::min(h, sync_points_.top());
  horizon_ = h;
}

template <class Body>
void SimgridKernel::guarded(Body&& body) {
  // An exception escaping an actor aborts the whole process: every actor body goes through here.
  try {
    body();
  } catch (const simgrid::ForcefulKillException&) {
    throw;  // SimGrid unwinding a killed actor: not ours to stop
  } catch (...) {
    stop_run(std::current_exception(), false);
  }
}

void SimgridKernel::stop_run(std::exception_ptr e, bool from_progress) {
  if (!failure_) {
    failure_ = e;
    failure_from_progress_ = from_progress;
  }
  sg4::Actor::kill_all();  // every other actor; the caller returns and the engine stops
}

void SimgridKernel::run(SimgridEngine& engine, KernelClient& client) {
  client_ = &client;
  try {
    // The client first: actors created for a run that then never happens would abort SimGrid's
    // teardown (it refuses to destroy a host with actors on it).
    client.start();
    // Replica processes before the dispatcher, so that they are settled when it starts.
    for (std::size_t r = 0; r < topology_.replicas.size(); ++r) {
      sg4::ActorPtr actor = sg4::Actor::create("replica/" + topology_.replicas[r].name,
                                               platform_.host(topology_.replicas[r].host),
                                               [this, r] { replica_process(int(r)); });
      // In this order: auto-restart records whether the actor is a daemon at this moment.
      actor->daemonize();
      actor->set_auto_restart(true);
    }
    // SimGrid 3.32's Actor::set_stacksize is not followed when the stack is allocated (it is sized by
    // the configuration, then filled to the actor's size): the configuration changes around it.
    engine.set_actor_stack_size_kib(kDispatcherStackBytes / 1024);
    sg4::Actor::create("dispatcher", platform_.control_host(), [this] { guarded([this] { dispatch(); }); });
    engine.set_actor_stack_size_kib(kReplicaStackKiB);
  } catch (...) {
    failure_ = std::current_exception();
  }
  if (!failure_) engine.run();
  client_ = nullptr;
  if (!failure_) return;
  if (failure_from_progress_) std::rethrow_exception(failure_);
  try {
    std::rethrow_exception(failure_);
  } catch (const InternalError&) {
    throw;
  } catch (const std::exception& e) {
    throw InternalError(std::string("simulation failed: ") + e.what());
  } catch (...) {
    throw InternalError("simulation failed with an unknown exception");
  }
}

void SimgridKernel::replica_process(int replica) {
  guarded([this, replica] {
    const auto r = std::size_t(replica);
    replica_actor_[r] = sg4::Actor::self();
    // The first boot is the platform as the scenario starts: the client already counts it ready.
    if (boots_[r]++ > 0) {
      const double ready_at = now_ + restart_time_[r];
      add_sync_point(ready_at);
      sg4::this_actor::sleep_until(ready_at);
      ready_now_.push_back(replica);
    }
    sg4::this_actor::suspend();  // serving, as far as SimGrid is concerned, until killed
  });
}

void SimgridKernel::dispatch() {
  sg4::this_actor::yield();  // replica processes created before the dispatcher settle first
  while (true) {
    const double t_sync = horizon_;
    const double t_client = client_->next_event_time();
    if (t_client < t_sync) {
      client_->run_until(t_sync);
      continue;
    }
    if (skip_idle_ticks(t_client)) continue;
    sg4::this_actor::sleep_until(t_sync);
    sg4::this_actor::yield();  // replica processes waking at t_sync report before anything else
    now_ = t_sync;
    deliver_ready();
    while (!sync_points_.empty() && sync_points_.top() <= t_sync) sync_points_.pop();
    while (double(next_tick_) * tick_interval_ <= t_sync) ++next_tick_;
    // Commands may add commands for the same moment (a client reacting to a host going down).
    while (!commands_.empty() && commands_.begin()->first <= t_sync) {
      PlatformCommand c = std::move(commands_.begin()->second);
      commands_.erase(commands_.begin());
      apply(c);
      ++commands_applied_;
      deliver_ready();  // a process started with no restart time is ready at once
    }
    update_horizon();
    ++sync_points_reached_;
    if (t_sync >= end_) break;
    report_progress(t_sync, false);
  }
  report_progress(end_, true);
}

bool SimgridKernel::skip_idle_ticks(double client_next) {
  // The client has nothing to do before client_next: stopping at the ticks in between would
  // synchronise nothing (a year with a trickle of traffic would stop six million times).
  const auto last_useful = std::uint64_t(std::floor(std::min(client_next, end_) / tick_interval_));
  if (last_useful <= next_tick_) return false;
  next_tick_ = last_useful;
  update_horizon();
  return true;
}

void SimgridKernel::report_progress(double t, bool last) {
  if (!progress_) return;
  const auto wall = std::chrono::steady_clock::now();
  if (!last && wall - last_progress_ < kProgressEvery) return;
  last_progress_ = wall;
  try {
    progress_(t);
  } catch (...) {
    stop_run(std::current_exception(), true);
    sg4::this_actor::exit();
  }
}

void SimgridKernel::apply(const PlatformCommand& c) {
  using Kind = PlatformCommand::Kind;
  switch (c.kind) {
    case Kind::hosts_down:
      for (int h : c.hosts) {
        check_index(h, topology_.hosts.size(), "host");
        sg4::Host* host = platform_.host(h);
        if (!host->is_on()) continue;
        host->turn_off();  // kills the replica processes on it
        for (int r : topology_.host_replicas[std::size_t(h)]) replica_actor_[std::size_t(r)] = nullptr;
        client_->on_host_state(h, false, now_);
      }
      break;
    case Kind::hosts_up:
      for (int h : c.hosts) {
        check_index(h, topology_.hosts.size(), "host");
        sg4::Host* host = platform_.host(h);
        if (host->is_on()) continue;
        host->turn_on();  // SimGrid reboots the replica processes (auto-restart)
        client_->on_host_state(h, true, now_);
      }
      break;
    case Kind::kill_replicas:
      for (int r : c.replicas) {
        check_index(r, topology_.replicas.size(), "replica");
        stop_replica(r);
      }
      break;
    case Kind::restart_replicas:
      for (int r : c.replicas) {
        check_index(r, topology_.replicas.size(), "replica");
        stop_replica(r);
        start_replica(r);
      }
      break;
  }
  // Let the processes started above register their readiness before the client runs again.
  sg4::this_actor::yield();
}

void SimgridKernel::deliver_ready() {
  std::sort(ready_now_.begin(), ready_now_.end());
  const std::vector<int> ready = std::exchange(ready_now_, {});
  for (int r : ready) client_->on_replica_ready(r, now_);
}

void SimgridKernel::stop_replica(int replica) {
  sg4::ActorPtr& actor = replica_actor_[std::size_t(replica)];
  if (!actor) return;
  actor->kill();
  actor = nullptr;
  client_->on_replica_down(replica, now_);
}

void SimgridKernel::start_replica(int replica) {
  sg4::Host* host = platform_.host(topology_.replicas[std::size_t(replica)].host);
  if (!host->is_on()) return;  // it boots with its host
  // Not auto-restarted: the process created at t = 0 is the one the host reboots.
  sg4::Actor::create("replica/" + topology_.replicas[std::size_t(replica)].name, host,
                     [this, replica] { replica_process(replica); })
      ->daemonize();
}

}  // namespace faultline
