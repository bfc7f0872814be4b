#include "report/json.hpp"
#include "report_sample.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace faultline;
using faultline::test::sample_report;
using faultline::test::sample_report_two_incidents;

TEST_CASE("report JSON is byte-identical for the same report", "[report][json]") {
  CHECK(report_to_json(sample_report()) == report_to_json(sample_report()));
}

TEST_CASE("report JSON is indented, with arrays of numbers on one line", "[report][json]") {
  const std::string text = report_to_json(sample_report());
  CHECK(text.rfind("{\n  \"provenance\": {\n    \"faultline_version\": \"0.1.0\",\n", 0) == 0);
  CHECK(text.find("\"failed\": [0, 0, 60, 20, 0, 0]") != std::string::npos);
  CHECK(text.find("\"events\": [\n    {\n      \"time\": 1200.0,") != std::string::npos);
  CHECK(text.back() == '\n');
}

TEST_CASE("report JSON keeps the documented key order", "[report][json]") {
  const auto j = nlohmann::ordered_json::parse(report_to_json(sample_report()));
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"provenance", "duration", "bucket", "summary", "incident", "incidents",
                                         "expectations", "features", "segments", "regions", "services", "edges", "propagation", "events",
                                         "status_updates"});
  std::vector<std::string> incident;
  for (auto it = j["incident"].begin(); it != j["incident"].end(); ++it) incident.push_back(it.key());
  CHECK(incident == std::vector<std::string>{"impact_start", "detected", "acknowledged", "diagnosed", "mitigated",
                                             "recovered", "detected_by", "acknowledged_via", "diagnosed_note",
                                             "mitigated_by", "recovered_note", "ttd", "tta", "ttm", "ttr", "stages"});
  std::vector<std::string> stages;
  for (auto it = j["incident"]["stages"].begin(); it != j["incident"]["stages"].end(); ++it)
    stages.push_back(it.key());
  CHECK(stages == std::vector<std::string>{"detection", "acknowledgement", "diagnosis", "mitigation", "recovery"});
  std::vector<std::string> update;
  for (auto it = j["status_updates"][0].begin(); it != j["status_updates"][0].end(); ++it) update.push_back(it.key());
  CHECK(update == std::vector<std::string>{"time", "state", "message", "eta", "channel"});
  std::vector<std::string> errors;
  for (auto it = j["services"][0]["errors"].begin(); it != j["services"][0]["errors"].end(); ++it)
    errors.push_back(it.key());
  CHECK(errors ==
        std::vector<std::string>{"timeout", "rejected", "circuit_open", "dependency", "injected", "host_down"});
}

TEST_CASE("report JSON writes the derived metrics and null for stages that never happened", "[report][json]") {
  const auto j = nlohmann::json::parse(report_to_json(sample_report()));
  CHECK(j["summary"]["availability"].get<double>() == 0.9);
  CHECK(j["summary"]["requests"].get<std::uint64_t>() == 1000);
  CHECK(j["incident"]["ttd"].get<double>() == 90);
  CHECK(j["incident"]["ttm"].get<double>() == 1200);
  CHECK(j["incident"]["diagnosed"].is_null());
  CHECK(j["incident"]["recovered"].is_null());
  CHECK(j["incident"]["ttr"].is_null());
  CHECK(j["features"][0]["name"] == "play");
  CHECK(j["features"][0]["buckets"]["failed"] == nlohmann::json::array({0, 0, 60, 20, 0, 0}));
  CHECK(j["features"][0]["latency"]["p99"].get<double>() == 1.0 / 3.0);
  CHECK(j["services"][0]["errors"]["injected"] == 70);
  CHECK(j["services"][0]["ttr"] == 900.0);
  CHECK(j["services"][1]["ttr"].is_null());
  CHECK(j["edges"][0]["amplification"].get<double>() == 2.4);
  CHECK(j["edges"][1]["amplification"].get<double>() == 0);
  CHECK(j["propagation"][1]["via"] == "edge:playlist->storage");
  CHECK(j["services"][0]["downtime"] == 330.0);
  CHECK(j["services"][0]["restarts"] == 4);
  CHECK(j["services"][0]["crashes"] == 2);
  CHECK(j["services"][0]["replicas_by_bucket"] == nlohmann::json::array({3, 3, 0, 2, 3, 3}));
  CHECK(j["services"][1]["replicas_by_bucket"] == nlohmann::json::array());
  CHECK(j["provenance"]["seed"].get<std::uint64_t>() == std::numeric_limits<std::uint64_t>::max());
  CHECK(j["provenance"]["overrides"]["traffic.rate"] == "200");
}

