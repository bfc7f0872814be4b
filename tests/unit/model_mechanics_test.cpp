// The model's building blocks: event order, random streams, back-off, retry conditions, traffic shape.
#include "model/event_queue.hpp"
#include "model/random.hpp"
#include "model/retry_policy.hpp"
#include "model/traffic_shape.hpp"
#include "support/scenario_builder.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace faultline;

TEST_CASE("events come out in time order, ties in the order they were pushed", "[model][events]") {
  EventQueue q;
  std::uint32_t lane = q.lane_for(1.0);
  q.push(5, 1);
  q.push(2, 2);
  q.push_lane(lane, 1.0, 3, 0, 0);  // at 2.0, pushed after the heap event at 2.0
  q.push(2, 4);
  q.push_lane(lane, 3.5, 5, 0, 0);  // at 4.5
  std::vector<std::uint32_t> order;
  ModelEvent e;
  while (q.pop_before(10, e)) order.push_back(e.type);
  CHECK(order == std::vector<std::uint32_t>{2, 3, 4, 5, 1});
  q.push(7, 9);
  CHECK_FALSE(q.pop_before(7, e));  // the limit is exclusive
  CHECK(q.next_time() == 7);
}

TEST_CASE("random streams depend on the seed and the entity name only", "[model][random]") {
  RandomStream a(1, "service.auth"), b(1, "service.auth"), c(1, "service.login"), d(2, "service.auth");
  double x = a.uniform();
  CHECK(x == b.uniform());
  CHECK(x != c.uniform());
  CHECK(x != d.uniform());
  RandomStream e(42, "exp");
  double sum = 0;
  for (int i = 0; i < 200000; ++i) sum += e.exponential(0.25);
  CHECK(sum / 200000 == Approx(0.25).epsilon(0.01));
  Distribution ln;
  ln.kind = Distribution::Kind::lognormal;
  ln.mean = 0.02;
  ln.stddev = 0.01;
  double s2 = 0;
  for (int i = 0; i < 200000; ++i) s2 += e.sample(ln);
  CHECK(s2 / 200000 == Approx(0.02).epsilon(0.01));
}

TEST_CASE("back-off grows exponentially to its cap, jitter stays inside it", "[model][retry]") {
  RetryPolicy p;
  p.num_retries = 5;
  p.back_off = {0.1, 0.5};
  RandomStream rng(1, "backoff");
  p.jitter = Jitter::none;
  CHECK(retry_back_off(p, 1, 0, rng) == Approx(0.1));
  CHECK(retry_back_off(p, 2, 0, rng) == Approx(0.2));
  CHECK(retry_back_off(p, 3, 0, rng) == Approx(0.4));
  CHECK(retry_back_off(p, 4, 0, rng) == Approx(0.5));
  p.jitter = Jitter::full;
  for (int i = 0; i < 1000; ++i) {
    double d = retry_back_off(p, 2, 0, rng);
    CHECK((d >= 0 && d <= 0.2));
  }
  p.jitter = Jitter::equal;
  for (int i = 0; i < 1000; ++i) {
    double d = retry_back_off(p, 2, 0, rng);
    CHECK((d >= 0.1 && d <= 0.2));
  }
}

TEST_CASE("retry_on decides which failures are retried", "[model][retry]") {
  RetryPolicy p;
  p.num_retries = 1;
  p.retry_on = {"5xx"};
  CHECK(retry_allowed(p, {Status::UNAVAILABLE, Cause::dependency, false}));
  CHECK(retry_allowed(p, {Status::DEADLINE_EXCEEDED, Cause::timeout, false}));
  CHECK_FALSE(retry_allowed(p, {Status::NOT_FOUND, Cause::dependency, false}));
  p.retry_on = {"connect-failure"};
  CHECK(retry_allowed(p, {Status::UNAVAILABLE, Cause::host_down, true}));
  CHECK_FALSE(retry_allowed(p, {Status::UNAVAILABLE, Cause::rejected, false}));
  p.retry_on = {"NOT_FOUND"};
  CHECK(retry_allowed(p, {Status::NOT_FOUND, Cause::dependency, false}));
  p.num_retries = 0;
  CHECK_FALSE(retry_allowed(p, {Status::NOT_FOUND, Cause::dependency, false}));
}

TEST_CASE("a user's region is the fractional part of its scrambled id on the regions' shares", "[model][traffic]") {
  Scenario s = testing::basic_scenario(3);
  s.zones[1].region = "r2";
  s.zones[2].region = "r3";
  s.traffic.region_share = {{"r1", 0.5}, {"r2", 0.3}, {"r3", 0.2}};
  TrafficShape t(s, 3);
  // The definition: fmod(user * (golden ratio - 1) + 0.5, 1) against the cumulative shares.
  const auto region = [](std::uint32_t user) {
    const double u = std::fmod(double(user) * 0.6180339887498949 + 0.5, 1.0);
    return u < 0.5 ? 0 : u < 0.8 ? 1 : 2;
  };
  int differ = 0;
  for (std::uint32_t user = 0; user < 3000000; ++user) differ += t.region_of(user) != region(user);
  for (std::uint32_t user = 4294967295u; user > 4294967295u - 1000000; --user) differ += t.region_of(user) != region(user);
  CHECK(differ == 0);
}

TEST_CASE("traffic follows its pattern and its shares", "[model][traffic]") {
  Scenario s = testing::basic_scenario();
  testing::add_service(s, "front");
  testing::add_feature(s, "a", "front", 3);
  testing::add_feature(s, "b", "front", 1);
  s.traffic.segments = {Segment{"consumers", 0.75, {}, {}}, Segment{"businesses", 0.25, {"b"}, {}}};
  s.traffic.pattern = TrafficPattern::piecewise;
  s.traffic.steps = {TrafficStep{100, 2.0}, TrafficStep{200, 0.5}};
  TrafficShape t(s, 1);
  CHECK(t.rate_at(50) == 100);
  CHECK(t.rate_at(150) == 200);
  CHECK(t.rate_at(250) == 50);
  CHECK(t.max_rate() == 200);
  RandomStream rng(1, "traffic");
  int business = 0, b_feature = 0, n = 100000;
  for (int i = 0; i < n; ++i) {
    auto d = t.draw(rng);
    if (d.segment == 1) {
      ++business;
      CHECK(d.feature == 1);  // businesses only use feature b
      CHECK(d.user >= 750);   // and own the last quarter of the simulated users
    }
    b_feature += d.feature == 1;
  }
  CHECK(double(business) / n == Approx(0.25).epsilon(0.03));
  // consumers: 3:1 between a and b, so b = 0.75 * 0.25 + 0.25
  CHECK(double(b_feature) / n == Approx(0.4375).epsilon(0.03));
}
