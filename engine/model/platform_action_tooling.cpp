// PlatformModel, actions done with tooling (action[].tooling): a deploy system, a console, a chat-ops
// bot. While one of them is not usable (as incident.tooling: it or what it needs has nothing serving,
// or answered under half its calls in the last bucket) the action's delay, and each step's interval,
// pass at its tooling_down_speed; at 0 it waits for the tooling. Looked at once a bucket, as diagnosis
// looks at its own tooling.
#include "model/platform_model_impl.hpp"

#include <algorithm>

namespace faultline {

void PlatformModel::Impl::set_up_action_tooling() {
  action_pace.assign(s.actions.size(), ActionPace{});
  for (std::size_t a = 0; a < s.actions.size(); ++a)
    for (const std::string& t : s.actions[a].tooling) action_pace[a].tooling.push_back(service_index_or_throw(t));
}

double PlatformModel::Impl::action_tooling_rate(int a) const {
  const ActionPace& pace = action_pace[std::size_t(a)];
  for (int t : pace.tooling)
    if (!usable(t)) return s.actions[std::size_t(a)].tooling_down_speed;
  return 1;
}

namespace {

std::string tooling_names(const Action& act) {
  std::string names;
  for (const std::string& t : act.tooling) names += (names.empty() ? "" : ", ") + t;
  return names;
}

}  // namespace

void PlatformModel::Impl::begin_pace(int a) {
  ActionPace& pace = action_pace[std::size_t(a)];
  pace.done = 0;
  pace.since = now;
  pace.rate = action_tooling_rate(a);
  schedule_paced_action(a);
}

void PlatformModel::Impl::schedule_paced_action(int a) {
  ActionPace& pace = action_pace[std::size_t(a)];
  const Action& act = s.actions[std::size_t(a)];
  ++pace.token;
  if (pace.rate < 1 && !pace.held) {
    pace.held = true;
    rec.event(now, "tooling_unusable", act.name,
              act.tooling_down_speed > 0
                  ? fmt::format("{} not usable: it goes at {:.0f}% speed", tooling_names(act), 100 * act.tooling_down_speed)
                  : fmt::format("{} not usable: it waits for it", tooling_names(act)));
  }
  if (pace.rate >= 1) pace.held = false;
  if (pace.rate <= 0) return;  // stuck until the tooling is back
  const double at = now + std::max(0.0, pace.need - pace.done) / pace.rate;
  action_time[std::size_t(a)] = at;
  q.push(at, kAction, std::uint32_t(a), pace.token);
}

// Whether action a's event is the one its pace scheduled (every event of an action without tooling is).
bool PlatformModel::Impl::paced_action_due(int a, std::uint64_t token) {
  ActionPace& pace = action_pace[std::size_t(a)];
  if (pace.tooling.empty()) return true;
  if (token == kBeginPace) {  // the trigger time of an action planned at a time: its delay starts now
    begin_pace(a);
    return false;
  }
  if (token != pace.token || pace.since < 0) return false;
  if (pace.rate < 1) pace.unusable += now - pace.since;
  pace.since = -1;
  return true;
}

void PlatformModel::Impl::progress_action_pace() {
  for (std::size_t a = 0; a < action_pace.size(); ++a) {
    ActionPace& pace = action_pace[a];
    if (pace.since < 0) continue;
    const double dt = now - pace.since;
    pace.done += dt * pace.rate;
    if (pace.rate < 1) pace.unusable += dt;
    pace.since = now;
    const double rate = action_tooling_rate(int(a));
    if (rate == pace.rate) continue;
    pace.rate = rate;
    schedule_paced_action(int(a));
  }
}

// Step k of a stepped action (a rolling restart, a batched switch, an admission) without its
// tooling: its wait is stretched to interval / speed, or, at speed 0, the step is looked at again a
// bucket later. The time counts as the rollout's pause.
bool PlatformModel::Impl::tooling_holds_step(int a, std::uint64_t k) {
  ActionPace& pace = action_pace[std::size_t(a)];
  if (pace.tooling.empty()) return false;
  if (pace.stretched == k) {  // its wait has been stretched: it goes
    pace.stretched = ~std::uint64_t(0);
    return false;
  }
  const Action& act = s.actions[std::size_t(a)];
  const double rate = action_tooling_rate(a);
  if (rate >= 1) {
    pace.held = false;
    return false;
  }
  if (!pace.held) {
    pace.held = true;
    rec.event(now, "tooling_unusable", act.name,
              rate > 0 ? fmt::format("{} not usable: its steps go at {:.0f}% speed", tooling_names(act), 100 * rate)
                       : fmt::format("{} not usable: its next step waits for it", tooling_names(act)));
  }
  const double interval = act.kind == ActionKind::admit ? act.every : act.interval;
  const double extra = rate > 0 ? interval * (1 / rate - 1) : s.info.bucket;
  if (rate > 0) pace.stretched = k;
  pace.unusable += extra;
  rollouts[std::size_t(a)].paused_total += extra;
  q.push(now + extra, kActionStep, std::uint32_t(a), k);
  return true;
}

std::string PlatformModel::Impl::tooling_note(int a) const {
  const ActionPace& pace = action_pace[std::size_t(a)];
  if (pace.unusable <= 0) return {};
  return fmt::format(" (after {} without its tooling)", clock_text(pace.unusable));
}

}  // namespace faultline
