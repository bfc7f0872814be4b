// PlatformModel, the response side: monitors evaluated on each closed bucket, the responders
// (acknowledgement, diagnosis with or without their tooling, the status page and its updates) and
// the operators' actions.
#include "model/platform_model_impl.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace faultline {

// Names resolved once: what monitors watch and depend on, the status page, the tooling, the
// services actions act on.
void PlatformModel::Impl::resolve_response() {
  static const std::pair<const char*, MonitorMetric> kServiceMetrics[] = {
      {"availability", MonitorMetric::availability}, {"error_rate", MonitorMetric::error_rate},
      {"p50_latency", MonitorMetric::p50},           {"p95_latency", MonitorMetric::p95},
      {"p99_latency", MonitorMetric::p99},           {"queue", MonitorMetric::queue},
      {"replicas_serving", MonitorMetric::replicas_serving}};
  for (const Monitor& m : s.monitors) {
    MonitorState st;
    // metric: feature.<name>.availability | service.<name>.<one of kServiceMetrics>
    auto first = m.metric.find('.');
    auto last = m.metric.rfind('.');
    std::string scope = m.metric.substr(0, first), name = m.metric.substr(first + 1, last - first - 1),
                what = m.metric.substr(last + 1);
    st.index = -1;
    if (scope == "feature") {
      for (std::size_t f = 0; f < s.features.size(); ++f)
        if (s.features[f].name == name) st.index = int(f);
    } else {
      st.index = find_service(name);
      bool known = false;
      for (const auto& [key, metric] : kServiceMetrics)
        if (what == key) {
          st.metric = metric;
          known = true;
        }
      if (!known) st.index = -1;
    }
    if (st.index < 0) throw InternalError("monitor metric '" + m.metric + "' names nothing");
    for (const std::string& d : m.depends_on) st.depends_on.push_back(service_index_or_throw(d));
    monitors.push_back(st);
  }
  if (!s.incident.status_page.empty()) status_page = service_index_or_throw(s.incident.status_page);
  for (const std::string& t : s.incident.tooling) tooling.push_back(service_index_or_throw(t));
  for (const Action& act : s.actions) action_service.push_back(act.service.empty() ? -1 : service_index_or_throw(act.service));
  set_up_action_tooling();
}

void PlatformModel::Impl::on_bucket_tick(int b) {
  rec.close_bucket(b);
  close_resource_bucket(b);
  if (!replication.empty()) close_replication_bucket(b);
  if (!backlogs.empty()) close_backlog_bucket(b);
  next_bucket = b + 1;
  for (std::size_t sv = 0; sv < s.services.size(); ++sv) replicas_by_bucket[sv][std::size_t(b)] = serving_replicas(int(sv));
  record_rollouts(b);
  evaluate_monitors(b);
  evaluate_user_reports(b);
  track_resolution(b);
  if (incident.detected && !incident.acknowledged && now >= acknowledge_due) try_acknowledge(false);
  if (diagnosis_since >= 0 && !incident.diagnosed) progress_diagnosis();
  progress_action_pace();
  double next = std::min(end, (b + 2) * s.info.bucket);
  if (b + 1 < rec.bucket_count()) q.push(next, kBucketTick, std::uint32_t(b + 1));
}

// Whether responders (or a monitoring pipeline) can use a service now: it and everything it
// hard-depends on have a replica serving and answered at least half their calls in the last bucket.
bool PlatformModel::Impl::usable(int service) const {
  const int b = next_bucket - 1;
  for (int m : hard_closure[std::size_t(service)]) {
    if (serving_replicas(m) == 0) return false;
    if (b < 0) continue;
    const Counts& c = rec.service_bucket(m, b);
    if (c.requests > 0 && c.availability() < 0.5) return false;
  }
  return true;
}

