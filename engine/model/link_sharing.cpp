#include "model/link_sharing.hpp"

#include "scenario/errors.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace faultline {

namespace {

// Two fill levels this close are one event: links filling together freeze together instead of
// leaving a sliver of capacity (and an extra step) to rounding.
constexpr double kTie = 1e-12;

void check_input(const std::vector<double>& capacity, const std::vector<LinkFlow>& flows) {
  for (std::size_t l = 0; l < capacity.size(); ++l)
    if (!(capacity[l] >= 0))
      throw InternalError("share_links: link " + std::to_string(l) + " has capacity " + std::to_string(capacity[l]));
  std::vector<std::size_t> seen_by(capacity.size(), flows.size());
  for (std::size_t f = 0; f < flows.size(); ++f) {
    const LinkFlow& flow = flows[f];
    const std::string who = "share_links: flow " + std::to_string(f);
    if (!(flow.demand >= 0)) throw InternalError(who + " has demand " + std::to_string(flow.demand));
    if (!(flow.weight > 0) || !std::isfinite(flow.weight))
      throw InternalError(who + " has weight " + std::to_string(flow.weight));
    for (int l : flow.links) {
      if (l < 0 || std::size_t(l) >= capacity.size())
        throw InternalError(who + " crosses link " + std::to_string(l) + " of " + std::to_string(capacity.size()));
      if (seen_by[l] == f) throw InternalError(who + " crosses link " + std::to_string(l) + " twice");
      seen_by[l] = f;
    }
  }
}

// One priority level's progressive filling on what the levels above left (`left`, updated).
class LevelFilling {
 public:
  LevelFilling(const std::vector<LinkFlow>& flows, std::vector<double>& left, std::vector<double>& rate)
      : flows_(flows), left_(left), rate_(rate), on_link_(left.size()), weight_(left.size(), 0.0),
        count_(left.size(), 0), frozen_(flows.size(), true) {}

  // Fills the level made of flows [first, last); leaves the scratch state empty for the next level.
  void run(const int* first, const int* last) {
    for (const int* f = first; f != last; ++f) admit(*f);
    std::sort(by_demand_.begin(), by_demand_.end(), [this](int a, int b) { return demand_level(a) < demand_level(b); });
    std::size_t next_demand = 0;
    double level = 0;  // rates of unfrozen flows are weight x level; it only rises
    while (active_ > 0) {
      while (next_demand < by_demand_.size() && frozen_[by_demand_[next_demand]]) ++next_demand;
      double t = next_demand < by_demand_.size() ? demand_level(by_demand_[next_demand]) : kUnbounded;
      for (int l : touched_)
        if (count_[l] > 0) t = std::min(t, left_[l] / weight_[l]);
      t = std::max(t, level);  // rounding may put a link a hair below the level already reached
      level = t;
      const double tie = t * (1 + kTie);
      full_.clear();
      for (int l : touched_)
        if (count_[l] > 0 && left_[l] / weight_[l] <= tie) full_.push_back(l);
      for (; next_demand < by_demand_.size(); ++next_demand) {
        const int f = by_demand_[next_demand];
        if (frozen_[f]) continue;
        if (demand_level(f) > tie) break;
        freeze(f, flows_[f].demand);
      }
      for (int l : full_) {
        for (int f : on_link_[l])
          if (!frozen_[f]) freeze(f, flows_[f].weight * t);
        left_[l] = 0;  // full: nothing below this level gets through it, not even rounding dust
      }
    }
    for (int l : touched_) on_link_[l].clear();
    touched_.clear();
    by_demand_.clear();
  }

 private:
  bool limits(int l) const { return left_[l] != kUnbounded; }
  double demand_level(int f) const { return flows_[f].demand / flows_[f].weight; }

  void admit(int f) {
    const LinkFlow& flow = flows_[f];
    bool limited = false;
    for (int l : flow.links) {
      if (!limits(l)) continue;
      if (left_[l] <= 0) {  // a dead or full link: nothing gets through
        rate_[f] = 0;
        frozen_[f] = true;
        return;
      }
      limited = true;
    }
    rate_[f] = flow.demand;
    if (!limited || flow.demand == 0) {
      frozen_[f] = true;
      return;
    }
    frozen_[f] = false;
    ++active_;
    if (flow.demand != kUnbounded) by_demand_.push_back(f);
    for (int l : flow.links) {
      if (!limits(l)) continue;
      if (count_[l]++ == 0) {
        weight_[l] = 0;
        touched_.push_back(l);
      }
      weight_[l] += flow.weight;
      on_link_[l].push_back(f);
    }
  }

  void freeze(int f, double r) {
    const LinkFlow& flow = flows_[f];
    rate_[f] = r;
    frozen_[f] = true;
    --active_;
    for (int l : flow.links) {
      if (!limits(l)) continue;
      left_[l] = std::max(0.0, left_[l] - r);
      if (--count_[l] == 0) {
        weight_[l] = 0;
      } else if ((weight_[l] -= flow.weight) <= 0) {  // cancellation ate a small weight: sum afresh
        weight_[l] = 0;
        for (int g : on_link_[l])
          if (!frozen_[g]) weight_[l] += flows_[g].weight;
      }
    }
  }

  const std::vector<LinkFlow>& flows_;
  std::vector<double>& left_;
  std::vector<double>& rate_;
  std::vector<std::vector<int>> on_link_;  // unfrozen and frozen flows of this level on each link
  std::vector<double> weight_;             // total weight of the unfrozen flows on each link
  std::vector<int> count_;                 // how many unfrozen flows cross each link
  std::vector<int> touched_;               // limiting links crossed by this level's flows
  std::vector<int> by_demand_;             // flows with a finite demand, by demand / weight
  std::vector<int> full_;
  std::vector<bool> frozen_;
  int active_ = 0;
};

}  // namespace

std::vector<double> share_links(const std::vector<double>& capacity, const std::vector<LinkFlow>& flows) {
  check_input(capacity, flows);
  std::vector<double> rate(flows.size(), 0.0);
  std::vector<double> left = capacity;
  std::vector<int> order(flows.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return flows[a].priority > flows[b].priority; });
  LevelFilling filling(flows, left, rate);
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin;
    while (end < order.size() && flows[order[end]].priority == flows[order[begin]].priority) ++end;
    filling.run(order.data() + begin, order.data() + end);
    begin = end;
  }
  return rate;
}

}  // namespace faultline
