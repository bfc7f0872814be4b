#include "support/text_files.hpp"
#include "report/timeline_csv.hpp"
#include "report_sample.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace faultline;
using faultline::test::sample_report;

using namespace faultline::testing;

namespace {
// The columns every timeline has, and the nine after the counts left empty by rows without them.
const std::string kColumns =
    "t_start,t_end,kind,name,requests,ok,degraded,failed,availability,ejected,circuit_open,replicas,"
    "p50,p99,p50_all,p99_all,queue,served,throughput,wasted,wasted_work";
const std::string kNoLatencyOrWork = ",,,,,,,,,";
const std::string kPlayFirst = "0,600,feature,play,100,100,0,0,1,,,,0.1,0.2,0.1,0.2,,,,,";
}  // namespace

TEST_CASE("the timeline CSV has the documented header and one row per bucket per series", "[report][csv]") {
  const Report r = sample_report();
  const auto lines = lines_of(timeline_csv(r));
  REQUIRE_FALSE(lines.empty());
  CHECK(lines[0] == kColumns);
  const std::size_t series = r.features.size() + r.segments.size() + r.regions.size() + r.services.size();
  CHECK(lines.size() == 1 + series * 6);
}

TEST_CASE("the timeline CSV rows carry the bucket's times and counts", "[report][csv]") {
  const auto lines = lines_of(timeline_csv(sample_report()));
  CHECK(lines[1] == kPlayFirst);
  // Latency of the successful requests (p50, p99), then of all of them (p50_all, p99_all).
  CHECK(lines[3] == "1200,1800,feature,play,100,40,30,60,0.4,,,,0.4,1,2,4,,,,,");
  // No requests: availability and latency are undefined, so the fields are empty rather than a perfect 1.
  CHECK(lines[5] == "2400,3000,feature,play,0,0,0,0,,,,"  + kNoLatencyOrWork);
  // The run ends at 3500 s, inside the last bucket.
  CHECK(lines[6] == "3000,3500,feature,play,200,200,0,0,1,,,,0.1,0.2,0.1,0.2,,,,,");
  CHECK(lines[7].rfind("0,600,feature,search,", 0) == 0);
}

TEST_CASE("the timeline CSV labels each kind and quotes names that need it", "[report][csv]") {
  const std::string csv = timeline_csv(sample_report());
  CHECK(csv.find(",segment,consumers,") != std::string::npos);
  CHECK(csv.find(",segment,\"businesses, shops\",") != std::string::npos);
  CHECK(csv.find(",region,eu,") != std::string::npos);
  CHECK(csv.find("0,600,segment,consumers,100,100,0,0,1,,," + kNoLatencyOrWork + "\n") != std::string::npos);
  // A service's own side: mean queue 12.25, 390 served (0.65 a second), 40 of them wasted (6.5 worker-s).
  CHECK(csv.find("1200,1800,service,storage,400,300,0,100,0.75,0,0,0,0.9,1.5,1,2,12.25,390,0.65,40,6.5\n") !=
        std::string::npos);
}

TEST_CASE("the timeline CSV gives each service's replicas serving per bucket, empty when unknown", "[report][csv]") {
  const std::string csv = timeline_csv(sample_report());
  CHECK(csv.find("600,1200,service,storage,300,300,0,0,1,0,0,3,") != std::string::npos);
  CHECK(csv.find("1800,2400,service,storage,300,300,0,0,1,0,0,2,") != std::string::npos);
  // playlist's report has no per-bucket replica counts.
  CHECK(csv.find("600,1200,service,playlist,300,300,0,0,1,0,0,,") != std::string::npos);
}

TEST_CASE("an empty report gives just the header", "[report][csv]") {
  CHECK(timeline_csv(Report{}) == kColumns + "\n");
}

