#include "report/number_text.hpp"

#include "metrics/run_metrics.hpp"
#include "report/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace faultline {

std::string clock_text(double seconds) {
  long long total = std::llround(std::fabs(seconds));
  const char* sign = seconds < 0 && total > 0 ? "-" : "";
  long long d = total / 86400, h = total / 3600, m = total / 60 % 60, s = total % 60;
  if (d > 0) return fmt::format("{}{}d {:02}:{:02}:{:02}", sign, d, h % 24, m, s);
  if (h > 0) return fmt::format("{}{}:{:02}:{:02}", sign, h, m, s);
  return fmt::format("{}{:02}:{:02}", sign, m, s);
}

std::string hms_text(double seconds) {
  long long total = std::llround(std::max(0.0, seconds));
  if (total >= 86400)
    return fmt::format("{}d {:02}:{:02}:{:02}", total / 86400, total / 3600 % 24, total / 60 % 60, total % 60);
  return fmt::format("{:02}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
}

std::string offset_text(const std::optional<double>& seconds) {
  if (!seconds) return "never";
  std::string text = "+";
  text += clock_text(*seconds);
  return text;
}

std::string span_text(const std::optional<double>& seconds) {
  return seconds ? clock_text(*seconds) : "never";
}

std::string duration_text(double seconds) {
  if (!std::isfinite(seconds)) return "-";
  if (seconds > 0 && seconds < 1) return fmt::format("{:g}ms", seconds * 1e3);
  if (seconds != std::floor(seconds)) return fmt::format("{:g}s", seconds);
  const long long s = std::llround(seconds);
  if (s != 0 && s % 3600 == 0) return fmt::format("{}h", s / 3600);
  if (s != 0 && s % 60 == 0) return fmt::format("{}m", s / 60);
  return fmt::format("{}s", s);
}

std::string abbreviated(double n) {
  if (!std::isfinite(n)) return "-";
  if (std::fabs(n) < 999.5) return fmt::format("{:.0f}", n);
  static const char* const kUnits[] = {"k", "M", "B", "T"};
  double v = n / 1000;
  int unit = 0;
  // Move up a unit whenever rounding would print 1000 of the current one.
  while (unit < 3 && std::fabs(v) >= 999.5) {
    v /= 1000;
    ++unit;
  }
  double a = std::fabs(v);
  int decimals = a < 9.995 ? 2 : a < 99.95 ? 1 : 0;
  return fmt::format("{:.{}f}{}", v, decimals, kUnits[unit]);
}

std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string percent_text(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return "-";
  std::string text = fmt::format("{:.{}f}", fraction * 100, decimals);
  const double step = std::pow(10.0, -decimals);
  if (fraction < 1 && std::stod(text) >= 100) text = fmt::format("{:.{}f}", 100 - step, decimals);
  if (fraction > 0 && std::stod(text) <= 0) text = fmt::format("{:.{}f}", step, decimals);
  return text + "%";
}

std::string slo_text(double slo) {
  std::string text = fmt::format("{:.4f}", slo * 100);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + "%";
}

std::string latency_text(double seconds) {
  if (!std::isfinite(seconds)) return "-";
  if (seconds < 0.0009995) return fmt::format("{:.0f}us", seconds * 1e6);
  if (seconds < 0.009995) return fmt::format("{:.2f}ms", seconds * 1e3);
  if (seconds < 0.09995) return fmt::format("{:.1f}ms", seconds * 1e3);
  if (seconds < 0.9995) return fmt::format("{:.0f}ms", seconds * 1e3);
  return fmt::format("{:.2f}s", seconds);
}

std::string metric_text(std::string_view metric, double value) {
  if (std::isnan(value)) return "none";
  if (metric == "availability" || metric == "degraded" || metric.ends_with(".availability") ||
      metric.ends_with(".degraded"))
    return percent_text(value);
  if (is_time_metric(metric)) return clock_text(value);
  if (value == std::floor(value) && std::fabs(value) < 1e15) return grouped(std::uint64_t(std::fabs(value)));
  return abbreviated(value);
}

std::string expectation_text(const ExpectationResult& e) {
  std::string bounds;
  if (e.at_least) bounds += "at least " + metric_text(e.metric, *e.at_least);
  if (e.at_most) bounds += (bounds.empty() ? "at most " : " and at most ") + metric_text(e.metric, *e.at_most);
  return fmt::format("{} {}, {}{}: {}", e.metric, metric_text(e.metric, e.value), bounds,
                     e.kind == "slo" ? " (its SLO)" : "", e.met ? "met" : "MISSED");
}

}  // namespace faultline
