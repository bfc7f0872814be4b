// The schema table's rows for the workload and the response: features, traffic, the client, faults, monitors, the incident, actions, expectations and distributions (see io/schema_rows.hpp).
#include "io/schema_rows.hpp"

#include "io/schema_binding.hpp"
#include "scenario/scenario.hpp"
#include "scenario/status.hpp"

namespace faultline::schema_rows {

std::vector<SchemaKey> workload() {
  return {
      row("feature[]", T::section_array).need().says("A user-facing operation (play, search, login, ...)."),
      row("feature[].name", T::name).into(to(&Feature::name)).need().says("Unique feature name."),
      row("feature[].entry", T::name)
          .into(to(&Feature::entry)).need().says("The service user requests for this feature arrive at."),
      row("feature[].share", T::number).into(to(&Feature::share)).need().above(0).at_most(1e9).in("weight")
          .says("Its part of the user request rate; shares are normalised over features."),
      row("feature[].slo", T::number).into(to(&Feature::slo)).fallback("0.999").above(0).at_most(1).in("fraction")
          .says("Availability objective; impact starts when a feature falls below it."),

      row("traffic", T::section).says("The user request stream."),
      row("traffic.rate", T::number).into(to(&Traffic::rate)).fallback("100").above(0).in("requests/s")
          .says("Simulated user requests per second (before the pattern's multiplier)."),
      row("traffic.users", T::number).into(to(&Traffic::users)).fallback("1e6").above(0).in("users")
          .says("The user population those requests represent."),
      row("traffic.sample_users", T::integer)
          .into(to(&Traffic::sample_users)).fallback("100000").within(1, 10000000).in("users")
          .says("Simulated user identities, scaled up to `users` for users affected."),
      row("traffic.tenants", T::integer).into(to(&Traffic::tenants)).fallback("0").within(0, 10000000).in("tenants")
          .says("Customers (organisations, sites) the users belong to: the simulated users are dealt out "
                "evenly over them, so each tenant carries users / tenants of the population. 0: no tenants. "
                "At most `sample_users`. A `data_loss` fault hits tenants."),
      row("traffic.pattern", T::choice)
          .into(to(&Traffic::pattern, {{"constant", TrafficPattern::constant}, {"piecewise", TrafficPattern::piecewise},
                                       {"diurnal", TrafficPattern::diurnal}}))
          .fallback("\"constant\"")
          .says("How the rate changes over time."),
      row("traffic.steps[]", T::table_array)
          .says("Piecewise pattern only (required): the rate multiplier from each `at` on, in ascending `at`; "
                "the rate is unchanged before the first."),
      row("traffic.steps[].at", T::duration)
          .into(to(&TrafficStep::at)).need().at_least(0).says("When the step starts; before the end of the run."),
      row("traffic.steps[].multiplier", T::number)
          .into(to(&TrafficStep::multiplier)).need().at_least(0).in("x rate").says("Rate multiplier."),
      row("traffic.diurnal", T::table).says("Diurnal pattern only: a cosine cycle between trough and peak."),
      row("traffic.diurnal.period", T::duration)
          .into(to(&Traffic::diurnal_period)).fallback("\"24h\"").above(0).says("Length of one cycle."),
      row("traffic.diurnal.peak", T::duration).into(to(&Traffic::diurnal_peak)).fallback("\"20h\"").at_least(0)
          .says("Time of the peak within the cycle; less than `period`."),
      row("traffic.diurnal.trough", T::number)
          .into(to(&Traffic::diurnal_trough)).fallback("0.3").within(0, 1).in("x peak rate")
          .says("Trough rate as a fraction of the peak."),
      row("traffic.region_share", T::map).computed("equal over regions")
          .says("Where users are: `{eu = 0.6, us = 0.4}`; normalised; regions left out get no traffic."),
      row("traffic.region_share.*", T::number).at_least(0).in("weight").says("Key: a region; value: its weight."),
      row("traffic.segment[]", T::section_array).computed("one segment of every user")
          .says("User populations (consumers, businesses) and the features they use."),
      row("traffic.segment[].name", T::name).into(to(&Segment::name)).need().says("Unique segment name."),
      row("traffic.segment[].share", T::number).into(to(&Segment::share)).fallback("1").above(0).in("weight")
          .says("Its part of the users; normalised over segments."),
      row("traffic.segment[].features", T::name_list)
          .into(to(&Segment::features)).computed("every feature").says("Features its users request."),

      row("client", T::section).says("What the user's app does with a failed request."),
      row("client.on_status", T::map).says("Reaction per status: `{NOT_FOUND = \"logout\", UNAVAILABLE = \"retry\"}`."),
      row("client.on_status.*", T::choice).one_of({"error", "retry", "logout", "ignore"})
          .says("Key: a status name; `error` shows the failure, `retry` retries, `logout` ends the session, "
                "`ignore` hides it."),
      row("client.retries", T::integer).into(to(&Client::retries)).fallback("2").within(0, 10).in("retries")
          .says("Client retries of a status mapped to `retry`."),
      row("client.retry_delay", T::duration)
          .into(to(&Client::retry_delay)).fallback("\"1s\"").at_least(0).says("Wait before a client retry."),
      row("client.timeout", T::duration)
          .into(to(&Client::timeout)).fallback("\"10s\"").above(0).says("The user gives up after this long."),
      row("client.relogin_feature", T::name).into(to(&Client::relogin_feature)).computed("none")
          .says("The feature a logged-out user requests next (login, say)."),

      row("fault[]", T::section_array)
          .says("Something that goes wrong: at a time, after another fault, again and again, or by chance."),
      row("fault[].name", T::name)
          .into(to(&Fault::name)).computed("`fault[i]`").says("Unique fault name; actions and `after` refer to it."),
      row("fault[].kind", T::choice)
          .into(to(&Fault::kind, {FaultKind::host_crash, FaultKind::service_crash, FaultKind::zone_outage,
                   FaultKind::region_outage, FaultKind::link_down, FaultKind::partition, FaultKind::latency,
                   FaultKind::packet_loss, FaultKind::error_rate, FaultKind::slowdown, FaultKind::traffic_surge,
                   FaultKind::config_rollout, FaultKind::cert_expiry, FaultKind::dns_failure,
                   FaultKind::control_plane, FaultKind::clock_skew, FaultKind::cpu_hog, FaultKind::link_capacity,
                   FaultKind::memory_leak, FaultKind::slow_disk, FaultKind::limit_lowered, FaultKind::data_loss}))
          .need()
          .says("What fails: hosts turned off (`host_crash`, `zone_outage`, `region_outage`); service processes "
                "killed (`service_crash`); the network between zones or regions cut (`link_down`, `partition`: calls "
                "across it time out); calls delayed (`latency`), lost (`packet_loss`: the caller times out) or "
                "failed (`error_rate`); replicas slowed (`slowdown`); more users (`traffic_surge`); a bad version "
                "reaching replicas one by one (`config_rollout`); a certificate expired (`cert_expiry`: calls fail "
                "with `status` until the fault ends, i.e. renewal); a name that no longer resolves "
                "(`dns_failure`: calls to the target fail at the caller once its cached answer is older than "
                "`ttl`); a control plane serving errors or no entries (`control_plane`); clocks off (`clock_skew`: "
                "calls between a skewed and a correct clock fail with UNAUTHENTICATED at services that check "
                "validity, when `skew` > `tolerance`); hosts' CPUs loaded by `threads` busy threads each "
                "(`cpu_hog`: a batch job or a runaway process; services with `cpu` work on them slow down as "
                "their share of the cores shrinks); a link's or a device's bandwidth cut to a `factor` of itself "
                "(`link_capacity`: a network control-plane fault, a failed transit device); processes losing `leak` "
                "MB a second until they restart (`memory_leak`: they slow down under memory pressure, then are "
                "killed at their memory limit); hosts' disks slowed to a `factor` of their bandwidth "
                "(`slow_disk`); a service's thread limit or a dependency's pool size cut to a `factor` of itself "
                "(`limit_lowered`: a bad ulimit, a config push); the data of some tenants deleted from a service's "
                "store (`data_loss`: each request of a user of a hit tenant that reaches the service fails with "
                "`status`, until a `restore` brings the tenant back or the fault ends)."),
      row("fault[].target", T::string).into(to(&Fault::target)).need()
          .says("What it hits. Forms: a name; `tag:<t>` (services and zones with the tag); `from->to` (a "
                "dependency); `a<->b` (the link between two zones or two regions); `<zone>/rack<i>`. By kind: "
                "host_crash, cpu_hog, slow_disk: a host `<zone>-h<i>`, rack, zone, region, service (its hosts) or tag; service_crash, "
                "config_rollout, cert_expiry: a service or tag; zone_outage: a zone; region_outage: a region; "
                "link_down, partition: a link, or a zone or region (cut from everything else); latency, "
                "packet_loss: a service, tag, dependency or link; error_rate: a service, tag or dependency; "
                "slowdown, clock_skew, memory_leak: a service, tag, host, rack or zone (the replicas on it); "
                "traffic_surge: a "
                "feature, segment or region; dns_failure, control_plane: a service; link_capacity: a `[[link]]` with a "
                "`bandwidth`, by its name or `a<->b`, or a `[[device]]`; limit_lowered: a service with `threads` or a dependency with "
                "a `pool`."),
      row("fault[].mode", T::choice)
          .into(to(&Fault::mode, {SelectorMode::one, SelectorMode::all, SelectorMode::fixed, SelectorMode::percent}))
          .fallback("\"all\"")
          .says("Which of the target's hosts or replicas are hit (data_loss: which of the tenants), drawn from the "
                "seed and the fault's name; a config rollout reaches them, and a restore repairs them, in the drawn "
                "order."),
      row("fault[].value", T::number).into(to(&Fault::value)).in("count or %")
          .says("Required by modes `fixed` (an integer >= 1) and `percent` (0 < value <= 100)."),
      row("fault[].at", T::duration).into(to(&Fault::at)).at_least(0)
          .says("Start; before the end of the run. Required unless `after`, `mttf` or `failure` is given."),
      row("fault[].duration", T::duration)
          .into(to(&Fault::duration)).above(0).computed("until an action ends it or the run ends")
          .says("How long each occurrence lasts. Not with `mttf` or `failure` (the repair time is the duration)."),
      row("fault[].every", T::duration).into(to(&Fault::every)).above(0)
          .says("Repeat: an occurrence every this long from `at`, each lasting `duration` (required, at most "
                "`every`)."),
      row("fault[].after", T::name).into(to(&Fault::after))
          .says("Start with each start of this other fault (plus `after_delay`) instead of at `at`. A "
                "common-cause failure counts once."),
      row("fault[].after_delay", T::duration).into(to(&Fault::after_delay)).fallback("\"0s\"").at_least(0)
          .says("With `after`: the wait after the other fault starts."),
      row("fault[].mttf", T::duration).above(0)
          .says("By chance: mean time to failure of each target hit (time in service, exponential). Give "
                "`mttf` or `failure`, and `mttr` or `repair`, instead of `at`."),
      row("fault[].mttr", T::duration)
          .says("By chance: mean time to repair (exponential); greater than 0s."),
      row("fault[].failure", T::distribution)
          .says("By chance: the distribution of the time in service before each failure, instead of `mttf`."),
      row("fault[].repair", T::distribution)
          .says("By chance: the distribution of the repair time, instead of `mttr`; mean greater than 0s."),
      row("fault[].common_cause", T::table)
          .says("By chance: a failure of one target takes every target of the fault down at once with this "
                "probability (each is repaired on its own)."),
      row("fault[].common_cause.probability", T::number)
          .into(to(&FailureProcess::common_cause)).need().within(0, 1).in("probability")
          .says("Chance that a failure is a common-cause one."),
      row("fault[].age_while_down", T::boolean).into(to(&FailureProcess::age_while_down)).fallback("true")
          .says("By chance: `false` stops a target's time in service while any target of any random fault of "
                "the scenario is down (a series system that is stopped does not wear)."),
      row("fault[].delay", T::distribution).into(to(&Fault::delay)).at_least(0)
          .says("Latency faults only (required): extra delay per call (a distribution gives jitter); on a link, "
                "each way."),
      row("fault[].rate", T::number).into(to(&Fault::rate)).fallback("1").above(0).at_most(1).in("fraction")
          .says("error_rate, packet_loss and config_rollout (without crash_loop) only: fraction of calls that "
                "fail or are lost."),
      row("fault[].status", T::status).into(to(&Fault::status))
          .computed("`UNAVAILABLE`; `NOT_FOUND` for control_plane and data_loss")
          .says("error_rate, control_plane, config_rollout, cert_expiry, dns_failure and data_loss only: the "
                "status failures carry."),
      row("fault[].behaviour", T::choice)
          .into(to(&Fault::behaviour, {{"missing", ControlPlaneBehaviour::missing},
                                       {"errors", ControlPlaneBehaviour::errors}}))
          .fallback("\"missing\"")
          .says("Control-plane faults only: it returns no entries (`missing`) or fails (`errors`)."),
      row("fault[].factor", T::number).into(to(&Fault::factor)).above(0).at_most(1000).in("x")
          .says("slowdown (service time multiplied), traffic_surge (request rate multiplied), link_capacity and "
                "slow_disk (bandwidth multiplied, at most 1) and limit_lowered (limit multiplied, at most 1, rounded "
                "down, at least 1) only; required."),
      row("fault[].direction", T::choice)
          .into(to(&Fault::direction, {{"both", PartitionDirection::both}, {"one_way", PartitionDirection::one_way}}))
          .fallback("\"both\"")
          .says("Partitions only: `one_way` drops packets from the first end of the link (or the zone or region "
                "named) to the other only, so calls one way are lost and answers the other way are lost."),
      row("fault[].ramp", T::duration).into(to(&Fault::ramp)).at_least(0)
          .says("config_rollout only (required): time from the first replica reached (at the start) to the "
                "last; the others are reached evenly in between."),
      row("fault[].crash_loop", T::boolean).into(to(&Fault::crash_loop)).fallback("false")
          .says("config_rollout only: replicas reached crash (restart, serve `crash_after`, crash again) "
                "instead of failing `rate` of their calls."),
      row("fault[].crash_after", T::duration).into(to(&Fault::crash_after)).fallback("\"10s\"").above(0)
          .says("config_rollout with crash_loop only: how long a restarted replica serves before it crashes "
                "again."),
      row("fault[].ttl", T::duration).into(to(&Fault::ttl)).fallback("\"0s\"").at_least(0)
          .says("dns_failure only: callers keep using their cached answer for up to this long (each caller's "
                "cache expires at a random moment within it)."),
      row("fault[].poisons_cache", T::boolean).into(to(&Fault::poisons_cache)).fallback("false")
          .says("error_rate and config_rollout (without crash_loop) on a service only: its failed answers are bad "
                "answers (an empty list, a wrong page) that the caches in front of it (`dependency[].cache`) keep as "
                "if good. A cache holds entries, each refetched `refresh` after its last fetch when good; one "
                "fetched while the fault answers badly holds the bad answer for `poison_ttl` and every hit on it "
                "fails with the fault's `status`. Ending the fault does not clear them: they expire one by one, "
                "or a `flush_cache` action empties the cache. Reports gain the calls answered from bad entries per "
                "dependency (`poisoned_hits`)."),
      row("fault[].poison_ttl", T::duration).into(to(&Fault::poison_ttl)).above(0).computed("the cache's `ttl`")
          .says("With poisons_cache: how long a cache keeps a bad answer (a negative-caching or CDN TTL)."),
      row("fault[].scope", T::table)
          .says("error_rate, latency, slowdown and config_rollout (without crash_loop) only: the users the fault "
                "hits, those of the listed `segments` (device classes), of a share of the `tenants` and a share "
                "of the `users`, all of them when several are given; other users' calls, and calls made for no "
                "user (cache and control-plane refreshes, backlog replays), pass untouched. Reports gain a "
                "`scoped_faults` section: the requests of the users in scope and of the others, per bucket, "
                "and when the users in scope recovered. Present: at least one of its keys."),
      row("fault[].scope.segments", T::name_list).into(to(&FaultScope::segments)).computed("every segment")
          .says("Traffic segments whose users it hits."),
      row("fault[].scope.tenants", T::number)
          .into(to(&FaultScope::tenants)).fallback("1").above(0).at_most(1).in("fraction")
          .says("Share of `traffic.tenants` whose users it hits, drawn from the seed and the fault's name; needs "
                "`traffic.tenants`."),
      row("fault[].scope.users", T::number)
          .into(to(&FaultScope::users)).fallback("1").above(0).at_most(1).in("fraction")
          .says("Share of the users it hits, each drawn from the seed and the fault's name."),
      row("fault[].threads", T::number).into(to(&Fault::threads)).above(0).at_most(100000).in("threads")
          .says("cpu_hog only (required): busy threads the hog runs on each host it hits, each taking at most one "
                "core (a fraction: a thread busy part of the time)."),
      row("fault[].leak", T::number).into(to(&Fault::leak)).above(0).at_most(1e6).in("MB/s")
          .says("memory_leak only (required): memory each process it hits loses per second while it lasts; freed "
                "only when the process restarts."),
      row("fault[].skew", T::duration).into(to(&Fault::skew)).above(0)
          .says("clock_skew only (required): how far the targets' clocks are off (ahead or behind alike)."),
      row("fault[].tolerance", T::duration).into(to(&Fault::tolerance)).fallback("\"5m\"").at_least(0)
          .says("clock_skew only: the skew a validity check tolerates; no effect when `skew` is within it."),
      row("fault[].checked_by", T::name_list).into(to(&Fault::checked_by)).computed("every service")
          .says("clock_skew only: the services that check tokens and certificates."),

      row("monitor[]", T::section_array).says("An alert; the first to fire marks detection."),
      row("monitor[].name", T::name)
          .into(to(&Monitor::name)).need().says("Unique monitor name; actions refer to it as `monitor:<name>`."),
      row("monitor[].metric", T::string).into(to(&Monitor::metric)).need()
          .says("`feature.<f>.availability`, or `service.<s>.` followed by `availability`, `error_rate`, "
                "`p50_latency`, `p95_latency`, `p99_latency`, `queue` (requests waiting per serving replica at the end of the bucket) or "
                "`replicas_serving`."),
      row("monitor[].below", T::number)
          .says("Fires when the metric is below this (give exactly one of `below` and `above`)."),
      row("monitor[].above", T::number)
          .says("Fires when the metric is above this; a duration string for the latency metrics."),
      row("monitor[].for", T::duration).into(to(&Monitor::for_)).fallback("\"0s\"").at_least(0)
          .says("How long the condition must hold before it fires."),
      row("monitor[].depends_on", T::name_list).into(to(&Monitor::depends_on)).computed("none")
          .says("The monitoring pipeline: while one of these services (or a service it hard-depends on) is not "
                "usable, the monitor gets no data and neither fires nor resolves."),

      row("incident", T::section)
          .says("How people respond once a monitor fires: the acknowledgement (the first status update) is due "
                "after a draw of `acknowledge`; from then on responders diagnose (find what to change), then act. "
                "Each stage's length is a draw from its distribution. A service is *usable* (tooling, status "
                "page, monitoring pipeline) when it and every service it reaches by hard or control edges have a "
                "replica serving and answered at least half their calls in the last bucket. Once an incident is "
                "resolved (every feature at its SLO for `stable_for`), the next bucket below an SLO or the next "
                "alert starts a new incident, with new draws."),
      row("incident.acknowledge", T::distribution).into(to(&Incident::acknowledge)).fallback("\"5m\"").at_least(0)
          .says("From detection until the acknowledgement is due; it is posted then if the status page is usable."),
      row("incident.diagnose", T::distribution).into(to(&Incident::diagnose)).fallback("\"15m\"").at_least(0)
          .says("From the acknowledgement being due until responders know what to change, as work done at full "
                "speed while the tooling is usable (checked every bucket)."),
      row("incident.act", T::distribution).into(to(&Incident::act)).fallback("\"0s\"").at_least(0)
          .says("From diagnosis to acting: it delays the actions triggered `after = \"diagnosed\"`."),
      row("incident.stable_for", T::duration).into(to(&Incident::stable_for)).fallback("\"5m\"").above(0)
          .says("Recovery needs every feature at its SLO for this long."),
      row("incident.tooling", T::name_list).into(to(&Incident::tooling)).computed("none")
          .says("Services responders diagnose with (dashboards, logs, deploy tools); while one of them is not "
                "usable, diagnosis goes at `tooling_down_speed`."),
      row("incident.tooling_down_speed", T::number)
          .into(to(&Incident::tooling_down_speed)).fallback("0.25").within(0, 1).in("fraction")
          .says("Rate of diagnosis while the tooling is not usable, as a fraction of the normal rate."),
      row("incident.status_page", T::name).into(to(&Incident::status_page)).computed("none: it always works")
          .says("The service the status page runs on; while it is not usable the acknowledgement waits for it, "
                "and later updates go to the fallback channel (or are not posted without one)."),
      row("incident.status_page_fallback", T::duration)
          .into(to(&Incident::status_page_fallback)).above(0).computed("none: wait for the page")
          .says("With `status_page` only: an acknowledgement this long past due because the page is down is "
                "posted elsewhere (social media) instead, as are later updates while the page is down."),
      row("incident.status_update_every", T::duration).into(to(&Incident::status_update_every)).above(0)
          .computed("none: only the first update and the resolution")
          .says("Time between status updates after the first, until the resolution is posted."),
      row("incident.user_reports", T::table)
          .says("Detection by the users themselves (posts on social media, support tickets), independent of "
                "every monitoring pipeline. At each bucket's end the affected users are estimated as traffic.users "
                "x the share of user requests that failed in the bucket, and each of them reports at `rate`: the "
                "reports of a bucket are a Poisson draw with that mean. Once the reports within the last `window` "
                "reach `threshold`, the responders are told after a draw of `escalate`, and the incident is "
                "detected by `user_reports` unless a monitor fired first. The more users are affected, the sooner: "
                "about threshold / (affected x rate), and fewer than threshold / (rate x window) affected users "
                "are rarely noticed. Reports start counting afresh when an incident is resolved. Present: "
                "enabled."),
      row("incident.user_reports.rate", T::number).into(to(&UserReports::rate)).fallback("0.001").above(0).at_most(1000)
          .in("reports per affected user per hour")
          .says("How often an affected user reports; 0.001 is one report per thousand affected users per hour."),
      row("incident.user_reports.threshold", T::number)
          .into(to(&UserReports::threshold)).fallback("50").above(0).at_most(1e9).in("reports")
          .says("Reports within `window` that make the support or social-media team raise an incident."),
      row("incident.user_reports.window", T::duration)
          .into(to(&UserReports::window)).fallback("\"15m\"").above(0).at_most(86400)
          .says("How far back the reports are counted (rounded up to whole buckets)."),
      row("incident.user_reports.escalate", T::distribution)
          .into(to(&UserReports::escalate)).fallback("\"0s\"").at_least(0)
          .says("From the threshold being reached until the responders know (the hand-over from support)."),

      row("action[]", T::section_array)
          .says("A response to the incident, by a person or by automation. Each action runs once per run, at "
                "the first occurrence of its trigger."),
      row("action[].name", T::name).into(to(&Action::name)).computed("`action[i]`").says("Unique action name."),
      row("action[].kind", T::choice)
          .into(to(&Action::kind, {ActionKind::switch_dependency, ActionKind::rollback, ActionKind::restart,
                   ActionKind::failover, ActionKind::shed_load, ActionKind::scale, ActionKind::kill_switch,
                   ActionKind::admit, ActionKind::restore, ActionKind::flush_cache})).need()
          .says("What it does: `rollback` ends a fault; `restart` restarts a service's replicas; "
                "`switch_dependency` moves callers to another service; `failover` makes another zone or region of "
                "a service active; `shed_load` refuses a share of a service's requests; `scale` sets how many "
                "replicas a service runs; `kill_switch` turns off a feature or a dependency; `admit` lets users "
                "back in step by step; `restore` copies the data a `data_loss` fault deleted back, tenant by "
                "tenant, as work that takes its time; `flush_cache` empties a dependency's cache (its bad entries "
                "go, and it warms up again from its callee)."),
      row("action[].at", T::duration).into(to(&Action::at)).at_least(0)
          .says("When it happens; before the end of the run. Give exactly one of `at` and `after`."),
      row("action[].after", T::string)
          .says("What triggers it: `detected`, `acknowledged`, `diagnosed` or `monitor:<name>`."),
      row("action[].delay", T::duration)
          .into(to(&Action::delay)).fallback("\"0s\"").at_least(0).says("Wait after the trigger."),
      row("action[].fault", T::string).into(to(&Action::fault))
          .says("rollback and restore only (required): the fault it ends (a restore: the data_loss fault it repairs), by "
                "name (`fault[i]` for an unnamed one)."),
      row("action[].service", T::name).into(to(&Action::service))
          .says("restart, failover, shed_load and scale only (required): the service acted on."),
      row("action[].services", T::name_list).into(to(&Action::services)).computed("every caller of `from`")
          .says("switch_dependency only: the callers switched."),
      row("action[].from", T::name)
          .into(to(&Action::from)).says("switch_dependency only (required): the service callers stop calling."),
      row("action[].to", T::name).into(to(&Action::to))
          .says("switch_dependency only (required): the service they call instead. failover only (required): the "
                "zone or region made active; it must hold replicas of the service."),
      row("action[].batch", T::integer)
          .into(to(&Action::batch)).fallback("0").within(0, 10000).in("replicas, hosts or zones")
          .says("restart: replicas restarted per step. switch_dependency: caller replicas (or zones, with "
                "`by = \"zone\"`) switched per step, the callers of every service switched taken in "
                "proportion; each switched replica calls `to` from then on (a control dependency from its "
                "next refresh). rollback: the fault's replicas or hosts (or zones) taken back per step, among "
                "those it affects when the rollback starts; a `config_rollout` stops reaching replicas and "
                "its other occurrences are called off at the first step (a fault on a dependency, a link, a "
                "control plane or a whole zone has no units and goes at once). failover: replicas (or zones) "
                "of `to` that take traffic per step, the old ones serving until the last (not for a "
                "replicated service). 0: all at once."),
      row("action[].interval", T::duration).into(to(&Action::interval)).fallback("\"0s\"").at_least(0)
          .says("restart, switch_dependency, rollback and failover: time between two steps; above 0s for "
                "a switch_dependency, rollback or failover with a `batch`, and for any action with a "
                "`gate`."),
      row("action[].by", T::choice)
          .into(to(&Action::by, {{"replica", RolloutUnit::replica}, {"zone", RolloutUnit::zone}}))
          .fallback("\"replica\"")
          .says("switch_dependency, rollback and failover: what a `batch` counts, replicas (caller replicas, "
                "the fault's replicas or hosts, the replicas of `to`) or the zones they are in."),
      row("action[].gate", T::name).into(to(&Action::gate)).computed("none: every step goes")
          .says("restart, switch_dependency, rollback, failover (with a `batch`) and admit only: a monitor "
                "looked at before each step after the first; while it fires, the step fails its gate."),
      row("action[].on_gate_failure", T::choice)
          .into(to(&Action::on_gate_failure, {{"pause", GateFailure::pause}, {"revert", GateFailure::revert}}))
          .fallback("\"pause\"")
          .says("With `gate` only: `pause` waits one more `interval` (`every` for admit) and looks again; "
                "`revert` (switch_dependency only) moves every switched caller back and ends the rollout."),
      row("action[].fraction", T::number).into(to(&Action::fraction)).above(0).at_most(1).in("fraction")
          .says("shed_load only (required): share of the service's incoming requests refused."),
      row("action[].replicas", T::integer).into(to(&Action::replicas)).within(1, 10000).in("replicas")
          .says("scale only (required): replicas wanted. At most the service's autoscaling `max` when it has "
                "autoscaling, else at most its `replicas`: the extra capacity a service can get is its parked "
                "replicas."),
      row("action[].feature", T::name).into(to(&Action::feature))
          .says("kill_switch only: the feature turned off (its requests fail at once). Give exactly one of "
                "`feature` and `dependency`."),
      row("action[].dependency", T::string).into(to(&Action::dependency))
          .says("kill_switch: the dependency `from->to` turned off (its calls are skipped, as by a fallback); "
                "flush_cache (required): the dependency, with a `cache`, whose cache is emptied."),
      row("action[].duration", T::duration).into(to(&Action::duration)).above(0).computed("until the end of the run")
          .says("shed_load and kill_switch only: lifted after this long."),
      row("action[].features", T::name_list).into(to(&Action::features)).computed("every feature")
          .says("admit only: the features whose users are admitted step by step."),
      row("action[].step", T::number).into(to(&Action::step)).fallback("0.1").above(0).at_most(1).in("fraction")
          .says("admit only: share of the users admitted at each step."),
      row("action[].every", T::duration)
          .into(to(&Action::every)).fallback("\"5m\"").above(0).says("admit only: time between two steps."),
      row("action[].size", T::number).into(to(&Action::size)).above(0).at_most(1e15).in("units (GB, records, ...)")
          .says("restore only (required): the data of each lost tenant, in the unit `rate` counts."),
      row("action[].size_stddev", T::number).into(to(&Action::size_stddev)).fallback("0").within(0, 1e15).in("units")
          .says("restore only: tenants differ in size, each a lognormal draw of mean `size` and this standard "
                "deviation (0: all the same)."),
      row("action[].rate", T::number).into(to(&Action::rate)).above(0).at_most(1e15).in("units per second per stream")
          .says("restore only (required): how fast one stream copies. A tenant of size s on its own stream is "
                "back s / rate after its stream took it."),
      row("action[].parallelism", T::integer)
          .into(to(&Action::parallelism)).fallback("1").within(1, 100000).in("streams")
          .says("restore only: tenants restored at once; each stream takes the next tenant in the fault's drawn "
                "order when it is done. Work W in all ends W / (rate x parallelism) after the start when the "
                "streams stay busy."),
      row("action[].bandwidth", T::number)
          .into(to(&Action::bandwidth)).above(0).at_most(1e15).computed("no shared limit").in("units per second")
          .says("restore only: what the streams share (the disk or network the copy goes through), split evenly "
                "between the streams at work: each goes at min(rate, bandwidth / streams at work)."),
      row("action[].tooling", T::name_list).into(to(&Action::tooling)).computed("none")
          .says("Services the action is carried out with (a deploy system, a console, a chat-ops bot), with the "
                "same meaning of *usable* as `incident.tooling`: while one is not, the action's `delay` (from its "
                "trigger) and each step's `interval` (or `every`) pass at `tooling_down_speed`; the tooling is "
                "looked at once a bucket. The wait shows in its `action` event and, for a rollout, in its "
                "paused time."),
      row("action[].tooling_down_speed", T::number)
          .into(to(&Action::tooling_down_speed)).fallback("0").within(0, 1).in("fraction")
          .says("Rate at which the action's delay and steps pass while its tooling is not usable, as a fraction "
                "of the normal rate; 0: it waits for the tooling."),
      row("action[].mitigates", T::boolean).into(to(&Action::mitigates)).computed("per kind")
          .says("Whether taking it marks the incident mitigated. Absent: a rollback when the fault it ends is "
                "active; a restart when an active fault hits the service; a switch_dependency when one hits the "
                "service switched away from; failover, shed_load, scale and kill_switch always; admit never (it "
                "is part of recovery)."),

      row("expect[]", T::section_array)
          .says("A stated expectation of every run: a per-run metric against a bound. `faultline run --check` "
                "exits 3 when one is missed (or a feature misses its SLO) and says which; every report lists "
                "them under `expectations`, met or missed."),
      row("expect[].metric", T::string).into(to(&Expectation::metric)).need()
          .says("A per-run metric, as `faultline sweep` names its columns: `availability`, "
                "`feature.<f>.availability`, `degraded`, `feature.<f>.degraded`, `requests`, `users_affected`, "
                "`user_minutes_lost`, `sessions_lost`, `ttd`, `tta`, `ttm`, `ttr`, `impact_start` ... `recovered`, "
                "`detection_span` ... `recovery_span`, `incidents`, `worst_ttr`, `mean_ttr`, `service_calls`, `run_duration`, "
                "`wasted_work` (and "
                "`writes_lost`, `read_only` with replicated state). An incident time of a run without an incident "
                "meets its bound; one the incident never reached (never detected, never recovered) misses it."),
      row("expect[].at_least", T::number)
          .says("The metric must be at least this; a duration string for the time metrics (give `at_least`, "
                "`at_most` or both)."),
      row("expect[].at_most", T::number)
          .says("The metric must be at most this; a duration string for the time metrics."),

      row("<distribution>", T::section)
          .says("A distribution table, wherever a key takes one (`service_time`, `delay`, `failure`, `repair`, "
                "`acknowledge`, `diagnose`, `act`)."),
      row("<distribution>.dist", T::choice).need().one_of({"constant", "exponential", "lognormal", "uniform", "weibull"})
          .says("The family; each takes the parameters noted below and no others."),
      row("<distribution>.mean", T::duration).at_least(0)
          .says("constant, exponential, lognormal (required): the mean; > 0 for exponential and lognormal."),
      row("<distribution>.stddev", T::duration).at_least(0)
          .says("lognormal (required): standard deviation of the value (not of its log)."),
      row("<distribution>.min", T::duration).at_least(0).says("uniform (required): lower end."),
      row("<distribution>.max", T::duration).at_least(0).says("uniform (required): upper end; above `min`."),
      row("<distribution>.shape", T::number).above(0).says("weibull (required): shape k."),
      row("<distribution>.scale", T::duration).above(0).says("weibull (required): scale lambda."),
  };
}

}  // namespace faultline::schema_rows
