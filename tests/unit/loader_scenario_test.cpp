// A complete scenario reaches every field of faultline::Scenario; a minimal one gets the defaults of
// scenario.hpp; mistakes become diagnostics at the offending line, column and key.
#include "io/loader.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

using namespace faultline;

namespace {

const std::string kMinimal = R"(schema_version = 1
[scenario]
name = "minimal"
[[zone]]
name = "eu-a"
region = "eu"
[[service]]
name = "front"
[[service]]
name = "back"
[[dependency]]
from = "front"
to = "back"
[[feature]]
name = "play"
entry = "front"
share = 1
)";

std::string complete_path() { return std::string(FAULTLINE_SOURCE_DIR) + "/tests/data/loader/complete.toml"; }

// The diagnostics of a text that must not load.
std::vector<Diagnostic> mistakes(const std::string& text) {
  try {
    load_scenario_text(text, "test.toml");
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  FAIL("the scenario loaded without errors");
  return {};
}

std::vector<std::string> formatted(const std::string& text) {
  std::vector<std::string> out;
  for (const Diagnostic& d : mistakes(text)) out.push_back(d.format());
  return out;
}

// kMinimal with the service "back" given extra lines.
std::string with_back(const std::string& lines) {
  std::string text = kMinimal;
  const std::string anchor = "name = \"back\"\n";
  text.insert(text.find(anchor) + anchor.size(), lines);
  return text;
}

}  // namespace

