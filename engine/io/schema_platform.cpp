// The schema table's rows for the platform: the file's header, zones, the network, services and dependencies (see io/schema_rows.hpp).
#include "io/schema_rows.hpp"

#include "io/schema_binding.hpp"
#include "scenario/scenario.hpp"
#include "scenario/status.hpp"

namespace faultline::schema_rows {

std::vector<SchemaKey> platform() {
  return {
      row("schema_version", T::integer).need().says("Version of this file format; must be 1."),

      row("scenario", T::section).need().says("What the scenario is called and how long it runs."),
      row("scenario.name", T::name).into(to(&ScenarioInfo::name))
          .need().says("Identifies the scenario in reports and names the default output directory."),
      row("scenario.description", T::string)
          .into(to(&ScenarioInfo::description)).fallback("\"\"").says("Free text shown in reports."),
      row("scenario.duration", T::duration)
          .into(to(&ScenarioInfo::duration)).fallback("\"1h\"").above(0).at_most(400 * kDay)
          .says("Simulated time the run covers."),
      row("scenario.seed", T::integer).into(to(&ScenarioInfo::seed)).fallback("1").at_least(0)
          .says("Seed of every random stream; the same scenario and seed give the same report."),
      row("scenario.bucket", T::duration).into(to(&ScenarioInfo::bucket)).fallback("\"10s\"").above(0)
          .says("Resolution of the timeline; at most `duration`, and at most 1e6 buckets per run."),

      row("zone[]", T::section_array).need().says("A failure domain: hosts that fail together, in a region."),
      row("zone[].name", T::name)
          .into(to(&Zone::name)).need().says("Unique zone name; hosts are named `<zone>-h<i>` from i = 0."),
      row("zone[].region", T::name)
          .into(to(&Zone::region)).need().says("The region the zone belongs to; regions exist through their zones."),
      row("zone[].hosts", T::integer)
          .into(to(&Zone::hosts)).fallback("1").within(1, 100000).in("hosts").says("Hosts in the zone."),
      row("zone[].racks", T::integer).into(to(&Zone::racks)).fallback("0").within(0, 100000).in("racks")
          .says("Racks the hosts sit in, in turn (host i in rack i % racks), for fault targets `<zone>/rack<i>`; "
                "0: none. At most `hosts`."),
      row("zone[].cores", T::integer).into(to(&Zone::cores)).fallback("8").within(1, 4096).in("cores")
          .says("Cores of each host of the zone. They matter to services with `cpu` work and to `cpu_hog` faults: "
                "each runnable thread runs at most on one core, and while more threads are runnable than there are "
                "cores, each gets an equal share (processor sharing, SimGrid's CPU model)."),
      row("zone[].speed", T::number).into(to(&Zone::speed)).fallback("1").above(0).at_most(1000).in("x")
          .says("Speed of each core, relative to the core `service[].cpu` is measured on (2: twice as fast)."),
      row("zone[].disk_bandwidth", T::number)
          .into(to(&Zone::disk_bandwidth)).fallback("100").above(0).at_most(1e6).in("MB/s")
          .says("Bandwidth of each host's disk, shared equally by the writes in progress (SimGrid's disk model). It "
                "matters to `dependency[].on_failure.log` writes."),
      row("zone[].tags", T::name_list).into(to(&Zone::tags)).computed("none")
          .says("Labels for fault targets: `tag:<t>` reaches every host of the zone."),

      row("network", T::section).says("One-way latencies between hosts."),
      row("network.intra_zone", T::duration).into(to(&Network::intra_zone)).fallback("\"0.2ms\"").at_least(0).below(10)
          .says("Between two hosts of one zone."),
      row("network.inter_zone", T::duration).into(to(&Network::inter_zone)).fallback("\"1ms\"").at_least(0).below(10)
          .says("Between zones of one region."),
      row("network.inter_region", T::duration)
          .into(to(&Network::inter_region)).fallback("\"70ms\"").at_least(0).below(10)
          .says("Between regions."),
      row("network.sync_interval", T::duration)
          .into(to(&Network::sync_interval)).fallback("\"1s\"").above(0).at_most(60)
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
      row("link[].name", T::name)
          .into(to(&LinkOverride::name)).computed("`<a><-><b>`, or `<zone>.network` `within` a zone")
          .says("Names it in reports and `link_capacity` faults."),
      row("link[].latency", T::duration)
          .into(to(&LinkOverride::latency)).computed("the `network` latency between the two").at_least(0).below(10)
          .says("One-way latency between the two."),
      row("link[].bandwidth", T::number)
          .into(to(&LinkOverride::bandwidth)).computed("unlimited").above(0).at_most(1e9).in("MB/s")
          .says("Capacity every call and reply crossing it shares (both directions together), max-min fairly "
                "within a `traffic_class` and by strict priority between classes (control, then rpc, then bulk)."),
      row("link[].buffer", T::number)
          .into(to(&LinkOverride::buffer)).computed("50 ms of `bandwidth`").above(0).at_most(1e9).in("MB")
          .says("What it queues beyond what it carries; beyond that, messages are dropped, the lowest class "
                "first, and their callers time out. Only with `bandwidth`."),

      row("device[]", T::section_array)
          .says("A named network device that routes between zones or regions and that their traffic shares (a "
                "transit gateway, a bridge between two networks): every call and reply between two of the places "
                "it joins crosses it, besides the links of its route. It adds no latency."),
      row("device[].name", T::name).into(to(&Device::name))
          .need().says("Names it in reports and `link_capacity` faults; unique among devices and links."),
      row("device[].joins", T::name_list).into(to(&Device::joins)).need()
          .says("At least two zones or regions (either, mixed): traffic between two zones crosses it when each is, "
                "or is in a region, in the list, and not the same entry."),
      row("device[].bandwidth", T::number).into(to(&Device::bandwidth)).need().above(0).at_most(1e9).in("MB/s")
          .says("Capacity everything crossing it shares, as a link's `bandwidth`."),
      row("device[].buffer", T::number)
          .into(to(&Device::buffer)).computed("50 ms of `bandwidth`").above(0).at_most(1e9).in("MB")
          .says("What it queues beyond what it carries; beyond that, the lowest class is dropped first, as on a link."),

      row("service[]", T::section_array).need().says("A service: identical replicas placed in zones."),
      row("service[].name", T::name).into(to(&Service::name)).need().says("Unique service name."),
      row("service[].replicas", T::integer).into(to(&Service::replicas)).fallback("1").within(1, 10000).in("replicas")
          .says("Replicas, spread round-robin over `zones`."),
      row("service[].zones", T::name_list).computed("every zone").repeatable()
          .says("Zones the replicas are placed in, in turn; a zone listed twice gets twice the share."),
      row("service[].workers", T::integer).into(to(&Service::workers)).fallback("8").within(1, 100000).in("requests")
          .says("Requests one replica serves concurrently."),
      row("service[].queue", T::integer).into(to(&Service::queue)).fallback("64").within(0, 10000000).in("requests")
          .says("Requests waiting per replica beyond the workers; more are rejected."),
      row("service[].service_time", T::distribution).into(to(&Service::service_time)).fallback("\"5ms\"").at_least(0)
          .says("Time a worker spends on one request, excluding calls to dependencies."),
      row("service[].cpu", T::distribution)
          .into(to(&Service::cpu)).at_least(0).computed("none (the service takes `service_time`)")
          .says("CPU work of one request, in core-seconds on a core of speed 1, instead of `service_time`: it runs "
                "on the replica's host, whose cores every busy worker of every replica there and every "
                "`cpu_hog` thread share, so a saturated host slows all of them."),
      row("service[].restart_time", T::duration).into(to(&Service::restart_time)).fallback("\"30s\"").at_least(0)
          .says("Time from a crash (or a restart action) until a replica serves again."),
      row("service[].health_check", T::table).says("How the load balancer takes replicas out of rotation."),
      row("service[].health_check.interval", T::duration).into(to(&HealthCheck::interval)).fallback("\"5s\"").above(0)
          .says("Time between two checks of a replica."),
      row("service[].health_check.unhealthy_threshold", T::integer)
          .into(to(&HealthCheck::unhealthy_threshold)).fallback("2").within(1, 100).in("checks")
          .says("Consecutive failed checks before a replica leaves rotation."),
      row("service[].health_check.healthy_threshold", T::integer)
          .into(to(&HealthCheck::healthy_threshold)).fallback("1").within(1, 100).in("checks")
          .says("Consecutive passed checks before it returns."),
      row("service[].restart_policy", T::table)
          .says("How the supervisor (systemd, a kubelet) restarts a replica that crashed."),
      row("service[].restart_policy.backoff", T::duration)
          .into(to(&RestartPolicy::backoff)).fallback("\"0s\"").at_least(0)
          .says("Wait before restarting a crashed replica, doubled for each crash in a row (a crash before the "
                "replica has served for `window`)."),
      row("service[].restart_policy.max_backoff", T::duration)
          .into(to(&RestartPolicy::max_backoff)).fallback("\"5m\"").above(0)
          .says("Cap of the doubled back-off; at least `backoff`."),
      row("service[].restart_policy.max_restarts", T::integer)
          .into(to(&RestartPolicy::max_restarts)).fallback("0").within(0, 1000000).in("restarts")
          .says("Most starts of the service's replicas (all of them together) in any `window`; 0: no limit."),
      row("service[].restart_policy.window", T::duration).into(to(&RestartPolicy::window)).fallback("\"10m\"").above(0)
          .says("The span `max_restarts` counts over, and the time a replica must serve for its next crash not "
                "to count as one in a row."),
      row("service[].startup_requires", T::name_list).into(to(&Service::startup_requires)).computed("none")
          .says("Services that must be serving for a replica of this one to start: a replica that becomes ready "
                "while one of them has no serving replica crashes at once (and is restarted by its "
                "`restart_policy`)."),
      row("service[].queue_discipline", T::choice)
          .into(to(&Service::queue_discipline, {{"fifo", QueueDiscipline::fifo}, {"lifo", QueueDiscipline::lifo}}))
          .fallback("\"fifo\"")
          .says("Which queued request a free worker takes: the oldest (`fifo`) or the newest (`lifo`)."),
      row("service[].max_queue_wait", T::duration).into(to(&Service::max_queue_wait)).above(0).computed("no bound")
          .says("Admission control: reject a request whose expected wait in the queue is longer, and drop "
                "queued requests that waited longer."),
      row("service[].error_cost", T::duration).into(to(&Service::error_cost)).fallback("\"0s\"").at_least(0)
          .says("Extra worker time spent on a request that fails (error handling, logging); on a service with "
                "`cpu` work, CPU work on its host (core-seconds at speed 1), shared with everything else there."),
      row("service[].deadline_propagation", T::boolean).into(to(&Service::deadline_propagation)).fallback("false")
          .says("Skip queued work, and calls to dependencies, for callers that have already given up. "
                "Without it the work is done and its answer thrown away."),
      row("service[].cancellation", T::boolean).into(to(&Service::cancellation)).fallback("false")
          .says("Abandon work in progress (freeing its worker) when its caller gives up."),
      row("service[].load_balancer", T::choice)
          .into(to(&Service::load_balancer, {{"round_robin", LoadBalancer::round_robin},
                                             {"random", LoadBalancer::random},
                                             {"least_request", LoadBalancer::least_request},
                                             {"zone_aware", LoadBalancer::zone_aware}}))
          .fallback("\"round_robin\"")
          .says("How callers pick among its replicas (always in their own region first; `zone_aware`: in "
                "their own zone first; `least_request`: the less loaded of two random replicas)."),
      row("service[].outlier_detection", T::table)
          .says("Envoy outlier detection: eject replicas whose calls keep failing. Present: enabled."),
      row("service[].outlier_detection.consecutive_5xx", T::integer)
          .into(to(&OutlierDetection::consecutive_5xx)).fallback("5").within(1, 100000).in("calls")
          .says("Consecutive failed calls (server errors or timeouts) that eject a replica."),
      row("service[].outlier_detection.base_ejection_time", T::duration)
          .into(to(&OutlierDetection::base_ejection_time)).fallback("\"30s\"").above(0)
          .says("Ejection time; multiplied by how many times the replica has been ejected."),
      row("service[].outlier_detection.max_ejection_percent", T::number)
          .into(to(&OutlierDetection::max_ejection_percent)).fallback("10").within(0, 100)
          .in("percent").says("Most replicas ejected at once (at least one may always be)."),
      row("service[].autoscaling", T::table)
          .says("Horizontal autoscaling on a signal the service itself shows (not on what its users see): every "
                "`interval` the replicas wanted are ceil(serving replicas x signal / `target`), within `min` .. "
                "`max`, unchanged while the signal is within 10% of the target. The signal is sampled every "
                "second and averaged over the interval. The "
                "replicas beyond `replicas` (up to `max`) are placed like the others and start parked; fault "
                "selectors on the service count them too. Present: enabled."),
      row("service[].autoscaling.signal", T::choice)
          .into(to(&Autoscaling::signal, {ScalingSignal::cpu, ScalingSignal::queue, ScalingSignal::latency}))
          .fallback("\"cpu\"")
          .says("What it scales on: `cpu`, the busy share of the workers; `queue`, requests waiting per replica; "
                "`latency`, the service's p99 latency."),
      row("service[].autoscaling.target", T::number)
          .into(to(&Autoscaling::target)).fallback("0.6").above(0).in("per `signal`")
          .says("The signal's value aimed for: a fraction of the workers (at most 1) for `cpu`, requests per "
                "replica for `queue`, seconds (a number) for `latency`."),
      row("service[].autoscaling.min", T::integer)
          .into(to(&Autoscaling::min)).fallback("1").within(1, 10000).in("replicas")
          .says("Fewest replicas; at most `replicas`."),
      row("service[].autoscaling.max", T::integer).into(to(&Autoscaling::max)).need().within(1, 10000).in("replicas")
          .says("Most replicas; at least `replicas` and `min`."),
      row("service[].autoscaling.interval", T::duration).into(to(&Autoscaling::interval)).fallback("\"1m\"").above(0)
          .says("Time between two scaling decisions."),
      row("service[].autoscaling.provisioning_delay", T::duration)
          .into(to(&Autoscaling::provisioning_delay)).fallback("\"2m\"").at_least(0)
          .says("From a decision to add replicas until they start (then they take `restart_time` to serve)."),
      row("service[].autoscaling.max_step", T::integer)
          .into(to(&Autoscaling::max_step)).fallback("4").within(1, 10000).in("replicas")
          .says("Most replicas added by one decision."),
      row("service[].autoscaling.cooldown", T::duration).into(to(&Autoscaling::cooldown)).fallback("\"5m\"").at_least(0)
          .says("Replicas are removed only after the signal has asked for fewer for this long."),
      row("service[].failover", T::table)
          .says("Automatic failover by an orchestrator: the replicas in `standby` zones take no traffic while the "
                "others (the active ones) answer the controller's probes from `observer`. Once no active replica "
                "has been reachable for `hold_down`, the standby replicas are promoted: after `delay` they take the "
                "traffic and the old active ones are fenced off for good (no automatic fail-back; a `failover` "
                "action moves it back). Present: enabled."),
      row("service[].failover.standby", T::name_list).into(to(&Failover::standby)).need()
          .says("Zones of the service whose replicas stand by; not every one of its zones."),
      row("service[].failover.observer", T::name)
          .into(to(&Failover::observer)).need().says("The zone the controller probes the active replicas from."),
      row("service[].failover.hold_down", T::duration).into(to(&Failover::hold_down)).fallback("\"30s\"").at_least(0)
          .says("How long no active replica must have been reachable before the standby ones are promoted."),
      row("service[].failover.delay", T::duration).into(to(&Failover::delay)).fallback("\"1m\"").at_least(0)
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
      row("service[].replication.mode", T::choice)
          .into(to(&Replication::mode, {{"async", ReplicationMode::async}, {"sync", ReplicationMode::sync}}))
          .fallback("\"async\"")
          .says("Asynchronous (acknowledged before the copy has it) or synchronous (after)."),
      row("service[].replication.lag", T::distribution).into(to(&Replication::lag)).fallback("\"1s\"").at_least(0)
          .says("From a write's commit on the primary until the copy has it (async), or until the copy "
                "acknowledges it (sync: added to the write's time)."),
      row("service[].replication.write_share", T::number)
          .into(to(&Replication::write_share)).fallback("0.1").within(0, 1)
          .says("Share of the requests the service serves that are writes."),
      row("service[].replication.reconcile_rate", T::number)
          .into(to(&Replication::reconcile_rate)).fallback("0").at_least(0).in("writes/s")
          .says("Divergent writes reconciled per second once the old primary can be reached again; 0: never "
                "(a fail-back then discards them)."),
      row("service[].tags", T::name_list).into(to(&Service::tags)).computed("none")
          .says("Labels for fault targets: `tag:<t>` reaches every replica of the service (shared infrastructure: "
                "`db`, `dns`, `bus`)."),

      row("service[].threads", T::table)
          .says("A limit on the OS threads of each process. A process needs `base` threads plus `per_peer` for every "
                "other provisioned replica of its fleet (`peers`); over `limit`, a start fails and a running process "
                "dies when its fleet grows past it, and its restart_policy takes over. Present: enabled."),
      row("service[].threads.limit", T::integer).into(to(&ThreadLimit::limit)).need().within(1, 10000000).in("threads")
          .says("Threads a process may have (ulimit, kernel.threads-max)."),
      row("service[].threads.base", T::integer)
          .into(to(&ThreadLimit::base)).computed("`workers`").within(0, 10000000).in("threads")
          .says("Threads a process needs whatever its fleet."),
      row("service[].threads.per_peer", T::number)
          .into(to(&ThreadLimit::per_peer)).fallback("0").within(0, 100000).in("threads")
          .says("Threads it needs for each other member of its fleet (one per peer connection, say)."),
      row("service[].memory", T::table)
          .says("Memory of each process: `base` plus `per_request` for every request it holds (running or queued) "
                "plus what a `memory_leak` fault leaked since it started. Over `limit` the process is killed (out "
                "of memory) and its restart_policy takes over. Present: enabled."),
      row("service[].memory.limit", T::number).into(to(&MemoryLimit::limit)).need().above(0).at_most(1e9).in("MB")
          .says("Memory a process may use."),
      row("service[].memory.base", T::number)
          .into(to(&MemoryLimit::base)).fallback("0").at_least(0).at_most(1e9).in("MB")
          .says("What a process uses idle."),
      row("service[].memory.per_request", T::number)
          .into(to(&MemoryLimit::per_request)).fallback("0").at_least(0).at_most(1e6).in("MB")
          .says("What each request it holds (running or queued) uses."),
      row("service[].memory.pressure", T::number).into(to(&MemoryLimit::pressure)).fallback("0.8").above(0).at_most(1)
          .says("Share of the limit above which garbage-collection pauses stretch the service time."),
      row("service[].memory.pressure_slowdown", T::number)
          .into(to(&MemoryLimit::pressure_slowdown)).fallback("0").within(0, 1000).in("x")
          .says("Service time multiplied by 1 + this x (use - pressure x limit) / ((1 - pressure) x limit) above "
                "`pressure`: 1 + this at the limit."),
      row("service[].contention", T::number).into(to(&Service::contention)).fallback("0").within(0, 100)
          .says("Lock contention: each request's service time (or `cpu` work) is multiplied by 1 + contention x "
                "(busy workers - 1), so a busier replica serves each request more slowly."),
      row("service[].warmup", T::table)
          .says("A started process's warm-up (loading caches, compiling, building its routing tables) as CPU work on "
                "its host: the process serves only once the work is done, and the work shares the host's cores with "
                "everything running there, serving replicas included, so processes restarted together on the same "
                "hosts warm up more slowly. Replicas running when the run starts are warm. Present: enabled."),
      row("service[].warmup.cpu", T::number).into(to(&Warmup::cpu)).need().above(0).at_most(1e6).in("core-seconds")
          .says("The warm-up's work, in core-seconds on a core of speed 1."),
      row("service[].warmup.threads", T::integer).into(to(&Warmup::threads)).fallback("1").within(1, 1024).in("threads")
          .says("Threads it runs in, each at most one core: alone on an idle host it takes cpu / (min(threads, cores) x "
                "speed)."),
      row("service[].warmup.timeout", T::duration)
          .into(to(&Warmup::timeout)).computed("no limit").above(0).at_most(86400)
          .says("How long after the process came up its warm-up may take (a startup probe's failure threshold x "
                "period): later, the probe fails, the process is killed and its restart_policy restarts it as after "
                "a crash (with its back-off)."),
      row("service[].threads.peers", T::choice)
          .into(to(&ThreadLimit::peers, {{"service", PeerScope::service}, {"zone", PeerScope::zone}}))
          .fallback("\"service\"")
          .says("Who the fleet is: every provisioned replica of the service, or those of its zone (cells)."),

      row("dependency[]", T::section_array).says("A call from one service to another."),
      row("dependency[].from", T::name).into(to(&Dependency::from)).need().says("The calling service."),
      row("dependency[].to", T::name)
          .into(to(&Dependency::to)).need().says("The called service; must differ from `from`."),
      row("dependency[].kind", T::choice)
          .into(to(&Dependency::kind, {DependencyKind::hard, DependencyKind::soft, DependencyKind::control}))
          .fallback("\"hard\"")
          .says("`hard`: its failure fails the caller; `soft`: the caller applies `fallback`; `control`: "
                "control plane or discovery, read periodically and served from the caller's cache."),
      row("dependency[].calls", T::number)
          .into(to(&Dependency::calls)).fallback("1.0").within(0, 100).in("calls/request")
          .says("Mean calls per request; the fractional part is a random draw."),
      row("dependency[].features", T::name_list).into(to(&Dependency::features)).computed("every feature")
          .says("Features whose requests take this edge."),
      row("dependency[].timeout", T::duration).into(to(&Dependency::timeout)).fallback("\"1s\"").above(0)
          .says("Deadline of one call, retries included."),
      row("dependency[].retry_policy", T::table).says("Envoy-style retries of failed calls."),
      row("dependency[].retry_policy.num_retries", T::integer)
          .into(to(&RetryPolicy::num_retries)).fallback("0").within(0, 10).in("retries")
          .says("Retries after the first try."),
      row("dependency[].retry_policy.per_try_timeout", T::duration)
          .into(to(&RetryPolicy::per_try_timeout)).above(0).computed("the dependency's `timeout`")
          .says("Deadline of each try."),
      row("dependency[].retry_policy.retry_on", T::string_list)
          .into(to(&RetryPolicy::retry_on)).fallback("[\"5xx\", \"reset\", \"connect-failure\"]")
          .says("Conditions that are retried: `5xx`, `gateway-error`, `reset`, `connect-failure`, `timeout`, "
                "`rejected`, or a status name."),
      row("dependency[].retry_policy.retry_back_off", T::table).says("Exponential back-off between tries."),
      row("dependency[].retry_policy.retry_back_off.base_interval", T::duration)
          .into(to(&BackOff::base_interval)).fallback("\"25ms\"").above(0)
          .says("Back-off before the first retry; doubles with each retry."),
      row("dependency[].retry_policy.retry_back_off.max_interval", T::duration)
          .into(to(&BackOff::max_interval)).computed("10 x `base_interval`")
          .says("Cap of the back-off; at least `base_interval`."),
      row("dependency[].retry_policy.jitter", T::choice)
          .into(to(&RetryPolicy::jitter, {{"none", Jitter::none}, {"full", Jitter::full}, {"equal", Jitter::equal},
                                          {"decorrelated", Jitter::decorrelated}}))
          .fallback("\"full\"").says("How the back-off is randomised."),
      row("dependency[].retry_policy.retry_budget", T::table)
          .says("Envoy retry budget of each caller replica on this edge. Present: enabled."),
      row("dependency[].retry_policy.retry_budget.budget_percent", T::number)
          .into(to(&RetryBudget::budget_percent)).fallback("20").within(0, 100)
          .in("percent").says("Retries in flight allowed, as a share of the requests in flight."),
      row("dependency[].retry_policy.retry_budget.min_retry_concurrency", T::integer)
          .into(to(&RetryBudget::min_retry_concurrency)).fallback("3")
          .within(0, 1000000).in("retries").says("Retries in flight always allowed."),
      row("dependency[].retry_policy.retry_throttling", T::table)
          .says("gRPC retry throttling (a token bucket) of each caller replica on this edge. Present: enabled."),
      row("dependency[].retry_policy.retry_throttling.max_tokens", T::number)
          .into(to(&RetryThrottling::max_tokens)).fallback("10").within(1, 1000000)
          .in("tokens").says("Tokens to start with and at most; a failed attempt takes one."),
      row("dependency[].retry_policy.retry_throttling.token_ratio", T::number)
          .into(to(&RetryThrottling::token_ratio)).fallback("0.1").within(0, 1000)
          .in("tokens").says("Tokens a successful attempt gives back; retries only while over half are left."),
      row("dependency[].circuit_breakers", T::table)
          .says("Envoy circuit breakers of each caller replica on this edge; over a limit a call fails at once "
                "(cause `circuit_open`). Present: enabled."),
      row("dependency[].circuit_breakers.max_requests", T::integer)
          .into(to(&CircuitBreakers::max_requests)).fallback("1024").within(1, 100000000)
          .in("requests").says("Attempts in flight."),
      row("dependency[].circuit_breakers.max_pending_requests", T::integer)
          .into(to(&CircuitBreakers::max_pending_requests)).fallback("1024")
          .within(0, 100000000).in("requests").says("Attempts waiting in the callee's queue."),
      row("dependency[].circuit_breakers.max_retries", T::integer)
          .into(to(&CircuitBreakers::max_retries)).fallback("3").within(0, 100000000)
          .in("retries").says("Retries in flight."),
      row("dependency[].cache", T::table)
          .says("A cache in front of the callee, held by the caller. Present: enabled."),
      row("dependency[].cache.hit_ratio", T::number).into(to(&Cache::hit_ratio)).fallback("0.9").within(0, 1)
          .says("Share of calls a warm, fresh cache answers."),
      row("dependency[].cache.ttl", T::duration).into(to(&Cache::ttl)).fallback("\"10m\"").above(0)
          .says("How long the cached data stays usable after the last good refresh."),
      row("dependency[].cache.refresh", T::duration).into(to(&Cache::refresh)).fallback("\"1m\"").above(0)
          .says("How often the caller refreshes the data from the callee (a real call)."),
      row("dependency[].cache.warmup", T::duration).into(to(&Cache::warmup)).fallback("\"2m\"").at_least(0)
          .says("After the data expired, time for the hit ratio to climb back once refreshes succeed."),
      row("dependency[].cache.serve_stale", T::boolean).into(to(&Cache::serve_stale)).fallback("false")
          .says("Answer a failed miss from expired data (fail static)."),
      row("dependency[].backlog", T::table)
          .says("A durable queue in front of the callee (an outbox, a message queue): a call that fails (after "
                "its retries) is kept instead and the caller carries on, degraded; the queue is replayed to the "
                "callee in order at `replay_rate` while it has a replica serving, and a failed replay goes back "
                "to the head and holds the replay for `pause`. The replay is real load on the callee and can "
                "overload it again. Reports gain a `backlogs` section (kept, replayed, dropped, length per "
                "bucket, drained at), `backlog` rows in `timeline.csv`. Present: enabled."),
      row("dependency[].backlog.max", T::integer)
          .into(to(&Backlog::max)).fallback("100000").within(1, 100000000).in("calls")
          .says("Calls the queue holds; a failed call beyond that fails the caller as without a backlog."),
      row("dependency[].backlog.replay_rate", T::number)
          .into(to(&Backlog::replay_rate)).fallback("100").above(0).at_most(1e6).in("calls/s")
          .says("Calls replayed per second."),
      row("dependency[].backlog.pause", T::duration).into(to(&Backlog::pause)).fallback("\"30s\"").at_least(0)
          .says("How long a failed replay holds the replay before it resumes."),
      row("dependency[].fallback", T::choice)
          .into(to(&Dependency::fallback, {{"degrade", Fallback::degrade}, {"fail", Fallback::fail},
                                           {"ignore", Fallback::ignore}}))
          .fallback("\"degrade\"")
          .says("Soft edges only. What the caller does when the call fails: serve degraded, fail, or carry on "
                "as if it succeeded."),
      row("dependency[].fail_static", T::boolean).into(to(&Dependency::fail_static)).fallback("true")
          .says("Control edges only. Keep serving the last known entries when the control plane fails or "
                "returns none."),
      row("dependency[].refresh", T::duration).into(to(&Dependency::refresh)).fallback("\"30s\"").above(0)
          .says("Control edges only. How often the caller refreshes its cache."),
      row("dependency[].cache_ttl", T::duration).into(to(&Dependency::cache_ttl)).fallback("\"5m\"").at_least(0)
          .says("Control edges only. How long entries stay usable after the last good refresh."),
      row("dependency[].error_mapping", T::map)
          .says("Which status the caller surfaces for a failure of the callee: `{NOT_FOUND = \"UNAVAILABLE\"}`."),
      row("dependency[].error_mapping.*", T::status).says("Key: the callee's status; value: the caller's."),

      row("dependency[].pool", T::table)
          .says("A connection pool of each caller replica towards the callee: an attempt holds a connection from "
                "when it is sent until its caller has the answer or gives up. A call that cannot get one fails "
                "without a retry (cause `rejected`, blamed on the pool). Present: enabled."),
      row("dependency[].pool.size", T::integer)
          .into(to(&ConnectionPool::size)).need().within(1, 10000000).in("connections")
          .says("Connections of each caller replica."),
      row("dependency[].pool.on_exhausted", T::choice)
          .into(to(&ConnectionPool::on_exhausted, {{"wait", PoolExhausted::wait}, {"fail", PoolExhausted::fail}}))
          .fallback("\"wait\"")
          .says("With every connection taken: wait for one (oldest first) or fail at once."),
      row("dependency[].pool.max_wait", T::duration)
          .into(to(&ConnectionPool::max_wait)).computed("the attempt's timeout").above(0)
          .says("`wait` only: how long a call may wait for a connection before it fails."),
      row("dependency[].on_failure", T::table)
          .says("What each failed attempt costs the calling worker before it retries or gives up, so that errors "
                "downstream load the caller."),
      row("dependency[].on_failure.cpu", T::number)
          .into(to(&FailureCost::cpu)).fallback("0").within(0, 3600).in("core-seconds")
          .says("CPU work on the caller's host (handling the error), shared with everything running there."),
      row("dependency[].on_failure.log", T::number).into(to(&FailureCost::log)).fallback("0").within(0, 100000).in("MB")
          .says("A log write to the caller's host disk; the worker waits until it is written (synchronous "
                "logging), and writes share the disk's `disk_bandwidth`."),
      row("dependency[].on_failure.log_limit", T::number)
          .into(to(&FailureCost::log_limit)).fallback("0").within(0, 1e9).in("writes/s")
          .says("Rate limit on those log writes, per caller replica (a token bucket of one second's worth); "
                "failures beyond it are not logged. 0: no limit."),

      row("dependency[].request_size", T::number).fallback("1").within(0, 1e6).in("KB")
          .says("Bytes each attempt carries to the callee, on links with a `bandwidth`."),
      row("dependency[].reply_size", T::number).fallback("4").within(0, 1e6).in("KB")
          .says("Bytes each reply carries back, on links with a `bandwidth`."),
      row("dependency[].traffic_class", T::choice)
          .into(to(&Dependency::traffic_class, {{"bulk", TrafficClass::bulk}, {"rpc", TrafficClass::rpc},
                                                {"control", TrafficClass::control}}))
          .fallback("\"rpc\"")
          .says("Its calls' class on links: a congested link serves control, then rpc, then bulk, and drops the "
                "lowest class first."),
  };
}

}  // namespace faultline::schema_rows