TEST_CASE("report JSON splits the time to recovery into stages, null for those that did not happen",
          "[report][json]") {
  auto j = nlohmann::json::parse(report_to_json(sample_report()));
  // Not recovered: detection and acknowledgement up to mitigation, no diagnosis, no recovery.
  const auto& stages = j["incident"]["stages"];
  CHECK(stages["detection"] == 90.0);
  CHECK(stages["acknowledgement"] == 210.0);
  CHECK(stages["diagnosis"].is_null());
  CHECK(stages["mitigation"] == 900.0);
  CHECK(stages["recovery"].is_null());
  CHECK(j["incident"]["acknowledged_via"] == "fallback");
  CHECK(j["incident"]["diagnosed_note"] == "");

  Report r = sample_report();
  r.incident.recovered = 3000;
  j = nlohmann::json::parse(report_to_json(r));
  CHECK(j["incident"]["stages"]["recovery"] == 600.0);
  CHECK(j["incident"]["ttr"] == 1800.0);

  r.incident.impact_start.reset();
  j = nlohmann::json::parse(report_to_json(r));
  for (const char* stage : {"detection", "acknowledgement", "diagnosis", "mitigation", "recovery"})
    CHECK(j["incident"]["stages"][stage].is_null());
}

TEST_CASE("report JSON lists every incident with the same fields as the first", "[report][json]") {
  const auto j = nlohmann::ordered_json::parse(report_to_json(sample_report_two_incidents()));
  REQUIRE(j["incidents"].size() == 2);
  CHECK(j["incidents"][0] == j["incident"]);
  const auto& second = j["incidents"][1];
  CHECK(second["impact_start"] == 3000.0);
  CHECK(second["acknowledged"].is_null());
  CHECK(second["ttd"] == 60.0);
  CHECK(second["tta"].is_null());
  CHECK(second["ttr"] == 300.0);
  CHECK(second["mitigated_by"] == "restart-storage");
  // Not acknowledged nor diagnosed: detection runs to mitigation.
  CHECK(second["stages"]["detection"] == 60.0);
  CHECK(second["stages"]["acknowledgement"].is_null());
  CHECK(second["stages"]["mitigation"] == 140.0);
  CHECK(second["stages"]["recovery"] == 100.0);
  CHECK(nlohmann::json::parse(report_to_json(Report{}))["incidents"] == nlohmann::json::array());
}

TEST_CASE("report JSON lists the status updates with null for an update without ETA", "[report][json]") {
  const auto j = nlohmann::json::parse(report_to_json(sample_report()));
  REQUIRE(j["status_updates"].size() == 2);
  CHECK(j["status_updates"][0]["time"] == 1320.0);
  CHECK(j["status_updates"][0]["state"] == "investigating");
  CHECK(j["status_updates"][0]["eta"] == 3600.0);
  CHECK(j["status_updates"][0]["channel"] == "fallback");
  CHECK(j["status_updates"][1]["eta"].is_null());
  CHECK(nlohmann::json::parse(report_to_json(Report{}))["status_updates"] == nlohmann::json::array());
}