TEST_CASE("a complete scenario fills every field", "[loader]") {
  const Scenario s = load_scenario_file(complete_path());
  CHECK(s.origin == complete_path());
  CHECK(s.schema_version == 1);
  CHECK(s.info.name == "complete");
  CHECK(s.info.description == "Uses every key");
  CHECK(s.info.duration == 7200);
  CHECK(s.info.seed == 42);
  CHECK(s.info.bucket == 30);

  REQUIRE(s.zones.size() == 3);
  CHECK(s.zones[0].name == "eu-a");
  CHECK(s.zones[0].hosts == 3);
  CHECK(s.zones[0].cores == 16);
  CHECK(s.zones[0].speed == 1.5);
  CHECK(s.zones[0].disk_bandwidth == 250);
  CHECK(s.zones[1].disk_bandwidth == Zone{}.disk_bandwidth);
  CHECK(s.zones[1].cores == Zone{}.cores);
  CHECK(s.zones[2].region == "us");
  CHECK(s.zones[2].hosts == 1);
  CHECK(s.zones[1].racks == 2);
  CHECK(s.zones[1].tags == std::vector<std::string>{"edge"});
  CHECK(s.services[2].tags == std::vector<std::string>{"control", "shared"});
  CHECK(s.regions() == std::vector<std::string>{"eu", "us"});
  CHECK(s.network.intra_zone == 0.0001);
  CHECK(s.network.inter_zone == 0.002);
  CHECK(s.network.inter_region == 0.08);
  REQUIRE(s.network.links.size() == 3);
  CHECK(s.network.links[0].a == "eu");
  CHECK(s.network.links[0].b == "us");
  CHECK(s.network.links[0].latency == 0.09);
  CHECK(s.network.links[0].name == "eu<->us");
  CHECK(s.network.links[0].bandwidth == 500);
  CHECK(s.network.links[0].buffer == 20);

  REQUIRE(s.services.size() == 5);
  const Service& gateway = s.services[0];
  CHECK(gateway.replicas == 4);
  CHECK(gateway.zones == std::vector<std::string>{"eu-a", "eu-b"});
  CHECK(gateway.workers == 16);
  CHECK(gateway.queue == 128);
  CHECK(gateway.service_time.kind == Distribution::Kind::lognormal);
  CHECK(gateway.service_time.mean == 0.002);
  CHECK(gateway.service_time.stddev == 0.001);
  CHECK(gateway.restart_time == 45);
  CHECK(gateway.health_check.interval == 2);
  CHECK(gateway.health_check.unhealthy_threshold == 3);
  CHECK(gateway.health_check.healthy_threshold == 2);
  CHECK(s.services[1].zones == std::vector<std::string>{"eu-a", "eu-b", "us-a"});
  CHECK_FALSE(gateway.cpu.has_value());
  REQUIRE(s.services[4].cpu.has_value());
  CHECK(s.services[4].cpu->kind == Distribution::Kind::exponential);
  CHECK(s.services[4].cpu->mean == 0.01);
  const ThreadLimit& threads = s.services[4].threads;
  CHECK(threads.enabled);
  CHECK(threads.limit == 500);
  CHECK(threads.base == 40);
  CHECK(threads.per_peer == 2);
  CHECK(threads.peers == PeerScope::zone);
  const MemoryLimit& memory = s.services[4].memory;
  CHECK(memory.enabled);
  CHECK(memory.limit == 2048);
  CHECK(memory.base == 512);
  CHECK(memory.per_request == 0.5);
  CHECK(memory.pressure == 0.7);
  CHECK(memory.pressure_slowdown == 3);
  CHECK(s.services[4].contention == 0.05);
  const Warmup& warmup = s.services[4].warmup;
  CHECK(warmup.enabled);
  CHECK(warmup.cpu == 30);
  CHECK(warmup.threads == 2);
  CHECK(warmup.timeout == 60);
  CHECK_FALSE(gateway.warmup.enabled);
  CHECK_FALSE(gateway.memory.enabled);
  CHECK(gateway.contention == 0);
  CHECK_FALSE(gateway.threads.enabled);
  CHECK(gateway.restart_policy.backoff == 1);
  CHECK(gateway.restart_policy.max_backoff == 60);
  CHECK(gateway.restart_policy.max_restarts == 10);
  CHECK(gateway.restart_policy.window == 1200);
  CHECK(gateway.startup_requires == std::vector<std::string>{"discovery"});
  const Autoscaling& scaling = gateway.autoscaling;
  CHECK(scaling.enabled);
  CHECK(scaling.signal == ScalingSignal::queue);
  CHECK(scaling.target == 5);
  CHECK(scaling.min == 2);
  CHECK(scaling.max == 8);
  CHECK(scaling.interval == 30);
  CHECK(scaling.provisioning_delay == 60);
  CHECK(scaling.max_step == 2);
  CHECK(scaling.cooldown == 600);
  const Failover& failover = gateway.failover;
  CHECK(failover.enabled);
  CHECK(failover.standby == std::vector<std::string>{"eu-b"});
  CHECK(failover.observer == "us-a");
  CHECK(failover.hold_down == 10);
  CHECK(failover.delay == 120);
  const Replication& replication = gateway.replication;
  CHECK(replication.enabled);
  CHECK(replication.mode == ReplicationMode::sync);
  CHECK(replication.lag.kind == Distribution::Kind::constant);
  CHECK(replication.lag.mean == Approx(0.003));
  CHECK(replication.write_share == 0.25);
  CHECK(replication.reconcile_rate == 40);
  CHECK_FALSE(s.services[1].autoscaling.enabled);
  CHECK_FALSE(s.services[1].failover.enabled);
  CHECK_FALSE(s.services[1].replication.enabled);

  REQUIRE(s.dependencies.size() == 3);
  const Dependency& hard = s.dependencies[0];
  CHECK(hard.kind == DependencyKind::hard);
  CHECK(hard.calls == 1.5);
  CHECK(hard.features == std::vector<std::string>{"playlists"});
  CHECK(hard.timeout == 0.5);
  CHECK(hard.retry_policy.num_retries == 2);
  CHECK(hard.retry_policy.per_try_timeout == 0.2);
  CHECK(hard.retry_policy.retry_on == std::vector<std::string>{"5xx", "UNAVAILABLE"});
  CHECK(hard.retry_policy.back_off.base_interval == 0.01);
  CHECK(hard.retry_policy.back_off.max_interval == 0.05);
  CHECK(hard.retry_policy.jitter == Jitter::equal);
  CHECK(hard.pool.size == 20);
  CHECK(hard.pool.on_exhausted == PoolExhausted::wait);
  CHECK(hard.pool.max_wait == 0.1);
  CHECK(hard.on_failure.cpu == 0.002);
  CHECK(hard.on_failure.log == 0.01);
  CHECK(hard.on_failure.log_limit == 50);
  CHECK(hard.backlog.enabled);
  CHECK(hard.backlog.max == 5000);
  CHECK(hard.backlog.replay_rate == 250);
  CHECK(hard.backlog.pause == 10);
  CHECK_FALSE(s.dependencies[1].backlog.enabled);
  CHECK(hard.error_mapping == std::map<Status, Status>{{Status::NOT_FOUND, Status::UNAVAILABLE},
                                                       {Status::DEADLINE_EXCEEDED, Status::UNAVAILABLE}});
  const Dependency& control = s.dependencies[1];
  CHECK(control.kind == DependencyKind::control);
  CHECK_FALSE(control.fail_static);
  CHECK(control.refresh == 10);
  CHECK(control.cache_ttl == 60);
  CHECK(s.dependencies[2].kind == DependencyKind::soft);
  CHECK(s.dependencies[2].fallback == Fallback::ignore);

  REQUIRE(s.features.size() == 2);
  CHECK(s.features[0].share == Approx(0.75));  // 3 : 1, normalised
  CHECK(s.features[1].share == Approx(0.25));
  CHECK(s.features[0].slo == 0.99);

  CHECK(s.traffic.rate == 250);
  CHECK(s.traffic.users == 2e6);
  CHECK(s.traffic.sample_users == 5000);
  CHECK(s.traffic.pattern == TrafficPattern::piecewise);
  REQUIRE(s.traffic.steps.size() == 2);
  CHECK(s.traffic.steps[0].at == 1800);
  CHECK(s.traffic.steps[0].multiplier == 2.0);
  CHECK(s.traffic.steps[1].at == 3600);
  CHECK(s.traffic.region_share.at("eu") == Approx(0.75));
  CHECK(s.traffic.region_share.at("us") == Approx(0.25));
  REQUIRE(s.traffic.segments.size() == 2);
  CHECK(s.traffic.segments[0].name == "consumers");
  CHECK(s.traffic.segments[0].share == Approx(0.8));
  CHECK(s.traffic.segments[1].features == std::vector<std::string>{"playlists"});

  CHECK(s.client.on_status == std::map<Status, ClientAction>{{Status::NOT_FOUND, ClientAction::logout},
                                                             {Status::UNAVAILABLE, ClientAction::retry},
                                                             {Status::INTERNAL, ClientAction::error},
                                                             {Status::CANCELLED, ClientAction::ignore}});
  CHECK(s.client.retries == 3);
  CHECK(s.client.retry_delay == 2);
  CHECK(s.client.timeout == 20);
  CHECK(s.client.relogin_feature == "login");

  REQUIRE(s.faults.size() == 23);
  CHECK(s.faults[3].name == "errors");
  CHECK(s.faults[3].poisons_cache);
  CHECK(s.faults[3].poison_ttl == std::optional<double>(1200));
  CHECK_FALSE(s.faults[20].poisons_cache);
  CHECK_FALSE(s.faults[3].scope.enabled);
  REQUIRE(s.faults[9].kind == FaultKind::slowdown);
  CHECK(s.faults[9].scope.enabled);
  CHECK(s.faults[9].scope.segments == std::vector<std::string>{"businesses"});
  CHECK(s.faults[9].scope.tenants == 0.5);
  CHECK(s.faults[9].scope.users == 0.5);
  CHECK(s.faults[20].kind == FaultKind::slow_disk);
  CHECK(s.faults[20].factor == 0.25);
  CHECK(s.faults[21].kind == FaultKind::limit_lowered);
  CHECK(s.faults[21].target == "login");
  CHECK(s.faults[19].kind == FaultKind::memory_leak);
  CHECK(s.faults[19].leak == 2.5);
  CHECK(s.faults[17].kind == FaultKind::cpu_hog);
  CHECK(s.faults[17].threads == 12.5);
  CHECK(s.faults[18].kind == FaultKind::link_capacity);
  CHECK(s.faults[18].factor == 0.5);
  CHECK(s.network.sync_interval == 2);
  REQUIRE(s.network.links.size() == 3);
  CHECK(s.network.links[1].name == "metro");
  CHECK_FALSE(s.network.links[1].latency.has_value());
  CHECK_FALSE(s.network.links[1].buffer.has_value());
  CHECK(s.network.links[2].a == "eu-a");
  CHECK(s.network.links[2].b == "eu-a");
  CHECK(s.network.links[2].name == "eu-a.network");
  CHECK(s.network.links[2].bandwidth == 4000);
  REQUIRE(s.network.devices.size() == 1);
  CHECK(s.network.devices[0].name == "transit");
  CHECK(s.network.devices[0].joins == std::vector<std::string>{"eu", "us-a"});
  CHECK(s.network.devices[0].bandwidth == 2000);
  CHECK(s.network.devices[0].buffer == 100);
  CHECK(hard.request_size == 0.002);
  CHECK(hard.reply_size == 0.05);
  CHECK(hard.traffic_class == TrafficClass::control);
  CHECK(s.dependencies[1].traffic_class == TrafficClass::rpc);
  const Fault& cp = s.faults[0];
  CHECK(cp.name == "cp-outage");
  CHECK(cp.kind == FaultKind::control_plane);
  CHECK(cp.target == "discovery");
  CHECK(cp.at == 1200);
  CHECK(cp.duration == 2400);
  CHECK(cp.status == Status::INTERNAL);
  CHECK(cp.behaviour == ControlPlaneBehaviour::errors);
  CHECK(s.faults[1].name == "fault[1]");
  CHECK(s.faults[1].target == "eu-a-h2");
  CHECK_FALSE(s.faults[1].duration.has_value());
  CHECK(s.faults[2].mode == SelectorMode::percent);
  CHECK(s.faults[2].value == 50);
  CHECK(s.faults[2].delay.kind == Distribution::Kind::constant);
  CHECK(s.faults[2].delay.mean == 0.1);
  CHECK(s.faults[3].rate == 0.25);
  CHECK(s.faults[3].status == Status::UNAVAILABLE);
  CHECK(s.faults[4].mode == SelectorMode::one);
  CHECK(s.faults[5].kind == FaultKind::region_outage);
  CHECK(s.faults[6].kind == FaultKind::link_down);
  CHECK(s.faults[6].after == "region");
  CHECK(s.faults[6].after_delay == 60);
  CHECK(s.faults[7].direction == PartitionDirection::one_way);
  CHECK(s.faults[7].every == 1200);
  CHECK(s.faults[8].kind == FaultKind::packet_loss);
  CHECK(s.faults[8].rate == 0.1);
  CHECK(s.faults[9].factor == 3);
  CHECK(s.faults[9].target == "eu-b/rack1");
  CHECK(s.faults[10].kind == FaultKind::traffic_surge);
  CHECK(s.faults[10].factor == 4);
  const Fault& rollout = s.faults[11];
  CHECK(rollout.ramp == 1200);
  CHECK(rollout.crash_loop);
  CHECK(rollout.crash_after == 30);
  CHECK(s.faults[12].status == Status::UNAUTHENTICATED);
  CHECK(s.faults[13].ttl == 300);
  CHECK(s.faults[13].status == Status::NOT_FOUND);
  CHECK(s.faults[14].skew == 600);
  CHECK(s.faults[14].tolerance == 60);
  CHECK(s.faults[14].checked_by == std::vector<std::string>{"login"});
  REQUIRE(s.faults[15].random);
  CHECK(s.faults[15].random->failure.kind == Distribution::Kind::exponential);
  CHECK(s.faults[15].random->failure.mean == 30 * 86400);
  CHECK(s.faults[15].random->repair.mean == 7200);
  CHECK(s.faults[15].random->common_cause == 0.05);
  CHECK_FALSE(s.faults[15].random->age_while_down);
  REQUIRE(s.faults[16].random);
  CHECK(s.faults[16].random->failure.kind == Distribution::Kind::weibull);
  CHECK(s.faults[16].random->repair.kind == Distribution::Kind::lognormal);
  CHECK(s.faults[16].random->age_while_down);

  REQUIRE(s.monitors.size() == 4);
  CHECK(s.monitors[0].metric == "feature.playlists.availability");
  CHECK(s.monitors[0].op == CompareOp::lt);
  CHECK(s.monitors[0].threshold == 0.99);
  CHECK(s.monitors[0].for_ == 120);
  CHECK(s.monitors[1].op == CompareOp::gt);
  CHECK(s.monitors[1].threshold == 0.3);
  CHECK(s.monitors[1].depends_on.empty());
  CHECK(s.monitors[2].metric == "service.playlists.queue");
  CHECK(s.monitors[2].threshold == 20);
  CHECK(s.monitors[2].depends_on == std::vector<std::string>{"discovery", "login"});
  CHECK(s.monitors[3].threshold == 1);  // a duration, for a latency metric

  CHECK(s.incident.acknowledge.kind == Distribution::Kind::exponential);
  CHECK(s.incident.acknowledge.mean == 180);
  CHECK(s.incident.diagnose.kind == Distribution::Kind::constant);
  CHECK(s.incident.diagnose.mean == 1200);
  CHECK(s.incident.act.kind == Distribution::Kind::uniform);
  CHECK(s.incident.act.min == 60);
  CHECK(s.incident.act.max == 300);
  CHECK(s.incident.stable_for == 600);
  CHECK(s.incident.tooling == std::vector<std::string>{"discovery"});
  CHECK(s.incident.tooling_down_speed == 0.5);
  CHECK(s.incident.user_reports.enabled);
  CHECK(s.incident.user_reports.rate == 0.002);
  CHECK(s.incident.user_reports.threshold == 80);
  CHECK(s.incident.user_reports.window == 1200);
  CHECK(s.incident.user_reports.escalate.kind == Distribution::Kind::lognormal);
  CHECK(s.incident.user_reports.escalate.mean == 480);
  CHECK(s.incident.status_page == "login");
  CHECK(s.incident.status_page_fallback == 900);
  CHECK(s.incident.status_update_every == 1800);
  CHECK(s.incident.source.key == "incident");
  CHECK(s.incident.source.line > 0);

  REQUIRE(s.actions.size() == 11);
  CHECK(s.actions[10].kind == ActionKind::flush_cache);
  CHECK(s.actions[10].dependency == "gateway->playlists");
  CHECK(s.actions[0].kind == ActionKind::rollback);
  CHECK(s.actions[0].fault == "cp-outage");
  CHECK(s.actions[0].trigger == Trigger::diagnosed);
  CHECK(s.actions[0].delay == 300);
  CHECK(s.actions[1].name == "action[1]");
  CHECK(s.actions[1].trigger == Trigger::monitor);
  CHECK(s.actions[1].monitor == "playlists-down");
  CHECK(s.actions[1].from == "playlists");
  CHECK(s.actions[1].to == "playlists-v2");
  CHECK(s.actions[1].services == std::vector<std::string>{"gateway"});
  CHECK(s.actions[1].batch == 1);
  CHECK(s.actions[1].interval == 120);
  CHECK(s.actions[1].by == RolloutUnit::zone);
  CHECK(s.actions[1].gate == "slow-gateway");
  CHECK(s.actions[1].on_gate_failure == GateFailure::revert);
  CHECK(s.actions[2].by == RolloutUnit::replica);
  CHECK(s.actions[2].gate.empty());
  CHECK(s.actions[2].on_gate_failure == GateFailure::pause);
  CHECK(s.actions[2].trigger == Trigger::at);
  CHECK(s.actions[2].at == 6000);
  CHECK(s.actions[2].service == "gateway");
  CHECK(s.actions[2].batch == 2);
  CHECK(s.actions[2].interval == 30);
  CHECK(s.actions[2].tooling == std::vector<std::string>{"discovery"});
  CHECK(s.actions[2].tooling_down_speed == 0.5);
  CHECK(s.actions[0].tooling.empty());
  CHECK(s.actions[0].tooling_down_speed == 0);
  CHECK_FALSE(s.actions[2].mitigates.has_value());
  const Action& failover_action = s.actions[3];
  CHECK(failover_action.kind == ActionKind::failover);
  CHECK(failover_action.service == "gateway");
  CHECK(failover_action.to == "eu-b");
  CHECK(failover_action.trigger == Trigger::acknowledged);
  CHECK(failover_action.mitigates == false);
  const Action& shed = s.actions[4];
  CHECK(shed.kind == ActionKind::shed_load);
  CHECK(shed.service == "playlists");
  CHECK(shed.fraction == 0.3);
  CHECK(shed.duration == 600);
  const Action& scale = s.actions[5];
  CHECK(scale.kind == ActionKind::scale);
  CHECK(scale.replicas == 6);
  const Action& cut = s.actions[6];
  CHECK(cut.kind == ActionKind::kill_switch);
  CHECK(cut.dependency == "gateway->login");
  CHECK(cut.feature.empty());
  CHECK(cut.duration == 900);
  CHECK(s.actions[7].feature == "login");
  CHECK_FALSE(s.actions[7].duration.has_value());
  const Action& admit = s.actions[8];
  CHECK(admit.kind == ActionKind::admit);
  CHECK(admit.features == std::vector<std::string>{"playlists"});
  CHECK(admit.step == 0.2);
  CHECK(admit.every == 120);
  CHECK(admit.mitigates == true);
}

