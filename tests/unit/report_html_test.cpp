#include "report/html.hpp"
#include "report_sample.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using Catch::Contains;
using faultline::test::sample_report;
using faultline::test::sample_report_two_incidents;

namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the HTML report is one self-contained page", "[report][html]") {
  const std::string html = report_html(sample_report());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK_THAT(html, Contains("</html>"));
  CHECK_THAT(html, Contains("<svg"));
  // Nothing loaded from elsewhere: no scripts, no external stylesheets or images, no URLs.
  CHECK_THAT(html, !Contains("<script"));
  CHECK_THAT(html, !Contains("<link"));
  CHECK_THAT(html, !Contains("src="));
  CHECK_THAT(html, !Contains("http://"));
  CHECK_THAT(html, !Contains("https://"));
}

TEST_CASE("the HTML report charts every feature with its SLO and the incident stages", "[report][html]") {
  const std::string html = report_html(sample_report());
  CHECK(occurrences(html, "aria-label=\"availability of ") == 2);
  CHECK_THAT(html, Contains("SLO 99.9%"));
  CHECK_THAT(html, Contains("SLO 99%"));
  for (const char* stage : {"impact start", "detected", "acknowledged", "mitigated"})
    CHECK_THAT(html, Contains(std::string(">") + stage + "</tspan>"));
  // Stages that never happened get no marker.
  CHECK_THAT(html, !Contains(">recovered</tspan>"));
  CHECK_THAT(html, !Contains(">diagnosed</tspan>"));
}

TEST_CASE("the HTML report charts each feature's latency next to its availability", "[report][html]") {
  const std::string html = report_html(sample_report());
  // play has per-bucket latency, search none: one latency chart, right after play's availability chart.
  CHECK(occurrences(html, "aria-label=\"latency of ") == 1);
  const auto availability = html.find("aria-label=\"availability of play");
  const auto latency = html.find("aria-label=\"latency of play");
  REQUIRE(latency != std::string::npos);
  CHECK(latency > availability);
  CHECK(latency < html.find("aria-label=\"availability of search"));
  for (const char* line : {"class=\"p50\"", "class=\"p99\"", "class=\"p99-all\""}) CHECK_THAT(html, Contains(line));
  // Decade ticks on a logarithmic axis from play's 0.1 s to its 4 s.
  CHECK_THAT(html, Contains(">100 ms</text>"));
  CHECK_THAT(html, Contains(">10 s</text>"));
  CHECK_THAT(html, Contains("p99 of all requests (a failed one at the moment the user saw it fail)"));
  // The features table gives both p99s, with what each is of.
  CHECK_THAT(html, Contains("title=\"of successful requests (degraded included)\">p99</th>"));
  CHECK_THAT(html, Contains(">4.00s</td>"));
}

TEST_CASE("the HTML report draws the faults' windows on every chart", "[report][html]") {
  Report r = sample_report();
  r.events.push_back({1500, "fault_end", "storage-crash", "duration elapsed"});
  const std::string html = report_html(r);
  // Every chart over time (not the TTR's breakdown bar): two availability charts, a latency chart,
  // the services' heat strip.
  const std::size_t charts = occurrences(html, " over time\">");
  CHECK(charts == 4);
  CHECK(occurrences(html, "<rect class=\"fault-window\"") == charts);
  CHECK_THAT(html, Contains("<title>fault storage-crash from +20:00 to +25:00</title>"));
  // A fault that never ended runs to the end of the run.
  CHECK_THAT(report_html(sample_report()), Contains("<title>fault storage-crash from +20:00 to the end of the run</title>"));
}

TEST_CASE("the HTML report lists the services' queues and wasted work where there were some", "[report][html]") {
  const std::string html = report_html(sample_report());
  CHECK_THAT(html, Contains("<h3>Queues and wasted work"));
  CHECK_THAT(html, Contains("<td>storage</td><td class=\"num\">1,990</td>"));
  Report calm = sample_report();
  for (ServiceReport& s : calm.services) {
    s.queue_by_bucket.assign(s.buckets.size(), 0);
    s.wasted = 0;
  }
  CHECK_THAT(report_html(calm), !Contains("Queues and wasted work"));
}

TEST_CASE("the HTML report has the services' heat strip, the propagation chain, events and provenance",
          "[report][html]") {
  const std::string html = report_html(sample_report());
  CHECK_THAT(html, Contains("aria-label=\"services' availability over time\""));
  CHECK_THAT(html, Contains("<title>storage +20:00 to +30:00: availability 75.000%</title>"));
  CHECK_THAT(html, Contains("<b>playlist</b> &larr; <code>edge:playlist-&gt;storage</code>"));
  CHECK_THAT(html, Contains("rollback-config"));
  CHECK_THAT(html, Contains("00c0ffee12345678"));
}