TEST_CASE("report_from_json is the exact inverse of report_to_json", "[report][json]") {
  const Report original = sample_report();
  const std::string text = report_to_json(original);
  const Report back = report_from_json(text);

  CHECK(report_to_json(back) == text);
  // Doubles that have no short decimal form come back bit for bit.
  CHECK(back.features[0].latency.p50 == original.features[0].latency.p50);  // 0.1 + 0.2
  CHECK(back.features[0].latency.p99 == original.features[0].latency.p99);  // 1/3
  CHECK(back.summary.users_affected == 12345.6);
  CHECK(back.provenance.seed == original.provenance.seed);
  CHECK(back.provenance.parameters == original.provenance.parameters);
  CHECK(back.incident.impact_start == original.incident.impact_start);
  CHECK_FALSE(back.incident.diagnosed.has_value());
  CHECK(back.incident.detected_by == "play-availability");
  REQUIRE(back.services.size() == 3);
  CHECK(back.services[0].errors == original.services[0].errors);
  CHECK(back.services[0].latency_by_bucket.p99 == original.services[0].latency_by_bucket.p99);
  CHECK(back.services[0].ttr == std::optional<double>(900));
  CHECK_FALSE(back.services[1].ttr.has_value());
  REQUIRE(back.features[0].buckets.size() == 6);
  CHECK(back.features[0].buckets[2].degraded == 30);
  CHECK(back.segments[1].name == "businesses, shops");
  CHECK(back.edges[0].attempts == 1200);
  CHECK(back.events[2].detail == original.events[2].detail);
  CHECK(back.incident.acknowledged_via == "fallback");
  CHECK(back.services[0].downtime == 330);
  CHECK(back.services[0].restarts == 4);
  CHECK(back.services[0].crashes == 2);
  CHECK(back.services[0].replicas_by_bucket == original.services[0].replicas_by_bucket);
  REQUIRE(back.status_updates.size() == 2);
  CHECK(back.status_updates[0].eta == std::optional<double>(3600));
  CHECK_FALSE(back.status_updates[1].eta.has_value());
  CHECK(back.status_updates[1].message == original.status_updates[1].message);
  CHECK(back.status_updates[1].channel == "fallback");
  // The per-bucket series of item 5: latencies (a bucket without requests stays NaN), queue, work.
  const LatencyByBucket& play = back.features[0].latency_by_bucket;
  CHECK(play.p99_all[3] == original.features[0].latency_by_bucket.p99_all[3]);
  CHECK(std::isnan(play.p50[4]));
  CHECK(back.features[0].latency_all.p99 == 4.0);
  CHECK(back.services[0].queue_by_bucket == original.services[0].queue_by_bucket);
  CHECK(back.services[0].wasted_work_by_bucket == original.services[0].wasted_work_by_bucket);
  CHECK(back.services[0].served == 1990);
  CHECK(back.services[0].wasted == 42);
}

TEST_CASE("report JSON writes per-bucket latency with null where nothing was measured", "[report][json]") {
  const auto j = nlohmann::json::parse(report_to_json(sample_report()));
  const auto& play = j["features"][0];
  CHECK(play["p99_all_by_bucket"][2] == 4.0);
  CHECK(play["p50_by_bucket"][4].is_null());
  CHECK(play["latency_all"]["p99"] == 4.0);
  CHECK_FALSE(j["segments"][0].contains("p50_by_bucket"));  // features and services only
  CHECK(j["services"][0]["wasted_by_bucket"][2] == 40);
  CHECK(j["services"][0]["queue_by_bucket"][2] == 12.25);
}

TEST_CASE("the incident notes round-trip", "[report][json]") {
  Report r = sample_report();
  r.incident.diagnosed = 2000;
  r.incident.diagnosed_note = "tooling unusable for 12m30s (slowed)";
  r.incident.recovered = 3000;
  r.incident.recovered_note = "storage in zone-b last";
  const Report back = report_from_json(report_to_json(r));
  CHECK(back.incident.diagnosed_note == r.incident.diagnosed_note);
  CHECK(back.incident.recovered_note == r.incident.recovered_note);
  CHECK(back.incident.stages().diagnosis == r.incident.stages().diagnosis);
}

TEST_CASE("users' reports round-trip, and a report without them has no such section", "[report][json]") {
  Report r = sample_report();
  CHECK(report_to_json(r).find("\"user_reports\"") == std::string::npos);
  CHECK_FALSE(report_from_json(report_to_json(r)).user_reports);
  r.user_reports = UserReportsReport{120, 900, {0, 0, 14, 90, 61, 3}};
  const Report back = report_from_json(report_to_json(r));
  REQUIRE(back.user_reports);
  CHECK(back.user_reports->threshold == 120);
  CHECK(back.user_reports->window == 900);
  CHECK(back.user_reports->by_bucket == r.user_reports->by_bucket);
}