TEST_CASE("a restore adds the share_done column and a row per bucket with its tenants' requests", "[report][csv]") {
  Report r = sample_report();
  r.restores = {faultline::test::sample_restore()};
  const auto lines = lines_of(timeline_csv(r));
  CHECK(lines[0] == kColumns + ",share_done");
  // The other rows gain an empty share.
  CHECK(lines[1] == kPlayFirst + ",");
  const std::size_t series = r.features.size() + r.segments.size() + r.regions.size() + r.services.size();
  REQUIRE(lines.size() == 1 + (series + 1) * 6);
  CHECK(lines[lines.size() - 6] == "0,600,restore,restore-sites,0,0,0,0,,,,," + kNoLatencyOrWork.substr(1) + ",0");
  CHECK(lines[lines.size() - 3] == "1800,2400,restore,restore-sites,10,5,0,5,0.5,,," + kNoLatencyOrWork + ",0.333333333");
  CHECK(lines.back() == "3000,3500,restore,restore-sites,10,10,0,0,1,,," + kNoLatencyOrWork + ",0.666666667");
}

TEST_CASE("sessions add a users row per bucket: sessions lost, logged out, affected and the share recovered",
          "[report][csv]") {
  Report r = sample_report();
  r.users = faultline::test::sample_users();
  r.restores = {faultline::test::sample_restore()};
  const auto lines = lines_of(timeline_csv(r));
  CHECK(lines[0] == kColumns + ",share_done,"
                    "sessions_lost,logged_out,users_affected,users_recovered");
  CHECK(lines[1] == kPlayFirst + ",,,,,");
  // Nobody affected yet: the share recovered is empty, not 100%.
  CHECK(lines[lines.size() - 6] == "0,600,users,all,,,,,,,," + kNoLatencyOrWork + ",,0,0,0,");
  CHECK(lines[lines.size() - 3] == "1800,2400,users,all,,,,,,,," + kNoLatencyOrWork + ",,60,250,500,0.1");
  CHECK(lines.back() == "3000,3500,users,all,,,,,,,," + kNoLatencyOrWork + ",,0,0,500,0.95");
  // The restore rows keep their share ahead of the users' empty columns.
  CHECK(lines[lines.size() - 7] == "3000,3500,restore,restore-sites,10,10,0,0,1,,," + kNoLatencyOrWork + ",0.666666667,,,,");
}

TEST_CASE("replicated state adds its columns and a replication row per bucket", "[report][csv]") {
  Report r = sample_report();
  r.replication = {faultline::test::sample_replication()};
  const auto lines = lines_of(timeline_csv(r));
  CHECK(lines[0] == kColumns + ",writes,"
                    "writes_lost,writes_refused,writes_awaiting,read_only");
  CHECK(lines[1] == kPlayFirst + ",,,,,");
  CHECK(lines[lines.size() - 6] == "0,600,replication,db,,,,,,,," + kNoLatencyOrWork + ",1000,0,0,0,0");
  CHECK(lines[lines.size() - 4] == "1200,1800,replication,db,,,,,,,," + kNoLatencyOrWork + ",950,40,12,40,60");
  CHECK(lines.back() == "3000,3500,replication,db,,,,,,,," + kNoLatencyOrWork + ",1050,0,0,20,0");
}

TEST_CASE("a backlog adds its columns and a backlog row per bucket", "[report][csv]") {
  Report r = sample_report();
  r.backlogs = {faultline::test::sample_backlog()};
  const auto lines = lines_of(timeline_csv(r));
  CHECK(lines[0] == kColumns + ",backlog_kept,"
                    "backlog_replayed,backlog_length");
  CHECK(lines[1] == kPlayFirst + ",,,");
  CHECK(lines[lines.size() - 4] == "1200,1800,backlog,playlist->storage,,,,,,,," + kNoLatencyOrWork + ",250,0,250");
  CHECK(lines.back() == "3000,3500,backlog,playlist->storage,,,,,,,," + kNoLatencyOrWork + ",0,0,0");
}