TEST_CASE("every entity remembers where it was written", "[loader]") {
  const Scenario s = load_scenario_file(complete_path());
  CHECK(s.services[0].source.line == 48);
  CHECK(s.services[0].source.column == 1);
  CHECK(s.services[0].source.key == "service.gateway");
  CHECK(s.dependencies[2].source.key == "dependency.gateway->login");
  CHECK(s.faults[1].source.key == "fault[1]");
  CHECK(s.info.source.key == "scenario");
}

TEST_CASE("a minimal scenario gets the defaults of the data model", "[loader][defaults]") {
  // The loader takes defaults from the schema table; they must agree with scenario.hpp, which is what
  // code that builds a Scenario by hand gets.
  const Scenario s = load_scenario_text(kMinimal, "minimal.toml");
  const ScenarioInfo info;
  CHECK(s.info.duration == info.duration);
  CHECK(s.info.seed == info.seed);
  CHECK(s.info.bucket == info.bucket);
  CHECK(s.info.description.empty());
  CHECK(s.zones[0].hosts == Zone{}.hosts);

  const Network network;
  CHECK(s.network.intra_zone == network.intra_zone);
  CHECK(s.network.inter_zone == network.inter_zone);
  CHECK(s.network.inter_region == network.inter_region);

  const Service service;
  const Service& front = s.services[0];
  CHECK(front.replicas == service.replicas);
  CHECK(front.zones == std::vector<std::string>{"eu-a"});  // every zone
  CHECK(front.workers == service.workers);
  CHECK(front.queue == service.queue);
  CHECK(front.service_time.kind == service.service_time.kind);
  CHECK(front.service_time.mean == service.service_time.mean);
  CHECK(front.restart_time == service.restart_time);
  CHECK(front.health_check.interval == service.health_check.interval);
  CHECK(front.health_check.unhealthy_threshold == service.health_check.unhealthy_threshold);
  CHECK(front.health_check.healthy_threshold == service.health_check.healthy_threshold);
  CHECK(front.restart_policy.backoff == service.restart_policy.backoff);
  CHECK(front.restart_policy.max_backoff == service.restart_policy.max_backoff);
  CHECK(front.restart_policy.max_restarts == service.restart_policy.max_restarts);
  CHECK(front.restart_policy.window == service.restart_policy.window);
  CHECK(front.startup_requires.empty());
  CHECK_FALSE(front.autoscaling.enabled);
  CHECK_FALSE(front.failover.enabled);

  const Dependency dependency;
  const Dependency& d = s.dependencies[0];
  CHECK(d.kind == dependency.kind);
  CHECK(d.calls == dependency.calls);
  CHECK(d.features.empty());
  CHECK(d.timeout == dependency.timeout);
  CHECK(d.retry_policy.num_retries == dependency.retry_policy.num_retries);
  CHECK_FALSE(d.retry_policy.per_try_timeout.has_value());
  CHECK(d.retry_policy.retry_on == dependency.retry_policy.retry_on);
  CHECK(d.retry_policy.back_off.base_interval == dependency.retry_policy.back_off.base_interval);
  CHECK(d.retry_policy.back_off.max_interval == dependency.retry_policy.back_off.max_interval);
  CHECK(d.retry_policy.jitter == dependency.retry_policy.jitter);
  CHECK(d.fallback == dependency.fallback);
  CHECK(d.fail_static == dependency.fail_static);
  CHECK(d.refresh == dependency.refresh);
  CHECK(d.cache_ttl == dependency.cache_ttl);
  CHECK(d.error_mapping.empty());

  CHECK(s.features[0].slo == Feature{}.slo);
  CHECK(s.features[0].share == 1);

  const Traffic traffic;
  CHECK(s.traffic.rate == traffic.rate);
  CHECK(s.traffic.users == traffic.users);
  CHECK(s.traffic.sample_users == traffic.sample_users);
  CHECK(s.traffic.pattern == traffic.pattern);
  CHECK(s.traffic.segments.empty());
  CHECK(s.traffic.region_share.empty());

  const Client client;
  CHECK(s.client.on_status.empty());
  CHECK(s.client.retries == client.retries);
  CHECK(s.client.retry_delay == client.retry_delay);
  CHECK(s.client.timeout == client.timeout);
  CHECK(s.client.relogin_feature.empty());

  const Incident incident;
  CHECK(s.incident.acknowledge.kind == Distribution::Kind::constant);
  CHECK(s.incident.acknowledge.mean == incident.acknowledge.mean);
  CHECK(s.incident.diagnose.kind == Distribution::Kind::constant);
  CHECK(s.incident.diagnose.mean == incident.diagnose.mean);
  CHECK(s.incident.act.kind == Distribution::Kind::constant);
  CHECK(s.incident.act.mean == incident.act.mean);
  CHECK(s.incident.stable_for == incident.stable_for);
  CHECK(s.incident.tooling.empty());
  CHECK(s.incident.tooling_down_speed == incident.tooling_down_speed);
  CHECK(s.incident.status_page.empty());
  CHECK_FALSE(s.incident.status_page_fallback.has_value());
  CHECK_FALSE(s.incident.status_update_every.has_value());
  CHECK(s.incident.source.line == 0);  // no [incident] table
}