TEST_CASE("restores round-trip with the tenants not back as null, and a report without them has no such section",
          "[report][json]") {
  Report r = sample_report();
  CHECK(report_to_json(r).find("\"restores\"") == std::string::npos);
  CHECK(report_from_json(report_to_json(r)).restores.empty());
  r.restores = {faultline::test::sample_restore()};
  const std::string text = report_to_json(r);
  CHECK(text.find("\"restored_at\": [1800.0, 2700.0, null]") != std::string::npos);
  const Report back = report_from_json(text);
  CHECK(report_to_json(back) == text);
  REQUIRE(back.restores.size() == 1);
  const RestoreReport& re = back.restores[0];
  CHECK(re.action == "restore-sites");
  CHECK(re.fault == "script-deletes-sites");
  CHECK(re.service == "storage");
  CHECK(re.tenant_ids == std::vector<int>{17, 4, 250});
  CHECK(re.lost_at == std::optional<double>(1200));
  CHECK(re.started == std::optional<double>(1500));
  CHECK_FALSE(re.finished);
  REQUIRE(re.restored_at.size() == 3);
  CHECK(re.restored_at[1] == 2700);
  CHECK(std::isnan(re.restored_at[2]));
  CHECK(re.share_by_bucket == r.restores[0].share_by_bucket);
  CHECK(re.requests.failed == 15);
  REQUIRE(re.buckets.size() == 6);
  CHECK(re.buckets[3].ok == 5);
}

TEST_CASE("the users' series round-trip, and a report without sessions has no such section", "[report][json]") {
  Report r = sample_report();
  CHECK(report_to_json(r).find("\"users\"") == std::string::npos);
  CHECK_FALSE(report_from_json(report_to_json(r)).users);
  r.users = faultline::test::sample_users();
  const std::string text = report_to_json(r);
  const Report back = report_from_json(text);
  CHECK(report_to_json(back) == text);
  REQUIRE(back.users);
  CHECK(back.users->affected_by_bucket == r.users->affected_by_bucket);
  CHECK(back.users->impaired_by_bucket == r.users->impaired_by_bucket);
  CHECK(back.users->logged_out_by_bucket == r.users->logged_out_by_bucket);
  CHECK(back.users->sessions_lost_by_bucket == r.users->sessions_lost_by_bucket);
}

TEST_CASE("replicated state round-trips with its per-bucket columns, and a report without it has no such section",
          "[report][json]") {
  Report r = sample_report();
  CHECK(report_to_json(r).find("\"replication\"") == std::string::npos);
  CHECK(report_from_json(report_to_json(r)).replication.empty());
  r.replication = {faultline::test::sample_replication()};
  const std::string text = report_to_json(r);
  CHECK(text.find("\"reconciled_at\": null") != std::string::npos);
  CHECK(text.find("\"awaiting_by_bucket\": [0, 0, 40, 30, 20, 20]") != std::string::npos);
  const Report back = report_from_json(text);
  CHECK(report_to_json(back) == text);
  REQUIRE(back.replication.size() == 1);
  const ReplicationReport& rp = back.replication[0];
  CHECK(rp.service == "db");
  CHECK(rp.mode == "async");
  CHECK(rp.writes == 6000);
  CHECK(rp.writes_lost == 40);
  CHECK(rp.writes_refused == 12);
  CHECK(rp.writes_awaiting == 40);
  CHECK(rp.read_only == 60);
  CHECK(rp.failed_over_at == std::optional<double>(1230));
  CHECK(rp.reconciliation_started == std::optional<double>(1800));
  CHECK_FALSE(rp.reconciled_at);
  CHECK(rp.failback_waited == 900);
  REQUIRE(rp.buckets.size() == 6);
  CHECK(rp.buckets[2].writes == 950);
  CHECK(rp.buckets[2].lost == 40);
  CHECK(rp.buckets[2].refused == 12);
  CHECK(rp.buckets[3].awaiting == 30);
  CHECK(rp.buckets[2].read_only == 60);
}

TEST_CASE("every incident round-trips, in order, with its nulls", "[report][json]") {
  const Report r = sample_report_two_incidents();
  const std::string text = report_to_json(r);
  const Report back = report_from_json(text);
  CHECK(report_to_json(back) == text);
  REQUIRE(back.incidents.size() == 2);
  CHECK(back.incidents[0].recovered == std::optional<double>(2700));
  CHECK(back.incidents[0].acknowledged_via == "fallback");
  CHECK(back.incidents[1].impact_start == std::optional<double>(3000));
  CHECK_FALSE(back.incidents[1].acknowledged.has_value());
  CHECK_FALSE(back.incidents[1].diagnosed.has_value());
  CHECK(back.incidents[1].detected_by == "search-latency");
  CHECK(back.incidents[1].ttr() == std::optional<double>(300));

  auto j = nlohmann::json::parse(text);
  j["incidents"][1]["detected"] = "soon";
  CHECK_THROWS_WITH(report_from_json(j.dump()), Catch::Contains("incidents[1].detected"));
}

