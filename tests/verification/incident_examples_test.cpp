// The bundled recovery examples behave as their headers say, through the SimGrid kernel: in each
// pair, removing the offending dependency (tooling on DNS, the status page on the failed store, a
// failover hold-down shorter than a partition, an autoscaler without a floor) shortens the stage it
// lengthened.
#include "io/loader.hpp"
#include "simulation/simulation.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace faultline;
using namespace faultline::testing;

namespace {

Report run_bundled(const std::string& name) {
  Scenario s = load_scenario_file(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/" + name + ".toml");
  return simulate_isolated(s, s.info.seed);
}

bool has_event(const Report& r, const std::string& kind, const std::string& name) {
  for (const Event& e : r.events)
    if (e.kind == kind && e.name == name) return true;
  return false;
}

void check_stages_add_up(const Report& r) {
  REQUIRE(r.incident.ttr());
  CHECK(stage_sum(r.incident.stages()) == Approx(*r.incident.ttr()));
}

constexpr double kMinute = 60;

}  // namespace

TEST_CASE("operator tooling that resolves through the poisoned DNS fleet slows the diagnosis", "[verification][incident]") {
  const Report on_dns = run_bundled("dns-poisoned-tooling-on-dns");
  const Report independent = run_bundled("dns-poisoned-independent-tooling");
  // Same fault, same draws: detected and acknowledged at the same moments.
  REQUIRE(on_dns.incident.acknowledged);
  CHECK(on_dns.incident.detected == independent.incident.detected);
  CHECK(on_dns.incident.acknowledged == independent.incident.acknowledged);
  // The diagnosis stage is where the difference lies, and it carries through to the TTR.
  const TtrStages a = on_dns.incident.stages(), b = independent.incident.stages();
  REQUIRE(a.diagnosis);
  REQUIRE(b.diagnosis);
  CHECK(*a.diagnosis > *b.diagnosis + 15 * kMinute);
  CHECK(*on_dns.incident.ttr() > *independent.incident.ttr() + 15 * kMinute);
  CHECK_FALSE(on_dns.incident.diagnosed_note.empty());
  CHECK(independent.incident.diagnosed_note.empty());
  check_stages_add_up(on_dns);
  check_stages_add_up(independent);
  // Users are told at a cadence; the last word is the resolution.
  REQUIRE(on_dns.status_updates.size() >= 3);
  CHECK(on_dns.status_updates.back().state == "resolved");
  CHECK(feature(on_dns, "play").total.availability() < feature(independent, "play").total.availability());
}

TEST_CASE("a status page kept in the failed store delays the acknowledgement, not the recovery", "[verification][incident]") {
  const Report on_store = run_bundled("metadata-index-cold-restart");
  const Report elsewhere = run_bundled("metadata-index-cold-restart-independent-status");
  REQUIRE(on_store.incident.acknowledged);
  REQUIRE(elsewhere.incident.acknowledged);
  CHECK(on_store.incident.acknowledged_via == "fallback");
  CHECK(elsewhere.incident.acknowledged_via == "status_page");
  // 40 minutes of status_page_fallback past the due time.
  CHECK(*on_store.incident.acknowledged - *elsewhere.incident.acknowledged == Approx(40 * kMinute));
  REQUIRE(on_store.incident.stages().acknowledgement);
  CHECK(*on_store.incident.stages().acknowledgement >= *elsewhere.incident.stages().acknowledgement + 30 * kMinute);
  // The page fixes nothing: the platform recovers at the same time either way.
  CHECK(on_store.incident.recovered == elsewhere.incident.recovered);
  check_stages_add_up(on_store);
  check_stages_add_up(elsewhere);
  // The cold index restart: 40 minutes; placement crash-loops until the index serves, then starts.
  const ServiceReport& index = service(on_store, "index");
  const ServiceReport& placement = service(on_store, "placement");
  CHECK(index.downtime >= 40 * kMinute);
  CHECK(placement.crashes > 0);
  CHECK(placement.downtime > index.downtime);
  CHECK(has_event(on_store, "start_failed", "placement.0"));
}

TEST_CASE("a failover hold-down shorter than a partition turns seconds into hours", "[verification][incident]") {
  const Report short_hold = run_bundled("failover-hold-down-too-short");
  const Report long_hold = run_bundled("failover-hold-down-longer");
  CHECK(has_event(short_hold, "failover", "mysql"));
  REQUIRE(short_hold.incident.ttr());
  CHECK(*short_hold.incident.ttr() > 2 * 60 * kMinute);  // a 43-second partition
  REQUIRE(short_hold.incident.stages().mitigation);
  CHECK(*short_hold.incident.stages().mitigation >= 2 * 60 * kMinute);  // the fail-back waits for the resync
  check_stages_add_up(short_hold);
  // The longer hold-down outlasts the partition: no failover, no impact, every stage null.
  CHECK_FALSE(has_event(long_hold, "failover_started", "mysql"));
  CHECK_FALSE(long_hold.incident.impact_start);
  CHECK_FALSE(long_hold.incident.ttr());
  const TtrStages none = long_hold.incident.stages();
  CHECK_FALSE(none.detection);
  CHECK_FALSE(none.recovery);
  for (const Series& f : long_hold.features) CHECK(f.total.availability() >= f.slo);
}

TEST_CASE("an autoscaler that scales in an idled service lengthens recovery, a floor does not", "[verification][incident]") {
  const Report shrinks = run_bundled("autoscaler-scales-in-during-outage");
  const Report floored = run_bundled("autoscaler-with-floor");
  // The edge is down from 20m to 40m (then 30 s to start): impact starts with it in both.
  REQUIRE(shrinks.incident.ttr());
  REQUIRE(floored.incident.ttr());
  CHECK(shrinks.incident.impact_start == floored.incident.impact_start);
  // Idle during the outage, the API is scaled in to its minimum: 2 replicas, or the floor of 10.
  auto fewest = [](const Report& r) {
    const auto& rb = service(r, "api").replicas_by_bucket;
    return *std::min_element(rb.begin(), rb.end());
  };
  CHECK(fewest(shrinks) == 2);
  CHECK(fewest(floored) == 10);
  CHECK(has_event(shrinks, "scale_in", "api"));
  // With the floor, recovery comes with the edge; without it, the API has to climb back first.
  CHECK(*floored.incident.recovered <= 42 * kMinute);
  CHECK(*shrinks.incident.ttr() > *floored.incident.ttr() + 5 * kMinute);
  check_stages_add_up(shrinks);
  check_stages_add_up(floored);
}

TEST_CASE("a monitoring pipeline that shares fate with the outage leaves detection to users' reports",
          "[verification][incident]") {
  const Report blind = run_bundled("blind-monitoring-user-reports");
  const Report independent = run_bundled("blind-monitoring-independent-pipeline");
  REQUIRE(blind.incident.ttd());
  REQUIRE(independent.incident.ttd());
  // The same crash at 20m starts the impact in both.
  CHECK(blind.incident.impact_start == independent.incident.impact_start);
  CHECK(*blind.incident.impact_start == Approx(20 * kMinute).margin(30));
  // Blind: no alert at all; the users' reports cross their threshold within minutes, support hands over.
  CHECK_FALSE(has_event(blind, "alert", "play-availability"));
  CHECK(has_event(blind, "user_reports", "incident"));
  CHECK(blind.incident.detected_by == "user_reports");
  CHECK(*blind.incident.ttd() > 5 * kMinute);
  CHECK(*blind.incident.ttd() < 30 * kMinute);
  // Independent: the alert fires first, a minute into the outage.
  CHECK(independent.incident.detected_by == "play-availability");
  CHECK(*independent.incident.ttd() <= 2 * kMinute);
  CHECK(*blind.incident.ttd() > *independent.incident.ttd() + 5 * kMinute);
  // The blind dashboards slow the diagnosis too, so the whole recovery comes later.
  CHECK_FALSE(blind.incident.diagnosed_note.empty());
  CHECK(independent.incident.diagnosed_note.empty());
  CHECK(*blind.incident.ttr() > *independent.incident.ttr() + 15 * kMinute);
  check_stages_add_up(blind);
  check_stages_add_up(independent);
  CHECK(feature(blind, "browse").total.availability() == 1.0);
  CHECK(blind.summary.users_affected > independent.summary.users_affected);
}

TEST_CASE("a deletion of 400 tenants is restored tenant by tenant, and 16 streams sharing the store halve the time",
          "[verification][incident][restore]") {
  const Report four = run_bundled("tenant-deletion-restore");
  const Report sixteen = run_bundled("tenant-deletion-restore-parallel");
  for (const Report* r : {&four, &sixteen}) {
    REQUIRE(r->restores.size() == 1);
    const RestoreReport& re = r->restores[0];
    CHECK(re.tenants == 400);
    REQUIRE(re.lost_at);
    CHECK(*re.lost_at == Approx(30 * kMinute));
    REQUIRE(re.started);
    REQUIRE(re.finished);
    // The restore starts after detection, acknowledgement and diagnosis, and its wait.
    CHECK(*re.started > *r->incident.diagnosed);
    // About 5% of the users are hit: both features near 95% while none is back.
    const std::size_t b = std::size_t((*re.started - 60) / r->bucket);
    const Counts& view = feature(*r, "view").buckets[b];
    CHECK(1.0 - view.availability() == Approx(0.05).margin(0.015));
    CHECK(re.buckets[b].failed == re.buckets[b].requests);
    // Recovery is gradual: the share back rises through the restore, not in a step.
    const auto quarter = std::count_if(re.share_by_bucket.begin(), re.share_by_bucket.end(),
                                       [](double s) { return s > 0.2 && s < 0.8; });
    CHECK(double(quarter) * r->bucket > 0.5 * (*re.finished - *re.started));
    // The incident recovers when the features meet their objectives again: near the end of the restore.
    REQUIRE(r->incident.recovered);
    CHECK(std::abs(*r->incident.recovered - *re.finished) < 15 * kMinute);
    check_stages_add_up(*r);
  }
  const RestoreReport& a = four.restores[0];
  const RestoreReport& b = sixteen.restores[0];
  // 4 x 50 MB/s: W / (r p); 16 streams would copy 800 MB/s but share the store's 400: W / bandwidth.
  const double took_a = *a.finished - *a.started, took_b = *b.finished - *b.started;
  CHECK(took_a == Approx(a.size / (0.05 * 4)).epsilon(0.03));
  CHECK(took_b == Approx(b.size / 0.4).epsilon(0.03));
  CHECK(took_b / took_a == Approx(0.5).margin(0.03));
  CHECK(a.tenant_ids == b.tenant_ids);
  CHECK(*sixteen.incident.ttr() < *four.incident.ttr() - 2 * 3600);
  CHECK(sixteen.summary.user_minutes_lost < four.summary.user_minutes_lost);
}

TEST_CASE("a partition that outlasts the hold-down loses the writes in the lag, the fail-back waits for their "
          "reconciliation, and a longer hold-down loses nothing",
          "[verification][incident][replication]") {
  const Report a = run_bundled("partition-failover-divergent-writes");
  const Report b = run_bundled("partition-failover-divergent-writes-longer-hold-down");
  REQUIRE(a.replication.size() == 1);
  REQUIRE(b.replication.size() == 1);
  const ReplicationReport& ra = a.replication[0];
  const ReplicationReport& rb = b.replication[0];
  // The east primaries take writes (90 a second) through the partition until the fence 30 s in, and
  // the west copy gets none of them: about 30 s of writes are lost.
  const double write_rate = double(ra.writes) / a.duration;
  CHECK(write_rate == Approx(150 * 3 * 0.2).epsilon(0.02));
  CHECK(double(ra.writes_lost) == Approx(write_rate * 31).epsilon(0.1));
  REQUIRE(ra.failed_over_at);
  CHECK(*ra.failed_over_at == Approx(3600 + 30 + 60).margin(5));
  CHECK(ra.read_only == Approx(60).margin(1));
  CHECK(ra.writes_refused > 0);
  // Reconciled at half a write a second from the promotion (the partition has healed by then); the
  // fail-back, ordered 10 minutes after the diagnosis, waits for it and ends the incident.
  REQUIRE(ra.reconciled_at);
  CHECK(*ra.reconciled_at - *ra.reconciliation_started == Approx(double(ra.writes_lost) / 0.5));
  CHECK(ra.writes_reconciled == ra.writes_lost);
  CHECK(has_event(a, "failback_waits", "fail-back-east"));
  CHECK(ra.failback_waited > 30 * kMinute);
  REQUIRE(a.incident.mitigated);
  CHECK(*a.incident.mitigated == Approx(*ra.reconciled_at));
  REQUIRE(a.incident.ttr());
  CHECK(*a.incident.ttr() > 90 * kMinute);
  check_stages_add_up(a);
  // The status updates' estimate already counts the reconciliation when the fail-back is planned.
  bool estimated = false;
  for (const StatusUpdate& u : a.status_updates)
    if (u.state == "identified" && u.eta) estimated |= std::abs(*u.eta - *ra.reconciled_at) < kMinute;
  CHECK(estimated);
  // The twin: no failover, nothing lost, nothing read-only, no incident.
  CHECK(!rb.failed_over_at);
  CHECK(rb.writes_lost == 0);
  CHECK(rb.read_only == 0);
  CHECK(rb.writes_refused == 0);
  CHECK(b.incidents.empty());
  CHECK(b.summary.requests.availability() > a.summary.requests.availability());
}

TEST_CASE("a rollback whose deploy system signs in through the broken SSO goes at break-glass speed, its twin on time",
          "[verification][incident][tooling]") {
  const Report a = run_bundled("rollback-needs-broken-sso");
  const Report b = run_bundled("rollback-needs-broken-sso-break-glass");
  for (const Report* r : {&a, &b}) {
    REQUIRE(r->incident.diagnosed);
    REQUIRE(r->incident.mitigated);
    check_stages_add_up(*r);
  }
  // Nothing injected makes the deploy system unusable: it depends on sso, which fails. Its 10
  // minutes of work pass at 20% speed: 50 minutes.
  CHECK(has_event(a, "tooling_unusable", "roll-back-sso-config"));
  CHECK(*a.incident.mitigated - *a.incident.diagnosed == Approx(10 * kMinute / 0.2).margin(a.bucket));
  CHECK_FALSE(has_event(b, "tooling_unusable", "roll-back-sso-config"));
  CHECK(*b.incident.mitigated - *b.incident.diagnosed == Approx(10 * kMinute));
  CHECK(*a.incident.ttr() - *b.incident.ttr() > 35 * kMinute);
  CHECK(a.summary.user_minutes_lost > 2 * b.summary.user_minutes_lost);
}

TEST_CASE("a bad configuration rolled back zone by zone recovers when the last zone is back, its twin at once",
          "[verification][incident][rollout]") {
  const Report a = run_bundled("bad-config-rollout");
  const Report b = run_bundled("bad-config-rollback-by-zone");
  REQUIRE(a.incident.mitigated);
  REQUIRE(b.incident.mitigated);
  CHECK(*a.incident.mitigated == Approx(*b.incident.mitigated));  // the same trigger and delay
  REQUIRE(b.rollouts.size() == 1);
  const RolloutReport& ro = b.rollouts[0];
  CHECK(ro.unit == "replicas");
  CHECK(ro.steps == 3);  // the three zones each hold reached replicas
  REQUIRE(ro.started);
  REQUIRE(ro.finished);
  CHECK(*ro.finished - *ro.started == Approx(2 * 10 * kMinute));
  // The rollout of the configuration stops at the first step: no replica is reached after it.
  for (const Event& e : b.events)
    if (e.kind == "fault_progress" && e.detail.find(" reaches ") != std::string::npos) CHECK(e.time <= *ro.started);
  // The twin is whole at its rollback; this one once its last zone is taken back.
  CHECK(*a.incident.ttr() == Approx(*a.incident.mitigated - *a.incident.impact_start).margin(a.bucket));
  CHECK(*b.incident.recovered == Approx(*ro.finished).margin(b.bucket));
  CHECK(*b.incident.ttr() - *a.incident.ttr() == Approx(2 * 10 * kMinute).margin(b.bucket));
}

TEST_CASE("a configuration that breaks one device class hurts its users only and is detected late",
          "[verification][incident][scope]") {
  Scenario s = load_scenario_file(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/tv-manifest-rollout-hidden-by-averages.toml");
  const Report a = simulate_isolated(s, s.info.seed);
  for (const Series& g : a.segments)
    if (g.name != "tv") CHECK(g.total.failed == 0);
  REQUIRE(a.scoped_faults.size() == 1);
  const ScopedFaultReport& sf = a.scoped_faults[0];
  CHECK(sf.users_in_scope == Approx(0.12).margin(0.005));  // the tv segment's share of the users
  CHECK(sf.outside.failed == 0);
  CHECK(sf.inside.failed == a.summary.requests.failed);  // every failure is a TV user's
  REQUIRE(a.incident.mitigated);
  REQUIRE(sf.ended);
  REQUIRE(sf.recovered);
  CHECK(*sf.ended == Approx(*a.incident.mitigated));
  CHECK(*sf.recovered == Approx(*a.incident.mitigated).margin(a.bucket));
  // Broken for every device, the same rollout trips the fleet-wide monitor far sooner.
  s.faults[0].scope.segments = {"tv", "mobile", "web"};
  const Report b = simulate_isolated(s, s.info.seed);
  REQUIRE(a.incident.ttd());
  REQUIRE(b.incident.ttd());
  CHECK(*a.incident.ttd() > *b.incident.ttd() + 5 * kMinute);
  CHECK(b.scoped_faults[0].users_in_scope == 1);
}

TEST_CASE("a cache keeps a bad deploy's answers after the rollback until they expire, and a flush ends them",
          "[verification][incident][cache]") {
  const Report a = run_bundled("poisoned-cache-outlives-rollback");
  const Report b = run_bundled("poisoned-cache-outlives-rollback-flushed");
  for (const Report* r : {&a, &b}) {
    REQUIRE(r->incident.mitigated);
    REQUIRE(r->incident.recovered);
    check_stages_add_up(*r);
  }
  const EdgeReport& ea = edge(a, "web", "catalog");
  REQUIRE(ea.poisoned_hits);
  // Between the rollback and the expiry of the first bad entries (filled from 30m, kept an hour),
  // nearly every hit is a bad answer: about 95% of browse fails with the catalog fixed.
  const Counts& fixed = feature(a, "browse").buckets[std::size_t((*a.incident.mitigated + 10 * kMinute) / a.bucket)];
  CHECK(double(fixed.failed) / double(fixed.requests) == Approx(0.95).margin(0.02));
  // Recovery comes when the entries filled during the deploy's 10-minute ramp run out: about 1h30-1h41.
  CHECK(*a.incident.recovered > 90 * kMinute);
  CHECK(*a.incident.recovered < 102 * kMinute);
  CHECK(*a.incident.recovered - *a.incident.mitigated > 30 * kMinute);
  // The flush, a minute after the rollback, ends them: recovery within minutes.
  const EdgeReport& eb = edge(b, "web", "catalog");
  REQUIRE(eb.poisoned_hits);
  CHECK(*eb.poisoned_hits < *ea.poisoned_hits / 2);
  CHECK(*b.incident.recovered - *b.incident.mitigated < 5 * kMinute);
  CHECK(*b.incident.ttr() < *a.incident.ttr() - 30 * kMinute);
}

TEST_CASE("an outbox replayed faster than the recovered service can serve takes it down again, a paced one does not",
          "[verification][incident][backlog]") {
  const Report a = run_bundled("backlog-replay-overloads");
  const Report b = run_bundled("backlog-replay-paced");
  for (const Report* r : {&a, &b}) {
    REQUIRE(r->backlogs.size() == 1);
    const BacklogReport& q = r->backlogs[0];
    // About 250 writes a second for the 30-minute crash, none lost: checkout never fails.
    CHECK(double(q.max_length) == Approx(250 * 30 * kMinute).epsilon(0.05));
    CHECK(q.replayed == q.kept);
    CHECK(q.dropped == 0);
    REQUIRE(q.drained_at);
    CHECK(feature(*r, "checkout").total.failed == 0);
    REQUIRE(r->incident.recovered);
  }
  const BacklogReport& qa = a.backlogs[0];
  const BacklogReport& qb = b.backlogs[0];
  // The paced replay drains at its rate: N / 800 after orders is back (about 50m30).
  CHECK(*qb.drained_at - 50.5 * kMinute == Approx(double(qb.max_length) / 800).epsilon(0.05));
  // The fast one floods orders: history is down again until the backlog is through.
  CHECK(qa.failed_replays > 100 * qb.failed_replays);
  CHECK(*a.incident.recovered > 54 * kMinute);
  CHECK(std::abs(*a.incident.recovered - *qa.drained_at) < 2 * kMinute);
  CHECK(*b.incident.recovered < 52 * kMinute);
  CHECK(*a.incident.ttr() > *b.incident.ttr() + 3 * kMinute);
}
