// The users over time in scenarios with sessions: sessions lost per bucket add up to the summary's,
// an affected user counts as recovered once served again, and a logged-out one only after logging in
// again; scenarios without sessions have no such series.
#include "model/platform_model.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <numeric>

using namespace faultline;
using namespace faultline::testing;

namespace {

// "front" answers NOT_FOUND from 100 s to 200 s, which the client maps to logout; a logged-out user's
// next request is "login", served by "auth", which is down until `auth_back`.
Scenario session_platform(double auth_back) {
  Scenario s = basic_scenario();
  s.info.duration = 600;
  s.info.bucket = 10;
  add_service(s, "front", 2);
  add_service(s, "auth", 2);
  add_feature(s, "f", "front");
  add_feature(s, "login", "auth", 0);
  Fault& nf = add_fault(s, "nf", FaultKind::error_rate, "front", 100, 100);
  nf.status = Status::NOT_FOUND;
  if (auth_back > 0) add_fault(s, "auth-down", FaultKind::service_crash, "auth", 0, auth_back);
  s.client.on_status[Status::NOT_FOUND] = ClientAction::logout;
  s.client.relogin_feature = "login";
  return s;
}

double share_recovered(const UsersReport& u, std::size_t b) { return 1 - u.impaired_by_bucket[b] / u.affected_by_bucket[b]; }

}  // namespace

TEST_CASE("users: sessions lost per bucket add up to the summary, and users recover once served again",
          "[model][users]") {
  const Report r = run_without_kernel(session_platform(0), 3);
  REQUIRE(r.users);
  const UsersReport& u = *r.users;
  REQUIRE(u.affected_by_bucket.size() == 60);
  CHECK(std::accumulate(u.sessions_lost_by_bucket.begin(), u.sessions_lost_by_bucket.end(), 0.0) ==
        Approx(r.summary.sessions_lost));
  CHECK(u.affected_by_bucket.back() == Approx(r.summary.users_affected));
  // Nothing before the fault; sessions are lost only while it lasts.
  for (std::size_t b = 0; b < 10; ++b) CHECK(u.affected_by_bucket[b] == 0);
  for (std::size_t b = 20; b < 60; ++b) CHECK(u.sessions_lost_by_bucket[b] == 0);
  CHECK(u.sessions_lost_by_bucket[12] > 0);
  for (std::size_t b = 0; b < 60; ++b) {
    CHECK(u.impaired_by_bucket[b] <= u.affected_by_bucket[b]);
    CHECK(u.logged_out_by_bucket[b] <= u.impaired_by_bucket[b]);
  }
  CHECK(std::is_sorted(u.affected_by_bucket.begin(), u.affected_by_bucket.end()));
  // During the fault a logged-out user's next request is a login, which works, and the one after it
  // fails and logs them out again: about half are impaired at any time, and sessions are lost more
  // than once. After it, each of the 1,000 users sends a request every 10 s on average, so within a
  // minute of the fault's end nearly all are back.
  CHECK(share_recovered(u, 18) == Approx(0.5).margin(0.15));
  CHECK(r.summary.sessions_lost > 1.2 * r.summary.users_affected);
  CHECK(share_recovered(u, 26) > 0.95);
  CHECK(share_recovered(u, 59) == Approx(1.0));
  CHECK(u.logged_out_by_bucket.back() == 0);
}

TEST_CASE("users: a logged-out user counts as recovered only after logging in again", "[model][users]") {
  // auth is down until 400 s: front works again from 200 s, but the logged-out users' logins fail.
  const Report r = run_without_kernel(session_platform(400), 3);
  REQUIRE(r.users);
  const UsersReport& u = *r.users;
  CHECK(share_recovered(u, 30) < 0.05);  // bucket ending at 310 s
  CHECK(u.logged_out_by_bucket[30] == Approx(u.impaired_by_bucket[30]));
  CHECK(u.logged_out_by_bucket[30] > 900);
  // After auth is back they log in, and only then count as recovered.
  CHECK(share_recovered(u, 50) > 0.95);
  CHECK(u.logged_out_by_bucket[50] < 50);
}

TEST_CASE("users: a scenario without sessions has no users' series", "[model][users]") {
  Scenario s = session_platform(0);
  s.client.on_status.clear();
  const Report r = run_without_kernel(s, 3);
  CHECK_FALSE(r.users);
  CHECK(r.summary.users_affected > 0);
}
