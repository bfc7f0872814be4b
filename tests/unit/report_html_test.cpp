#include "report/html.hpp"
#include "report_sample.hpp"

#include <catch2/catch.hpp>

using namespace faultline;
using Catch::Contains;
using faultline::test::sample_report;

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
  const std::string html = report_html(sample_report());
  CHECK_THAT(html, Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK_THAT(html, Contains("ends &quot;storage-crash&quot;"));
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