double PlatformModel::Impl::monitor_value(const MonitorState& st, int b, bool& have) const {
  have = true;
  switch (st.metric) {
    case MonitorMetric::feature_availability: {
      const Counts& c = rec.feature_bucket(st.index, b);
      have = c.requests > 0;
      return c.availability();
    }
    case MonitorMetric::availability:
    case MonitorMetric::error_rate: {
      const Counts& c = rec.service_bucket(st.index, b);
      have = c.requests > 0;
      return st.metric == MonitorMetric::availability ? c.availability() : 1 - c.availability();
    }
    case MonitorMetric::p50:
    case MonitorMetric::p95:
    case MonitorMetric::p99:
      have = rec.service_bucket(st.index, b).requests > 0;
      return st.metric == MonitorMetric::p50   ? rec.service_p50_last(st.index)
             : st.metric == MonitorMetric::p95 ? rec.service_p95_last(st.index)
                                               : rec.service_p99(st.index, b);
    case MonitorMetric::queue: {  // requests waiting per serving replica, sampled at the bucket's end
      int waiting = 0;
      for (int r : topo.service_replicas[std::size_t(st.index)]) waiting += int(replicas[std::size_t(r)].queue.size());
      return double(waiting) / std::max(1, serving_replicas(st.index));
    }
    case MonitorMetric::replicas_serving: return serving_replicas(st.index);
  }
  return 0;
}

void PlatformModel::Impl::evaluate_monitors(int b) {
  const double bucket_start = b * s.info.bucket;
  for (std::size_t m = 0; m < monitors.size(); ++m) {
    MonitorState& st = monitors[m];
    const Monitor& mon = s.monitors[m];
    // No data through a broken pipeline: the alert can neither fire nor resolve.
    bool blind = false;
    for (int d : st.depends_on) blind |= !usable(d);
    if (blind) {
      if (!st.firing) st.true_since = -1;
      continue;
    }
    bool have = true;
    double v = monitor_value(st, b, have);
    bool cond = have && (mon.op == CompareOp::lt ? v < mon.threshold
                         : mon.op == CompareOp::le ? v <= mon.threshold
                         : mon.op == CompareOp::gt ? v > mon.threshold
                                                   : v >= mon.threshold);
    if (!cond) {
      if (st.firing) rec.event(now, "alert_resolved", mon.name, fmt::format("{} = {:.4g}", mon.metric, v));
      st.firing = false;
      st.true_since = -1;
      continue;
    }
    if (st.true_since < 0) st.true_since = bucket_start;
    if (!st.firing && now - st.true_since >= mon.for_ - 1e-9) {
      st.firing = true;
      rec.event(now, "alert", mon.name, fmt::format("{} = {:.4g}", mon.metric, v));
      on_alert(int(m));
    }
  }
}

// ---- the people ------------------------------------------------------------------------------

void PlatformModel::Impl::schedule_action(int a, double at, double triggered) {
  action_time[std::size_t(a)] = at;
  ActionPace& pace = action_pace[std::size_t(a)];
  if (pace.tooling.empty()) {
    q.push(at, kAction, std::uint32_t(a));
    return;
  }
  // Its delay, from its trigger, is time that passes at the pace its tooling allows.
  if (triggered < 0) triggered = now;
  pace.need = at - triggered;
  if (triggered > now) {
    q.push(triggered, kAction, std::uint32_t(a), kBeginPace);
    return;
  }
  begin_pace(a);
}

void PlatformModel::Impl::schedule_actions(Trigger trigger, const std::string& monitor) {
  for (std::size_t a = 0; a < s.actions.size(); ++a) {
    const Action& act = s.actions[a];
    if (act.trigger != trigger || (trigger == Trigger::monitor && act.monitor != monitor)) continue;
    if (action_done[a]) continue;
    action_done[a] = true;
    double wait = act.delay;
    if (trigger == Trigger::diagnosed) wait += incident_rng.sample(s.incident.act);
    schedule_action(int(a), now + wait);
  }
}

void PlatformModel::Impl::on_alert(int m) {
  schedule_actions(Trigger::monitor, s.monitors[std::size_t(m)].name);
  declare_detected(s.monitors[std::size_t(m)].name);
}

// Users say something is wrong: once enough of them did within the window, support hands it over
// (after a draw of `escalate`), whatever the monitors see.
void PlatformModel::Impl::evaluate_user_reports(int b) {
  if (!user_reports.enabled() || !user_reports.add_bucket(failed_share(b))) return;
  rec.event(now, "user_reports", "incident",
            fmt::format("{} reports in the last {} (about {:.0f} users affected)", user_reports.in_window(),
                        clock_text(s.incident.user_reports.window), user_reports.affected()));
  const double wait = user_reports.escalate_delay();
  if (wait <= 0) declare_detected("user_reports");
  else q.push(now + wait, kStage, kUserReportsEscalated, incident_number);
}

