// A small hand-made Report for the report-format tests: an outage of `storage` that takes `play`
// below its SLO, is detected, acknowledged on the fallback channel (the status page is down too) and
// mitigated but never recovers within the run; storage's replicas crash and restart.
#pragma once

#include "report/report.hpp"

#include <limits>

namespace faultline::test {

inline Counts counts(std::uint64_t requests, std::uint64_t ok, std::uint64_t degraded = 0) {
  return {requests, ok, degraded, requests - ok};
}

inline Report sample_report() {
  Report r;
  r.provenance = {"0.1.0", "sample-outage", "scenarios/sample.toml", "00c0ffee12345678", "A sample outage for the report tests",
                  std::numeric_limits<std::uint64_t>::max(), {{"traffic.rate", "200"}},
                  {{"bucket", "600"}, {"duration", "3500"}}};
  r.duration = 3500;  // deliberately not a whole number of buckets: the last one is short
  r.bucket = 600;
  r.summary.requests = counts(1000, 900, 50);
  r.summary.users_affected = 12345.6;
  r.summary.user_minutes_lost = 2.5e7;
  r.summary.sessions_lost = 1500;
  r.summary.service_calls = 123456789;
  r.summary.events = 987654321;
  r.incident.impact_start = 1200;
  r.incident.detected = 1290;
  r.incident.acknowledged = 1500;
  r.incident.mitigated = 2400;
  r.incident.detected_by = "play-availability";
  r.incident.mitigated_by = "rollback-config";
  r.incident.acknowledged_via = "fallback";
  r.incidents = {r.incident};

  Series play{"play", 0.999, counts(600, 520, 30), {}, {0.1 + 0.2, 0.5, 1.0 / 3.0, 0.125}, {0.3, 2.5, 4.0, 0.9}, {}, {}};
  play.buckets = {counts(100, 100), counts(100, 100), counts(100, 40, 30), counts(100, 80),
                  counts(0, 0),     counts(200, 200)};
  const double none = std::numeric_limits<double>::quiet_NaN();  // a bucket without requests
  play.latency_by_bucket = {{0.1, 0.1, 0.4, 0.2, none, 0.1}, {0.2, 0.2, 1.0, 0.5, none, 0.2},
                            {0.1, 0.1, 2.0, 0.3, none, 0.1}, {0.2, 0.2, 4.0, 0.9, none, 0.2}};  Series search{"search", 0.99, counts(400, 380, 20), {}, {0.01, 0.02, 0.03, 0.015}, {0.01, 0.02, 0.03, 0.015}, {}, {}};
  search.buckets = {counts(60, 60), counts(60, 60), counts(80, 60, 20), counts(60, 60), counts(70, 70),
                    counts(70, 70)};
  r.features = {play, search};
  Series consumers{"consumers", 0, counts(700, 620), play.buckets, {}, {}, {}, {}};
  Series businesses{"businesses, shops", 0, counts(300, 280), search.buckets, {}, {}, {}, {}};
  r.segments = {consumers, businesses};
  Series eu{"eu", 0, r.summary.requests, play.buckets, {}, {}, {}, {}};
  r.regions = {eu};

  ServiceReport storage;
  storage.name = "storage";
  storage.total = counts(2000, 1900);
  storage.errors[int(Cause::timeout)] = 30;
  storage.errors[int(Cause::injected)] = 70;
  storage.latency = {0.002, 0.01, 1.5, 0.05};
  storage.time_unhealthy = 1200;
  storage.ttr = 900;
  storage.buckets = {counts(300, 300), counts(300, 300), counts(400, 300), counts(300, 300),
                     counts(300, 300), counts(400, 400)};
  storage.latency_by_bucket = {{0.002, 0.002, 0.9, 0.1, 0.002, 0.002}, {0.004, 0.004, 1.5, 0.2, 0.004, 0.004},
                               {0.002, 0.002, 1.0, 0.1, 0.002, 0.002}, {0.004, 0.004, 2.0, 0.3, 0.004, 0.004}};
  storage.latency_all = {0.002, 0.01, 2.0, 0.07};
  storage.queue_by_bucket = {0, 0.5, 12.25, 3, 0, 0};
  storage.served_by_bucket = {300, 300, 390, 300, 300, 400};
  storage.wasted_by_bucket = {0, 0, 40, 2, 0, 0};
  storage.wasted_work_by_bucket = {0, 0, 6.5, 0.25, 0, 0};
  storage.served = 1990;
  storage.wasted = 42;
  storage.wasted_work = 6.75;
  storage.uptime = 1 - 330.0 / 3500;
  storage.downtime = 330;
  storage.outages = 1;
  storage.replicas_by_bucket = {3, 3, 0, 2, 3, 3};
  storage.restarts = 4;
  storage.crashes = 2;
  ServiceReport playlist = storage;
  playlist.name = "playlist";
  playlist.total = counts(1000, 980);
  playlist.errors = {};
  playlist.errors[int(Cause::dependency)] = 20;
  playlist.ttr.reset();
  playlist.time_unhealthy = 600;
  playlist.uptime = 1;
  playlist.downtime = 0;
  playlist.outages = 0;
  playlist.replicas_by_bucket.clear();  // no per-bucket counts: the CSV leaves the column empty
  playlist.restarts = 0;
  playlist.crashes = 0;
  ServiceReport auth = storage;
  auth.name = "auth";
  auth.total = counts(500, 500);
  auth.errors = {};
  auth.ttr.reset();
  auth.time_unhealthy = 0;
  auth.uptime = 1;
  auth.downtime = 0;
  auth.outages = 0;
  auth.restarts = 0;
  auth.crashes = 0;
  r.services = {storage, playlist, auth};

  r.edges.resize(2);
  r.edges[0].from = "playlist";
  r.edges[0].to = "storage";
  r.edges[0].requests = 500;
  r.edges[0].attempts = 1200;
  r.edges[0].failures = 100;
  r.edges[1].from = "frontend";
  r.edges[1].to = "auth";
  r.propagation = {{1200, "storage", "fault:storage-crash", "injected"},
                   {1210, "playlist", "edge:playlist->storage", "dependency"}};
  r.events = {{1200, "fault_start", "storage-crash", "service_crash on storage"},
              {1290, "alert", "play-availability", "feature.play.availability < 0.99 for 1m"},
              {2400, "action", "rollback-config", "ends \"storage-crash\", <script>alert(1)</script>"}};
  r.status_updates = {{1320, "investigating", "Some users cannot play music", 3600.0, "fallback"},
                      {2460, "identified", "A storage outage; the config change is being rolled back", std::nullopt,
                       "fallback"}};
  return r;
}

// The sample run with a second incident: the first recovers at 45:00 (ttr 25:00), then a short one
// from 50:00 to 55:00 (ttr 05:00), detected and mitigated but never acknowledged or diagnosed.
inline Report sample_report_two_incidents() {
  Report r = sample_report();
  r.incident.recovered = 2700;
  IncidentTimeline second;
  second.impact_start = 3000;
  second.detected = 3060;
  second.mitigated = 3200;
  second.recovered = 3300;
  second.detected_by = "search-latency";
  second.mitigated_by = "restart-storage";
  r.incidents = {r.incident, second};
  return r;
}

// A restore for the sample run: 3 tenants lost at 20:00, two back (at 30:00 and 45:00), one not by the end.
inline RestoreReport sample_restore() {
  RestoreReport re;
  re.action = "restore-sites";
  re.fault = "script-deletes-sites";
  re.service = "storage";
  re.tenants = 3;
  re.tenant_ids = {17, 4, 250};
  re.size = 30.5;
  re.lost_at = 1200;
  re.started = 1500;
  re.restored_at = {1800, 2700, std::numeric_limits<double>::quiet_NaN()};
  re.share_by_bucket = {0, 0, 0, 1.0 / 3, 2.0 / 3, 2.0 / 3};
  re.requests = counts(40, 25);
  re.buckets = {counts(0, 0), counts(0, 0), counts(10, 0), counts(10, 5), counts(10, 10), counts(10, 10)};
  return re;
}

// The users of the sample run, with sessions: 500 affected from 20:00, half of them logged out.
inline UsersReport sample_users() {
  UsersReport u;
  u.affected_by_bucket = {0, 0, 400, 500, 500, 500};
  u.impaired_by_bucket = {0, 0, 400, 450, 100, 25};
  u.logged_out_by_bucket = {0, 0, 200, 250, 50, 0};
  u.sessions_lost_by_bucket = {0, 0, 200, 60, 0, 0};
  return u;
}

// A replicated database of the sample run: 40 writes lost at a failover at 20:30, read-only for 60 s,
// half of them reconciled by the end.
inline ReplicationReport sample_replication() {
  ReplicationReport rp;
  rp.service = "db";
  rp.mode = "async";
  rp.writes = 6000;
  rp.writes_lost = 40;
  rp.writes_refused = 12;
  rp.writes_reconciled = 0;
  rp.writes_awaiting = 40;
  rp.read_only = 60;
  rp.failed_over_at = 1230;
  rp.reconciliation_started = 1800;
  rp.failback_waited = 900;
  rp.buckets = {{1000, 0, 0, 0, 0}, {1000, 0, 0, 0, 0}, {950, 40, 12, 40, 60}, {1000, 0, 0, 30, 0},
                {1000, 0, 0, 20, 0}, {1050, 0, 0, 20, 0}};
  return rp;
}

// An outbox in front of a dependency of the sample run: 300 calls kept from 20:00, replayed, drained at
// 40:00 after 5 failed replays.
inline BacklogReport sample_backlog() {
  BacklogReport b;
  b.dependency = "playlist->storage";
  b.kept = 300;
  b.replayed = 300;
  b.max_length = 250;
  b.replay_rate = 2.5;
  b.first_kept = 1200;
  b.drained_at = 2400;
  b.failed_replays = 5;
  b.length_by_bucket = {0, 0, 250, 100, 0, 0};
  b.kept_by_bucket = {0, 0, 250, 50, 0, 0};
  b.replayed_by_bucket = {0, 0, 0, 200, 100, 0};
  return b;
}

}  // namespace faultline::test