TEST_CASE("a table that enables a mechanism gets the defaults of the data model", "[loader][defaults]") {
  const Scenario s = load_scenario_text(with_back("replicas = 2\nrestart_policy = {}\nautoscaling = { max = 3 }\n"
                                                  "failover = { standby = [\"eu-b\"], observer = \"eu-a\" }\n"
                                                  "zones = [\"eu-a\", \"eu-b\"]\n") +
                                            "[[zone]]\nname = \"eu-b\"\nregion = \"eu\"\n",
                                        "t.toml");
  const Service service;
  const Service& back = s.services[1];
  CHECK(back.restart_policy.max_backoff == service.restart_policy.max_backoff);
  CHECK(back.restart_policy.window == service.restart_policy.window);
  const Autoscaling& a = back.autoscaling;
  CHECK(a.enabled);
  CHECK(a.max == 3);
  CHECK(a.signal == service.autoscaling.signal);
  CHECK(a.target == service.autoscaling.target);
  CHECK(a.min == service.autoscaling.min);
  CHECK(a.interval == service.autoscaling.interval);
  CHECK(a.provisioning_delay == service.autoscaling.provisioning_delay);
  CHECK(a.max_step == service.autoscaling.max_step);
  CHECK(a.cooldown == service.autoscaling.cooldown);
  const Failover& f = back.failover;
  CHECK(f.enabled);
  CHECK(f.hold_down == service.failover.hold_down);
  CHECK(f.delay == service.failover.delay);
}

