// What the SimGrid kernel drives: a discrete-event model with its own clock that the kernel lets run
// between synchronisation points and tells about platform changes. PlatformModel is the product's
// client (adapted in simulation.cpp); unit tests drive the kernel with small fakes instead.
#pragma once

namespace faultline {

class KernelClient {
 public:
  virtual ~KernelClient() = default;

  // Called once before simulated time starts; may hand the kernel commands through its PlatformPort.
  virtual void start() = 0;
  // Time of the client's next event; +infinity when there is none.
  virtual double next_event_time() const = 0;
  // Processes the client's events before `limit` (and before the port's horizon).
  virtual void run_until(double limit) = 0;

  // Platform changes, each at simulated time t (never earlier than the client's own clock).
  virtual void on_host_state(int host, bool up, double t) = 0;
  virtual void on_replica_down(int replica, double t) = 0;
  virtual void on_replica_ready(int replica, double t) = 0;
};

}  // namespace faultline
