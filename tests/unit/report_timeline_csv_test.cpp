#include "support/text_files.hpp"
#include "report/timeline_csv.hpp"
#include "report_sample.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace faultline;
using faultline::test::sample_report;

using namespace faultline::testing;

TEST_CASE("the timeline CSV has the documented header and one row per bucket per series", "[report][csv]") {
  const Report r = sample_report();
  const auto lines = lines_of(timeline_csv(r));
  REQUIRE_FALSE(lines.empty());
  CHECK(lines[0] == "t_start,t_end,kind,name,requests,ok,degraded,failed,availability,ejected,circuit_open,replicas");
  const std::size_t series = r.features.size() + r.segments.size() + r.regions.size() + r.services.size();
  CHECK(lines.size() == 1 + series * 6);
}

TEST_CASE("the timeline CSV rows carry the bucket's times and counts", "[report][csv]") {
  const auto lines = lines_of(timeline_csv(sample_report()));
  CHECK(lines[1] == "0,600,feature,play,100,100,0,0,1,,,");
  CHECK(lines[3] == "1200,1800,feature,play,100,40,30,60,0.4,,,");
  // No requests: availability is undefined, so the field is empty rather than a perfect 1.
  CHECK(lines[5] == "2400,3000,feature,play,0,0,0,0,,,,");
  // The run ends at 3500 s, inside the last bucket.
  CHECK(lines[6] == "3000,3500,feature,play,200,200,0,0,1,,,");
  CHECK(lines[7].rfind("0,600,feature,search,", 0) == 0);
}

TEST_CASE("the timeline CSV labels each kind and quotes names that need it", "[report][csv]") {
  const std::string csv = timeline_csv(sample_report());
  CHECK(csv.find(",segment,consumers,") != std::string::npos);
  CHECK(csv.find(",segment,\"businesses, shops\",") != std::string::npos);
  CHECK(csv.find(",region,eu,") != std::string::npos);
  CHECK(csv.find("1200,1800,service,storage,400,300,0,100,0.75,0,0,0\n") != std::string::npos);
}

TEST_CASE("the timeline CSV gives each service's replicas serving per bucket, empty when unknown", "[report][csv]") {
  const std::string csv = timeline_csv(sample_report());
  CHECK(csv.find("600,1200,service,storage,300,300,0,0,1,0,0,3\n") != std::string::npos);
  CHECK(csv.find("1800,2400,service,storage,300,300,0,0,1,0,0,2\n") != std::string::npos);
  // playlist's report has no per-bucket replica counts.
  CHECK(csv.find("600,1200,service,playlist,300,300,0,0,1,0,0,\n") != std::string::npos);
}

TEST_CASE("an empty report gives just the header", "[report][csv]") {
  CHECK(timeline_csv(Report{}) ==
        "t_start,t_end,kind,name,requests,ok,degraded,failed,availability,ejected,circuit_open,replicas\n");
}