// Share of the user requests of bucket b that failed, over every feature.
double PlatformModel::Impl::failed_share(int b) const {
  std::uint64_t requests = 0, failed = 0;
  for (std::size_t f = 0; f < s.features.size(); ++f) {
    const Counts& c = rec.feature_bucket(int(f), b);
    requests += c.requests;
    failed += c.failed;
  }
  return requests ? double(failed) / double(requests) : 0;
}

// The first path to say so (a monitor's alert, or users' reports) marks detection of the incident.
void PlatformModel::Impl::declare_detected(const std::string& by) {
  if (resolved) open_next_incident();  // after the last incident was resolved: a new one
  if (incident.detected) return;
  incident.detected = now;
  incident.detected_by = by;
  rec.event(now, "detected", by);
  schedule_actions(Trigger::detected, {});
  acknowledge_due = now + incident_rng.sample(s.incident.acknowledge);
  q.push(acknowledge_due, kStage, kAcknowledgeDue, incident_number);
  if (s.incident.status_page_fallback)
    q.push(acknowledge_due + *s.incident.status_page_fallback, kStage, kAcknowledgeFallback, incident_number);
}

// The previous incident was resolved and something new happened (a bucket below an objective, an
// alert): the responders start over on a new incident; what was pending for the old one is dropped.
void PlatformModel::Impl::open_next_incident() {
  closed_incidents.push_back(std::move(incident));
  incident = IncidentTimeline{};
  ++incident_number;
  acknowledge_due = -1;
  diagnosis_need = diagnosis_done = 0;
  diagnosis_rate = 1;
  diagnosis_since = -1;
  tooling_down_time = 0;
  ++diagnosis_token;
  resolved = false;
  incident_posts = 0;
}

// Acknowledging is telling users (the first status update): it waits for the status page to work, or
// for the fallback channel.
void PlatformModel::Impl::try_acknowledge(bool fallback) {
  if (incident.acknowledged) return;
  const bool page = status_page_usable();
  if (!page && !fallback) return;
  incident.acknowledged = now;
  incident.acknowledged_via = page ? "status_page" : "fallback";
  std::string how = incident.acknowledged_via == "fallback"
                        ? fmt::format("status page down: posted elsewhere after {}", clock_text(now - acknowledge_due))
                    : now > acknowledge_due + 1e-9
                        ? fmt::format("status page down for {} past due", clock_text(now - acknowledge_due))
                        : std::string{};
  rec.event(now, "acknowledged", "incident", how);
  post_status(current_state(), page ? "status_page" : "fallback");
  schedule_actions(Trigger::acknowledged, {});
  if (s.incident.status_update_every) q.push(now + *s.incident.status_update_every, kStatusUpdate, incident_number);
}

// The responders are on it once the acknowledgement is due, whether or not they could post it.
void PlatformModel::Impl::start_diagnosis() {
  diagnosis_need = incident_rng.sample(s.incident.diagnose);
  diagnosis_done = 0;
  diagnosis_since = now;
  diagnosis_rate = tooling_usable() ? 1 : s.incident.tooling_down_speed;
  schedule_diagnosis();
}

bool PlatformModel::Impl::status_page_usable() const { return status_page < 0 || usable(status_page); }

bool PlatformModel::Impl::tooling_usable() const {
  for (int t : tooling)
    if (!usable(t)) return false;
  return true;
}

// Diagnosis is work done at full speed with working tooling and at tooling_down_speed without; the
// tooling is looked at once a bucket.
void PlatformModel::Impl::progress_diagnosis() {
  const double dt = now - diagnosis_since;
  diagnosis_done += dt * diagnosis_rate;
  if (diagnosis_rate < 1) tooling_down_time += dt;
  diagnosis_since = now;
  const double rate = tooling_usable() ? 1 : s.incident.tooling_down_speed;
  if (rate == diagnosis_rate) return;
  diagnosis_rate = rate;
  schedule_diagnosis();
}

void PlatformModel::Impl::schedule_diagnosis() {
  ++diagnosis_token;
  if (diagnosis_rate <= 0) return;  // stuck until the tooling is back
  const double left = std::max(0.0, diagnosis_need - diagnosis_done);
  q.push(now + left / diagnosis_rate, kStage, kDiagnosed, diagnosis_token);
}

