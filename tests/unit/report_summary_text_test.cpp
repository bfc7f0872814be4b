#include "support/text_files.hpp"
#include "report/summary_text.hpp"
#include "report_sample.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace faultline;
using Catch::Contains;
using Catch::EndsWith;
using faultline::test::sample_report;
using faultline::test::sample_report_two_incidents;

using namespace faultline::testing;

namespace {

std::string line_starting(const std::string& text, const std::string& start) {
  for (const std::string& line : lines_of(text))
    if (line.rfind(start, 0) == 0) return line;
  return "";
}

}  // namespace

TEST_CASE("the summary names the scenario, seed and duration", "[report][summary]") {
  const std::string s = format_summary(sample_report());
  CHECK_THAT(s, Contains("scenario sample-outage"));
  CHECK_THAT(s, Contains("seed 18446744073709551615"));
  CHECK_THAT(s, Contains("duration   58:20"));
  CHECK_THAT(s, Contains("overrides  traffic.rate=200"));
  CHECK_THAT(s, Contains("user requests 1,000   availability 90.000%"));
}

TEST_CASE("the summary gives each feature its verdict against the SLO", "[report][summary]") {
  const std::string s = format_summary(sample_report());
  const std::string play = line_starting(s, "  play ");
  CHECK_THAT(play, Contains("600") && Contains("86.667%") && Contains("99.9%") && Contains("MISSED") &&
                       Contains("5.000%"));
  const std::string search = line_starting(s, "  search ");
  CHECK_THAT(search, Contains("95.000%") && Contains("99%") && Contains("MISSED"));
  CHECK_THAT(line_starting(s, "  businesses, shops"), Contains("93.333%"));
  CHECK_THAT(line_starting(s, "  eu "), Contains("90.000%"));

  Report r = sample_report();
  r.features[1].total = test::counts(400, 400);
  r.features[1].buckets.clear();
  CHECK_THAT(line_starting(format_summary(r), "  search "), Contains(" met"));
}

TEST_CASE("the summary abbreviates large user figures", "[report][summary]") {
  const std::string s = format_summary(sample_report());
  CHECK_THAT(line_starting(s, "  affected"), Contains("12.3k"));
  CHECK_THAT(line_starting(s, "  user-minutes lost"), Contains("25.0M"));
  CHECK_THAT(line_starting(s, "  sessions lost"), Contains("1.50k"));
}

TEST_CASE("with sessions the summary says how many of those affected are recovered by the end", "[report][summary]") {
  Report r = sample_report();
  CHECK(format_summary(r).find("recovered by end") == std::string::npos);
  r.users = test::sample_users();
  r.users->logged_out_by_bucket.back() = 20;
  CHECK(line_starting(format_summary(r), "  recovered by end") == "  recovered by end   95.0% of those affected; 20 still logged out");
}

TEST_CASE("replicated state: the summary gives the writes lost, where they stand and the time read-only",
          "[report][summary]") {
  Report r = sample_report();
  CHECK(format_summary(r).find("replicated state") == std::string::npos);
  r.replication = {test::sample_replication()};
  const std::string s = format_summary(r);
  CHECK(line_starting(s, "  db (async)") ==
        "  db (async): 6,000 writes, 40 lost at the failover (+20:30), 40 awaiting reconciliation at the end");
  CHECK(line_starting(s, "    read-only") ==
        "    read-only 01:00 (12 writes refused); fail-back waited 15:00 for the reconciliation");
  r.replication[0].failed_over_at.reset();
  CHECK_THAT(line_starting(format_summary(r), "  db (async)"), Contains("no failover"));
}

TEST_CASE("poisoned caches: the summary gives each dependency's calls answered from bad entries and until when",
          "[report][summary]") {
  Report r = sample_report();
  CHECK(format_summary(r).find("poisoned caches") == std::string::npos);
  r.edges[0].poisoned_hits = 0;  // poisonable, but nothing bad was served: no line
  CHECK(format_summary(r).find("poisoned caches") == std::string::npos);
  r.edges[0].poisoned_hits = 40;
  r.edges[0].poisoned_by_bucket = {0, 0, 20, 15, 5, 0};
  CHECK(line_starting(format_summary(r), "  playlist->storage") ==
        "  playlist->storage: 40 (8.0% of its calls), the last in the bucket ending +50:00");
}

TEST_CASE("backlogs: the summary gives what each kept and replayed, when it drained and what failed",
          "[report][summary]") {
  Report r = sample_report();
  CHECK(format_summary(r).find("backlogs") == std::string::npos);
  r.backlogs = {test::sample_backlog()};
  const std::string s = format_summary(r);
  CHECK(line_starting(s, "  playlist->storage") ==
        "  playlist->storage: 300 kept (at most 250 waiting), 300 replayed, drained by +40:00");
  CHECK(line_starting(s, "    5 failed") == "    5 failed replay(s)");
  r.backlogs[0].drained_at.reset();
  r.backlogs[0].dropped = 7;
  const std::string t = format_summary(r);
  CHECK_THAT(line_starting(t, "  playlist->storage"), Contains("not drained by the end"));
  CHECK(line_starting(t, "    5 failed") == "    5 failed replay(s); 7 failed with the queue full");
}

