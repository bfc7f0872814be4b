// How numbers read in the text summary and the HTML report: one place, so both say the same thing
// and golden files stay stable (fixed decimals, no locale).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faultline {

// Seconds as a clock, rounded to the second: "02:05", "1:02:05"; from a day on with the days apart,
// so long runs read at a glance: "12d 03:20:00".
std::string clock_text(double seconds);

// A time since the start of the run: "+02:05", "+1:02:05"; "never" when absent.
std::string offset_text(const std::optional<double>& seconds);

// A time of day on the run's clock, hours always shown, as a status page prints it: "00:02:05"; from
// a day on "12d 03:20:00".
std::string hms_text(double seconds);

// A span: clock_text, or "never" when absent.
std::string span_text(const std::optional<double>& seconds);

// A setting written the way a scenario writes durations: "250ms", "10s", "5m", "2h", "1.5s".
std::string duration_text(double seconds);

// A large quantity with three significant digits and a unit: "950", "12.3k", "1.20M", "4.56B".
std::string abbreviated(double n);

// An exact count with thousands separators: "1,234,567".
std::string grouped(std::uint64_t n);

// A fraction as a percentage with `decimals` decimals. Never rounds to 100% (or 0%) a fraction that
// is not exactly 1 (or 0): a run with failures must not read as perfect.
std::string percent_text(double fraction, int decimals = 3);

// An SLO as people write it: 0.999 -> "99.9%", 0.99995 -> "99.995%".
std::string slo_text(double slo);

// A latency with a unit that keeps three significant digits: "850us", "12.5ms", "1.25s".
std::string latency_text(double seconds);

// A per-run metric's value as people read it: shares as percentages, times as clocks, counts whole;
// "none" for NaN (an incident time the run has not got).
std::string metric_text(std::string_view metric, double value);

// A check as one line: "ttr 2:00:00, at most 1:00:00: MISSED".
struct ExpectationResult;
std::string expectation_text(const ExpectationResult& e);

}  // namespace faultline