void PlatformModel::Impl::on_stage(std::uint32_t stage, std::uint64_t token) {
  switch (stage) {
    case kAcknowledgeDue:
      if (token != incident_number) return;
      start_diagnosis();
      try_acknowledge(false);
      break;
    case kAcknowledgeFallback:
      if (token == incident_number) try_acknowledge(true);
      break;
    case kUserReportsEscalated:
      if (token == incident_number && !resolved) declare_detected("user_reports");
      break;
    case kDiagnosed: {
      if (token != diagnosis_token || incident.diagnosed) return;
      if (diagnosis_rate < 1) tooling_down_time += now - diagnosis_since;
      incident.diagnosed = now;
      if (tooling_down_time > 0)
        incident.diagnosed_note = fmt::format("tooling unusable {} (diagnosis at {:.0f}% speed)", clock_text(tooling_down_time),
                                              100 * s.incident.tooling_down_speed);
      rec.event(now, "diagnosed", "incident", incident.diagnosed_note);
      schedule_actions(Trigger::diagnosed, {});
      // A fix applied before the cause was known (an automation on an alert) stays the news.
      if (incident.acknowledged) post_status(incident.mitigated ? "monitoring" : "identified", {});
      break;
    }
  }
}

// ---- status updates --------------------------------------------------------------------------

// The incident is over once every feature has met its objective for stable_for after the impact
// began (the same rule as `recovered`, seen as it happens): the resolution is posted then, and the
// routine updates stop.
void PlatformModel::Impl::track_resolution(int b) {
  switch (impact.add(bucket_healthy(b))) {
    case ImpactTracker::Step::impact_started:
      if (resolved) open_next_incident();  // impact again after a resolution: the next incident
      break;
    case ImpactTracker::Step::resolved:
      resolved = true;
      user_reports.reset();
      if (incident.acknowledged) post_status("resolved", {});  // else a late acknowledgement says it
      break;
    case ImpactTracker::Step::none: break;
  }
}

bool PlatformModel::Impl::bucket_healthy(int b) const {
  for (std::size_t f = 0; f < s.features.size(); ++f)
    if (below_slo(rec.feature_bucket(int(f), b), s.features[f].slo)) return false;
  return true;
}

// Features below their objective in the last closed bucket, as users would read it.
std::string PlatformModel::Impl::impact_text() const {
  const int b = next_bucket - 1;
  std::string out;
  if (b >= 0)
    for (std::size_t f = 0; f < s.features.size(); ++f) {
      const Counts& c = rec.feature_bucket(int(f), b);
      if (!below_slo(c, s.features[f].slo)) continue;
      out += fmt::format("{}{} {:.0f}%", out.empty() ? "" : ", ", s.features[f].name, 100 * c.availability());
    }
  return out.empty() ? "every feature meets its objective" : out + " of requests succeed";
}

bool PlatformModel::Impl::action_mitigates_by_default(const Action& act) const {
  return act.kind != ActionKind::admit;
}