TEST_CASE("fault and action defaults depend on their kind", "[loader][defaults]") {
  const Scenario s = load_scenario_text(kMinimal + R"(
[[fault]]
kind = "error_rate"
target = "back"
at = "1m"
[[fault]]
kind = "control_plane"
target = "back"
at = "2m"
[[fault]]
kind = "zone_outage"
target = "eu-a"
at = "3m"
[[action]]
kind = "rollback"
fault = "fault[0]"
after = "detected"
[[action]]
kind = "restart"
service = "back"
at = "4m"
[[action]]
kind = "admit"
at = "5m"
[[action]]
kind = "shed_load"
service = "back"
fraction = 0.5
at = "6m"
)",
                                        "t.toml");
  const Fault fault;
  CHECK(s.faults[0].name == "fault[0]");
  CHECK(s.faults[0].status == Status::UNAVAILABLE);
  CHECK(s.faults[0].rate == fault.rate);
  CHECK(s.faults[0].mode == fault.mode);
  CHECK(s.faults[1].status == Status::NOT_FOUND);
  CHECK(s.faults[1].behaviour == ControlPlaneBehaviour::missing);
  CHECK(s.faults[2].kind == FaultKind::zone_outage);
  CHECK(s.actions[0].name == "action[0]");
  CHECK(s.actions[0].delay == 0);
  CHECK(s.actions[0].trigger == Trigger::detected);
  CHECK_FALSE(s.actions[0].mitigates.has_value());
  const Action action;
  CHECK(s.actions[1].batch == action.batch);
  CHECK(s.actions[1].interval == action.interval);
  CHECK(s.actions[2].step == action.step);
  CHECK(s.actions[2].every == action.every);
  CHECK(s.actions[2].features.empty());
  CHECK_FALSE(s.actions[3].duration.has_value());
}

