// The small interface between the request-level model and the time kernel that owns the platform.
// The model runs its own events in timestamp order but never at or past horizon(): the kernel
// (SimGrid in engine/simulation, a plain loop in the unit tests) advances its clock to the horizon,
// changes the platform there and tells the model what changed (PlatformModel::on_* calls).
#pragma once

#include <vector>

namespace faultline {

struct PlatformCommand {
  enum class Kind {
    hosts_down,       // turn hosts off: their replicas die
    hosts_up,         // turn hosts on: their replicas restart and are ready after restart_time
    kill_replicas,    // the service process dies; the host stays up
    restart_replicas  // (re)start the service process; ready after restart_time
  };
  Kind kind = Kind::hosts_down;
  std::vector<int> hosts;     // hosts_down, hosts_up
  std::vector<int> replicas;  // kill_replicas, restart_replicas
};

class PlatformPort {
 public:
  virtual ~PlatformPort() = default;
  // One-way network latency between two hosts on the platform as it is now (seconds).
  virtual double latency(int from_host, int to_host) = 0;
  // Earliest time at which the platform may change; the model runs no event at or past it.
  virtual double horizon() const = 0;
  // Change the platform at time t (not before the model's current time).
  virtual void command(double t, const PlatformCommand& c) = 0;
};

}  // namespace faultline