// When the platform should be whole again, as the responders know it now: nothing before the
// diagnosis; then the planned fixes plus the restarts they take, the starts under way, the
// replicas being provisioned and the re-admission steps left.
std::optional<double> PlatformModel::Impl::restoration_estimate() const {
  if (!incident.diagnosed) return std::nullopt;
  double eta = -1;
  bool planned = incident.mitigated.has_value();
  for (std::size_t a = 0; a < s.actions.size(); ++a) {
    const Action& act = s.actions[a];
    if (action_time[a] < now) continue;
    if (!act.mitigates.value_or(action_mitigates_by_default(act))) continue;
    double effect = 0;
    if (action_service[a] >= 0) {
      const Service& svc = s.services[std::size_t(action_service[a])];
      if (act.kind == ActionKind::restart) effect = svc.restart_time;
      if (act.kind == ActionKind::scale) effect = svc.autoscaling.provisioning_delay + svc.restart_time;
    }
    eta = std::max(eta, action_time[a] + effect + rollout_length(int(a)));
    if (failback_waits_for(int(a)) >= 0) eta = std::max(eta, reconciliation_estimate());  // it will wait
    planned = true;
  }
  // Rollouts under way: the last step, an interval after each other from the first (and the time
  // paused so far); a paused one, as if it went on now.
  for (std::size_t a = 0; a < s.actions.size(); ++a) {
    const Action& act = s.actions[a];
    const RolloutState& ro = rollouts[a];
    if (ro.steps.empty() || ro.started < 0 || ro.finished >= 0) continue;
    const double last = ro.paused_since >= 0
                            ? now + rollout_steps_left(int(a)) * act.interval
                            : ro.started + ro.paused_total + double(ro.steps.size() - 1) * act.interval;
    eta = std::max(eta, last);
    planned = true;
  }
  // Restores under way: the work left at the throughput of every stream.
  if (const double restore = restore_estimate(); restore >= 0) {
    eta = std::max(eta, restore);
    planned = true;
  }
  // Reconciliations of divergent writes that a fail-back waits for: the writes left at their rate.
  if (const double reconciled = reconciliation_estimate(); reconciled >= 0 && !waiting_failbacks().empty()) {
    eta = std::max(eta, reconciled);
    planned = true;
  }
  if (!planned) return std::nullopt;
  for (const Replica& rep : replicas) eta = std::max(eta, rep.ready_expected);
  if (admitted < 1)
    for (std::size_t a = 0; a < s.actions.size(); ++a)
      if (s.actions[a].kind == ActionKind::admit && action_done_at(int(a)))
        eta = std::max(eta, now + std::ceil((1 - admitted) / s.actions[a].step - 1e-9) * s.actions[a].every);
  return std::max(eta, now);
}

bool PlatformModel::Impl::action_done_at(int a) const { return action_time[std::size_t(a)] >= 0 && action_time[std::size_t(a)] <= now; }

void PlatformModel::Impl::post_status(std::string state, std::string channel) {
  // After the resolution only a first post (an acknowledgement that came late) goes out, and it
  // says it is over.
  if (resolved && state != "resolved") {
    if (incident_posts > 0) return;
    state = "resolved";
  }
  if (channel.empty()) {  // a later update: through the page if it works, else the fallback channel
    if (status_page_usable()) channel = "status_page";
    else if (s.incident.status_page_fallback) channel = "fallback";
    else return;  // nowhere to post it
  }
  std::string message;
  if (state == "investigating") {
    message = "Investigating: " + impact_text();
  } else if (state == "identified") {
    std::string planned;
    for (std::size_t a = 0; a < s.actions.size(); ++a) {
      const RolloutState& ro = rollouts[a];
      if (action_time[a] >= now) planned += (planned.empty() ? "" : ", ") + s.actions[a].name;
      else if (!ro.steps.empty() && ro.started >= 0 && ro.finished < 0)
        planned += fmt::format("{}{} (step {} of {} done)", planned.empty() ? "" : ", ", s.actions[a].name,
                               ro.steps_done, ro.steps.size());
    }
    if (const std::string waiting = waiting_failbacks(); !waiting.empty())
      planned += (planned.empty() ? "" : ", ") + waiting + " (waiting for the divergent writes' reconciliation)";
    message = "Identified: " + (planned.empty() ? std::string("fix being prepared") : planned + " planned") + "; " +
              impact_text();
  } else if (state == "monitoring") {
    message = "Fix applied (" + incident.mitigated_by + "); " + impact_text();
  } else {
    message = "Resolved: every feature has met its objective since " + hms_text(*impact.windows().back().recovered);
  }
  const std::optional<double> eta = state == "resolved" ? std::nullopt : restoration_estimate();
  // A fix applied the moment it is identified is one post, not two in the same second.
  if (!status_updates.empty() && status_updates.back().time == now && status_updates.back().channel == channel)
    status_updates.pop_back();
  ++incident_posts;
  status_updates.push_back(StatusUpdate{now, state, message, eta, channel});
  rec.event(now, "status_update", state, message);
}

std::string PlatformModel::Impl::current_state() const {
  return incident.mitigated ? "monitoring" : incident.diagnosed ? "identified" : "investigating";
}

// The cadence counts from the last post: a post on a change of state (identified, monitoring)
// moves the next routine update.
void PlatformModel::Impl::on_status_update(std::uint64_t number) {
  if (resolved || number != incident_number) return;
  const double every = *s.incident.status_update_every;
  const double last = status_updates.empty() ? -1 : status_updates.back().time;
  if (last >= 0 && now - last < every - 1e-9) {
    q.push(last + every, kStatusUpdate, incident_number);
    return;
  }
  post_status(current_state(), {});
  q.push(now + every, kStatusUpdate, incident_number);  // until the incident is resolved
}

