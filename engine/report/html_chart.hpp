// The furniture the charts of report.html share (for html.cpp and html_response.cpp): escaping,
// the plot frame and its time axis, the incident stages and fault windows drawn on every chart. Not a public header.
#pragma once

#include "report/report.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::html {

std::string escape(std::string_view text);

// How long the charts' time axes run: the run, or the longest series when the duration is unknown.
double run_length(const Report& r);

constexpr double kChartWidth = 880;
constexpr int kLabelRows = 3;
constexpr double kLabelRowHeight = 12;
constexpr double kLabelCharWidth = 6.4;  // about, at the 11px label font

// The plot area of a chart and the mapping from time to x.
struct Frame {
  double left, top, right, bottom;  // plot area edges, in SVG units
  double t_end;
  double x(double t) const { return left + (right - left) * std::clamp(t / t_end, 0.0, 1.0); }
};

struct Stage {
  const char* name;
  double time;
  const char* colour;
};

// A fault from its start to its end (the end of the run when it did not end), from the events.
struct FaultWindow {
  std::string name;
  double start = 0, end = 0;
  bool ended = false;
};

// What every chart marks on its time axis: the incident's stages and the faults' windows.
struct Marks {
  std::vector<Stage> stages;
  std::vector<FaultWindow> faults;
};

std::vector<Stage> incident_stages(const IncidentTimeline& i);
std::vector<FaultWindow> fault_windows_of(const Report& r);
Marks chart_marks(const Report& r);
const char* stage_colour(const std::vector<Stage>& stages, std::string_view name);
void time_axis(std::string& svg, const Frame& f);
// A horizontal grid line at height y with its tick label at the left edge.
void grid_line(std::string& svg, const Frame& f, double y, std::string_view label);
// A chart is a few hundred pixels wide but a run may have a million buckets: neighbouring buckets
// are grouped into windows of about one pixel at most, buckets [first, last) from t0 to t1.
struct WindowSpan {
  std::size_t first, last;
  double t0, t1;
};
std::vector<WindowSpan> window_spans(const Report& r, std::size_t buckets, std::size_t max_windows);
// A step line of per-bucket values (y already mapped), each held across its bucket.
std::string bucket_steps(const Report& r, const Frame& f, const std::vector<double>& ys);
// The faults' windows along the bottom of the plot, then vertical lines at the incident stages, each
// with a tooltip, and their labels when asked for.
void stage_markers(std::string& svg, const Frame& f, const Marks& marks, bool labelled);

// A series' latency per bucket (html_latency.cpp): p50 and p99 of successful requests and p99 of all
// of them, on a logarithmic axis; and the services' own side (queues, calls served, wasted work).
std::string latency_chart(const Report& r, const std::string& name, const LatencyByBucket& latency, const Marks& marks);
void service_work_table(std::string& out, const Report& r);

// Sections drawn in html_response.cpp.
void rollouts_section(std::string& out, const Report& r, const Marks& marks);
void restores_section(std::string& out, const Report& r, const Marks& marks);
void scoped_faults_section(std::string& out, const Report& r, const Marks& marks);
void users_section(std::string& out, const Report& r, const Marks& marks);
void replication_section(std::string& out, const Report& r, const Marks& marks);
void poisoned_caches_section(std::string& out, const Report& r, const Marks& marks);
void backlogs_section(std::string& out, const Report& r, const Marks& marks);
void user_reports_section(std::string& out, const Report& r, const Marks& marks);

}  // namespace faultline::html
