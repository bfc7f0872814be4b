#include "io/schema.hpp"

#include "io/duration.hpp"
#include "io/loader.hpp"
#include "scenario/errors.hpp"
#include "scenario/status.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace faultline {

namespace {

constexpr double kMinute = 60, kHour = 3600, kDay = 86400;

using T = ValueType;

SchemaKey row(std::string_view path, ValueType type) {
  SchemaKey k;
  k.path = path;
  k.type = type;
  return k;
}

std::vector<SchemaKey> build_schema() {
  return {
      row("schema_version", T::integer).need().says("Version of this file format; must be 1."),

      row("scenario", T::section).need().says("What the scenario is called and how long it runs."),
      row("scenario.name", T::name).need().says("Identifies the scenario in reports and names the default output directory."),
      row("scenario.description", T::string).fallback("\"\"").says("Free text shown in reports."),
      row("scenario.duration", T::duration).fallback("\"1h\"").above(0).at_most(400 * kDay)
          .says("Simulated time the run covers."),
      row("scenario.seed", T::integer).fallback("1").at_least(0)
          .says("Seed of every random stream; the same scenario and seed give the same report."),
      row("scenario.bucket", T::duration).fallback("\"10s\"").above(0)
          .says("Resolution of the timeline; at most `duration`, and at most 1e6 buckets per run."),

      row("zone[]", T::section_array).need().says("A failure domain: hosts that fail together, in a region."),
      row("zone[].name", T::name).need().says("Unique zone name; hosts are named `<zone>-h<i>` from i = 0."),
      row("zone[].region", T::name).need().says("The region the zone belongs to; regions exist through their zones."),
      row("zone[].hosts", T::integer).fallback("1").within(1, 100000).in("hosts").says("Hosts in the zone."),
      row("zone[].racks", T::integer).fallback("0").within(0, 100000).in("racks")
          .says("Racks the hosts sit in, in turn (host i in rack i % racks), for fault targets `<zone>/rack<i>`; "
                "0: none. At most `hosts`."),
      row("zone[].cores", T::integer).fallback("8").within(1, 4096).in("cores")
          .says("Cores of each host of the zone. They matter to services with `cpu` work and to `cpu_hog` faults: "
                "each runnable thread runs at most on one core, and while more threads are runnable than there are "
                "cores, each gets an equal share (processor sharing, SimGrid's CPU model)."),
      row("zone[].speed", T::number).fallback("1").above(0).at_most(1000).in("x")
          .says("Speed of each core, relative to the core `service[].cpu` is measured on (2: twice as fast)."),
      row("zone[].disk_bandwidth", T::number).fallback("100").above(0).at_most(1e6).in("MB/s")
          .says("Bandwidth of each host's disk, shared equally by the writes in progress (SimGrid's disk model). It "
                "matters to `dependency[].on_failure.log` writes."),
      row("zone[].tags", T::name_list).computed("none")
          .says("Labels for fault targets: `tag:<t>` reaches every host of the zone."),

      row("network", T::section).says("One-way latencies between hosts."),
      row("network.intra_zone", T::duration).fallback("\"0.2ms\"").at_least(0).below(10)
          .says("Between two hosts of one zone."),
      row("network.inter_zone", T::duration).fallback("\"1ms\"").at_least(0).below(10)
          .says("Between zones of one region."),
      row("network.inter_region", T::duration).fallback("\"70ms\"").at_least(0).below(10)
          .says("Between regions."),
      row("network.sync_interval", T::duration).fallback("\"1s\"").above(0).at_most(60)
          .says("How often the shares of links with a `bandwidth` are recomputed from the traffic offered in the "
                "last interval (see the README: what the aggregation approximates)."),

      row("link[]", T::section_array)
          .says("The link between two zones or two regions (symmetric): a latency override, a bandwidth, or both; "
                "or, `within` a zone, the zone's own network between its hosts (a bandwidth only)."),
      row("link[].between", T::name_list).computed("required without `within`")
          .says("Two zone names, or two region names."),
      row("link[].within", T::name).computed("none")
          .says("A zone, instead of `between`: the link is the network inside it (calls between two hosts of the "
                "zone cross it, calls within one host do not)."),
      row("link[].name", T::name).computed("`<a><-><b>`, or `<zone>.network` `within` a zone")
          .says("Names it in reports and `link_capacity` faults."),
      row("link[].latency", T::duration).computed("the `network` latency between the two").at_least(0).below(10)
          .says("One-way latency between the two."),
      row("link[].bandwidth", T::number).computed("unlimited").above(0).at_most(1e9).in("MB/s")
          .says("Capacity every call and reply crossing it shares (both directions together), max-min fairly "
                "within a `traffic_class` and by strict priority between classes (control, then rpc, then bulk)."),
      row("link[].buffer", T::number).computed("50 ms of `bandwidth`").above(0).at_most(1e9).in("MB")
          .says("What it queues beyond what it carries; beyond that, messages are dropped, the lowest class "
                "first, and their callers time out. Only with `bandwidth`."),

      row("device[]", T::section_array)
          .says("A named network device that routes between zones or regions and that their traffic shares (a "
                "transit gateway, a bridge between two networks): every call and reply between two of the places "
                "it joins crosses it, besides the links of its route. It adds no latency."),
      row("device[].name", T::name).need().says("Names it in reports and `link_capacity` faults; unique among devices and links."),
      row("device[].joins", T::name_list).need()
          .says("At least two zones or regions (either, mixed): traffic between two zones crosses it when each is, "
                "or is in a region, in the list, and not the same entry."),
      row("device[].bandwidth", T::number).need().above(0).at_most(1e9).in("MB/s")
          .says("Capacity everything crossing it shares, as a link's `bandwidth`."),
      row("device[].buffer", T::number).computed("50 ms of `bandwidth`").above(0).at_most(1e9).in("MB")
          .says("What it queues beyond what it carries; beyond that, the lowest class is dropped first, as on a link."),

      row("service[]", T::section_array).need().says("A service: identical replicas placed in zones."),
      row("service[].name", T::name).need().says("Unique service name."),
      row("service[].replicas", T::integer).fallback("1").within(1, 10000).in("replicas")
          .says("Replicas, spread round-robin over `zones`."),
      row("service[].zones", T::name_list).computed("every zone").repeatable()
          .says("Zones the replicas are placed in, in turn; a zone listed twice gets twice the share."),
      row("service[].workers", T::integer).fallback("8").within(1, 100000).in("requests")
          .says("Requests one replica serves concurrently."),
      row("service[].queue", T::integer).fallback("64").within(0, 10000000).in("requests")
          .says("Requests waiting per replica beyond the workers; more are rejected."),
      row("service[].service_time", T::distribution).fallback("\"5ms\"").at_least(0)
          .says("Time a worker spends on one request, excluding calls to dependencies."),
      row("service[].cpu", T::distribution).at_least(0).computed("none (the service takes `service_time`)")
          .says("CPU work of one request, in core-seconds on a core of speed 1, instead of `service_time`: it runs "
                "on the replica's host, whose cores every busy worker of every replica there and every "
                "`cpu_hog` thread share, so a saturated host slows all of them."),
      row("service[].restart_time", T::duration).fallback("\"30s\"").at_least(0)
          .says("Time from a crash (or a restart action) until a replica serves again."),
      row("service[].health_check", T::table).says("How the load balancer takes replicas out of rotation."),
      row("service[].health_check.interval", T::duration).fallback("\"5s\"").above(0)
          .says("Time between two checks of a replica."),
      row("service[].health_check.unhealthy_threshold", T::integer).fallback("2").within(1, 100).in("checks")
          .says("Consecutive failed checks before a replica leaves rotation."),
      row("service[].health_check.healthy_threshold", T::integer).fallback("1").within(1, 100).in("checks")
          .says("Consecutive passed checks before it returns."),
      row("service[].restart_policy", T::table)
          .says("How the supervisor (systemd, a kubelet) restarts a replica that crashed."),
      row("service[].restart_policy.backoff", T::duration).fallback("\"0s\"").at_least(0)
          .says("Wait before restarting a crashed replica, doubled for each crash in a row (a crash before the "
                "replica has served for `window`)."),
      row("service[].restart_policy.max_backoff", T::duration).fallback("\"5m\"").above(0)
          .says("Cap of the doubled back-off; at least `backoff`."),
      row("service[].restart_policy.max_restarts", T::integer).fallback("0").within(0, 1000000).in("restarts")
          .says("Most starts of the service's replicas (all of them together) in any `window`; 0: no limit."),
      row("service[].restart_policy.window", T::duration).fallback("\"10m\"").above(0)
          .says("The span `max_restarts` counts over, and the time a replica must serve for its next crash not "
                "to count as one in a row."),
      row("service[].startup_requires", T::name_list).computed("none")
          .says("Services that must be serving for a replica of this one to start: a replica that becomes ready "
                "while one of them has no serving replica crashes at once (and is restarted by its "
                "`restart_policy`)."),
      row("service[].queue_discipline", T::choice).fallback("\"fifo\"").one_of({"fifo", "lifo"})
          .says("Which queued request a free worker takes: the oldest (`fifo`) or the newest (`lifo`)."),
      row("service[].max_queue_wait", T::duration).above(0).computed("no bound")
          .says("Admission control: reject a request whose expected wait in the queue is longer, and drop "
                "queued requests that waited longer."),
      row("service[].error_cost", T::duration).fallback("\"0s\"").at_least(0)
          .says("Extra worker time spent on a request that fails (error handling, logging); on a service with "
                "`cpu` work, CPU work on its host (core-seconds at speed 1), shared with everything else there."),
      row("service[].deadline_propagation", T::boolean).fallback("false")
          .says("Skip queued work, and calls to dependencies, for callers that have already given up. "
                "Without it the work is done and its answer thrown away."),
      row("service[].cancellation", T::boolean).fallback("false")
          .says("Abandon work in progress (freeing its worker) when its caller gives up."),
      row("service[].load_balancer", T::choice).fallback("\"round_robin\"")
          .one_of({"round_robin", "random", "least_request", "zone_aware"})
          .says("How callers pick among its replicas (always in their own region first; `zone_aware`: in "
                "their own zone first; `least_request`: the less loaded of two random replicas)."),
      row("service[].outlier_detection", T::table)
          .says("Envoy outlier detection: eject replicas whose calls keep failing. Present: enabled."),
      row("service[].outlier_detection.consecutive_5xx", T::integer).fallback("5").within(1, 100000).in("calls")
          .says("Consecutive failed calls (server errors or timeouts) that eject a replica."),
      row("service[].outlier_detection.base_ejection_time", T::duration).fallback("\"30s\"").above(0)
          .says("Ejection time; multiplied by how many times the replica has been ejected."),
      row("service[].outlier_detection.max_ejection_percent", T::number).fallback("10").within(0, 100)
          .in("percent").says("Most replicas ejected at once (at least one may always be)."),
      row("service[].autoscaling", T::table)
          .says("Horizontal autoscaling on a signal the service itself shows (not on what its users see): every "
                "`interval` the replicas wanted are ceil(serving replicas x signal / `target`), within `min` .. "
                "`max`, unchanged while the signal is within 10% of the target. The signal is sampled every "
                "second and averaged over the interval. The "
                "replicas beyond `replicas` (up to `max`) are placed like the others and start parked; fault "
                "selectors on the service count them too. Present: enabled."),
      row("service[].autoscaling.signal", T::choice).fallback("\"cpu\"").one_of({"cpu", "queue", "latency"})
          .says("What it scales on: `cpu`, the busy share of the workers; `queue`, requests waiting per replica; "
                "`latency`, the service's p99 latency."),
      row("service[].autoscaling.target", T::number).fallback("0.6").above(0).in("per `signal`")
          .says("The signal's value aimed for: a fraction of the workers (at most 1) for `cpu`, requests per "
                "replica for `queue`, seconds (a number) for `latency`."),
      row("service[].autoscaling.min", T::integer).fallback("1").within(1, 10000).in("replicas")
          .says("Fewest replicas; at most `replicas`."),
      row("service[].autoscaling.max", T::integer).need().within(1, 10000).in("replicas")
          .says("Most replicas; at least `replicas` and `min`."),
      row("service[].autoscaling.interval", T::duration).fallback("\"1m\"").above(0)
          .says("Time between two scaling decisions."),
      row("service[].autoscaling.provisioning_delay", T::duration).fallback("\"2m\"").at_least(0)
          .says("From a decision to add replicas until they start (then they take `restart_time` to serve)."),
      row("service[].autoscaling.max_step", T::integer).fallback("4").within(1, 10000).in("replicas")
          .says("Most replicas added by one decision."),
      row("service[].autoscaling.cooldown", T::duration).fallback("\"5m\"").at_least(0)
          .says("Replicas are removed only after the signal has asked for fewer for this long."),
      row("service[].failover", T::table)
          .says("Automatic failover by an orchestrator: the replicas in `standby` zones take no traffic while the "
                "others (the active ones) answer the controller's probes from `observer`. Once no active replica "
                "has been reachable for `hold_down`, the standby replicas are promoted: after `delay` they take the "
                "traffic and the old active ones are fenced off for good (no automatic fail-back; a `failover` "
                "action moves it back). Present: enabled."),
      row("service[].failover.standby", T::name_list).need()
          .says("Zones of the service whose replicas stand by; not every one of its zones."),
      row("service[].failover.observer", T::name).need().says("The zone the controller probes the active replicas from."),
      row("service[].failover.hold_down", T::duration).fallback("\"30s\"").at_least(0)
          .says("How long no active replica must have been reachable before the standby ones are promoted."),
      row("service[].failover.delay", T::duration).fallback("\"1m\"").at_least(0)
          .says("From promotion until the standby replicas take the traffic."),
      row("service[].replication", T::table)
          .says("Replicated state; needs a `failover`, whose `standby` zones hold the copy. The active replicas are "
                "the primary: `write_share` of the requests it serves are writes. `async`: a write is acknowledged "
                "at once and reaches the copy `lag` later, in commit order; while the copy cannot be reached "
                "(a partition, the primary's host gone) it falls behind, and a promotion loses what it lacks "
                "(`writes_lost`): those writes diverge on the old primary and, once it can be reached again, "
                "are reconciled at `reconcile_rate`; a fail-back (`failover` action to the old primary's zone) "
                "waits for that. `sync`: a write waits `lag` for the copy's acknowledgement, nothing is lost, "
                "and writes are refused while the copy cannot be reached. During a promotion the standby "
                "replicas serve reads and refuse writes (read-only). Present: enabled."),
      row("service[].replication.mode", T::choice).fallback("\"async\"").one_of({"async", "sync"})
          .says("Asynchronous (acknowledged before the copy has it) or synchronous (after)."),
      row("service[].replication.lag", T::distribution).fallback("\"1s\"").at_least(0)
          .says("From a write's commit on the primary until the copy has it (async), or until the copy "
                "acknowledges it (sync: added to the write's time)."),
      row("service[].replication.write_share", T::number).fallback("0.1").within(0, 1)
          .says("Share of the requests the service serves that are writes."),
      row("service[].replication.reconcile_rate", T::number).fallback("0").at_least(0).in("writes/s")
          .says("Divergent writes reconciled per second once the old primary can be reached again; 0: never "
                "(a fail-back then discards them)."),
      row("service[].tags", T::name_list).computed("none")
          .says("Labels for fault targets: `tag:<t>` reaches every replica of the service (shared infrastructure: "
                "`db`, `dns`, `bus`)."),

      row("service[].threads", T::table)
          .says("A limit on the OS threads of each process. A process needs `base` threads plus `per_peer` for every "
                "other provisioned replica of its fleet (`peers`); over `limit`, a start fails and a running process "
                "dies when its fleet grows past it, and its restart_policy takes over. Present: enabled."),
      row("service[].threads.limit", T::integer).need().within(1, 10000000).in("threads")
          .says("Threads a process may have (ulimit, kernel.threads-max)."),
      row("service[].threads.base", T::integer).computed("`workers`").within(0, 10000000).in("threads")
          .says("Threads a process needs whatever its fleet."),
      row("service[].threads.per_peer", T::number).fallback("0").within(0, 100000).in("threads")
          .says("Threads it needs for each other member of its fleet (one per peer connection, say)."),
      row("service[].memory", T::table)
          .says("Memory of each process: `base` plus `per_request` for every request it holds (running or queued) "
                "plus what a `memory_leak` fault leaked since it started. Over `limit` the process is killed (out "
                "of memory) and its restart_policy takes over. Present: enabled."),
      row("service[].memory.limit", T::number).need().above(0).at_most(1e9).in("MB")
          .says("Memory a process may use."),
      row("service[].memory.base", T::number).fallback("0").at_least(0).at_most(1e9).in("MB")
          .says("What a process uses idle."),
      row("service[].memory.per_request", T::number).fallback("0").at_least(0).at_most(1e6).in("MB")
          .says("What each request it holds (running or queued) uses."),
      row("service[].memory.pressure", T::number).fallback("0.8").above(0).at_most(1)
          .says("Share of the limit above which garbage-collection pauses stretch the service time."),
      row("service[].memory.pressure_slowdown", T::number).fallback("0").within(0, 1000).in("x")
          .says("Service time multiplied by 1 + this x (use - pressure x limit) / ((1 - pressure) x limit) above "
                "`pressure`: 1 + this at the limit."),
      row("service[].contention", T::number).fallback("0").within(0, 100)
          .says("Lock contention: each request's service time (or `cpu` work) is multiplied by 1 + contention x "
                "(busy workers - 1), so a busier replica serves each request more slowly."),
      row("service[].warmup", T::table)
          .says("A started process's warm-up (loading caches, compiling, building its routing tables) as CPU work on "
                "its host: the process serves only once the work is done, and the work shares the host's cores with "
                "everything running there, serving replicas included, so processes restarted together on the same "
                "hosts warm up more slowly. Replicas running when the run starts are warm. Present: enabled."),
      row("service[].warmup.cpu", T::number).need().above(0).at_most(1e6).in("core-seconds")
          .says("The warm-up's work, in core-seconds on a core of speed 1."),
      row("service[].warmup.threads", T::integer).fallback("1").within(1, 1024).in("threads")
          .says("Threads it runs in, each at most one core: alone on an idle host it takes cpu / (min(threads, cores) x "
                "speed)."),
      row("service[].warmup.timeout", T::duration).computed("no limit").above(0).at_most(86400)
          .says("How long after the process came up its warm-up may take (a startup probe's failure threshold x "
                "period): later, the probe fails, the process is killed and its restart_policy restarts it as after "
                "a crash (with its back-off)."),
      row("service[].threads.peers", T::choice).fallback("\"service\"").one_of({"service", "zone"})
          .says("Who the fleet is: every provisioned replica of the service, or those of its zone (cells)."),

      row("dependency[]", T::section_array).says("A call from one service to another."),
      row("dependency[].from", T::name).need().says("The calling service."),
      row("dependency[].to", T::name).need().says("The called service; must differ from `from`."),
      row("dependency[].kind", T::choice).fallback("\"hard\"").one_of({"hard", "soft", "control"})
          .says("`hard`: its failure fails the caller; `soft`: the caller applies `fallback`; `control`: "
                "control plane or discovery, read periodically and served from the caller's cache."),
      row("dependency[].calls", T::number).fallback("1.0").within(0, 100).in("calls/request")
          .says("Mean calls per request; the fractional part is a random draw."),
      row("dependency[].features", T::name_list).computed("every feature")
          .says("Features whose requests take this edge."),
      row("dependency[].timeout", T::duration).fallback("\"1s\"").above(0)
          .says("Deadline of one call, retries included."),
      row("dependency[].retry_policy", T::table).says("Envoy-style retries of failed calls."),
      row("dependency[].retry_policy.num_retries", T::integer).fallback("0").within(0, 10).in("retries")
          .says("Retries after the first try."),
      row("dependency[].retry_policy.per_try_timeout", T::duration).above(0).computed("the dependency's `timeout`")
          .says("Deadline of each try."),
      row("dependency[].retry_policy.retry_on", T::string_list).fallback("[\"5xx\", \"reset\", \"connect-failure\"]")
          .says("Conditions that are retried: `5xx`, `gateway-error`, `reset`, `connect-failure`, `timeout`, "
                "`rejected`, or a status name."),
      row("dependency[].retry_policy.retry_back_off", T::table).says("Exponential back-off between tries."),
      row("dependency[].retry_policy.retry_back_off.base_interval", T::duration).fallback("\"25ms\"").above(0)
          .says("Back-off before the first retry; doubles with each retry."),
      row("dependency[].retry_policy.retry_back_off.max_interval", T::duration).computed("10 x `base_interval`")
          .says("Cap of the back-off; at least `base_interval`."),
      row("dependency[].retry_policy.jitter", T::choice).fallback("\"full\"")
          .one_of({"none", "full", "equal", "decorrelated"}).says("How the back-off is randomised."),
      row("dependency[].retry_policy.retry_budget", T::table)
          .says("Envoy retry budget of each caller replica on this edge. Present: enabled."),
      row("dependency[].retry_policy.retry_budget.budget_percent", T::number).fallback("20").within(0, 100)
          .in("percent").says("Retries in flight allowed, as a share of the requests in flight."),
      row("dependency[].retry_policy.retry_budget.min_retry_concurrency", T::integer).fallback("3")
          .within(0, 1000000).in("retries").says("Retries in flight always allowed."),
      row("dependency[].retry_policy.retry_throttling", T::table)
          .says("gRPC retry throttling (a token bucket) of each caller replica on this edge. Present: enabled."),
      row("dependency[].retry_policy.retry_throttling.max_tokens", T::number).fallback("10").within(1, 1000000)
          .in("tokens").says("Tokens to start with and at most; a failed attempt takes one."),
      row("dependency[].retry_policy.retry_throttling.token_ratio", T::number).fallback("0.1").within(0, 1000)
          .in("tokens").says("Tokens a successful attempt gives back; retries only while over half are left."),
      row("dependency[].circuit_breakers", T::table)
          .says("Envoy circuit breakers of each caller replica on this edge; over a limit a call fails at once "
                "(cause `circuit_open`). Present: enabled."),
      row("dependency[].circuit_breakers.max_requests", T::integer).fallback("1024").within(1, 100000000)
          .in("requests").says("Attempts in flight."),
      row("dependency[].circuit_breakers.max_pending_requests", T::integer).fallback("1024")
          .within(0, 100000000).in("requests").says("Attempts waiting in the callee's queue."),
      row("dependency[].circuit_breakers.max_retries", T::integer).fallback("3").within(0, 100000000)
          .in("retries").says("Retries in flight."),
      row("dependency[].cache", T::table)
          .says("A cache in front of the callee, held by the caller. Present: enabled."),
      row("dependency[].cache.hit_ratio", T::number).fallback("0.9").within(0, 1)
          .says("Share of calls a warm, fresh cache answers."),
      row("dependency[].cache.ttl", T::duration).fallback("\"10m\"").above(0)
          .says("How long the cached data stays usable after the last good refresh."),
      row("dependency[].cache.refresh", T::duration).fallback("\"1m\"").above(0)
          .says("How often the caller refreshes the data from the callee (a real call)."),
      row("dependency[].cache.warmup", T::duration).fallback("\"2m\"").at_least(0)
          .says("After the data expired, time for the hit ratio to climb back once refreshes succeed."),
      row("dependency[].cache.serve_stale", T::boolean).fallback("false")
          .says("Answer a failed miss from expired data (fail static)."),
      row("dependency[].backlog", T::table)
          .says("A durable queue in front of the callee (an outbox, a message queue): a call that fails (after "
                "its retries) is kept instead and the caller carries on, degraded; the queue is replayed to the "
                "callee in order at `replay_rate` while it has a replica serving, and a failed replay goes back "
                "to the head and holds the replay for `pause`. The replay is real load on the callee and can "
                "overload it again. Reports gain a `backlogs` section (kept, replayed, dropped, length per "
                "bucket, drained at), `backlog` rows in `timeline.csv`. Present: enabled."),
      row("dependency[].backlog.max", T::integer).fallback("100000").within(1, 100000000).in("calls")
          .says("Calls the queue holds; a failed call beyond that fails the caller as without a backlog."),
      row("dependency[].backlog.replay_rate", T::number).fallback("100").above(0).at_most(1e6).in("calls/s")
          .says("Calls replayed per second."),
      row("dependency[].backlog.pause", T::duration).fallback("\"30s\"").at_least(0)
          .says("How long a failed replay holds the replay before it resumes."),
      row("dependency[].fallback", T::choice).fallback("\"degrade\"").one_of({"degrade", "fail", "ignore"})
          .says("Soft edges only. What the caller does when the call fails: serve degraded, fail, or carry on "
                "as if it succeeded."),
      row("dependency[].fail_static", T::boolean).fallback("true")
          .says("Control edges only. Keep serving the last known entries when the control plane fails or "
                "returns none."),
      row("dependency[].refresh", T::duration).fallback("\"30s\"").above(0)
          .says("Control edges only. How often the caller refreshes its cache."),
      row("dependency[].cache_ttl", T::duration).fallback("\"5m\"").at_least(0)
          .says("Control edges only. How long entries stay usable after the last good refresh."),
      row("dependency[].error_mapping", T::map)
          .says("Which status the caller surfaces for a failure of the callee: `{NOT_FOUND = \"UNAVAILABLE\"}`."),
      row("dependency[].error_mapping.*", T::status).says("Key: the callee's status; value: the caller's."),

      row("dependency[].pool", T::table)
          .says("A connection pool of each caller replica towards the callee: an attempt holds a connection from "
                "when it is sent until its caller has the answer or gives up. A call that cannot get one fails "
                "without a retry (cause `rejected`, blamed on the pool). Present: enabled."),
      row("dependency[].pool.size", T::integer).need().within(1, 10000000).in("connections")
          .says("Connections of each caller replica."),
      row("dependency[].pool.on_exhausted", T::choice).fallback("\"wait\"").one_of({"wait", "fail"})
          .says("With every connection taken: wait for one (oldest first) or fail at once."),
      row("dependency[].pool.max_wait", T::duration).computed("the attempt's timeout").above(0)
          .says("`wait` only: how long a call may wait for a connection before it fails."),
      row("dependency[].on_failure", T::table)
          .says("What each failed attempt costs the calling worker before it retries or gives up, so that errors "
                "downstream load the caller."),
      row("dependency[].on_failure.cpu", T::number).fallback("0").within(0, 3600).in("core-seconds")
          .says("CPU work on the caller's host (handling the error), shared with everything running there."),
      row("dependency[].on_failure.log", T::number).fallback("0").within(0, 100000).in("MB")
          .says("A log write to the caller's host disk; the worker waits until it is written (synchronous "
                "logging), and writes share the disk's `disk_bandwidth`."),
      row("dependency[].on_failure.log_limit", T::number).fallback("0").within(0, 1e9).in("writes/s")
          .says("Rate limit on those log writes, per caller replica (a token bucket of one second's worth); "
                "failures beyond it are not logged. 0: no limit."),

      row("dependency[].request_size", T::number).fallback("1").within(0, 1e6).in("KB")
          .says("Bytes each attempt carries to the callee, on links with a `bandwidth`."),
      row("dependency[].reply_size", T::number).fallback("4").within(0, 1e6).in("KB")
          .says("Bytes each reply carries back, on links with a `bandwidth`."),
      row("dependency[].traffic_class", T::choice).fallback("\"rpc\"").one_of({"bulk", "rpc", "control"})
          .says("Its calls' class on links: a congested link serves control, then rpc, then bulk, and drops the "
                "lowest class first."),

      row("feature[]", T::section_array).need().says("A user-facing operation (play, search, login, ...)."),
      row("feature[].name", T::name).need().says("Unique feature name."),
      row("feature[].entry", T::name).need().says("The service user requests for this feature arrive at."),
      row("feature[].share", T::number).need().above(0).at_most(1e9).in("weight")
          .says("Its part of the user request rate; shares are normalised over features."),
      row("feature[].slo", T::number).fallback("0.999").above(0).at_most(1).in("fraction")
          .says("Availability objective; impact starts when a feature falls below it."),

      row("traffic", T::section).says("The user request stream."),
      row("traffic.rate", T::number).fallback("100").above(0).in("requests/s")
          .says("Simulated user requests per second (before the pattern's multiplier)."),
      row("traffic.users", T::number).fallback("1e6").above(0).in("users")
          .says("The user population those requests represent."),
      row("traffic.sample_users", T::integer).fallback("100000").within(1, 10000000).in("users")
          .says("Simulated user identities, scaled up to `users` for users affected."),
      row("traffic.tenants", T::integer).fallback("0").within(0, 10000000).in("tenants")
          .says("Customers (organisations, sites) the users belong to: the simulated users are dealt out "
                "evenly over them, so each tenant carries users / tenants of the population. 0: no tenants. "
                "At most `sample_users`. A `data_loss` fault hits tenants."),
      row("traffic.pattern", T::choice).fallback("\"constant\"").one_of({"constant", "piecewise", "diurnal"})
          .says("How the rate changes over time."),
      row("traffic.steps[]", T::table_array)
          .says("Piecewise pattern only (required): the rate multiplier from each `at` on, in ascending `at`; "
                "the rate is unchanged before the first."),
      row("traffic.steps[].at", T::duration).need().at_least(0).says("When the step starts; before the end of the run."),
      row("traffic.steps[].multiplier", T::number).need().at_least(0).in("x rate").says("Rate multiplier."),
      row("traffic.diurnal", T::table).says("Diurnal pattern only: a cosine cycle between trough and peak."),
      row("traffic.diurnal.period", T::duration).fallback("\"24h\"").above(0).says("Length of one cycle."),
      row("traffic.diurnal.peak", T::duration).fallback("\"20h\"").at_least(0)
          .says("Time of the peak within the cycle; less than `period`."),
      row("traffic.diurnal.trough", T::number).fallback("0.3").within(0, 1).in("x peak rate")
          .says("Trough rate as a fraction of the peak."),
      row("traffic.region_share", T::map).computed("equal over regions")
          .says("Where users are: `{eu = 0.6, us = 0.4}`; normalised; regions left out get no traffic."),
      row("traffic.region_share.*", T::number).at_least(0).in("weight").says("Key: a region; value: its weight."),
      row("traffic.segment[]", T::section_array).computed("one segment of every user")
          .says("User populations (consumers, businesses) and the features they use."),
      row("traffic.segment[].name", T::name).need().says("Unique segment name."),
      row("traffic.segment[].share", T::number).fallback("1").above(0).in("weight")
          .says("Its part of the users; normalised over segments."),
      row("traffic.segment[].features", T::name_list).computed("every feature").says("Features its users request."),

      row("client", T::section).says("What the user's app does with a failed request."),
      row("client.on_status", T::map).says("Reaction per status: `{NOT_FOUND = \"logout\", UNAVAILABLE = \"retry\"}`."),
      row("client.on_status.*", T::choice).one_of({"error", "retry", "logout", "ignore"})
          .says("Key: a status name; `error` shows the failure, `retry` retries, `logout` ends the session, "
                "`ignore` hides it."),
      row("client.retries", T::integer).fallback("2").within(0, 10).in("retries")
          .says("Client retries of a status mapped to `retry`."),
      row("client.retry_delay", T::duration).fallback("\"1s\"").at_least(0).says("Wait before a client retry."),
      row("client.timeout", T::duration).fallback("\"10s\"").above(0).says("The user gives up after this long."),
      row("client.relogin_feature", T::name).computed("none")
          .says("The feature a logged-out user requests next (login, say)."),

      row("fault[]", T::section_array)
          .says("Something that goes wrong: at a time, after another fault, again and again, or by chance."),
      row("fault[].name", T::name).computed("`fault[i]`").says("Unique fault name; actions and `after` refer to it."),
      row("fault[].kind", T::choice).need()
          .one_of({"host_crash", "service_crash", "zone_outage", "region_outage", "link_down", "partition", "latency",
                   "packet_loss", "error_rate", "slowdown", "traffic_surge", "config_rollout", "cert_expiry",
                   "dns_failure", "control_plane", "clock_skew", "cpu_hog", "link_capacity", "memory_leak",
                   "slow_disk", "limit_lowered", "data_loss"})
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
      row("fault[].target", T::string).need()
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
      row("fault[].mode", T::choice).fallback("\"all\"").one_of({"one", "all", "fixed", "percent"})
          .says("Which of the target's hosts or replicas are hit (data_loss: which of the tenants), drawn from the "
                "seed and the fault's name; a config rollout reaches them, and a restore repairs them, in the drawn "
                "order."),
      row("fault[].value", T::number).in("count or %")
          .says("Required by modes `fixed` (an integer >= 1) and `percent` (0 < value <= 100)."),
      row("fault[].at", T::duration).at_least(0)
          .says("Start; before the end of the run. Required unless `after`, `mttf` or `failure` is given."),
      row("fault[].duration", T::duration).above(0).computed("until an action ends it or the run ends")
          .says("How long each occurrence lasts. Not with `mttf` or `failure` (the repair time is the duration)."),
      row("fault[].every", T::duration).above(0)
          .says("Repeat: an occurrence every this long from `at`, each lasting `duration` (required, at most "
                "`every`)."),
      row("fault[].after", T::name)
          .says("Start with each start of this other fault (plus `after_delay`) instead of at `at`. A "
                "common-cause failure counts once."),
      row("fault[].after_delay", T::duration).fallback("\"0s\"").at_least(0)
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
      row("fault[].common_cause.probability", T::number).need().within(0, 1).in("probability")
          .says("Chance that a failure is a common-cause one."),
      row("fault[].age_while_down", T::boolean).fallback("true")
          .says("By chance: `false` stops a target's time in service while any target of any random fault of "
                "the scenario is down (a series system that is stopped does not wear)."),
      row("fault[].delay", T::distribution).at_least(0)
          .says("Latency faults only (required): extra delay per call (a distribution gives jitter); on a link, "
                "each way."),
      row("fault[].rate", T::number).fallback("1").above(0).at_most(1).in("fraction")
          .says("error_rate, packet_loss and config_rollout (without crash_loop) only: fraction of calls that "
                "fail or are lost."),
      row("fault[].status", T::status)
          .computed("`UNAVAILABLE`; `NOT_FOUND` for control_plane and data_loss")
          .says("error_rate, control_plane, config_rollout, cert_expiry, dns_failure and data_loss only: the "
                "status failures carry."),
      row("fault[].behaviour", T::choice).fallback("\"missing\"").one_of({"missing", "errors"})
          .says("Control-plane faults only: it returns no entries (`missing`) or fails (`errors`)."),
      row("fault[].factor", T::number).above(0).at_most(1000).in("x")
          .says("slowdown (service time multiplied), traffic_surge (request rate multiplied), link_capacity and "
                "slow_disk (bandwidth multiplied, at most 1) and limit_lowered (limit multiplied, at most 1, rounded "
                "down, at least 1) only; required."),
      row("fault[].direction", T::choice).fallback("\"both\"").one_of({"both", "one_way"})
          .says("Partitions only: `one_way` drops packets from the first end of the link (or the zone or region "
                "named) to the other only, so calls one way are lost and answers the other way are lost."),
      row("fault[].ramp", T::duration).at_least(0)
          .says("config_rollout only (required): time from the first replica reached (at the start) to the "
                "last; the others are reached evenly in between."),
      row("fault[].crash_loop", T::boolean).fallback("false")
          .says("config_rollout only: replicas reached crash (restart, serve `crash_after`, crash again) "
                "instead of failing `rate` of their calls."),
      row("fault[].crash_after", T::duration).fallback("\"10s\"").above(0)
          .says("config_rollout with crash_loop only: how long a restarted replica serves before it crashes "
                "again."),
      row("fault[].ttl", T::duration).fallback("\"0s\"").at_least(0)
          .says("dns_failure only: callers keep using their cached answer for up to this long (each caller's "
                "cache expires at a random moment within it)."),
      row("fault[].poisons_cache", T::boolean).fallback("false")
          .says("error_rate and config_rollout (without crash_loop) on a service only: its failed answers are bad "
                "answers (an empty list, a wrong page) that the caches in front of it (`dependency[].cache`) keep as "
                "if good. A cache holds entries, each refetched `refresh` after its last fetch when good; one "
                "fetched while the fault answers badly holds the bad answer for `poison_ttl` and every hit on it "
                "fails with the fault's `status`. Ending the fault does not clear them: they expire one by one, "
                "or a `flush_cache` action empties the cache. Reports gain the calls answered from bad entries per "
                "dependency (`poisoned_hits`)."),
      row("fault[].poison_ttl", T::duration).above(0).computed("the cache's `ttl`")
          .says("With poisons_cache: how long a cache keeps a bad answer (a negative-caching or CDN TTL)."),
      row("fault[].scope", T::table)
          .says("error_rate, latency, slowdown and config_rollout (without crash_loop) only: the users the fault "
                "hits, those of the listed `segments` (device classes), of a share of the `tenants` and a share "
                "of the `users`, all of them when several are given; other users' calls, and calls made for no "
                "user (cache and control-plane refreshes, backlog replays), pass untouched. Reports gain a "
                "`scoped_faults` section: the requests of the users in scope and of the others, per bucket, "
                "and when the users in scope recovered. Present: at least one of its keys."),
      row("fault[].scope.segments", T::name_list).computed("every segment")
          .says("Traffic segments whose users it hits."),
      row("fault[].scope.tenants", T::number).fallback("1").above(0).at_most(1).in("fraction")
          .says("Share of `traffic.tenants` whose users it hits, drawn from the seed and the fault's name; needs "
                "`traffic.tenants`."),
      row("fault[].scope.users", T::number).fallback("1").above(0).at_most(1).in("fraction")
          .says("Share of the users it hits, each drawn from the seed and the fault's name."),
      row("fault[].threads", T::number).above(0).at_most(100000).in("threads")
          .says("cpu_hog only (required): busy threads the hog runs on each host it hits, each taking at most one "
                "core (a fraction: a thread busy part of the time)."),
      row("fault[].leak", T::number).above(0).at_most(1e6).in("MB/s")
          .says("memory_leak only (required): memory each process it hits loses per second while it lasts; freed "
                "only when the process restarts."),
      row("fault[].skew", T::duration).above(0)
          .says("clock_skew only (required): how far the targets' clocks are off (ahead or behind alike)."),
      row("fault[].tolerance", T::duration).fallback("\"5m\"").at_least(0)
          .says("clock_skew only: the skew a validity check tolerates; no effect when `skew` is within it."),
      row("fault[].checked_by", T::name_list).computed("every service")
          .says("clock_skew only: the services that check tokens and certificates."),

      row("monitor[]", T::section_array).says("An alert; the first to fire marks detection."),
      row("monitor[].name", T::name).need().says("Unique monitor name; actions refer to it as `monitor:<name>`."),
      row("monitor[].metric", T::string).need()
          .says("`feature.<f>.availability`, or `service.<s>.` followed by `availability`, `error_rate`, "
                "`p50_latency`, `p95_latency`, `p99_latency`, `queue` (requests waiting per serving replica at the end of the bucket) or "
                "`replicas_serving`."),
      row("monitor[].below", T::number)
          .says("Fires when the metric is below this (give exactly one of `below` and `above`)."),
      row("monitor[].above", T::number)
          .says("Fires when the metric is above this; a duration string for the latency metrics."),
      row("monitor[].for", T::duration).fallback("\"0s\"").at_least(0)
          .says("How long the condition must hold before it fires."),
      row("monitor[].depends_on", T::name_list).computed("none")
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
      row("incident.acknowledge", T::distribution).fallback("\"5m\"").at_least(0)
          .says("From detection until the acknowledgement is due; it is posted then if the status page is usable."),
      row("incident.diagnose", T::distribution).fallback("\"15m\"").at_least(0)
          .says("From the acknowledgement being due until responders know what to change, as work done at full "
                "speed while the tooling is usable (checked every bucket)."),
      row("incident.act", T::distribution).fallback("\"0s\"").at_least(0)
          .says("From diagnosis to acting: it delays the actions triggered `after = \"diagnosed\"`."),
      row("incident.stable_for", T::duration).fallback("\"5m\"").above(0)
          .says("Recovery needs every feature at its SLO for this long."),
      row("incident.tooling", T::name_list).computed("none")
          .says("Services responders diagnose with (dashboards, logs, deploy tools); while one of them is not "
                "usable, diagnosis goes at `tooling_down_speed`."),
      row("incident.tooling_down_speed", T::number).fallback("0.25").within(0, 1).in("fraction")
          .says("Rate of diagnosis while the tooling is not usable, as a fraction of the normal rate."),
      row("incident.status_page", T::name).computed("none: it always works")
          .says("The service the status page runs on; while it is not usable the acknowledgement waits for it, "
                "and later updates go to the fallback channel (or are not posted without one)."),
      row("incident.status_page_fallback", T::duration).above(0).computed("none: wait for the page")
          .says("With `status_page` only: an acknowledgement this long past due because the page is down is "
                "posted elsewhere (social media) instead, as are later updates while the page is down."),
      row("incident.status_update_every", T::duration).above(0)
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
      row("incident.user_reports.rate", T::number).fallback("0.001").above(0).at_most(1000)
          .in("reports per affected user per hour")
          .says("How often an affected user reports; 0.001 is one report per thousand affected users per hour."),
      row("incident.user_reports.threshold", T::number).fallback("50").above(0).at_most(1e9).in("reports")
          .says("Reports within `window` that make the support or social-media team raise an incident."),
      row("incident.user_reports.window", T::duration).fallback("\"15m\"").above(0).at_most(86400)
          .says("How far back the reports are counted (rounded up to whole buckets)."),
      row("incident.user_reports.escalate", T::distribution).fallback("\"0s\"").at_least(0)
          .says("From the threshold being reached until the responders know (the hand-over from support)."),

      row("action[]", T::section_array)
          .says("A response to the incident, by a person or by automation. Each action runs once per run, at "
                "the first occurrence of its trigger."),
      row("action[].name", T::name).computed("`action[i]`").says("Unique action name."),
      row("action[].kind", T::choice).need()
          .one_of({"switch_dependency", "rollback", "restart", "failover", "shed_load", "scale", "kill_switch", "admit",
                   "restore", "flush_cache"})
          .says("What it does: `rollback` ends a fault; `restart` restarts a service's replicas; "
                "`switch_dependency` moves callers to another service; `failover` makes another zone or region of "
                "a service active; `shed_load` refuses a share of a service's requests; `scale` sets how many "
                "replicas a service runs; `kill_switch` turns off a feature or a dependency; `admit` lets users "
                "back in step by step; `restore` copies the data a `data_loss` fault deleted back, tenant by "
                "tenant, as work that takes its time; `flush_cache` empties a dependency's cache (its bad entries "
                "go, and it warms up again from its callee)."),
      row("action[].at", T::duration).at_least(0)
          .says("When it happens; before the end of the run. Give exactly one of `at` and `after`."),
      row("action[].after", T::string)
          .says("What triggers it: `detected`, `acknowledged`, `diagnosed` or `monitor:<name>`."),
      row("action[].delay", T::duration).fallback("\"0s\"").at_least(0).says("Wait after the trigger."),
      row("action[].fault", T::string)
          .says("rollback and restore only (required): the fault it ends (a restore: the data_loss fault it repairs), by "
                "name (`fault[i]` for an unnamed one)."),
      row("action[].service", T::name)
          .says("restart, failover, shed_load and scale only (required): the service acted on."),
      row("action[].services", T::name_list).computed("every caller of `from`")
          .says("switch_dependency only: the callers switched."),
      row("action[].from", T::name).says("switch_dependency only (required): the service callers stop calling."),
      row("action[].to", T::name)
          .says("switch_dependency only (required): the service they call instead. failover only (required): the "
                "zone or region made active; it must hold replicas of the service."),
      row("action[].batch", T::integer).fallback("0").within(0, 10000).in("replicas, hosts or zones")
          .says("restart: replicas restarted per step. switch_dependency: caller replicas (or zones, with "
                "`by = \"zone\"`) switched per step, the callers of every service switched taken in "
                "proportion; each switched replica calls `to` from then on (a control dependency from its "
                "next refresh). rollback: the fault's replicas or hosts (or zones) taken back per step, among "
                "those it affects when the rollback starts; a `config_rollout` stops reaching replicas and "
                "its other occurrences are called off at the first step (a fault on a dependency, a link, a "
                "control plane or a whole zone has no units and goes at once). failover: replicas (or zones) "
                "of `to` that take traffic per step, the old ones serving until the last (not for a "
                "replicated service). 0: all at once."),
      row("action[].interval", T::duration).fallback("\"0s\"").at_least(0)
          .says("restart, switch_dependency, rollback and failover: time between two steps; above 0s for "
                "a switch_dependency, rollback or failover with a `batch`, and for any action with a "
                "`gate`."),
      row("action[].by", T::choice).fallback("\"replica\"").one_of({"replica", "zone"})
          .says("switch_dependency, rollback and failover: what a `batch` counts, replicas (caller replicas, "
                "the fault's replicas or hosts, the replicas of `to`) or the zones they are in."),
      row("action[].gate", T::name).computed("none: every step goes")
          .says("restart, switch_dependency, rollback, failover (with a `batch`) and admit only: a monitor "
                "looked at before each step after the first; while it fires, the step fails its gate."),
      row("action[].on_gate_failure", T::choice).fallback("\"pause\"").one_of({"pause", "revert"})
          .says("With `gate` only: `pause` waits one more `interval` (`every` for admit) and looks again; "
                "`revert` (switch_dependency only) moves every switched caller back and ends the rollout."),
      row("action[].fraction", T::number).above(0).at_most(1).in("fraction")
          .says("shed_load only (required): share of the service's incoming requests refused."),
      row("action[].replicas", T::integer).within(1, 10000).in("replicas")
          .says("scale only (required): replicas wanted. At most the service's autoscaling `max` when it has "
                "autoscaling, else at most its `replicas`: the extra capacity a service can get is its parked "
                "replicas."),
      row("action[].feature", T::name)
          .says("kill_switch only: the feature turned off (its requests fail at once). Give exactly one of "
                "`feature` and `dependency`."),
      row("action[].dependency", T::string)
          .says("kill_switch: the dependency `from->to` turned off (its calls are skipped, as by a fallback); "
                "flush_cache (required): the dependency, with a `cache`, whose cache is emptied."),
      row("action[].duration", T::duration).above(0).computed("until the end of the run")
          .says("shed_load and kill_switch only: lifted after this long."),
      row("action[].features", T::name_list).computed("every feature")
          .says("admit only: the features whose users are admitted step by step."),
      row("action[].step", T::number).fallback("0.1").above(0).at_most(1).in("fraction")
          .says("admit only: share of the users admitted at each step."),
      row("action[].every", T::duration).fallback("\"5m\"").above(0).says("admit only: time between two steps."),
      row("action[].size", T::number).above(0).at_most(1e15).in("units (GB, records, ...)")
          .says("restore only (required): the data of each lost tenant, in the unit `rate` counts."),
      row("action[].size_stddev", T::number).fallback("0").within(0, 1e15).in("units")
          .says("restore only: tenants differ in size, each a lognormal draw of mean `size` and this standard "
                "deviation (0: all the same)."),
      row("action[].rate", T::number).above(0).at_most(1e15).in("units per second per stream")
          .says("restore only (required): how fast one stream copies. A tenant of size s on its own stream is "
                "back s / rate after its stream took it."),
      row("action[].parallelism", T::integer).fallback("1").within(1, 100000).in("streams")
          .says("restore only: tenants restored at once; each stream takes the next tenant in the fault's drawn "
                "order when it is done. Work W in all ends W / (rate x parallelism) after the start when the "
                "streams stay busy."),
      row("action[].bandwidth", T::number).above(0).at_most(1e15).computed("no shared limit").in("units per second")
          .says("restore only: what the streams share (the disk or network the copy goes through), split evenly "
                "between the streams at work: each goes at min(rate, bandwidth / streams at work)."),
      row("action[].tooling", T::name_list).computed("none")
          .says("Services the action is carried out with (a deploy system, a console, a chat-ops bot), with the "
                "same meaning of *usable* as `incident.tooling`: while one is not, the action's `delay` (from its "
                "trigger) and each step's `interval` (or `every`) pass at `tooling_down_speed`; the tooling is "
                "looked at once a bucket. The wait shows in its `action` event and, for a rollout, in its "
                "paused time."),
      row("action[].tooling_down_speed", T::number).fallback("0").within(0, 1).in("fraction")
          .says("Rate at which the action's delay and steps pass while its tooling is not usable, as a fraction "
                "of the normal rate; 0: it waits for the tooling."),
      row("action[].mitigates", T::boolean).computed("per kind")
          .says("Whether taking it marks the incident mitigated. Absent: a rollback when the fault it ends is "
                "active; a restart when an active fault hits the service; a switch_dependency when one hits the "
                "service switched away from; failover, shed_load, scale and kill_switch always; admit never (it "
                "is part of recovery)."),

      row("expect[]", T::section_array)
          .says("A stated expectation of every run: a per-run metric against a bound. `faultline run --check` "
                "exits 3 when one is missed (or a feature misses its SLO) and says which; every report lists "
                "them under `expectations`, met or missed."),
      row("expect[].metric", T::string).need()
          .says("A per-run metric, as `faultline sweep` names its columns: `availability`, "
                "`feature.<f>.availability`, `degraded`, `feature.<f>.degraded`, `requests`, `users_affected`, "
                "`user_minutes_lost`, `sessions_lost`, `ttd`, `tta`, `ttm`, `ttr`, `impact_start` ... `recovered`, "
                "`detection_span` ... `recovery_span`, `incidents`, `worst_ttr`, `mean_ttr`, `service_calls` (and "
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

std::string_view parent_of(std::string_view path) {
  const auto dot = path.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : path.substr(0, dot);
}

std::string_view last_segment(std::string_view path) {
  const auto dot = path.rfind('.');
  std::string_view name = dot == std::string_view::npos ? path : path.substr(dot + 1);
  if (name.ends_with("[]")) name.remove_suffix(2);
  return name;
}


std::string bound_value(const SchemaKey& key, double v) {
  if (key.type == ValueType::duration || key.type == ValueType::distribution) return format_duration(v);
  return fmt::format("{}", v);
}

}  // namespace

const std::vector<SchemaKey>& schema_keys() {
  static const std::vector<SchemaKey> keys = build_schema();
  return keys;
}

const SchemaKey* find_schema_key(std::string_view path) {
  for (const SchemaKey& k : schema_keys())
    if (k.path == path) return &k;
  return nullptr;
}

std::vector<std::string_view> schema_children(std::string_view table_path) {
  std::vector<std::string_view> out;
  for (const SchemaKey& k : schema_keys())
    if (parent_of(k.path) == table_path && !last_segment(k.path).starts_with('<'))
      out.push_back(last_segment(k.path));
  return out;
}

std::string describe_bounds(const SchemaKey& key) {
  if (key.min && key.max && key.min->inclusive && key.max->inclusive)
    return fmt::format("{} .. {}", bound_value(key, key.min->value), bound_value(key, key.max->value));
  std::vector<std::string> parts;
  if (key.min) parts.push_back(fmt::format("{} {}", key.min->inclusive ? ">=" : ">", bound_value(key, key.min->value)));
  if (key.max) parts.push_back(fmt::format("{} {}", key.max->inclusive ? "<=" : "<", bound_value(key, key.max->value)));
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string describe_type(const SchemaKey& key) {
  switch (key.type) {
    case ValueType::section:
    case ValueType::table: return "table";
    case ValueType::section_array:
    case ValueType::table_array: return "array of tables";
    case ValueType::map: return "table";
    case ValueType::string: return "string";
    case ValueType::name: return "name";
    case ValueType::name_list: return "list of names";
    case ValueType::string_list: return "list of strings";
    case ValueType::choice: {
      std::vector<std::string> quoted;
      for (std::string_view c : key.choices) quoted.push_back(fmt::format("`\"{}\"`", c));
      return fmt::format("one of {}", fmt::join(quoted, ", "));
    }
    case ValueType::status: return "status name";
    case ValueType::integer: return "integer";
    case ValueType::number: return "number";
    case ValueType::boolean: return "boolean";
    case ValueType::duration: return "duration";
    case ValueType::distribution: return "duration or distribution";
  }
  throw InternalError("unhandled schema value type");
}

const std::vector<std::string_view>& retry_conditions() {
  static const std::vector<std::string_view> conditions = {"5xx",     "gateway-error", "reset",
                                                           "connect-failure", "timeout", "rejected"};
  return conditions;
}

namespace {

std::string escape_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

// How a table is written in a file, for its heading: [scenario], [[service]], [[traffic.segment]].
std::string heading_of(const SchemaKey& table) {
  std::string dotted;
  for (char c : table.path)
    if (c != '[' && c != ']') dotted += c;
  if (table.path == "<distribution>") return "Distribution tables";
  return table.type == ValueType::section_array ? fmt::format("`[[{}]]`", dotted) : fmt::format("`[{}]`", dotted);
}

std::string default_cell(const SchemaKey& key) {
  if (key.required) return "*required*";
  if (!key.default_value.empty()) return fmt::format("`{}`", key.default_value);
  if (!key.default_doc.empty()) return fmt::format("*{}*", key.default_doc);
  const bool holds_keys = key.type == ValueType::table || key.type == ValueType::table_array || key.type == ValueType::map;
  return holds_keys ? "" : "*none*";
}

bool is_heading(const SchemaKey& key) {
  return key.type == ValueType::section || key.type == ValueType::section_array;
}

constexpr std::string_view kIntroduction = R"(<!-- Generated from the schema table in engine/io/schema.cpp: do not edit.
     Regenerate with `build/faultline schema > scenarios/SCHEMA.md`. -->
# Scenario files

A scenario is a TOML file that describes a platform (zones, services and the dependencies between
them), the users and their traffic, the faults injected and the people and automation responding.
`faultline validate FILE` checks one without running it. Every key is listed below with its type,
unit, default and bounds; a key not listed here is an error, as is a key that does not apply (a
`fallback` on a hard dependency, a `rate` on a latency fault). Every error names the file, line,
column and key path, entries named as you named them (`service.db.replicas`, `dependency.api->db.to`;
by index, `fault[2].at`, when an entry has no name or shares it), and all errors are reported at once.

## Conventions

**Durations** are strings with a unit: `us`, `ms`, `s`, `m`, `h`, `d` (`"250ms"`, `"1.5s"`, `"30d"`),
or several in a row (`"1h30m"`). A bare number is an error: write `"30s"`, not `30`.

**Distributions.** A key of type *duration or distribution* takes a duration (a constant) or a
table such as `{dist = "exponential", mean = "5ms"}`. Each family takes its own parameters:
`constant` and `exponential` a `mean`; `lognormal` a `mean` and a `stddev`; `uniform` a `min` and a
`max`; `weibull` a `shape` and a `scale`. Parameters other than `shape` are durations.

**Names** of zones, regions, services, features, segments, faults, monitors and actions use the
characters `A-Z a-z 0-9 _ . -`, at most 128 of them, and are unique within their kind. A reference to
an unknown name is an error that lists the known ones (the first 20).

**Status names** are gRPC codes: )";

constexpr std::string_view kOverrides = R"(

**Overrides.** `faultline run FILE --set KEY=VALUE` changes one value before validation. KEY is a
dotted path in which an array of tables is addressed by element name or index
(`service.auth.replicas`, `dependency[2].timeout`, `fault.cp-outage.duration`, `traffic.rate`);
VALUE is read as a TOML value (`3`, `"2s"`, `true`, `[...]`) and otherwise as a string, so
`--set scenario.duration=2h` works.
)";

}  // namespace

std::string schema_markdown() {
  std::string out(kIntroduction);
  {
    std::vector<std::string> names;
    for (const std::string& s : status_names()) names.push_back(fmt::format("`{}`", s));
    out += fmt::format("{}.", fmt::join(names, ", "));
  }
  out += kOverrides;

  // A section's rows are the keys below it up to the next section; keys are shown relative to it.
  std::string_view section_path;
  bool top_level_started = false;
  for (const SchemaKey& key : schema_keys()) {
    if (is_heading(key)) {
      section_path = key.path;
      out += fmt::format("\n## {}\n\n{}", heading_of(key), key.doc);
      if (key.required) out += key.type == ValueType::section_array ? " At least one is required." : " Required.";
      else if (!key.default_doc.empty()) out += fmt::format(" Default: {}.", key.default_doc);
      out += "\n\n| key | type | unit | default | bounds | description |\n|---|---|---|---|---|---|\n";
      continue;
    }
    if (section_path.empty() && !top_level_started) {
      out += "\n## Top level\n\n| key | type | unit | default | bounds | description |\n|---|---|---|---|---|---|\n";
      top_level_started = true;
    }
    std::string_view relative = key.path;
    if (!section_path.empty()) relative.remove_prefix(section_path.size() + 1);
    const bool timed = key.type == ValueType::duration || key.type == ValueType::distribution;
    const std::string unit = timed ? std::string("time") : std::string(key.unit);
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", relative, escape_cell(describe_type(key)),
                       escape_cell(unit), escape_cell(default_cell(key)), escape_cell(describe_bounds(key)),
                       escape_cell(key.doc));
  }
  return out;
}

}  // namespace faultline
