// run_without_kernel: the model over a platform that obeys its commands at once, for unit tests and
// closed-form verification of the behaviour alone.
#include "model/network_table.hpp"
#include "model/platform_model.hpp"

#include <algorithm>
#include <queue>

namespace faultline {

namespace {

class DirectPlatform final : public PlatformPort {
 public:
  struct Pending {
    double time;
    std::uint64_t seq;
    PlatformCommand command;
    int ready_replica = -1;        // >= 0: a restarted process becomes ready
    std::uint32_t incarnation = 0;
    bool operator>(const Pending& o) const { return time > o.time || (time == o.time && seq > o.seq); }
  };

  DirectPlatform(const Scenario& s, const Topology& t)
      : s_(s), t_(t), incarnation_(t.replicas.size(), 0), host_on_(t.hosts.size(), 1), process_(t.replicas.size(), 1) {}

  double latency(int a, int b) override { return table_latency(s_, t_, a, b); }
  double horizon() const override { return pending_.empty() ? PlatformModel::kNever : pending_.top().time; }
  void command(double t, const PlatformCommand& c) override { pending_.push(Pending{t, seq_++, c, -1, 0}); }

  // Applies everything due at the earliest pending time, as the SimGrid kernel does
  // (simulation/simgrid_kernel.hpp): replicas ready at that instant first, in replica order, then the
  // commands in the order given; a command that changes nothing tells the model nothing.
  void apply_next(PlatformModel& m) {
    double t = pending_.top().time;
    std::vector<int> ready;
    std::vector<Pending> commands;
    while (!pending_.empty() && pending_.top().time == t) {
      Pending p = pending_.top();
      pending_.pop();
      if (p.ready_replica < 0) commands.push_back(std::move(p));
      else if (p.incarnation == incarnation_[std::size_t(p.ready_replica)]) ready.push_back(p.ready_replica);
    }
    std::sort(ready.begin(), ready.end());
    for (int r : ready) m.on_replica_ready(r, t);
    for (const Pending& p : commands) {
      const PlatformCommand& c = p.command;
      switch (c.kind) {
        case PlatformCommand::Kind::hosts_down:
          for (int h : c.hosts) {
            if (!host_on_[std::size_t(h)]) continue;
            host_on_[std::size_t(h)] = 0;
            for (int r : t_.host_replicas[std::size_t(h)]) {
              ++incarnation_[std::size_t(r)];
              process_[std::size_t(r)] = 0;
            }
            m.on_host_state(h, false, t);
          }
          break;
        case PlatformCommand::Kind::hosts_up:
          for (int h : c.hosts) {
            if (host_on_[std::size_t(h)]) continue;
            host_on_[std::size_t(h)] = 1;
            m.on_host_state(h, true, t);
            for (int r : t_.host_replicas[std::size_t(h)]) boot(r, t);  // a rebooted host starts all its services
          }
          break;
        case PlatformCommand::Kind::kill_replicas:
          for (int r : c.replicas) stop(m, r, t);
          break;
        case PlatformCommand::Kind::restart_replicas:
          for (int r : c.replicas) {
            stop(m, r, t);
            if (host_on_[std::size_t(t_.replicas[std::size_t(r)].host)]) boot(r, t);  // else it starts with its host
          }
          break;
      }
    }
  }

 private:
  void stop(PlatformModel& m, int r, double t) {
    if (!process_[std::size_t(r)]) return;
    process_[std::size_t(r)] = 0;
    ++incarnation_[std::size_t(r)];
    m.on_replica_down(r, t);
  }

  void boot(int r, double t) {
    process_[std::size_t(r)] = 1;
    std::uint32_t inc = ++incarnation_[std::size_t(r)];
    double restart = s_.services[std::size_t(t_.replicas[std::size_t(r)].service)].restart_time;
    pending_.push(Pending{t + restart, seq_++, {}, r, inc});
  }

  const Scenario& s_;
  const Topology& t_;
  std::vector<std::uint32_t> incarnation_;
  std::vector<std::uint8_t> host_on_;
  std::vector<std::uint8_t> process_;  // a replica's process exists (booting or ready)
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> pending_;
  std::uint64_t seq_ = 0;
};

}  // namespace

Report run_without_kernel(const Scenario& s, std::uint64_t seed) {
  Topology topo = Topology::build(s);
  DirectPlatform platform(s, topo);
  PlatformModel model(s, topo, seed, platform);
  model.start();
  const double end = s.info.duration;
  while (true) {
    double tc = platform.horizon(), tm = model.next_event_time();
    if (tm < tc && tm < end) {
      model.run_until(end);
    } else if (tc < end) {
      platform.apply_next(model);
    } else {
      break;
    }
  }
  return model.finish();
}

}  // namespace faultline