TEST_CASE("the incident timeline shows offsets from the start and never for stages that did not happen",
          "[report][summary]") {
  const std::string s = format_summary(sample_report());
  CHECK_THAT(line_starting(s, "  impact start"), Contains("+20:00"));
  const std::string detected = line_starting(s, "  detected");
  CHECK_THAT(detected, Contains("+21:30") && Contains("ttd 01:30") && Contains("by play-availability"));
  CHECK_THAT(line_starting(s, "  diagnosed"), Contains("never"));
  CHECK_THAT(line_starting(s, "  mitigated"), Contains("+40:00") && Contains("ttm 20:00") &&
                                                  Contains("by rollback-config"));
  const std::string recovered = line_starting(s, "  recovered");
  CHECK_THAT(recovered, Contains("never") && Contains("ttr never"));

  Report quiet;
  const std::string none = format_summary(quiet);
  CHECK_THAT(line_starting(none, "  impact start"), Contains("never"));
  CHECK_THAT(none, Contains("worst services: none"));
  CHECK_THAT(none, Contains("propagation: no service became unhealthy"));
}

TEST_CASE("the incident timeline shows how it was acknowledged and the notes on diagnosis and recovery",
          "[report][summary]") {
  Report r = sample_report();
  CHECK_THAT(line_starting(format_summary(r), "  acknowledged"), Contains("tta 05:00") && Contains("via fallback"));
  r.incident.diagnosed = 2000;
  r.incident.diagnosed_note = "tooling unusable for 12m30s (slowed)";
  r.incident.recovered = 3000;
  r.incident.recovered_note = "storage last";
  const std::string s = format_summary(r);
  CHECK_THAT(line_starting(s, "  diagnosed"), Contains("+33:20") && Contains("tooling unusable for 12m30s (slowed)"));
  CHECK_THAT(line_starting(s, "  recovered"), Contains("ttr 30:00") && Contains("storage last"));
}

TEST_CASE("the summary breaks the time to recovery down by stage with each share", "[report][summary]") {
  Report r = sample_report();
  r.incident.recovered = 3000;  // ttr 30:00: detection 1:30, acknowledgement 3:30, mitigation 15:00, recovery 10:00
  const std::string s = format_summary(r);
  CHECK_THAT(s, Contains("time to recovery by stage"));
  CHECK_THAT(line_starting(s, "  detection "), Contains("01:30") && Contains("5.0%"));
  CHECK_THAT(line_starting(s, "  acknowledgement "), Contains("03:30") && Contains("11.7%"));
  // Skipped: its time went to mitigation, which did happen.
  CHECK_THAT(line_starting(s, "  diagnosis "), Contains("—") && !Contains("never"));
  CHECK_THAT(line_starting(s, "  mitigation "), Contains("15:00") && Contains("50.0%"));
  CHECK_THAT(line_starting(s, "  recovery "), Contains("10:00") && Contains("33.3%"));

  // Not recovered: the spans so far, no share of a TTR that does not exist, recovery never.
  const std::string open = format_summary(sample_report());
  CHECK_THAT(line_starting(open, "  mitigation "), Contains("15:00") && !Contains("%"));
  CHECK_THAT(line_starting(open, "  recovery "), Contains("never"));

  r.incident.mitigated.reset();
  r.incident.recovered.reset();
  const std::string stalled = format_summary(r);
  CHECK_THAT(line_starting(stalled, "  diagnosis "), Contains("never"));
  CHECK_THAT(line_starting(stalled, "  mitigation "), Contains("never"));

  // No incident: nothing to break down.
  CHECK_THAT(format_summary(Report{}), !Contains("time to recovery by stage"));
}

