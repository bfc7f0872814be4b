// PlatformModel, backlogs (dependency[].backlog): a durable queue in front of a dependency keeps the
// calls that fail, so the caller carries on (degraded), and replays them to the callee in order at a
// rate once it has a replica serving. A replay is a real call: a replay faster than the recovered
// callee can serve on top of its live traffic overloads it again, the failed replays go back to the
// queue and hold the replay for a pause.
#include "model/platform_model_impl.hpp"

#include <algorithm>

namespace faultline {

void PlatformModel::Impl::set_up_backlogs() {
  if (std::none_of(s.dependencies.begin(), s.dependencies.end(), [](const Dependency& d) { return d.backlog.enabled; }))
    return;
  backlogs.resize(s.dependencies.size());
  for (std::size_t e = 0; e < s.dependencies.size(); ++e) {
    const Dependency& d = s.dependencies[e];
    if (!d.backlog.enabled) continue;
    BacklogReport& r = backlogs[e].report;
    r.dependency = d.from + "->" + d.to;
    r.replay_rate = d.backlog.replay_rate;
    r.length_by_bucket.assign(std::size_t(rec.bucket_count()), 0);
    r.kept_by_bucket.assign(std::size_t(rec.bucket_count()), 0);
    r.replayed_by_bucket.assign(std::size_t(rec.bucket_count()), 0);
  }
}

bool PlatformModel::Impl::keep_in_backlog(int edge, int feature) {
  if (backlogs.empty() || !s.dependencies[std::size_t(edge)].backlog.enabled) return false;
  BacklogState& b = backlogs[std::size_t(edge)];
  BacklogReport& r = b.report;
  if (b.length + std::uint64_t(b.in_flight) >= std::uint64_t(s.dependencies[std::size_t(edge)].backlog.max)) {
    ++r.dropped;
    return false;
  }
  if (b.length == 0 && b.in_flight == 0) b.feature = feature;
  if (!r.first_kept) r.first_kept = now;
  r.drained_at.reset();
  ++b.length;
  ++r.kept;
  ++r.kept_by_bucket[std::size_t(rec.bucket_of(now))];
  r.max_length = std::max(r.max_length, b.length + std::uint64_t(b.in_flight));
  if (!b.ticking) schedule_replay(edge, std::max(now, b.paused_until));
  return true;
}

void PlatformModel::Impl::schedule_replay(int edge, double at) {
  BacklogState& b = backlogs[std::size_t(edge)];
  b.ticking = true;
  q.push(at, kBacklogReplay, std::uint32_t(edge), ++b.token);
}

void PlatformModel::Impl::on_backlog_replay(int edge, std::uint64_t token) {
  BacklogState& b = backlogs[std::size_t(edge)];
  if (token != b.token) return;
  b.ticking = false;
  if (b.length == 0) return;
  const Backlog& cfg = s.dependencies[std::size_t(edge)].backlog;
  const double retry_in = cfg.pause > 0 ? cfg.pause : s.info.bucket;
  if (now < b.paused_until) {
    schedule_replay(edge, b.paused_until);
    return;
  }
  // Replayed from a caller replica that is up, to a callee that has a replica serving.
  const int caller = first_ready_replica(edge_from[std::size_t(edge)]);
  if (caller < 0 || serving_replicas(target_of(edge, caller)) == 0) {
    schedule_replay(edge, now + retry_in);
    return;
  }
  --b.length;
  ++b.in_flight;
  rec.edge_request(edge);
  b.ticking = true;  // a replay that fails at once must not start another now
  send_background_call(edge, caller, b.feature, BackgroundCall::backlog_replay);
  if (b.length > 0) schedule_replay(edge, std::max(now + 1 / cfg.replay_rate, b.paused_until));
  else b.ticking = false;
}

void PlatformModel::Impl::replay_settled(int edge, bool ok) {
  BacklogState& b = backlogs[std::size_t(edge)];
  BacklogReport& r = b.report;
  const Backlog& cfg = s.dependencies[std::size_t(edge)].backlog;
  --b.in_flight;
  if (ok) {
    ++r.replayed;
    ++r.replayed_by_bucket[std::size_t(rec.bucket_of(now))];
    if (b.length == 0 && b.in_flight == 0) {
      r.drained_at = now;
      rec.event(now, "backlog_drained", r.dependency, fmt::format("{} call(s) replayed", r.replayed));
    }
    return;
  }
  ++b.length;  // back to the head of the queue
  ++r.failed_replays;
  if (cfg.pause > 0 && now >= b.paused_until)  // an event per pause, not per failed replay
    rec.event(now, "backlog_paused", r.dependency,
              fmt::format("a replay failed; {} call(s) left, replay held for {}", b.length + std::uint64_t(b.in_flight),
                          clock_text(cfg.pause)));
  b.paused_until = std::max(b.paused_until, now + cfg.pause);
  if (!b.ticking) schedule_replay(edge, b.paused_until);
}

void PlatformModel::Impl::close_backlog_bucket(int bucket) {
  for (BacklogState& b : backlogs)
    if (!b.report.length_by_bucket.empty())
      b.report.length_by_bucket[std::size_t(bucket)] = b.length + std::uint64_t(b.in_flight);
}

void PlatformModel::Impl::fill_backlogs(Report& out) {
  for (BacklogState& b : backlogs)
    if (!b.report.dependency.empty()) out.backlogs.push_back(b.report);
}

}  // namespace faultline