// ---- actions ---------------------------------------------------------------------------------

void PlatformModel::Impl::on_action(int a, std::uint64_t token) {
  if (!paced_action_due(a, token)) return;
  const Action& act = s.actions[std::size_t(a)];
  bool mitigates = false;
  std::string detail;
  const int sv = action_service[std::size_t(a)];
  switch (act.kind) {
    case ActionKind::rollback: {
      const int i = rollouts[std::size_t(a)].fault;
      mitigates = i >= 0 && faults.active(i);
      detail = "rollback of " + act.fault;
      if (act.batch > 0) {
        detail += start_rollout(a);
      } else if (mitigates) {
        end_fault(i, "rolled back by " + act.name);
      }
      break;
    }
    case ActionKind::restart: {
      mitigates = faults.hits_service(sv);
      const int n = restart_batch(a, 0);
      detail = act.batch > 0 ? fmt::format("restart of {} in batches of {} every {}", act.service, act.batch,
                                           duration_text(act.interval))
                             : fmt::format("restart of {} ({} replica(s))", act.service, n);
      break;
    }
    case ActionKind::switch_dependency: {
      int from = find_service(act.from), to = find_service(act.to);
      mitigates = faults.hits_service(from);
      if (act.batch > 0) {
        detail = "switch from " + act.from + " to " + act.to + start_rollout(a);
        break;
      }
      const std::vector<int> edges = switched_edges(a);
      // A control edge picks up its new source at its next refresh, as a config push does.
      for (int e : edges) edge_target[std::size_t(e)] = to;
      detail = fmt::format("{} edge(s) switched from {} to {}", edges.size(), act.from, act.to);
      break;
    }
    case ActionKind::failover: {
      if (failback_blocked(a)) return;  // it runs once the divergent writes are reconciled
      mitigates = true;
      if (act.batch > 0) {
        detail = act.service + " brought into " + act.to + start_rollout(a);
        break;
      }
      failovers[std::size_t(sv)].done = true;  // people have taken over from the controller
      make_active(sv, placed_in(act.to));
      primary_changed(sv);
      detail = fmt::format("{} now served from {}", act.service, act.to);
      break;
    }
    case ActionKind::shed_load:
      mitigates = true;
      shed[std::size_t(sv)] = act.fraction;
      detail = fmt::format("{} refuses {:.0f}% of its requests", act.service, 100 * act.fraction);
      if (act.duration) q.push(now + *act.duration, kActionEnd, std::uint32_t(a));
      break;
    case ActionKind::scale: {
      mitigates = true;
      if (autoscalers[std::size_t(sv)]) autoscalers[std::size_t(sv)]->raise_floor(act.replicas);
      const int before = active_replicas(sv);
      set_active(sv, act.replicas);
      detail = fmt::format("{} from {} to {} replicas", act.service, before, act.replicas);
      break;
    }
    case ActionKind::kill_switch:
      mitigates = true;
      set_kill_switch(act, true);
      detail = act.feature.empty() ? "dependency " + act.dependency + " turned off" : "feature " + act.feature + " turned off";
      if (act.duration) q.push(now + *act.duration, kActionEnd, std::uint32_t(a));
      break;
    case ActionKind::admit:
      admitted = std::min(1.0, act.step);
      rollouts[std::size_t(a)].started = now;
      rollouts[std::size_t(a)].steps_done = 1;
      if (admitted >= 1) rollouts[std::size_t(a)].finished = now;
      for (std::size_t f = 0; f < s.features.size(); ++f) admit_gated[f] = carries(act.features, s.features[f].name);
      detail = fmt::format("{:.0f}% of users admitted, {:.0f}% more every {}", 100 * admitted, 100 * act.step,
                           duration_text(act.every));
      if (admitted < 1) q.push(now + act.every, kActionStep, std::uint32_t(a), 1);
      break;
    case ActionKind::flush_cache:
      mitigates = flush_cache(a, detail);
      break;
    case ActionKind::restore: {
      const Fault* f = s.find_fault(act.fault);
      const int i = f ? int(f - s.faults.data()) : -1;
      mitigates = i >= 0 && faults.active(i);
      if (!mitigates) {
        detail = "nothing to restore: " + act.fault + " is not active";
        break;
      }
      start_restore(a);
      const RestoreState& r = restores[std::size_t(a)];
      detail = fmt::format("restore of {} tenant(s), {:.4g} units, {} stream(s) of {:.4g}/s{}; done by about {}",
                           r.restored_at.size(), r.work->total_size(), act.parallelism, act.rate,
                           act.bandwidth > 0 ? fmt::format(" sharing {:.4g}/s", act.bandwidth) : std::string{},
                           hms_text(r.work->estimated_end(now)));
      break;
    }
  }
  if (act.mitigates) mitigates = *act.mitigates;
  rec.event(now, "action", act.name, detail + tooling_note(a));
  if (mitigates && !incident.mitigated) {
    incident.mitigated = now;
    incident.mitigated_by = act.name;
    if (incident.acknowledged) post_status("monitoring", {});
  }
}