TEST_CASE("the summary counts the incidents of a run that had several, with their times to recovery",
          "[report][summary]") {
  Report r = sample_report_two_incidents();  // ttr 25:00 and 05:00
  CHECK(line_starting(format_summary(r), "incidents") ==
        "incidents   2 in the run; time to recovery mean 15:00, longest 25:00 (#1)");
  // Before the first one's timeline, which says it is the first; a row each.
  const std::string s = format_summary(r);
  CHECK(s.find("\nincidents   ") < s.find("  recovered "));
  CHECK_THAT(s, Contains("\nthe first incident in detail (from the start of the run)\n"));
  const std::string first = line_starting(s, "    1  ");
  for (const char* cell : {" +20:00 ", " 01:30 ", " +45:00 ", " 25:00 "}) CHECK_THAT(first, Contains(cell));
  CHECK_THAT(line_starting(s, "    1  "), EndsWith("<- longest"));
  CHECK_THAT(line_starting(s, "    2  "), Contains("search-latency"));
  CHECK_THAT(line_starting(s, "    2  "), !Contains("longest"));

  // The longest need not be the first: a 40-minute second incident after a 25-minute first.
  r.incidents[1].recovered = 3000 + 40 * 60;
  const std::string later = format_summary(r);
  CHECK(line_starting(later, "incidents") == "incidents   2 in the run; time to recovery mean 32:30, longest 40:00 (#2)");
  CHECK_THAT(line_starting(later, "    2  "), EndsWith("<- longest"));
  r.incidents[1].recovered = 3300;

  IncidentTimeline open;
  open.impact_start = 3400;
  r.incidents.push_back(open);
  CHECK(line_starting(format_summary(r), "incidents") ==
        "incidents   3 in the run; time to recovery mean 15:00, longest 25:00 (#1) (1 never recovered)");
  CHECK_THAT(line_starting(format_summary(r), "    3  "), Contains("never"));

  // One incident (or none): the timeline says it all.
  CHECK_THAT(format_summary(sample_report()), !Contains("in the run;"));
  CHECK_THAT(format_summary(sample_report()), Contains("\nincident (from the start of the run)\n"));
  CHECK_THAT(format_summary(Report{}), !Contains("in the run;"));
}

TEST_CASE("the summary lists the status updates with their ETA", "[report][summary]") {
  const std::string s = format_summary(sample_report());
  CHECK_THAT(s, Contains("\nstatus updates\n"));
  CHECK_THAT(s, Contains("  00:22:00 [investigating] ETA 01:00:00 via fallback\n    Some users cannot play music\n"));
  CHECK_THAT(s, Contains("  00:41:00 [identified] via fallback\n    A storage outage; the config change is being "
                         "rolled back\n"));
  Report r = sample_report();
  r.status_updates[0].channel = "status_page";
  r.status_updates[0].message = std::string(150, 'm');
  const std::string summary = format_summary(r);
  CHECK(line_starting(summary, "  00:22:00") == "  00:22:00 [investigating] ETA 01:00:00");
  const std::string cut = line_starting(summary, "    mmm");
  CHECK(cut.size() == 100);
  CHECK_THAT(cut, EndsWith("m~"));
  CHECK_THAT(format_summary(Report{}), !Contains("status updates"));
}

TEST_CASE("the summary shows services that were down or restarted", "[report][summary]") {
  Report r = sample_report();
  r.services[2].restarts = 1;  // auth: restarted, never down
  const std::string s = format_summary(r);
  CHECK_THAT(s, Contains("services down or restarted"));
  const auto after = s.substr(s.find("services down or restarted"));
  // name, downtime, outages, restarts, crashes
  CHECK(line_starting(after, "  storage") == "  storage                       05:30        1         4        2");
  CHECK(line_starting(after, "  auth") == "  auth                              -        0         1        0");
  CHECK(line_starting(after, "  playlist").empty());  // neither down nor restarted
  CHECK_THAT(format_summary(sample_report()), !Contains("  auth "));
}

TEST_CASE("the worst services come first with their errors by cause, healthy ones are left out",
          "[report][summary]") {
  const std::string s = format_summary(sample_report());
  const std::string storage = line_starting(s, "  storage");
  CHECK_THAT(storage, Contains("95.000%") && Contains("1.50s") && Contains("timeout 30, injected 70"));
  CHECK_THAT(line_starting(s, "  playlist"), Contains("dependency 20"));
  CHECK(s.find("  storage") < s.find("  playlist"));
  CHECK(line_starting(s, "  auth").empty());
}

TEST_CASE("the propagation chain reads service <- via (cause)", "[report][summary]") {
  const std::string s = format_summary(sample_report());
  CHECK_THAT(s, Contains("+20:00     storage   <- fault:storage-crash (injected)"));
  CHECK_THAT(s, Contains("+20:10     playlist  <- edge:playlist->storage (dependency)"));
}

TEST_CASE("the summary fits in 100 columns even with long names", "[report][summary]") {
  Report r = sample_report();
  const std::string long_name(70, 'x');
  r.features[0].name = long_name;
  r.services[0].name = long_name;
  r.services[0].errors = {123456, 234567, 345678, 456789, 567890, 678901};
  r.propagation[0].service = long_name;
  r.propagation[0].via = "edge:" + long_name + "->" + long_name;
  r.provenance.scenario_origin = "/very/long/path/" + long_name + "/" + long_name + ".toml";
  for (const std::string& line : lines_of(format_summary(r))) {
    INFO(line);
    CHECK(line.size() <= 100);
  }
}

TEST_CASE("the summary is the same text for the same report", "[report][summary]") {
  CHECK(format_summary(sample_report()) == format_summary(sample_report()));
}
