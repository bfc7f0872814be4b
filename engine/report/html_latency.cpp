// Latency over time and the services' own side in report.html: what users waited for, bucket by
// bucket, next to the availability chart, and where work queued or was done for nobody.
#include "report/html_chart.hpp"
#include "report/number_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace faultline::html {

namespace {

constexpr double kLatencyChartHeight = 170;

// Per-bucket values in windows of about one pixel (window_spans): each window shows its worst bucket
// (the highest latency), so a short spike is not averaged away; NaN where no bucket measured anything.
struct Windowed {
  std::vector<double> t0, t1, value;
};

Windowed worst_per_window(const Report& r, const std::vector<double>& v, std::size_t max_windows) {
  Windowed out;
  for (const WindowSpan& span : window_spans(r, v.size(), max_windows)) {
    double worst = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = span.first; i < span.last; ++i)
      if (!std::isnan(v[i])) worst = std::isnan(worst) ? v[i] : std::max(worst, v[i]);
    out.t0.push_back(span.t0);
    out.t1.push_back(span.t1);
    out.value.push_back(worst);
  }
  return out;
}

// A decade tick's label: 1 us, 10 ms, 1 s, 100 s.
std::string decade_text(int exponent) {
  static const char* kUnits[] = {"ns", "us", "ms", "s"};
  const int unit = std::clamp((exponent + 9) / 3, 0, 3);
  const double value = std::pow(10.0, exponent - (unit - 3) * 3);
  return fmt::format("{:g} {}", value, kUnits[unit]);
}

}  // namespace

std::string latency_chart(const Report& r, const std::string& name, const LatencyByBucket& latency, const Marks& marks) {
  if (latency.p99.empty()) return {};
  const Frame f{62, 8, kChartWidth - 78, kLatencyChartHeight - 28, run_length(r)};
  const std::size_t pixels = std::size_t(f.right - f.left);
  const Windowed p50 = worst_per_window(r, latency.p50, pixels), p99 = worst_per_window(r, latency.p99, pixels),
                 p99_all = worst_per_window(r, latency.p99_all, pixels);
  double low = std::numeric_limits<double>::infinity(), high = 0;
  for (const Windowed* w : {&p50, &p99, &p99_all})
    for (double v : w->value)
      if (!std::isnan(v) && v > 0) {
        low = std::min(low, v);
        high = std::max(high, v);
      }
  std::string svg = fmt::format(
      "<svg class=\"chart latency\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"latency of {} over time\">",
      kChartWidth, kLatencyChartHeight, escape(name));
  if (high == 0) {  // nothing answered during the whole run
    time_axis(svg, f);
    stage_markers(svg, f, marks, false);
    return svg + "<text class=\"label\" x=\"70\" y=\"70\">no latency measured</text></svg>";
  }
  // Whole decades, at least two, from below the fastest to above the slowest.
  const int bottom = int(std::floor(std::log10(low) + 1e-9)), top = std::max(bottom + 2, int(std::ceil(std::log10(high) - 1e-9)));
  auto y = [&f, bottom, top](double v) {
    return f.bottom - (f.bottom - f.top) * std::clamp((std::log10(v) - bottom) / double(top - bottom), 0.0, 1.0);
  };
  for (int e = bottom; e <= top; ++e) grid_line(svg, f, y(std::pow(10.0, e)), decade_text(e));
  time_axis(svg, f);
  for (const auto& [w, cls] : {std::pair{&p50, "p50"}, std::pair{&p99, "p99"}, std::pair{&p99_all, "p99-all"}}) {
    std::string points;
    auto flush = [&] {
      if (!points.empty()) svg += fmt::format("<polyline class=\"{}\" points=\"{}\"/>", cls, points);
      points.clear();
    };
    for (std::size_t i = 0; i < w->value.size(); ++i) {
      if (std::isnan(w->value[i]) || w->value[i] <= 0) {
        flush();
        continue;
      }
      const double yy = y(w->value[i]);
      points += fmt::format("{}{:.1f},{:.1f} {:.1f},{:.1f}", points.empty() ? "" : " ", f.x(w->t0[i]), yy,
                            f.x(w->t1[i]), yy);
    }
    flush();
  }
  stage_markers(svg, f, marks, false);
  svg += "</svg>";
  const bool windowed = latency.p99.size() > pixels;
  return svg + fmt::format(
                   "<p class=\"legend\"><span style=\"background:#5d9cec\"></span>p50 and "
                   "<span style=\"background:#2c3e50\"></span>p99 of successful requests, "
                   "<span style=\"background:#c0392b\"></span>p99 of all requests (a failed one at the moment "
                   "the user saw it fail){}; gaps: nothing measured. "
                   "<span style=\"background:#7f8c8d\"></span>faults active.</p>",
                   windowed ? ", the worst bucket of each stretch" : "");
}

void service_work_table(std::string& out, const Report& r) {
  std::string rows;
  for (const ServiceReport& s : r.services) {
    double peak_queue = 0;
    for (double q : s.queue_by_bucket) peak_queue = std::max(peak_queue, q);
    if (peak_queue < 0.05 && s.wasted == 0) continue;  // nothing waited, nothing was done in vain
    const double length = run_length(r);
    rows += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.1f}/s</td><td class=\"num\">{:.1f}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        escape(s.name), grouped(s.served), double(s.served) / length, peak_queue, grouped(s.wasted),
        s.served ? percent_text(double(s.wasted) / double(s.served)) : "-", clock_text(s.wasted_work));
  }
  if (rows.empty()) return;
  out += "<h3>Queues and wasted work <span class=\"note\">the services' own side: calls served, the longest "
         "queue (mean calls waiting over a bucket), and work finished after the caller had given up</span></h3>\n"
         "<table><tr><th>service</th><th class=\"num\">served</th><th class=\"num\">throughput</th>"
         "<th class=\"num\">peak queue</th><th class=\"num\">wasted</th><th class=\"num\">of served</th>"
         "<th class=\"num\" title=\"worker time spent on the wasted calls\">wasted work</th></tr>\n" +
         rows + "</table>\n";
}

}  // namespace faultline::html