TEST_CASE("the back-off cap defaults to ten times the base", "[loader][defaults]") {
  const Scenario s = load_scenario_text(
      with_back("") + "[[dependency]]\nfrom = \"back\"\nto = \"front\"\nkind = \"soft\"\n"
                      "retry_policy = { retry_back_off = { base_interval = \"100ms\" } }\n",
      "t.toml");
  CHECK(s.dependencies[1].retry_policy.back_off.max_interval == Approx(1.0));
}

TEST_CASE("service times take each distribution family", "[loader][distribution]") {
  auto service_time = [](const std::string& value) {
    return load_scenario_text(with_back("service_time = " + value + "\n"), "t.toml").services[1].service_time;
  };
  const Distribution constant = service_time("\"7ms\"");
  CHECK(constant.kind == Distribution::Kind::constant);
  CHECK(constant.mean == 0.007);
  const Distribution exponential = service_time("{ dist = \"exponential\", mean = \"20ms\" }");
  CHECK(exponential.kind == Distribution::Kind::exponential);
  CHECK(exponential.mean == 0.02);
  const Distribution lognormal = service_time("{ dist = \"lognormal\", mean = \"20ms\", stddev = \"5ms\" }");
  CHECK(lognormal.kind == Distribution::Kind::lognormal);
  CHECK(lognormal.stddev == 0.005);
  const Distribution uniform = service_time("{ dist = \"uniform\", min = \"1ms\", max = \"2ms\" }");
  CHECK(uniform.kind == Distribution::Kind::uniform);
  CHECK(uniform.min == 0.001);
  CHECK(uniform.max == 0.002);
  const Distribution weibull = service_time("{ dist = \"weibull\", shape = 2, scale = \"10ms\" }");
  CHECK(weibull.kind == Distribution::Kind::weibull);
  CHECK(weibull.shape == 2);
  CHECK(weibull.scale == 0.01);
}

