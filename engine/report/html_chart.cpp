#include "report/html_chart.hpp"

#include "report/number_text.hpp"

#include <fmt/format.h>

#include <array>
#include <map>
#include <cmath>

namespace faultline::html {

// ---- text ------------------------------------------------------------------------------------------

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

double run_length(const Report& r) {
  double longest_series = 0;
  for (const Series& f : r.features) longest_series = std::max(longest_series, double(f.buckets.size()) * r.bucket);
  double t = r.duration > 0 ? r.duration : longest_series;
  return t > 0 ? t : 1;
}

// ---- chart furniture --------------------------------------------------------------------------------

void grid_line(std::string& svg, const Frame& f, double y, std::string_view label) {
  svg += fmt::format("<line class=\"grid\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>", f.left, y,
                     f.right, y);
  svg += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", f.left - 6,
                     y + 4, escape(label));
}

std::vector<WindowSpan> window_spans(const Report& r, std::size_t buckets, std::size_t max_windows) {
  const std::size_t per_window = std::max<std::size_t>(1, (buckets + max_windows - 1) / max_windows);
  std::vector<WindowSpan> out;
  for (std::size_t first = 0; first < buckets; first += per_window) {
    const std::size_t last = std::min(buckets, first + per_window);
    WindowSpan w{first, last, double(first) * r.bucket, double(last) * r.bucket};
    if (r.duration > w.t0) w.t1 = std::min(w.t1, r.duration);
    out.push_back(w);
  }
  return out;
}

std::string bucket_steps(const Report& r, const Frame& f, const std::vector<double>& ys) {
  std::string points;
  for (std::size_t b = 0; b < ys.size(); ++b) {
    if (std::isnan(ys[b])) continue;
    const double t0 = double(b) * r.bucket, t1 = std::min(double(b + 1) * r.bucket, f.t_end);
    points += fmt::format("{}{:.1f},{:.1f} {:.1f},{:.1f}", points.empty() ? "" : " ", f.x(t0), ys[b], f.x(t1), ys[b]);
  }
  return points;
}

std::vector<Stage> incident_stages(const IncidentTimeline& i) {
  std::vector<Stage> out;
  auto add = [&](const char* name, const std::optional<double>& t, const char* colour) {
    if (t) out.push_back({name, *t, colour});
  };
  add("impact start", i.impact_start, "#c0392b");
  add("detected", i.detected, "#d35400");
  add("acknowledged", i.acknowledged, "#9a7d0a");
  add("diagnosed", i.diagnosed, "#7d3c98");
  add("mitigated", i.mitigated, "#2471a3");
  add("recovered", i.recovered, "#1e8449");
  return out;
}

const char* stage_colour(const std::vector<Stage>& stages, std::string_view name) {
  for (const Stage& s : stages)
    if (name == s.name) return s.colour;
  return "#888";
}

// Steps that give at most about eight labels along the time axis.
double time_tick_step(double t_end) {
  static const double kSteps[] = {1,      2,      5,       10,      15,      30,      60,      120,
                                  300,    600,    900,     1800,    3600,    7200,    10800,   21600,
                                  43200,  86400,  172800,  432000,  864000,  1728000, 2592000, 5184000,
                                  7776000, 15552000, 31536000};
  for (double step : kSteps)
    if (t_end / step <= 8) return step;
  return t_end / 8;
}

void time_axis(std::string& svg, const Frame& f) {
  const double step = time_tick_step(f.t_end);
  svg += fmt::format("<line class=\"axis\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>", f.left,
                     f.bottom, f.right, f.bottom);
  double last_right = -1e9;  // where the previous label ends
  for (int k = 0; k * step <= f.t_end + 1e-9; ++k) {
    const double t = k * step, x = f.x(t);
    svg += fmt::format("<line class=\"axis\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>", x,
                       f.bottom, f.bottom + 4);
    // Whole days on a long run read as days ("60d"); the last label would overhang the right edge when
    // centred under its tick, and a label that would run into the previous one is left out.
    const std::string label = step >= 86400 && std::fmod(t, 86400) == 0 ? fmt::format("{:.0f}d", t / 86400) : clock_text(t);
    // The first label starts at its tick, clear of the value axis' lowest label to its left.
    const double width = kLabelCharWidth * double(label.size());
    const bool overhangs = x + width / 2 > kChartWidth, first = k == 0;
    const double left = overhangs ? x - width : first ? x : x - width / 2;
    if (left < last_right + kLabelCharWidth) continue;
    last_right = overhangs ? x : first ? x + width : x + width / 2;
    svg += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\">{}</text>", x,
                       f.bottom + 16, overhangs ? "end" : first ? "start" : "middle", label);
  }
}

// Stage labels sit in rows above the plot. Stages at the same moment (mitigated and recovered often
// are) share one label; each label takes the first row where it clears the labels already placed, so
// stages minutes apart (detected, acknowledged) stay legible.

