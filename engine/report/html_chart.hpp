// The furniture the charts of report.html share (for html.cpp and html_response.cpp): escaping,
// the plot frame and its time axis, the incident stages drawn as markers. Not a public header.
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

std::vector<Stage> incident_stages(const IncidentTimeline& i);
const char* stage_colour(const std::vector<Stage>& stages, std::string_view name);
void time_axis(std::string& svg, const Frame& f);
// A horizontal grid line at height y with its tick label at the left edge.
void grid_line(std::string& svg, const Frame& f, double y, std::string_view label);
// A step line of per-bucket values (y already mapped), each held across its bucket.
std::string bucket_steps(const Report& r, const Frame& f, const std::vector<double>& ys);
// Vertical lines at the incident stages, each with a tooltip, and their labels when asked for.
void stage_markers(std::string& svg, const Frame& f, const std::vector<Stage>& stages, bool labelled);

// Sections drawn in html_response.cpp.
void rollouts_section(std::string& out, const Report& r, const std::vector<Stage>& stages);
void restores_section(std::string& out, const Report& r, const std::vector<Stage>& stages);
void scoped_faults_section(std::string& out, const Report& r, const std::vector<Stage>& stages);
void users_section(std::string& out, const Report& r, const std::vector<Stage>& stages);
void replication_section(std::string& out, const Report& r, const std::vector<Stage>& stages);
void poisoned_caches_section(std::string& out, const Report& r, const std::vector<Stage>& stages);
void backlogs_section(std::string& out, const Report& r, const std::vector<Stage>& stages);
void user_reports_section(std::string& out, const Report& r, const std::vector<Stage>& stages);

}  // namespace faultline::html
