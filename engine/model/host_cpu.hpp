// One host's processors, shared by the work running on it the way SimGrid's CPU model (Cas01, the
// default) shares a host: a thread of work runs at most at one core's speed, and while more threads
// are runnable than the host has cores, every one of them gets an equal share of cores x speed (the
// max-min fair allocation, egalitarian processor sharing). Background threads (a batch job, a CPU
// hog) take their shares like any other thread.
//
// Work is in core-seconds at speed 1: on an idle core of speed 1, work w takes w seconds. Since every
// thread runs at the same rate, the host keeps one clock of work done per thread (virtual time) and
// each piece of work finishes when that clock reaches its start value plus its size: starting,
// finishing or cancelling a piece of work costs O(log n), whatever the load.
//
// tests/verification/cpu_sharing_test.cpp runs the same executions through SimGrid's own CPU model
// and checks that every one finishes at the same time.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace faultline {

class HostCpu {
 public:
  using Ticket = std::uint64_t;  // names one piece of work while it runs
  static constexpr double kNever = std::numeric_limits<double>::infinity();

  HostCpu(int cores, double speed);

  // Starts `work` core-seconds for `owner` (an opaque number handed back when it finishes).
  Ticket start(double now, double work, std::uint64_t owner);
  // Stops a piece of work before it finishes; false when it is no longer running.
  bool cancel(double now, Ticket t);
  // Stops every piece of work whose owner satisfies pred (the process running them died).
  template <class Pred>
  int cancel_if(double now, Pred pred) {
    int n = 0;
    for (std::uint32_t i = 0; i < slots_.size(); ++i)
      if (slots_[i].running && pred(slots_[i].owner)) {
        cancel(now, (Ticket(slots_[i].gen) << 32) | i);
        ++n;
      }
    return n;
  }
  // Busy threads besides the work started here (each at most one core).
  void set_background(double now, double threads);
  // A new speed per core from now on (a slow disk: its bandwidth).
  void set_speed(double now, double speed);

  // When the next piece of work finishes if nothing changes (kNever when none runs).
  double next_completion() const;
  // Takes one piece of work that has finished by `now` (next_completion() <= now): its owner.
  bool pop_finished(double now, std::uint64_t& owner);

  int cores() const { return cores_; }
  double speed() const { return speed_; }
  int running() const { return running_; }
  double background() const { return background_; }
  double threads() const { return double(running_) + background_; }
  bool saturated() const { return threads() > double(cores_); }
  // Speed each runnable thread gets now (core-seconds of work per second).
  double rate() const;
  // Work each thread running since the start has done by `now` (a piece of work started when this was
  // w0 and still running has done work_clock(now) - w0).
  double work_clock(double now) const { return threads() > 0 && now > last_ ? clock_ + (now - last_) * rate() : clock_; }

  // Time integrals since the last take: core-seconds busy, thread-seconds runnable, seconds with more
  // runnable threads than cores, and core-seconds spent on the work started here.
  struct Usage {
    double busy = 0, runnable = 0, saturated = 0, work = 0;
  };
  Usage take_usage(double now);

 private:
  struct Slot {
    std::uint64_t owner = 0;
    std::uint32_t gen = 0;
    bool running = false;
  };
  struct Entry {
    double finish;       // value of the work clock at which it is done
    std::uint64_t seq;   // start order: ties finish in the order they started
    std::uint32_t slot, gen;
  };
  static bool later(const Entry& a, const Entry& b) {
    return a.finish > b.finish || (a.finish == b.finish && a.seq > b.seq);
  }
  void advance(double now);
  void drop_stale_top();

  int cores_;
  double speed_;
  int running_ = 0;
  double background_ = 0;
  double clock_ = 0;  // work done by each thread since the start
  double last_ = 0;   // time the clock was last advanced to
  Usage usage_;
  std::uint64_t seq_ = 0;
  std::vector<Entry> heap_;  // min-heap on (finish, seq), with cancelled entries left in place
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
};

}  // namespace faultline
