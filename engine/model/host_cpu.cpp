#include "model/host_cpu.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace faultline {

HostCpu::HostCpu(int cores, double speed) : cores_(cores), speed_(speed) {}

double HostCpu::rate() const {
  const double n = threads();
  return n <= double(cores_) ? speed_ : speed_ * double(cores_) / n;
}

void HostCpu::advance(double now) {
  const double dt = now - last_;
  if (dt <= 0) return;
  const double n = threads();
  if (n > 0) {
    const double r = rate();
    clock_ += dt * r;
    usage_.busy += dt * std::min(n, double(cores_));
    usage_.runnable += dt * n;
    usage_.work += dt * double(running_) * r / speed_;
    if (n > double(cores_)) usage_.saturated += dt;
  }
  last_ = now;
}

HostCpu::Ticket HostCpu::start(double now, double work, std::uint64_t owner) {
  advance(now);
  std::uint32_t i;
  if (!free_.empty()) {
    i = free_.back();
    free_.pop_back();
  } else {
    i = std::uint32_t(slots_.size());
    slots_.emplace_back();
  }
  Slot& s = slots_[i];
  s.owner = owner;
  ++s.gen;
  s.running = true;
  ++running_;
  heap_.push_back(Entry{clock_ + std::max(0.0, work), seq_++, i, s.gen});
  std::push_heap(heap_.begin(), heap_.end(), later);
  return (Ticket(s.gen) << 32) | i;
}

bool HostCpu::cancel(double now, Ticket t) {
  const auto i = std::uint32_t(t & 0xffffffffu);
  if (i >= slots_.size() || slots_[i].gen != std::uint32_t(t >> 32) || !slots_[i].running) return false;
  advance(now);
  slots_[i].running = false;
  free_.push_back(i);
  --running_;
  drop_stale_top();
  return true;
}

void HostCpu::set_speed(double now, double speed) {
  advance(now);
  speed_ = speed;
}

void HostCpu::set_background(double now, double threads) {
  advance(now);
  background_ = std::max(0.0, threads);
}

void HostCpu::drop_stale_top() {
  while (!heap_.empty()) {
    const Entry& top = heap_.front();
    const Slot& s = slots_[top.slot];
    if (s.running && s.gen == top.gen) return;
    std::pop_heap(heap_.begin(), heap_.end(), later);
    heap_.pop_back();
  }
}

double HostCpu::next_completion() const {
  if (heap_.empty()) return kNever;
  return last_ + std::max(0.0, heap_.front().finish - clock_) / rate();
}

bool HostCpu::pop_finished(double now, std::uint64_t& owner) {
  advance(now);
  if (heap_.empty()) return false;
  const Entry top = heap_.front();
  // The clock reaches a finish value up to rounding: a few units in the last place of the clock, or
  // the work done in the smallest step of time at `now` (else a completion due less than one unit in
  // the last place of `now` away would be scheduled at `now` again and again).
  const double slack = 1e-12 * std::max(1.0, std::abs(clock_)) +
                       rate() * 4 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::abs(now));
  if (top.finish > clock_ + slack) return false;
  std::pop_heap(heap_.begin(), heap_.end(), later);
  heap_.pop_back();
  Slot& s = slots_[top.slot];
  owner = s.owner;
  s.running = false;
  free_.push_back(top.slot);
  --running_;
  drop_stale_top();
  return true;
}

HostCpu::Usage HostCpu::take_usage(double now) {
  advance(now);
  Usage u = usage_;
  usage_ = {};
  return u;
}

}  // namespace faultline
