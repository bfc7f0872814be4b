#include "report/number_text.hpp"

#include <catch2/catch.hpp>

using namespace faultline;

TEST_CASE("clock_text rounds to the second and shows hours only when needed", "[report][text]") {
  CHECK(clock_text(0) == "00:00");
  CHECK(clock_text(125.4) == "02:05");
  CHECK(clock_text(3599.6) == "1:00:00");
  CHECK(clock_text(3725) == "1:02:05");
  CHECK(clock_text(23 * 3600 + 59 * 60 + 59) == "23:59:59");
  // From a day on the days stand apart, so a year-long run reads "237d 18:57:20", not "5706:57:20".
  CHECK(clock_text(30 * 3600) == "1d 06:00:00");
  CHECK(clock_text(5706 * 3600 + 57 * 60 + 20) == "237d 18:57:20");
  CHECK(clock_text(-2 * 86400) == "-2d 00:00:00");
  CHECK(hms_text(125) == "00:02:05");
  CHECK(hms_text(12 * 86400 + 3 * 3600 + 20 * 60) == "12d 03:20:00");
  CHECK(offset_text(90) == "+01:30");
  CHECK(offset_text(std::nullopt) == "never");
  CHECK(span_text(std::nullopt) == "never");
}

TEST_CASE("duration_text writes a setting the way a scenario does", "[report][text]") {
  CHECK(duration_text(0.25) == "250ms");
  CHECK(duration_text(10) == "10s");
  CHECK(duration_text(1.5) == "1.5s");
  CHECK(duration_text(300) == "5m");
  CHECK(duration_text(90) == "90s");
  CHECK(duration_text(7200) == "2h");
}

TEST_CASE("abbreviated keeps three significant digits and moves up a unit instead of printing 1000",
          "[report][text]") {
  CHECK(abbreviated(0) == "0");
  CHECK(abbreviated(950) == "950");
  CHECK(abbreviated(999.4) == "999");
  CHECK(abbreviated(999.6) == "1.00k");
  CHECK(abbreviated(12345.6) == "12.3k");
  CHECK(abbreviated(123456) == "123k");
  CHECK(abbreviated(999600) == "1.00M");
  CHECK(abbreviated(12.34e6) == "12.3M");
  CHECK(abbreviated(4.56e9) == "4.56B");
}

TEST_CASE("grouped separates thousands", "[report][text]") {
  CHECK(grouped(0) == "0");
  CHECK(grouped(999) == "999");
  CHECK(grouped(1000) == "1,000");
  CHECK(grouped(1234567) == "1,234,567");
}

TEST_CASE("percent_text never rounds an imperfect fraction to 100% or a non-zero one to 0%", "[report][text]") {
  CHECK(percent_text(1.0) == "100.000%");
  CHECK(percent_text(0.9) == "90.000%");
  CHECK(percent_text(0.9999999) == "99.999%");
  CHECK(percent_text(0.0) == "0.000%");
  CHECK(percent_text(1e-9) == "0.001%");
  CHECK(percent_text(0.5, 1) == "50.0%");
}

TEST_CASE("slo_text prints an SLO as people write it", "[report][text]") {
  CHECK(slo_text(0.999) == "99.9%");
  CHECK(slo_text(0.99995) == "99.995%");
  CHECK(slo_text(1.0) == "100%");
}

TEST_CASE("latency_text picks the unit", "[report][text]") {
  CHECK(latency_text(0.00085) == "850us");
  CHECK(latency_text(0.0125) == "12.5ms");
  CHECK(latency_text(0.25) == "250ms");
  CHECK(latency_text(1.25) == "1.25s");
}
