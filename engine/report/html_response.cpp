// report.html, the response side that only some scenarios have: gradual actions (rollouts) and
// detection by the users' own reports.
#include "report/html_chart.hpp"

#include "report/number_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace faultline::html {

namespace {

// Gradual actions: how far each went, over time (a step line from 0% to 100% done).
std::string rollout_chart(const Report& r, const RolloutReport& ro, const std::vector<Stage>& stages) {
  const double height = 150;
  const Frame f{62, 8 + kLabelRowHeight * kLabelRows, kChartWidth - 78, height - 28, run_length(r)};
  auto y = [&f](double share) { return f.bottom - (f.bottom - f.top) * std::clamp(share, 0.0, 1.0); };
  std::string svg = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"share of {} done by {} over time\">",
      kChartWidth, height, escape(ro.unit), escape(ro.action));
  for (double share : {0.0, 0.5, 1.0}) {
    svg += fmt::format("<line class=\"grid\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>", f.left,
                       y(share), f.right, y(share));
    svg += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{:.0f}%</text>", f.left - 6,
                       y(share) + 4, share * 100);
  }
  time_axis(svg, f);
  std::string points;
  for (std::size_t b = 0; b < ro.share_by_bucket.size(); ++b) {
    const double t0 = double(b) * r.bucket, t1 = std::min(double(b + 1) * r.bucket, f.t_end);
    const double yy = y(ro.share_by_bucket[b]);
    points += fmt::format("{}{:.1f},{:.1f} {:.1f},{:.1f}", points.empty() ? "" : " ", f.x(t0), yy, f.x(t1), yy);
  }
  if (!points.empty()) svg += "<polyline class=\"availability\" points=\"" + points + "\"/>";
  stage_markers(svg, f, stages, true);
  return svg + "</svg>";
}

}  // namespace

void rollouts_section(std::string& out, const Report& r, const std::vector<Stage>& stages) {
  if (r.rollouts.empty()) return;
  out += "<h2>Rollouts</h2>\n<table><tr><th>action</th><th>kind</th><th class=\"num\">steps</th>"
         "<th class=\"num\">started</th><th class=\"num\">finished</th><th class=\"num\">paused</th><th>outcome</th></tr>\n";
  for (const RolloutReport& ro : r.rollouts)
    out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td>{}</td></tr>\n",
                       escape(ro.action), escape(ro.kind), ro.steps, ro.started ? hms_text(*ro.started) : "-",
                       ro.finished ? hms_text(*ro.finished) : "-", clock_text(ro.paused_time),
                       ro.reverted ? "reverted by its gate" : ro.finished ? "done" : ro.started ? "under way at the end" : "not started");
  out += "</table>\n";
  for (const RolloutReport& ro : r.rollouts)
    out += fmt::format("<h3>{} <span class=\"note\">share of {} done</span></h3>\n", escape(ro.action), escape(ro.unit)) +
           rollout_chart(r, ro, stages) + "\n";}


// Users' reports within the window at each bucket's end, against the threshold that raises an
// incident: the curve crosses the line where the users noticed.
void user_reports_section(std::string& out, const Report& r, const std::vector<Stage>& stages) {
  if (!r.user_reports) return;
  const UserReportsReport& u = *r.user_reports;
  const auto span = std::size_t(std::max(1.0, std::ceil(u.window / std::max(r.bucket, 1e-9) - 1e-9)));
  std::vector<double> in_window(u.by_bucket.size());
  double sum = 0, top = u.threshold, total = 0;
  for (std::size_t b = 0; b < u.by_bucket.size(); ++b) {
    sum += double(u.by_bucket[b]);
    total += double(u.by_bucket[b]);
    if (b >= span) sum -= double(u.by_bucket[b - span]);
    in_window[b] = sum;
    top = std::max(top, sum);
  }
  out += fmt::format("<h2>User reports</h2>\n<p>{:.0f} reports in all; {:.0f} within {} raise an incident{}.</p>\n", total,
                     u.threshold, clock_text(u.window),
                     r.incident.detected_by == "user_reports" ? " (this incident was detected that way)" : "");
  const double height = 170;
  const Frame f{62, 8 + kLabelRowHeight * kLabelRows, kChartWidth - 78, height - 28, run_length(r)};
  auto y = [&](double v) { return f.bottom - (f.bottom - f.top) * std::clamp(v / (top * 1.1), 0.0, 1.0); };
  std::string svg = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"user reports within {} over time\">",
      kChartWidth, height, escape(clock_text(u.window)));
  for (double v : {0.0, std::round(top)}) {
    svg += fmt::format("<line class=\"grid\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>", f.left, y(v),
                       f.right, y(v));
    svg += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{:.0f}</text>", f.left - 6,
                       y(v) + 4, v);
  }
  svg += fmt::format("<line class=\"slo\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>", f.left,
                     y(u.threshold), f.right, y(u.threshold));
  svg += fmt::format("<text class=\"slo-label\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">threshold {:.0f}</text>",
                     f.right - 4, y(u.threshold) - 4, u.threshold);
  time_axis(svg, f);
  std::string points;
  for (std::size_t b = 0; b < in_window.size(); ++b) {
    const double t1 = std::min(double(b + 1) * r.bucket, f.t_end);
    points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", f.x(t1), y(in_window[b]));
  }
  if (!points.empty()) svg += "<polyline class=\"availability\" points=\"" + points + "\"/>";
  stage_markers(svg, f, stages, true);
  out += svg + "</svg>\n";
}

}  // namespace faultline::html