TEST_CASE("an empty report round-trips", "[report][json]") {
  const Report empty;
  CHECK(report_to_json(report_from_json(report_to_json(empty))) == report_to_json(empty));
}

TEST_CASE("a non-finite double is written as null and read back as NaN", "[report][json]") {
  Report r = sample_report();
  r.services[0].latency.p99 = std::nan("");
  const std::string text = report_to_json(r);
  CHECK(nlohmann::json::parse(text)["services"][0]["latency"]["p99"].is_null());
  CHECK(std::isnan(report_from_json(text).services[0].latency.p99));
}

TEST_CASE("malformed report JSON is rejected with the key path", "[report][json]") {
  CHECK_THROWS_AS(report_from_json("{not json"), ReportFormatError);

  auto j = nlohmann::json::parse(report_to_json(sample_report()));
  j["services"][1].erase("latency");
  CHECK_THROWS_WITH(report_from_json(j.dump()), Catch::Contains("services[1].latency"));

  j = nlohmann::json::parse(report_to_json(sample_report()));
  j["summary"]["failed"] = -3;
  CHECK_THROWS_WITH(report_from_json(j.dump()), Catch::Contains("summary.failed"));

  j = nlohmann::json::parse(report_to_json(sample_report()));
  j["features"][0]["buckets"]["ok"].erase(0);
  CHECK_THROWS_AS(report_from_json(j.dump()), ReportFormatError);

  j = nlohmann::json::parse(report_to_json(sample_report()));
  j["status_updates"][1]["eta"] = "soon";
  CHECK_THROWS_WITH(report_from_json(j.dump()), Catch::Contains("status_updates[1].eta"));

  j = nlohmann::json::parse(report_to_json(sample_report()));
  j["services"][0]["replicas_by_bucket"][2] = -1;
  CHECK_THROWS_WITH(report_from_json(j.dump()), Catch::Contains("services[0].replicas_by_bucket[2]"));
}

TEST_CASE("an edge whose cache can be poisoned round-trips its bad answers, and other edges have no such fields",
          "[report][json]") {
  Report r = sample_report();
  CHECK(report_to_json(r).find("poisoned_hits") == std::string::npos);
  r.edges[0].poisoned_hits = 40;
  r.edges[0].requests_by_bucket = {100, 100, 100, 100, 50, 50};
  r.edges[0].poisoned_by_bucket = {0, 0, 20, 15, 5, 0};
  const std::string text = report_to_json(r);
  CHECK(text.find("\"poisoned_by_bucket\": [0, 0, 20, 15, 5, 0]") != std::string::npos);
  const Report back = report_from_json(text);
  CHECK(report_to_json(back) == text);
  CHECK(back.edges[0].poisoned_hits == std::optional<std::uint64_t>(40));
  CHECK(back.edges[0].requests_by_bucket == r.edges[0].requests_by_bucket);
  CHECK(back.edges[0].poisoned_by_bucket == r.edges[0].poisoned_by_bucket);
  CHECK_FALSE(back.edges[1].poisoned_hits);
}

TEST_CASE("backlogs round-trip, and a report without one has no such section", "[report][json]") {
  Report r = sample_report();
  CHECK(report_to_json(r).find("\"backlogs\"") == std::string::npos);
  r.backlogs = {faultline::test::sample_backlog()};
  const std::string text = report_to_json(r);
  const Report back = report_from_json(text);
  CHECK(report_to_json(back) == text);
  REQUIRE(back.backlogs.size() == 1);
  const BacklogReport& b = back.backlogs[0];
  CHECK(b.dependency == "playlist->storage");
  CHECK(b.kept == 300);
  CHECK(b.replayed == 300);
  CHECK(b.max_length == 250);
  CHECK(b.replay_rate == 2.5);
  CHECK(b.first_kept == std::optional<double>(1200));
  CHECK(b.drained_at == std::optional<double>(2400));
  CHECK(b.failed_replays == 5);
  CHECK(b.length_by_bucket == r.backlogs[0].length_by_bucket);
  CHECK(b.kept_by_bucket == r.backlogs[0].kept_by_bucket);
  CHECK(b.replayed_by_bucket == r.backlogs[0].replayed_by_bucket);
}