struct StageLabel {
  std::vector<const Stage*> stages;
  double x = 0;             // where the text is anchored
  bool anchor_end = false;  // near the right edge the text runs leftwards
  int row = 0;
};

std::vector<StageLabel> place_stage_labels(const Frame& f, const std::vector<Stage>& stages) {
  std::vector<const Stage*> by_time;
  for (const Stage& s : stages) by_time.push_back(&s);
  std::stable_sort(by_time.begin(), by_time.end(), [](const Stage* a, const Stage* b) { return a->time < b->time; });
  std::vector<StageLabel> labels;
  for (const Stage* s : by_time) {
    if (!labels.empty() && f.x(s->time) - f.x(labels.back().stages.back()->time) < 1.5)
      labels.back().stages.push_back(s);
    else
      labels.push_back({{s}});
  }
  std::array<double, kLabelRows> row_end;
  row_end.fill(-1e9);
  for (StageLabel& label : labels) {
    std::size_t chars = 0;
    for (const Stage* s : label.stages) chars += std::string_view(s->name).size() + 2;
    const double width = kLabelCharWidth * double(chars - 2), x = f.x(label.stages.front()->time);
    label.anchor_end = x + 3 + width > kChartWidth - 4;
    label.x = label.anchor_end ? x - 3 : x + 3;
    const double begin = label.anchor_end ? label.x - width : label.x;
    int row = 0;
    while (row < kLabelRows && begin < row_end[row] + 6) ++row;
    if (row == kLabelRows) row = int(std::min_element(row_end.begin(), row_end.end()) - row_end.begin());
    label.row = row;
    row_end[row] = begin + width;
  }
  return labels;
}

// The faults' windows as a strip along the bottom of the plot, one lane per fault that overlaps
// another, each with its name and times as a tooltip: so every chart shows when what was broken.
void fault_windows(std::string& svg, const Frame& f, const std::vector<FaultWindow>& faults) {
  std::vector<double> lane_end;  // the end of the last window in each lane
  for (const FaultWindow& w : faults) {
    std::size_t lane = 0;
    while (lane < lane_end.size() && w.start < lane_end[lane]) ++lane;
    if (lane == lane_end.size()) lane_end.push_back(w.end);
    lane_end[lane] = w.end;
    if (lane >= 3) continue;  // a chart has room for three lanes; the Events table lists every fault
    const double x0 = f.x(w.start), x1 = f.x(w.end), y = f.bottom - 5 - 5 * double(lane);
    svg += fmt::format(
        "<rect class=\"fault-window\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"4\"><title>fault {} from +{} "
        "to {}</title></rect>",
        x0, y, std::max(1.5, x1 - x0), escape(w.name), clock_text(w.start),
        w.ended ? fmt::format("+{}", clock_text(w.end)) : std::string("the end of the run"));
  }
}

std::vector<FaultWindow> fault_windows_of(const Report& r) {
  std::vector<FaultWindow> out;
  std::map<std::string, std::size_t> open;  // fault name -> its window being drawn
  const double end = run_length(r);
  for (const Event& e : r.events) {
    if (e.kind == "fault_start") {
      if (open.count(e.name)) continue;  // already active (a repeat that overlaps itself)
      open[e.name] = out.size();
      out.push_back({e.name, e.time, end, false});
    } else if (e.kind == "fault_end") {
      auto it = open.find(e.name);
      if (it == open.end()) continue;
      out[it->second].end = e.time;
      out[it->second].ended = true;
      open.erase(it);
    }
  }
  return out;
}

Marks chart_marks(const Report& r) { return {incident_stages(r.incident), fault_windows_of(r)}; }

void stage_markers(std::string& svg, const Frame& f, const Marks& marks, bool labelled) {
  fault_windows(svg, f, marks.faults);
  for (const StageLabel& label : place_stage_labels(f, marks.stages)) {
    const double label_y = f.top - kLabelRowHeight * (kLabelRows - 1 - label.row) - 4;
    for (const Stage* s : label.stages)
      svg += fmt::format(
          "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"{3}\" stroke-width=\"1.2\">"
          "<title>{4} at +{5}</title></line>",
          f.x(s->time), labelled ? label_y - 9 : f.top, f.bottom, s->colour, s->name, clock_text(s->time));
    if (!labelled) continue;
    svg += fmt::format("<text class=\"stage\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\">", label.x, label_y,
                       label.anchor_end ? "end" : "start");
    for (std::size_t k = 0; k < label.stages.size(); ++k)
      svg += fmt::format("{}<tspan fill=\"{}\">{}</tspan>", k ? ", " : "", label.stages[k]->colour,
                         label.stages[k]->name);
    svg += "</text>";
  }
}


}  // namespace faultline::html