TEST_CASE("distribution mistakes point into the distribution table", "[loader][distribution]") {
  CHECK(formatted(with_back("service_time = { dist = \"uniform\", min = \"2ms\", max = \"1ms\" }\n")) ==
        std::vector<std::string>{
            "test.toml:11:55: error: service.back.service_time.max: must be greater than min (2ms), got \"1ms\""});
  CHECK(formatted(with_back("service_time = { dist = \"exponential\", mean = \"0s\" }\n")) ==
        std::vector<std::string>{
            "test.toml:11:47: error: service.back.service_time.mean: must be greater than 0s for dist = \"exponential\""});
  CHECK(formatted(with_back("service_time = { dist = \"gamma\", mean = \"1s\" }\n")) ==
        std::vector<std::string>{"test.toml:11:25: error: service.back.service_time.dist: unknown dist 'gamma'; known: "
                                 "constant, exponential, lognormal, uniform, weibull"});
  CHECK(formatted(with_back("service_time = { dist = \"weibull\", scale = \"1s\" }\n")) ==
        std::vector<std::string>{"test.toml:11:16: error: service.back.service_time.shape: missing required key 'shape'"});
  CHECK(formatted(with_back("service_time = 5\n")) ==
        std::vector<std::string>{"test.toml:11:16: error: service.back.service_time: durations need a unit, e.g. \"30s\""});
}

TEST_CASE("error mappings read status names on both sides", "[loader][error_mapping]") {
  const Scenario s = load_scenario_text(
      with_back("") + "[[dependency]]\nfrom = \"back\"\nto = \"front\"\nkind = \"soft\"\n"
                      "error_mapping = { NOT_FOUND = \"UNAVAILABLE\", PERMISSION_DENIED = \"UNAUTHENTICATED\" }\n",
      "t.toml");
  CHECK(s.dependencies[1].error_mapping ==
        std::map<Status, Status>{{Status::NOT_FOUND, Status::UNAVAILABLE},
                                 {Status::PERMISSION_DENIED, Status::UNAUTHENTICATED}});
  const std::vector<Diagnostic> bad = mistakes(with_back("") +
                                               "[[dependency]]\nfrom = \"back\"\nto = \"front\"\nkind = \"soft\"\n"
                                               "error_mapping = { NOT_FOUND = 3 }\n");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].key == "dependency.back->front.error_mapping.NOT_FOUND");
  CHECK(bad[0].message == "expected a status name string, got the integer 3");
}

TEST_CASE("loaded scenarios find entities by name", "[loader][names]") {
  const Scenario s = load_scenario_file(complete_path());
  REQUIRE(s.find_service("discovery") != nullptr);
  CHECK(s.find_service("discovery")->service_time.kind == Distribution::Kind::weibull);
  CHECK(s.find_zone("eu-b")->hosts == 2);
  CHECK(s.find_feature("login")->entry == "gateway");
  CHECK(s.find_fault("slow")->kind == FaultKind::latency);
  CHECK(s.find_fault("fault[1]")->kind == FaultKind::host_crash);
  CHECK(s.find_service("paymnt") == nullptr);
}

TEST_CASE("an unknown name lists the known ones of its kind", "[loader][names]") {
  CHECK(formatted(kMinimal + "[[feature]]\nname = \"search\"\nentry = \"serch\"\nshare = 1\n") ==
        std::vector<std::string>{"test.toml:20:9: error: feature.search.entry: unknown service 'serch'; known: front, back"});
  CHECK(formatted(with_back("zones = [\"eu-a\", \"eu-b\"]\n")) ==
        std::vector<std::string>{"test.toml:11:18: error: service.back.zones[1]: unknown zone 'eu-b'; known: eu-a"});
}

