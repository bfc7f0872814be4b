#include "io/duration.hpp"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

Seconds seconds(std::string_view text) {
  const auto parsed = parse_duration(text);
  if (const auto* e = std::get_if<DurationError>(&parsed)) FAIL("\"" << text << "\" did not parse: " << e->message);
  return std::get<Seconds>(parsed);
}

std::string problem(std::string_view text) {
  const auto parsed = parse_duration(text);
  if (std::holds_alternative<Seconds>(parsed)) FAIL("\"" << text << "\" parsed as " << std::get<Seconds>(parsed));
  return std::get<DurationError>(parsed).message;
}

}  // namespace

TEST_CASE("durations read in every unit", "[loader][duration]") {
  CHECK(seconds("250ms") == 0.25);
  CHECK(seconds("1.5s") == 1.5);
  CHECK(seconds("30s") == 30);
  CHECK(seconds("5m") == 300);
  CHECK(seconds("2h") == 7200);
  CHECK(seconds("30d") == 30 * 86400);
  CHECK(seconds("100us") == 1e-4);
  CHECK(seconds("0s") == 0);
}

TEST_CASE("sub-second durations are the nearest double to their decimal value", "[loader][duration]") {
  // 0.2 * 0.001 is not the double nearest 0.0002; defaults compared with scenario.hpp rely on this.
  CHECK(seconds("0.2ms") == 0.0002);
  CHECK(seconds("25ms") == 0.025);
  CHECK(seconds("70ms") == 0.07);
}

TEST_CASE("durations may chain units", "[loader][duration]") {
  CHECK(seconds("1h30m") == 5400);
  CHECK(seconds("1m30s") == 90);
  CHECK(seconds("1s500ms") == 1.5);
}

TEST_CASE("a duration's number may have a decimal exponent", "[loader][duration]") {
  CHECK(seconds("1e3s") == 1000);
  CHECK(seconds("2.5E-1m") == 15);
  CHECK(seconds("1e+2ms") == Approx(0.1));
  CHECK(seconds("3e0h1e1s") == 3 * 3600 + 10);
  CHECK(problem("1e400s") == "\"1e400s\" is too long");
  CHECK(problem("1e-400s") == "\"1e-400s\" is too short to tell from zero");
  CHECK(problem("1e") == "unknown duration unit 'e' in \"1e\"; units: us, ms, s, m, h, d");
  CHECK(problem("1es") == "unknown duration unit 'es' in \"1es\"; units: us, ms, s, m, h, d");
}

TEST_CASE("a negative duration parses, so bounds can say what is wrong with it", "[loader][duration]") {
  CHECK(seconds("-5s") == -5);
}

TEST_CASE("a duration without a unit is refused", "[loader][duration]") {
  CHECK(problem("30") == "durations need a unit, e.g. \"30s\"");
  CHECK(problem("1.5") == "durations need a unit, e.g. \"30s\"");
}

TEST_CASE("malformed durations say why", "[loader][duration]") {
  CHECK(problem("30x") == "unknown duration unit 'x' in \"30x\"; units: us, ms, s, m, h, d");
  CHECK(problem("5 s") == "\"5 s\" is not a duration; write a number with a unit, e.g. \"30s\"");
  CHECK(problem("ms") == "\"ms\" is not a duration; write a number with a unit, e.g. \"30s\"");
  CHECK(problem("1.s") == "\"1.s\" is not a duration; write a number with a unit, e.g. \"30s\"");
  CHECK(problem("1..5s") == "\"1..5s\" is not a duration; write a number with a unit, e.g. \"30s\"");
  CHECK(problem("").find("empty duration") == 0);
}

TEST_CASE("durations format in the largest unit that is exact", "[loader][duration]") {
  CHECK(format_duration(0) == "0s");
  CHECK(format_duration(400 * 86400.0) == "400d");
  CHECK(format_duration(7200) == "2h");
  CHECK(format_duration(5400) == "90m");
  CHECK(format_duration(90) == "90s");
  CHECK(format_duration(1.5) == "1500ms");
  CHECK(format_duration(0.025) == "25ms");
  CHECK(format_duration(0.0002) == "200us");
}

TEST_CASE("formatted durations read back as the same value", "[loader][duration]") {
  for (double s : {0.0, 0.0002, 0.025, 0.25, 1.5, 30.0, 300.0, 5400.0, 86400.0, 400 * 86400.0})
    CHECK(seconds(format_duration(s)) == s);
}