TEST_CASE("the HTML report escapes text from the scenario", "[report][html]") {
  Report r = sample_report();
  r.status_updates[1].message = "<b>rolled back</b> & monitoring";
  const std::string html = report_html(r);
  CHECK_THAT(html, Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK_THAT(html, Contains("ends &quot;storage-crash&quot;"));
  CHECK_THAT(html, Contains("&lt;b&gt;rolled back&lt;/b&gt; &amp; monitoring"));
}

TEST_CASE("the HTML report breaks the time to recovery down in one stacked bar", "[report][html]") {
  Report r = sample_report();
  r.incident.recovered = 3000;  // ttr 30:00
  const std::string html = report_html(r);
  CHECK_THAT(html, Contains("aria-label=\"time to recovery by stage\""));
  CHECK_THAT(html, Contains("Time to recovery by stage <span class=\"note\">ttr 30:00</span>"));
  // One segment per stage that happened, in order, widths in proportion (856 units for 30 minutes).
  CHECK(occurrences(html, "<title>detection 01:30 (5.0%)</title>") == 1);
  CHECK_THAT(html, Contains("<rect x=\"12.0\" y=\"8.0\" width=\"42.8\" height=\"28.0\" fill=\"#d35400\">"));
  CHECK_THAT(html, Contains("<rect x=\"582.7\" y=\"8.0\" width=\"285.3\" height=\"28.0\" fill=\"#1e8449\">"
                            "<title>recovery 10:00 (33.3%)</title>"));
  CHECK(html.find("<title>acknowledgement 03:30") < html.find("<title>mitigation 15:00"));
  // A wide segment is labelled inside; a narrow one only in the legend.
  CHECK_THAT(html, Contains(">mitigation 15:00</text>"));
  CHECK_THAT(html, !Contains(">detection 01:30</text>"));
  CHECK_THAT(html, Contains("</span>detection 01:30 (5.0%) "));
  // diagnosis was skipped: no segment, a dash in the legend.
  CHECK_THAT(html, !Contains("<title>diagnosis"));
  CHECK_THAT(html, Contains("diagnosis &mdash;"));

  const std::string open = report_html(sample_report());
  CHECK_THAT(open, Contains("not recovered by the end of the run: the 20:00 so far"));
  CHECK_THAT(open, Contains("recovery never"));
  CHECK_THAT(report_html(Report{}), !Contains("time to recovery by stage"));
}

TEST_CASE("the HTML report lists every incident of a run that had several", "[report][html]") {
  const std::string html = report_html(sample_report_two_incidents());
  REQUIRE(occurrences(html, "<h2>Incidents</h2>") == 1);
  const auto at = html.find("<h2>Incidents</h2>");
  CHECK(at > html.find("<h2>Incident timeline"));
  CHECK(at < html.find("<h2>Status page</h2>"));
  const std::string table = html.substr(at, html.find("</table>", at) - at);
  // One row each, with the stage the TTR went to most.
  CHECK_THAT(table, Contains("<tr class=\"longest\" title=\"the longest\"><td class=\"num\">1</td><td class=\"num\">+20:00</td><td class=\"num\">+21:30</td>"
                             "<td class=\"num\">+40:00</td><td class=\"num\">+45:00</td><td class=\"num\">25:00</td>"
                             "<td>mitigation 15:00</td></tr>"));
  CHECK_THAT(table, Contains("<tr><td class=\"num\">2</td><td class=\"num\">+50:00</td><td class=\"num\">+51:00</td>"
                             "<td class=\"num\">+53:20</td><td class=\"num\">+55:00</td><td class=\"num\">05:00</td>"
                             "<td>mitigation 02:20</td></tr>"));

  CHECK_THAT(report_html(sample_report()), !Contains("<h2>Incidents</h2>"));
  CHECK_THAT(report_html(Report{}), !Contains("<h2>Incidents</h2>"));

  // The headline cards count them and give the longest and mean TTR, not the first one's alone; the
  // timeline says whose it is; every feature chart shades every incident.
  CHECK_THAT(html, Contains("<div class=\"value\">2</div><div class=\"name\">incidents</div>"));
  CHECK_THAT(html, Contains("<div class=\"value\">25:00</div><div class=\"name\">longest time to recover</div>"));
  CHECK_THAT(html, Contains("<div class=\"value\">15:00</div><div class=\"name\">mean time to recover</div>"));
  CHECK_THAT(html, Contains("<h2>Incident timeline <span class=\"note\">the first of 2 incidents"));
  CHECK_THAT(html, Contains("<title>incident +50:00 to +55:00</title>"));
  CHECK(occurrences(html, "<rect class=\"impact\"") == 2 * sample_report_two_incidents().features.size());
  const std::string one = report_html(sample_report());
  CHECK_THAT(one, Contains("<div class=\"name\">time to recover</div>"));
  CHECK_THAT(one, !Contains("mean time to recover"));
}

TEST_CASE("the HTML report has a status page section with every update", "[report][html]") {
  const std::string html = report_html(sample_report());
  CHECK_THAT(html, Contains("<h2>Status page</h2>"));
  CHECK_THAT(html, Contains("<td class=\"num\">00:22:00</td><td>investigating</td><td>Some users cannot play music"
                            "</td><td class=\"num\">01:00:00</td><td>fallback</td>"));
  CHECK_THAT(html, Contains("<td>identified</td>"));
  CHECK_THAT(html, Contains("<td class=\"num\"></td><td>fallback</td>"));  // no ETA
  CHECK_THAT(report_html(Report{}), Contains("No status updates were posted."));
}

TEST_CASE("the HTML report shows how the incident was acknowledged and each service's downtime and restarts",
          "[report][html]") {
  const std::string html = report_html(sample_report());
  CHECK_THAT(html, Contains("acknowledged</td><td class=\"num\">+25:00</td><td class=\"num\">05:00</td>"
                            "<td>via fallback</td>"));
  const auto down = html.find("<h3>Down or restarted");
  REQUIRE(down != std::string::npos);
  const std::string table = html.substr(down, html.find("</table>", down) - down);
  CHECK_THAT(table, Contains("<tr><td>storage</td><td class=\"num\">05:30</td><td class=\"num\">1</td>"
                             "<td class=\"num\">4</td><td class=\"num\">2</td></tr>"));
  CHECK_THAT(table, !Contains("auth"));  // neither down nor restarted

  Report calm = sample_report();
  for (ServiceReport& s : calm.services) {
    s.downtime = 0;
    s.restarts = 0;
  }
  CHECK_THAT(report_html(calm), !Contains("Down or restarted"));
}

TEST_CASE("the HTML report stays small for runs with very many buckets", "[report][html]") {
  Report r = sample_report();
  r.bucket = 1;
  r.duration = 200000;
  for (Series& f : r.features) {
    f.buckets.clear();
    for (int i = 0; i < 200000; ++i) f.buckets.push_back(test::counts(10, i % 3 ? 10 : 9));
  }
  for (ServiceReport& s : r.services) s.buckets = r.features[0].buckets;
  CHECK(report_html(r).size() < 600000);
}

TEST_CASE("the HTML report is the same page for the same report", "[report][html]") {
  CHECK(report_html(sample_report()) == report_html(sample_report()));
}

TEST_CASE("the HTML report has a shared-resources section only when resources were modelled", "[report][html]") {
  Report r = sample_report();
  CHECK_THAT(report_html(r), !Catch::Contains("Shared resources"));
  ResourceReport cpu;
  cpu.name = "a-h0.cpu";
  cpu.kind = "cpu";
  cpu.capacity = 8;
  cpu.utilisation = 0.6;
  cpu.peak_utilisation = 1;
  cpu.saturated_time = 600;
  cpu.utilisation_by_bucket.assign(r.services.front().buckets.size(), 0.3);
  cpu.utilisation_by_bucket.back() = 1;
  cpu.backlog_by_bucket.assign(cpu.utilisation_by_bucket.size(), 0);
  r.resources.push_back(cpu);
  const std::string html = report_html(r);
  CHECK_THAT(html, Catch::Contains("<h2>Shared resources</h2>"));
  CHECK_THAT(html, Catch::Contains("aria-label=\"resources' utilisation over time\""));
  CHECK_THAT(html, Catch::Contains("a-h0.cpu +"));  // a tooltip of the strip
  CHECK_THAT(html, Catch::Contains("utilisation up to 100.000%"));
  CHECK_THAT(html, Catch::Contains("<td>a-h0.cpu</td><td>cpu</td>"));
}

TEST_CASE("the HTML report charts users' reports against their threshold only when they were modelled",
          "[report][html]") {
  Report r = sample_report();
  CHECK_THAT(report_html(r), !Catch::Contains("User reports"));
  UserReportsReport u;
  u.threshold = 40;
  u.window = 60;
  u.by_bucket.assign(r.services.front().buckets.size(), 0);
  u.by_bucket[1] = 30;
  u.by_bucket[2] = 25;
  r.user_reports = u;
  r.incident.detected_by = "user_reports";
  const std::string html = report_html(r);
  CHECK_THAT(html, Catch::Contains("<h2>User reports</h2>"));
  CHECK_THAT(html, Catch::Contains("55 reports in all; 40 within 01:00 raise an incident (this incident was detected that way)"));
  CHECK_THAT(html, Catch::Contains(">threshold 40</text>"));
  CHECK_THAT(html, Catch::Contains("aria-label=\"user reports within 01:00 over time\""));
}

TEST_CASE("the HTML report shows restores, how long their tenants waited and how many were back, only when there are some",
          "[report][html]") {
  Report r = sample_report();
  CHECK_THAT(report_html(r), !Catch::Contains("<h2>Restores</h2>"));
  r.restores = {faultline::test::sample_restore()};
  const std::string html = report_html(r);
  CHECK_THAT(html, Catch::Contains("<h2>Restores</h2>"));
  // Waited from the loss at 20:00: 10:00, 25:00, and one not back by the end (run length 3500 s).
  CHECK_THAT(html, Catch::Contains("<td>restore-sites</td><td>storage</td><td class=\"num\">3</td>"));
  CHECK_THAT(html, Catch::Contains("<td class=\"num\">25:00</td><td class=\"num\">not back by the end</td>"));
  CHECK_THAT(html, Catch::Contains("<td class=\"num\">62.500%</td>"));
  CHECK_THAT(html, Catch::Contains("aria-label=\"share of tenants restored by restore-sites over time\""));
  CHECK_THAT(html, Catch::Contains("<polyline class=\"subset\""));
}

TEST_CASE("the HTML report shows the share of users recovered over time only in reports with sessions", "[report][html]") {
  Report r = sample_report();
  CHECK_THAT(report_html(r), !Catch::Contains("<h2>Users</h2>"));
  r.users = faultline::test::sample_users();
  const std::string html = report_html(r);
  CHECK_THAT(html, Catch::Contains("<h2>Users</h2>"));
  CHECK_THAT(html, Catch::Contains("by the end 95.0% of those affected are recovered and 0 must still log in again"));
  CHECK_THAT(html, Catch::Contains("aria-label=\"share of affected users recovered over time\""));
}

TEST_CASE("the HTML report shows replicated state, its lost writes and their reconciliation, only when there is some",
          "[report][html]") {
  Report r = sample_report();
  CHECK_THAT(report_html(r), !Catch::Contains("<h2>Replicated state</h2>"));
  r.replication = {faultline::test::sample_replication()};
  const std::string html = report_html(r);
  CHECK_THAT(html, Catch::Contains("<h2>Replicated state</h2>"));
  CHECK_THAT(html, Catch::Contains("<td>db</td><td>async</td><td class=\"num\">6,000</td><td class=\"num\">00:20:30</td>"
                                   "<td class=\"num\">40</td>"));
  CHECK_THAT(html, Catch::Contains("aria-label=\"divergent writes of db awaiting reconciliation over time\""));
  // The awaiting share: 40 of 40 lost in the third bucket, then 30 and 20 (y from the share).
  CHECK_THAT(html, Catch::Contains("<polyline class=\"subset\""));
}

TEST_CASE("the HTML report shows poisoned caches and the share of calls they answered badly, only when there are some",
          "[report][html]") {
  Report r = sample_report();
  CHECK_THAT(report_html(r), !Catch::Contains("<h2>Poisoned caches</h2>"));
  r.edges[0].poisoned_hits = 40;
  r.edges[0].requests_by_bucket = {100, 100, 100, 100, 50, 50};
  r.edges[0].poisoned_by_bucket = {0, 0, 20, 15, 5, 0};
  const std::string html = report_html(r);
  CHECK_THAT(html, Catch::Contains("<h2>Poisoned caches</h2>"));
  CHECK_THAT(html, Catch::Contains("<td>playlist-&gt;storage</td><td class=\"num\">500</td><td class=\"num\">40</td>"));
  CHECK_THAT(html, Catch::Contains("aria-label=\"share of the calls of playlist-&gt;storage answered from bad cache entries over time\""));
}

TEST_CASE("the HTML report shows backlogs and their length over time, only when there are some", "[report][html]") {
  Report r = sample_report();
  CHECK_THAT(report_html(r), !Catch::Contains("<h2>Backlogs</h2>"));
  r.backlogs = {faultline::test::sample_backlog()};
  const std::string html = report_html(r);
  CHECK_THAT(html, Catch::Contains("<h2>Backlogs</h2>"));
  CHECK_THAT(html, Catch::Contains("<td>playlist-&gt;storage</td><td class=\"num\">300</td><td class=\"num\">250</td>"));
  CHECK_THAT(html, Catch::Contains("aria-label=\"calls waiting in the backlog of playlist-&gt;storage over time\""));
}