// Restarts batch k of a restart action's replicas (all of them when it has no batch size) and
// schedules the next batch; returns how many it restarted.
int PlatformModel::Impl::restart_batch(int a, std::uint64_t k) {
  const Action& act = s.actions[std::size_t(a)];
  std::vector<int> up;
  for (int r : topo.service_replicas[std::size_t(action_service[std::size_t(a)])])
    if (replicas[std::size_t(r)].host_up && !replicas[std::size_t(r)].parked) up.push_back(r);
  const std::size_t size = act.batch > 0 ? std::size_t(act.batch) : up.size();
  const std::size_t first = std::size_t(k) * size;
  for (std::size_t i = first; i < std::min(up.size(), first + size); ++i) {
    // An operator's restart drains the replica first: callers stop picking it before it goes.
    Replica& rep = replicas[std::size_t(up[i])];
    rep.health_in = false;
    ++rep.health_token;
    update_rotation(up[i]);
    restart(up[i], false);
  }
  const std::size_t done = std::min(up.size(), first + size);
  RolloutState& ro = rollouts[std::size_t(a)];
  if (k == 0) ro.started = now;
  ro.steps_done = std::size_t(k) + 1;
  ro.share = up.empty() ? 1 : double(done) / double(up.size());
  if (first + size < up.size()) q.push(now + act.interval, kActionStep, std::uint32_t(a), k + 1);
  else ro.finished = now;
  return int(done - std::min(up.size(), first));
}

void PlatformModel::Impl::set_kill_switch(const Action& act, bool on) {
  if (!act.feature.empty()) {
    for (std::size_t f = 0; f < s.features.size(); ++f)
      if (s.features[f].name == act.feature) feature_killed[f] = on;
    return;
  }
  for (std::size_t e = 0; e < s.dependencies.size(); ++e)
    if (s.dependencies[e].from + "->" + s.dependencies[e].to == act.dependency) edge_disabled[e] = on;
}

void PlatformModel::Impl::on_action_end(int a) {
  const Action& act = s.actions[std::size_t(a)];
  if (act.kind == ActionKind::shed_load) shed[std::size_t(action_service[std::size_t(a)])] = 0;
  if (act.kind == ActionKind::kill_switch) set_kill_switch(act, false);
  rec.event(now, "action_end", act.name, "lifted after " + duration_text(*act.duration));
}

void PlatformModel::Impl::on_action_step(int a, std::uint64_t k) {
  const Action& act = s.actions[std::size_t(a)];
  if (tooling_holds_step(a, k) || !gate_holds(a, k)) return;
  if (act.kind == ActionKind::switch_dependency || act.kind == ActionKind::rollback ||
      act.kind == ActionKind::failover) {
    rollout_step(a);
    return;
  }
  if (act.kind == ActionKind::restart) {
    restart_batch(a, k);
    return;
  }
  admitted = std::min(1.0, admitted + act.step);
  rec.event(now, "admit", act.name, fmt::format("{:.0f}% of users admitted", 100 * admitted));
  RolloutState& ro = rollouts[std::size_t(a)];
  ro.steps_done = std::size_t(k) + 1;
  if (admitted < 1) q.push(now + act.every, kActionStep, std::uint32_t(a), k + 1);
  else ro.finished = now;
}

}  // namespace faultline
