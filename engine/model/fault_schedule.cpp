#include "model/fault_schedule.hpp"

#include "model/random.hpp"
#include "scenario/errors.hpp"

#include <algorithm>
#include <queue>

namespace faultline {

namespace {

// The failure and repair clock of one target of a random fault.
struct Clock {
  int fault = 0;
  int unit = 0;
  RandomStream rng;
  bool down = false;
  bool paused = false;        // up, but not ageing (age_while_down = false while something is down)
  double remaining = 0;       // time in service left before the next failure
  double due = 0;             // when it fails or is repaired, while that is scheduled
  std::uint32_t generation = 0;  // bumped when a scheduled failure no longer stands
};

struct Tick {
  double time = 0;
  std::uint64_t seq = 0;
  int clock = 0;
  std::uint32_t generation = 0;
  bool operator>(const Tick& o) const { return time > o.time || (time == o.time && seq > o.seq); }
};

// Every random fault's clocks, run together to the end of the run.
class RandomFailures {
 public:
  RandomFailures(const Scenario& s, const std::vector<std::vector<std::string>>& unit_names, std::uint64_t seed,
                 std::vector<FaultOccurrence>& out)
      : s_(s), out_(out), by_fault_(s.faults.size()) {
    for (std::size_t f = 0; f < s.faults.size(); ++f) {
      const Fault& fault = s.faults[f];
      common_cause_rng_.emplace_back(seed, "fault." + fault.name + "/common_cause");
      if (!fault.random) continue;
      for (std::size_t u = 0; u < unit_names[f].size(); ++u) {
        by_fault_[f].push_back(int(clocks_.size()));
        clocks_.push_back(Clock{int(f), int(u), RandomStream(seed, "fault." + fault.name + "/" + unit_names[f][u])});
      }
    }
  }

  void run(double end) {
    for (std::size_t c = 0; c < clocks_.size(); ++c) {
      clocks_[c].remaining = draw_failure(clocks_[c]);
      schedule(int(c), clocks_[c].remaining);
    }
    while (!ticks_.empty()) {
      const Tick t = ticks_.top();
      ticks_.pop();
      if (t.time >= end) break;
      Clock& c = clocks_[std::size_t(t.clock)];
      if (t.generation != c.generation) continue;
      if (c.down) repair(t.clock, t.time);
      else fail(t.clock, t.time);
    }
  }

 private:
  const FailureProcess& process(const Clock& c) const { return *s_.faults[std::size_t(c.fault)].random; }
  double draw_failure(Clock& c) { return c.rng.sample(process(c).failure); }

  void schedule(int clock, double at) {
    Clock& c = clocks_[std::size_t(clock)];
    c.due = at;
    ticks_.push(Tick{at, seq_++, clock, c.generation});
  }

  void fail(int clock, double now) {
    Clock& first = clocks_[std::size_t(clock)];
    std::vector<int> failing = {clock};
    const double p = process(first).common_cause;
    if (p > 0 && common_cause_rng_[std::size_t(first.fault)].bernoulli(p))
      for (int other : by_fault_[std::size_t(first.fault)])
        if (other != clock && !clocks_[std::size_t(other)].down) failing.push_back(other);
    const bool system_was_up = down_ == 0;
    for (int k : failing) {
      Clock& c = clocks_[std::size_t(k)];
      c.down = true;
      c.paused = false;
      ++c.generation;  // a companion's own failure, still scheduled, no longer stands
      ++down_;
      const double repair = c.rng.sample(process(c).repair);
      out_.push_back(FaultOccurrence{c.fault, c.unit, now, now + repair, -1, k != clock});
      schedule(k, now + repair);
    }
    if (system_was_up) pause_ageing(now);
  }

  void repair(int clock, double now) {
    Clock& c = clocks_[std::size_t(clock)];
    c.down = false;
    --down_;
    c.remaining = draw_failure(c);
    if (down_ == 0) {
      resume_ageing(now);
      schedule(clock, now + c.remaining);
    } else if (!process(c).age_while_down) {
      c.paused = true;
    } else {
      schedule(clock, now + c.remaining);
    }
  }

  // Something random is down: clocks that do not age meanwhile keep what they have left.
  void pause_ageing(double now) {
    for (Clock& c : clocks_) {
      if (c.down || c.paused || process(c).age_while_down) continue;
      c.remaining = c.due - now;
      c.paused = true;
      ++c.generation;
    }
  }

  void resume_ageing(double now) {
    for (std::size_t k = 0; k < clocks_.size(); ++k) {
      Clock& c = clocks_[k];
      if (!c.paused) continue;
      c.paused = false;
      schedule(int(k), now + c.remaining);
    }
  }

  const Scenario& s_;
  std::vector<FaultOccurrence>& out_;
  std::vector<Clock> clocks_;
  std::vector<std::vector<int>> by_fault_;
  std::vector<RandomStream> common_cause_rng_;
  std::priority_queue<Tick, std::vector<Tick>, std::greater<>> ticks_;
  std::uint64_t seq_ = 0;
  int down_ = 0;
};

}  // namespace

std::vector<FaultOccurrence> schedule_faults(const Scenario& s, const std::vector<std::vector<std::string>>& unit_names,
                                             std::uint64_t seed) {
  if (unit_names.size() != s.faults.size()) throw InternalError("schedule_faults: one list of units per fault");
  const double end = s.info.duration;
  std::vector<FaultOccurrence> out;
  const auto lasting = [](const Fault& f, double start) {
    return f.duration ? start + *f.duration : FaultOccurrence::kOpenEnded;
  };

  for (std::size_t f = 0; f < s.faults.size(); ++f) {
    const Fault& fault = s.faults[f];
    if (fault.random || !fault.after.empty()) continue;
    if (!fault.every) {
      if (fault.at < end) out.push_back(FaultOccurrence{int(f), -1, fault.at, lasting(fault, fault.at)});
      continue;
    }
    for (long k = 0;; ++k) {
      const double start = fault.at + double(k) * *fault.every;
      if (start >= end) break;
      out.push_back(FaultOccurrence{int(f), -1, start, lasting(fault, start)});
    }
  }

  RandomFailures(s, unit_names, seed, out).run(end);

  // `after` chains, parents first: a fault's occurrences are complete once its parent's are.
  std::vector<bool> done(s.faults.size());
  for (std::size_t f = 0; f < s.faults.size(); ++f) done[f] = s.faults[f].after.empty();
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t f = 0; f < s.faults.size(); ++f) {
      if (done[f]) continue;
      const Fault& fault = s.faults[f];
      const Fault* parent = s.find_fault(fault.after);
      if (!parent) throw InternalError("fault '" + fault.name + "' follows an unknown fault");
      const auto p = std::size_t(parent - s.faults.data());
      if (!done[p]) continue;
      const std::size_t parents_end = out.size();
      for (std::size_t o = 0; o < parents_end; ++o) {
        if (out[o].fault != int(p) || out[o].common_cause) continue;
        const double start = out[o].start + fault.after_delay;
        if (start < end) out.push_back(FaultOccurrence{int(f), -1, start, lasting(fault, start), int(o)});
      }
      done[f] = progress = true;
    }
  }
  if (std::find(done.begin(), done.end(), false) != done.end())
    throw InternalError("'after' chains loop in a validated scenario");
  return out;
}

}  // namespace faultline