TEST_CASE("names are checked for their characters and uniqueness", "[loader][names]") {
  CHECK(formatted(kMinimal + "[[service]]\nname = \"front\"\n") ==
        std::vector<std::string>{"test.toml:19:8: error: service[2].name: duplicate service name 'front'; the first is at line 8"});
  CHECK(formatted(kMinimal + "[[service]]\nname = \"a b\"\n") ==
        std::vector<std::string>{"test.toml:19:8: error: service[2].name: invalid name 'a b': use letters, digits, '_', '.' and '-'"});
}

TEST_CASE("a missing required key is reported at its table", "[loader][diagnostics]") {
  const std::vector<Diagnostic> found = mistakes(kMinimal + "\n[[fault]]\nkind = \"service_crash\"\nat = \"1m\"\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "test.toml");
  CHECK(found[0].line == 19);
  CHECK(found[0].column == 1);
  CHECK(found[0].key == "fault[0].target");
  CHECK(found[0].message == "missing required key 'target'");
}

TEST_CASE("keys that do not apply to a kind are errors", "[loader][diagnostics]") {
  CHECK(formatted(kMinimal + "[[fault]]\nkind = \"service_crash\"\ntarget = \"back\"\nat = \"1m\"\nrate = 0.5\n"
                             "[[action]]\nkind = \"restart\"\nservice = \"back\"\nfault = \"x\"\nat = \"2m\"\n") ==
        std::vector<std::string>{
            "test.toml:22:8: error: fault[0].rate: 'rate' applies only to kind = \"error_rate\", \"packet_loss\" or "
            "\"config_rollout\" without crash_loop",
            "test.toml:26:9: error: action[0].fault: 'fault' applies only to kind = \"rollback\" or \"restore\""});
}

TEST_CASE("times inside the run must come before its end", "[loader][diagnostics]") {
  CHECK(formatted(kMinimal + "[[fault]]\nkind = \"service_crash\"\ntarget = \"back\"\nat = \"2h\"\n") ==
        std::vector<std::string>{
            "test.toml:21:6: error: fault[0].at: must be before the end of the run (1h), got \"2h\""});
}

TEST_CASE("the bucket must fit the run", "[loader][diagnostics]") {
  std::string text = kMinimal;
  text.insert(text.find("[[zone]]"), "duration = \"400d\"\nbucket = \"1s\"\n");
  CHECK(formatted(text) == std::vector<std::string>{"test.toml:5:10: error: scenario.bucket: makes 34560000 buckets; "
                                                    "at most 1000000 are allowed, so use at least 34560ms"});
}

TEST_CASE("a scenario error carries every diagnostic in its message", "[loader][diagnostics]") {
  try {
    load_scenario_text(with_back("replicas = 0\nqueue = -1\n"), "test.toml");
    FAIL("loaded");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 2);
    CHECK(std::string(e.what()) ==
          "test.toml:11:12: error: service.back.replicas: must be at least 1, got 0\n"
          "test.toml:12:9: error: service.back.queue: must be at least 0, got -1");
    const std::invalid_argument& as_standard = e;
    CHECK(std::string(as_standard.what()).find("replicas") != std::string::npos);
  }
}

TEST_CASE("diagnostics format with and without a position", "[loader][diagnostics]") {
  CHECK(Diagnostic{"a.toml", 3, 7, "service[0].workers", "too many"}.format() ==
        "a.toml:3:7: error: service[0].workers: too many");
  CHECK(Diagnostic{"<--set>", 0, 0, "traffic.rate", "bad"}.format() == "<--set>: error: traffic.rate: bad");
  CHECK(Diagnostic{"a.toml", 0, 0, "", "cannot read file: gone"}.format() == "a.toml: error: cannot read file: gone");
}

TEST_CASE("an unreadable file is a diagnostic, not a crash", "[loader][file]") {
  const std::string missing = std::string(FAULTLINE_SOURCE_DIR) + "/tests/data/loader/no-such-file.toml";
  const std::vector<Diagnostic> found = validate_scenario_file(missing);
  REQUIRE(found.size() == 1);
  CHECK(found[0].format() == missing + ": error: cannot read file: No such file or directory");
  CHECK_THROWS_AS(load_scenario_file(missing), ScenarioError);
  CHECK(validate_scenario_file(complete_path()).empty());
}

TEST_CASE("the text hash is FNV-1a of the text alone", "[loader][provenance]") {
  const Scenario a = load_scenario_text(kMinimal, "a.toml");
  const Scenario b = load_scenario_text(kMinimal, "b.toml", {{"traffic.rate", "5"}});
  const Scenario c = load_scenario_text(kMinimal + "# a comment\n", "a.toml");
  CHECK(a.text_hash.size() == 16);
  CHECK(a.text_hash == b.text_hash);  // origin and overrides are recorded elsewhere
  CHECK(a.text_hash != c.text_hash);
  CHECK(a.origin == "a.toml");
}

TEST_CASE("the text hash is 64-bit FNV-1a in hex", "[loader][provenance]") {
  // Computed here independently, so a change of algorithm (which would change every report's
  // provenance) fails this test.
  const Scenario s = load_scenario_text(kMinimal, "a.toml");
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : kMinimal) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  char expected[17];
  std::snprintf(expected, sizeof expected, "%016llx", static_cast<unsigned long long>(hash));
  CHECK(s.text_hash == expected);
}
