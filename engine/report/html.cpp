#include "report/html.hpp"

#include "metrics/expectations.hpp"
#include "report/html_chart.hpp"
#include "report/number_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <span>
#include <string_view>
#include <utility>

namespace faultline {

using namespace html;

namespace {

std::string availability_or_dash(const Counts& c) { return c.requests ? percent_text(c.availability()) : "-"; }

// ---- time windows ------------------------------------------------------------------------------------
// The buckets of each window (html_chart.hpp: window_spans), summed.

struct Window {
  double t0 = 0, t1 = 0;
  Counts counts;
};

void add(Counts& sum, const Counts& c) {
  sum.requests += c.requests;
  sum.ok += c.ok;
  sum.degraded += c.degraded;
  sum.failed += c.failed;
}

std::vector<Window> windows(const Report& r, const std::vector<Counts>& buckets, std::size_t max_windows) {
  std::vector<Window> out;
  for (const WindowSpan& span : window_spans(r, buckets.size(), max_windows)) {
    Window w{span.t0, span.t1, {}};
    for (std::size_t i = span.first; i < span.last; ++i) add(w.counts, buckets[i]);
    out.push_back(w);
  }
  return out;
}

// ---- per-feature availability ------------------------------------------------------------------------

// The lowest value on the availability axis and the tick step: low enough to show the worst window
// and the SLO, on a round number, so a 99.9% SLO does not vanish against a 0..100% axis.
std::pair<double, double> availability_range(const std::vector<Window>& ws, double slo) {
  double lowest = slo > 0 ? slo : 1;
  for (const Window& w : ws)
    if (w.counts.requests) lowest = std::min(lowest, w.counts.availability());
  const double span = std::max(1 - lowest, 1e-4) * 1.15;
  double step = 1;
  for (double candidate : {1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.2, 0.5}) {
    if (span / candidate <= 5) {
      step = candidate;
      break;
    }
  }
  const double low = std::max(0.0, std::floor((1 - span) / step + 1e-9) * step);
  return {low, step};
}

std::string feature_chart(const Report& r, const Series& feature, const Marks& marks) {
  const double height = 220;
  const Frame f{62, 8 + kLabelRowHeight * kLabelRows, kChartWidth - 78, height - 28, run_length(r)};
  const std::vector<Window> ws = windows(r, feature.buckets, std::size_t(f.right - f.left));
  const auto [low, step] = availability_range(ws, feature.slo);
  auto y = [&f, low = low](double a) { return f.bottom - (f.bottom - f.top) * std::clamp((a - low) / (1 - low), 0.0, 1.0); };

  std::string svg = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"availability of {} over time\">",
      kChartWidth, height, escape(feature.name));
  // Every impact period, shaded: from impact start to recovery (or the end of the run).
  const std::span<const IncidentTimeline> incidents =
      r.incidents.empty() ? std::span<const IncidentTimeline>(&r.incident, 1) : std::span(r.incidents);
  for (const IncidentTimeline& i : incidents)
    if (const auto& impact = i.impact_start) {
      const double x0 = f.x(*impact), x1 = f.x(i.recovered.value_or(f.t_end));
      svg += fmt::format(
          "<rect class=\"impact\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"><title>incident "
          "{} to {}</title></rect>",
          x0, f.top, std::max(1.0, x1 - x0), f.bottom - f.top, offset_text(i.impact_start),
          i.recovered ? offset_text(i.recovered) : "the end of the run");
    }
  const int decimals = std::max(0, int(std::ceil(-std::log10(step * 100) - 1e-9)));
  for (int k = 0; low + k * step <= 1 + 1e-9; ++k) {
    const double a = low + k * step;
    svg += fmt::format("<line class=\"grid\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>", f.left, y(a),
                       f.right, y(a));
    svg += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{:.{}f}%</text>",
                       f.left - 6, y(a) + 4, std::min(a, 1.0) * 100, decimals);
  }
  time_axis(svg, f);
  if (feature.slo > 0) {
    svg += fmt::format("<line class=\"slo\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>", f.left,
                       y(feature.slo), f.right, y(feature.slo));
    svg += fmt::format("<text class=\"slo-label\" x=\"{:.1f}\" y=\"{:.1f}\">SLO {}</text>", f.right + 4,
                       y(feature.slo) + 4, slo_text(feature.slo));
  }
  // A step line, one level per window; windows without requests leave a gap (undefined, not 100%).
  std::string points;
  auto flush = [&] {
    if (!points.empty()) svg += "<polyline class=\"availability\" points=\"" + points + "\"/>";
    points.clear();
  };
  for (const Window& w : ws) {
    if (!w.counts.requests) {
      flush();
      continue;
    }
    const double yy = y(w.counts.availability());
    points += fmt::format("{}{:.1f},{:.1f} {:.1f},{:.1f}", points.empty() ? "" : " ", f.x(w.t0), yy, f.x(w.t1), yy);
  }
  flush();
  stage_markers(svg, f, marks, true);
  return svg + "</svg>";
}

// ---- services heat strip -----------------------------------------------------------------------------

struct Level {
  double at_least;
  const char* colour;
  const char* label;
};
constexpr Level kLevels[] = {{0.999, "#1a9850", "&ge; 99.9%"}, {0.99, "#91cf60", "&ge; 99%"},
                             {0.95, "#d9ef8b", "&ge; 95%"},    {0.9, "#fee08b", "&ge; 90%"},
                             {0.5, "#fc8d59", "&ge; 50%"},     {0, "#d73027", "&lt; 50%"}};
constexpr const char* kNoTraffic = "#e6e6e6";

const char* level_colour(const Counts& c) {
  if (!c.requests) return kNoTraffic;
  for (const Level& l : kLevels)
    if (c.availability() >= l.at_least) return l.colour;
  return kLevels[std::size(kLevels) - 1].colour;
}

// A heat strip: one labelled row per item over the run's time axis.
struct Strip {
  static constexpr double kLabelWidth = 170, kRow = 18, kTop = 6;
  Frame frame;
  std::string svg;
  Strip(const Report& r, std::size_t rows, const char* aria_label)
      : frame{kLabelWidth, kTop, kChartWidth - 12, kTop + kRow * double(rows), run_length(r)} {
    svg = fmt::format("<svg class=\"chart\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"{}\">",
                      kChartWidth, kTop + kRow * double(rows) + 26, aria_label);
  }
  // Starts row k with its label; returns the row's top.
  double row(std::size_t k, const std::string& label) {
    const double y0 = kTop + kRow * double(k);
    svg += fmt::format("<text class=\"label\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>",
                       kLabelWidth - 8, y0 + kRow / 2 + 4, escape(label));
    return y0;
  }
  // One stretch of a row, from t0 to t1, with its tooltip "<label> +t0 to +t1: <what>".
  void cell(double y0, double t0, double t1, const char* colour, const std::string& label, const std::string& what) {
    const double x0 = frame.x(t0), x1 = frame.x(t1);
    svg += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{} +{} to +{}: {}"
        "</title></rect>",
        x0, y0 + 1, std::max(0.5, x1 - x0), kRow - 2, colour, escape(label), clock_text(t0), clock_text(t1), what);
  }
  // The axis, the incident marks and the legend of the levels (the closing </p> is the caller's).
  template <std::size_t N>
  std::string finish(const Marks& marks, const Level (&levels)[N]) {
    time_axis(svg, frame);
    stage_markers(svg, frame, marks, false);
    std::string out = svg + "</svg><p class=\"legend\">";
    for (const Level& l : levels) out += fmt::format("<span style=\"background:{}\"></span>{} ", l.colour, l.label);
    return out;
  }
};

std::string service_heat_strip(const Report& r, const Marks& marks) {
  Strip strip(r, r.services.size(), "services' availability over time");
  const Frame& f = strip.frame;
  for (std::size_t k = 0; k < r.services.size(); ++k) {
    const ServiceReport& s = r.services[k];
    const double y0 = strip.row(k, s.name);
    const std::vector<Window> ws = windows(r, s.buckets, std::size_t(f.right - f.left));
    // Neighbouring windows of the same colour are drawn as one rectangle: a small file, one tooltip.
    for (std::size_t i = 0; i < ws.size();) {
      const char* colour = level_colour(ws[i].counts);
      Window run = ws[i];
      std::size_t j = i + 1;
      for (; j < ws.size() && level_colour(ws[j].counts) == colour; ++j) {
        run.t1 = ws[j].t1;
        add(run.counts, ws[j].counts);
      }
      const std::string what =
          run.counts.requests ? "availability " + percent_text(run.counts.availability()) : "no calls";
      strip.cell(y0, run.t0, run.t1, colour, s.name, what);
      i = j;
    }
  }
  return strip.finish(marks, kLevels) + fmt::format("<span style=\"background:{}\"></span>no calls</p>", kNoTraffic);
}

// ---- resources heat strip ----------------------------------------------------------------------------

constexpr Level kLoadLevels[] = {{0.999, "#7f0000", "saturated"}, {0.9, "#d7301f", "&ge; 90%"},
                                 {0.7, "#fc8d59", "&ge; 70%"},    {0.4, "#fdd49e", "&ge; 40%"},
                                 {0, "#deebf7", "&lt; 40%"}};

const char* load_colour(double utilisation) {
  for (const Level& l : kLoadLevels)
    if (utilisation >= l.at_least) return l.colour;
  return kLoadLevels[std::size(kLoadLevels) - 1].colour;
}

// One row per shared resource, coloured by its utilisation per bucket (darkest: saturated).
std::string resource_heat_strip(const Report& r, const Marks& marks) {
  Strip strip(r, r.resources.size(), "resources' utilisation over time");
  for (std::size_t k = 0; k < r.resources.size(); ++k) {
    const ResourceReport& res = r.resources[k];
    const double y0 = strip.row(k, res.name);
    const std::vector<double>& u = res.utilisation_by_bucket;
    for (std::size_t i = 0; i < u.size();) {  // runs of buckets of one colour, as one rectangle
      const char* colour = load_colour(u[i]);
      std::size_t j = i + 1;
      double peak = u[i];
      for (; j < u.size() && load_colour(u[j]) == colour; ++j) peak = std::max(peak, u[j]);
      const double t0 = double(i) * r.bucket, t1 = std::min(double(j) * r.bucket, run_length(r));
      strip.cell(y0, t0, t1, colour, res.name, "utilisation up to " + percent_text(peak));
      i = j;
    }
  }
  return strip.finish(marks, kLoadLevels) + "</p>";
}

// ---- sections ----------------------------------------------------------------------------------------

constexpr std::string_view kStyle = R"css(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 0;
       background: #fafafa; }
main { max-width: 960px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 4px; }
h2 .note, h3 .note { font-weight: normal; color: #666; font-size: 13px; }
.sub { color: #666; margin: 0; }
.about { margin: 2px 0 6px; max-width: 900px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 18px; }
.card { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 10px 14px; min-width: 120px; }
.card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .name { color: #666; font-size: 12px; }
table { border-collapse: collapse; background: #fff; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
th { font-weight: 600; border-bottom: 1px solid #ccc; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
.missed { color: #c0392b; font-weight: 600; }
.met { color: #1e8449; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; }
svg.chart { width: 100%; height: auto; background: #fff; border: 1px solid #e2e2e2; border-radius: 4px; }
svg .axis { stroke: #999; stroke-width: 1; }
svg .grid { stroke: #eee; stroke-width: 1; }
svg .tick, svg .label { font-size: 11px; fill: #555; }
svg .stage { font-size: 11px; }
svg .slo { stroke: #c0392b; stroke-width: 1; stroke-dasharray: 5 4; }
svg .slo-label { font-size: 11px; fill: #c0392b; }
svg .availability { fill: none; stroke: #2c3e50; stroke-width: 1.6; stroke-linejoin: round; }
svg .subset { fill: none; stroke: #8e44ad; stroke-width: 1.4; stroke-dasharray: 4 3; }
svg .impact { fill: #fbeaea; }
svg .fault-window { fill: #7f8c8d; opacity: 0.6; }
svg .p50 { fill: none; stroke: #5d9cec; stroke-width: 1.3; }
svg .p99 { fill: none; stroke: #2c3e50; stroke-width: 1.6; }
svg .p99-all { fill: none; stroke: #c0392b; stroke-width: 1.4; stroke-dasharray: 5 3; }
svg .span-label { font-size: 11px; fill: #fff; }
.legend { font-size: 12px; color: #555; }
.legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 10px; vertical-align: -2px; }
ol.chain { padding-left: 22px; }
ol.chain .t { font-variant-numeric: tabular-nums; color: #666; display: inline-block; min-width: 70px; }
.muted { color: #777; }
tr.longest td { font-weight: 600; }
code { font-size: 13px; }
)css";

// What the report is of: the scenario, where it came from, what it is about, the overrides and the
// seed, before any figure (two runs of one scenario differ there and nowhere else).
void page_header(std::string& out, const Report& r) {
  const Provenance& p = r.provenance;
  out += fmt::format("<header><h1>{}</h1>", escape(p.scenario_name));
  if (!p.scenario_description.empty()) out += fmt::format("<p class=\"about\">{}</p>", escape(p.scenario_description));
  out += fmt::format("<p class=\"sub\">seed {} &middot; duration {} &middot; buckets of {} &middot; faultline {}",
                     p.seed, clock_text(r.duration), duration_text(r.bucket), escape(p.faultline_version));
  if (!p.scenario_origin.empty()) out += fmt::format(" &middot; <code>{}</code>", escape(p.scenario_origin));
  out += "</p>";
  if (!p.overrides.empty()) {
    out += "<p class=\"sub overrides\">overrides:";
    for (const auto& [key, value] : p.overrides) out += fmt::format(" <code>{}={}</code>", escape(key), escape(value));
    out += "</p>";
  } else {
    out += "<p class=\"sub overrides\">no overrides: the scenario as written</p>";
  }
  out += "</header>\n";
  const Counts& c = r.summary.requests;
  auto card = [&](const std::string& value, const char* name) {
    out += fmt::format("<div class=\"card\"><div class=\"value\">{}</div><div class=\"name\">{}</div></div>",
                       escape(value), name);
  };
  out += "<section class=\"cards\">";
  card(availability_or_dash(c), "user availability");
  card(grouped(c.requests), "user requests");
  card(abbreviated(r.summary.users_affected), "users affected");
  card(abbreviated(r.summary.user_minutes_lost), "user-minutes lost");
  card(abbreviated(r.summary.sessions_lost), "sessions lost");
  if (r.incidents.size() > 1) {  // every incident, not only the first
    const IncidentTally t = tally(r.incidents);
    card(std::to_string(t.count), "incidents");
    card(span_text(t.worst_ttr), "longest time to recover");
    card(span_text(t.mean_ttr), "mean time to recover");
  } else {
    card(span_text(r.incident.ttr()), "time to recover");
  }
  out += "</section>\n";
}

// One bar from impact start to recovery (or to the last stage reached), split into the stage spans,
// each in the colour of the stage that ends it, labelled where the label fits, with a legend that
// names every stage (the narrow ones included) and its share.
std::string ttr_breakdown_bar(const IncidentTimeline& i, const Marks& marks) {
  if (!i.impact_start) return "";
  const TtrStages st = i.stages();
  struct Part {
    const char* name;
    std::optional<double> span;
    const char* colour;
  };
  const Part parts[] = {{"detection", st.detection, stage_colour(marks.stages, "detected")},
                        {"acknowledgement", st.acknowledgement, stage_colour(marks.stages, "acknowledged")},
                        {"diagnosis", st.diagnosis, stage_colour(marks.stages, "diagnosed")},
                        {"mitigation", st.mitigation, stage_colour(marks.stages, "mitigated")},
                        {"recovery", st.recovery, stage_colour(marks.stages, "recovered")}};
  double total = 0;
  for (const Part& p : parts) total += p.span.value_or(0);
  if (total <= 0) return "";  // no stage after impact start yet, or all at the same moment
  const double left = 12, right = kChartWidth - 12, top = 8, bar = 28;
  std::string out = i.recovered
                        ? fmt::format("<h3>Time to recovery by stage <span class=\"note\">ttr {}</span></h3>\n",
                                      clock_text(total))
                        : fmt::format("<h3>Time to recovery by stage <span class=\"note\">not recovered by the end "
                                      "of the run: the {} so far</span></h3>\n",
                                      clock_text(total));
  out += fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"time to recovery by stage\">",
      kChartWidth, top + bar + 8);
  std::string legend = "<p class=\"legend\">";
  double x = left;
  for (std::size_t k = 0; k < std::size(parts); ++k) {
    const Part& p = parts[k];
    if (!p.span) {
      const bool later =
          std::any_of(parts + k + 1, std::end(parts), [](const Part& q) { return q.span.has_value(); });
      legend += fmt::format("<span style=\"background:transparent\"></span>{} {} ", p.name,
                            later ? "&mdash;" : "never");
      continue;
    }
    const double width = (right - left) * *p.span / total;
    const std::string text = fmt::format("{} {} ({})", p.name, clock_text(*p.span), percent_text(*p.span / total, 1));
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{}</title></rect>", x,
        top, width, bar, p.colour, text);
    // The longest label that fits inside its span: name and span, the span alone, or none.
    for (const std::string& label : {fmt::format("{} {}", p.name, clock_text(*p.span)), clock_text(*p.span)})
      if (kLabelCharWidth * double(label.size()) + 8 <= width) {
        out += fmt::format("<text class=\"span-label\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                           x + width / 2, top + bar / 2 + 4, label);
        break;
      }
    legend += fmt::format("<span style=\"background:{}\"></span>{} ", p.colour, text);
    x += width;
  }
  return out + "</svg>" + legend + "</p>\n";
}

void incident_section(std::string& out, const Report& r, const Marks& marks) {
  const IncidentTimeline& i = r.incident;
  out += r.incidents.size() > 1
             ? fmt::format("<h2>Incident timeline <span class=\"note\">the first of {} incidents; every one is in "
                           "the Incidents table</span></h2>\n", r.incidents.size())
             : std::string("<h2>Incident timeline</h2>\n");
  out += "<table><tr><th>stage</th><th class=\"num\">at</th><th class=\"num\">since "
         "impact</th><th>by / note</th></tr>\n";
  auto row = [&](const char* name, const std::optional<double>& at, const std::optional<double>& since,
                 const std::string& by) {
    out += fmt::format(
        "<tr><td><span class=\"swatch\" style=\"background:{}\"></span>{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td>{}</td></tr>\n",
        at ? stage_colour(marks.stages, name) : "transparent", name, offset_text(at), since ? span_text(since) : "",
        escape(by));
  };
  row("impact start", i.impact_start, std::nullopt, "");
  row("detected", i.detected, i.ttd(), i.detected_by);
  row("acknowledged", i.acknowledged, i.tta(), i.acknowledged_via.empty() ? "" : "via " + i.acknowledged_via);
  row("diagnosed", i.diagnosed, IncidentTimeline::since(i.diagnosed, i.impact_start), i.diagnosed_note);
  row("mitigated", i.mitigated, i.ttm(), i.mitigated_by);
  row("recovered", i.recovered, i.ttr(), i.recovered_note);
  out += "</table>\n";
  out += ttr_breakdown_bar(i, marks);
}

// The stage the TTR went to most: "mitigation 12:00"; "-" before any stage after impact start.
std::string longest_stage(const IncidentTimeline& i) {
  const TtrStages st = i.stages();
  const std::pair<const char*, std::optional<double>> spans[] = {{"detection", st.detection},
                                                                 {"acknowledgement", st.acknowledgement},
                                                                 {"diagnosis", st.diagnosis},
                                                                 {"mitigation", st.mitigation},
                                                                 {"recovery", st.recovery}};
  const auto* longest = std::max_element(std::begin(spans), std::end(spans), [](const auto& a, const auto& b) {
    return a.second.value_or(-1) < b.second.value_or(-1);
  });
  return longest->second ? fmt::format("{} {}", longest->first, clock_text(*longest->second)) : "-";
}

// Every incident of a run that had several (the timeline above is the first one's).
void incidents_section(std::string& out, const Report& r) {
  if (r.incidents.size() < 2) return;
  out += "<h2>Incidents</h2>\n<table><tr><th class=\"num\">#</th><th class=\"num\">impact start</th>"
         "<th class=\"num\">detected</th><th class=\"num\">mitigated</th><th class=\"num\">recovered</th>"
         "<th class=\"num\">ttr</th><th>longest stage</th></tr>\n";
  const IncidentTally t = tally(r.incidents);
  for (std::size_t k = 0; k < r.incidents.size(); ++k) {
    const IncidentTimeline& i = r.incidents[k];
    out += fmt::format("<tr{}><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td>{}</td></tr>\n",
                       t.worst_ttr && k == t.worst ? " class=\"longest\" title=\"the longest\"" : "", k + 1,
                       offset_text(i.impact_start), offset_text(i.detected), offset_text(i.mitigated),
                       offset_text(i.recovered), span_text(i.ttr()), longest_stage(i));
  }
  out += "</table>\n";
}

// What users were told, as they would have read it on the status page (or the fallback channel).
void status_page_section(std::string& out, const Report& r) {
  out += "<h2>Status page</h2>\n";
  if (r.status_updates.empty()) {
    out += "<p class=\"muted\">No status updates were posted.</p>\n";
    return;
  }
  out += "<table><tr><th class=\"num\">time</th><th>state</th><th>message</th><th class=\"num\">ETA</th>"
         "<th>channel</th></tr>\n";
  for (const StatusUpdate& u : r.status_updates)
    out += fmt::format(
        "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
        hms_text(u.time), escape(u.state), escape(u.message), u.eta ? hms_text(*u.eta) : "", escape(u.channel));
  out += "</table>\n";
}

void series_table(std::string& out, const std::vector<Series>& all, const char* kind, bool with_slo) {
  out += fmt::format("<table><tr><th>{}</th><th class=\"num\">requests</th><th class=\"num\">availability</th>", kind);
  if (with_slo) out += "<th class=\"num\">SLO</th><th>status</th>";
  out += "<th class=\"num\">degraded</th><th class=\"num\">failed</th>"
         "<th class=\"num\" title=\"of successful requests (degraded included)\">p99</th>"
         "<th class=\"num\" title=\"of every request, a failed one at the moment the user saw it fail\">p99 all</th></tr>\n";
  for (const Series& s : all) {
    const Counts& c = s.total;
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>", escape(s.name),
                       grouped(c.requests), availability_or_dash(c));
    if (with_slo) {
      const bool met = c.availability() >= s.slo;
      out += fmt::format("<td class=\"num\">{}</td><td class=\"{}\">{}</td>", slo_text(s.slo),
                         !c.requests ? "muted" : met ? "met" : "missed",
                         !c.requests ? "no traffic" : met ? "met" : "missed");
    }
    out += fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       grouped(c.degraded), grouped(c.failed), c.ok ? latency_text(s.latency.p99) : "-",
                       c.requests ? latency_text(s.latency_all.p99) : "-");
  }
  out += "</table>\n";
}

void features_section(std::string& out, const Report& r, const Marks& marks) {
  out += "<h2>Features</h2>\n";
  if (r.features.empty()) {
    out += "<p class=\"muted\">No features in this report.</p>\n";
    return;
  }
  series_table(out, r.features, "feature", true);
  for (const Series& f : r.features) {
    out += fmt::format("<h3>{} <span class=\"note\">availability {} &middot; SLO {}</span></h3>\n", escape(f.name),
                       availability_or_dash(f.total), slo_text(f.slo));
    out += feature_chart(r, f, marks) + "\n";
    out += latency_chart(r, f.name, f.latency_by_bucket, marks) + "\n";
  }
  if (!r.segments.empty()) {
    out += "<h3>Segments</h3>\n";
    series_table(out, r.segments, "segment", false);
  }
  if (!r.regions.empty()) {
    out += "<h3>Regions</h3>\n";
    series_table(out, r.regions, "region", false);
  }
}

void services_section(std::string& out, const Report& r, const Marks& marks) {
  out += "<h2>Services</h2>\n";
  if (r.services.empty()) {
    out += "<p class=\"muted\">No services in this report.</p>\n";
    return;
  }
  out += service_heat_strip(r, marks) + "\n";
  out += "<table><tr><th>service</th><th class=\"num\">calls</th><th class=\"num\">availability</th>"
         "<th class=\"num\">failed</th><th>errors by cause</th><th class=\"num\">p50</th><th class=\"num\">p95</th>"
         "<th class=\"num\">p99</th><th class=\"num\">unhealthy</th><th class=\"num\">spells</th>"
         "<th class=\"num\" title=\"the longest spell's time to recovery\">longest ttr</th></tr>\n";
  for (const ServiceReport& s : r.services) {
    std::string errors;
    for (int c = 0; c < kCauseCount; ++c)
      if (s.errors[c])
        errors += fmt::format("{}{} {}", errors.empty() ? "" : ", ", to_string(Cause(c)), grouped(s.errors[c]));
    out += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        escape(s.name), grouped(s.total.requests), availability_or_dash(s.total), grouped(s.total.failed), errors,
        latency_text(s.latency.p50), latency_text(s.latency.p95), latency_text(s.latency.p99),
        s.time_unhealthy > 0 ? clock_text(s.time_unhealthy) : "",
        s.unhealthy_spells.empty() ? std::string() : std::to_string(s.unhealthy_spells.size()),
        s.ttr                        ? clock_text(*s.ttr)
        : s.unhealthy_spells.empty() ? std::string()
                                     : std::string("not recovered"));
  }
  out += "</table>\n";
  service_work_table(out, r);
  // A table of its own, for the services concerned only: the one above is already page-wide.
  std::string down;
  for (const ServiceReport& s : r.services)
    if (s.downtime > 0 || s.restarts > 0)
      down += fmt::format(
          "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td></tr>\n",
          escape(s.name), s.downtime > 0 ? clock_text(s.downtime) : "", grouped(s.outages),
          s.restarts ? grouped(s.restarts) : "", grouped(s.crashes));
  if (down.empty()) return;
  out += "<h3>Down or restarted <span class=\"note\">no replica serving, processes started again</span></h3>\n"
         "<table><tr><th>service</th><th class=\"num\">downtime</th><th class=\"num\">outages</th>"
         "<th class=\"num\">restarts</th><th class=\"num\">crashes</th></tr>\n" +
         down + "</table>\n";
}

// The shared resources something loaded (scenarios that model none have no such section).
void resources_section(std::string& out, const Report& r, const Marks& marks) {
  if (r.resources.empty()) return;
  out += "<h2>Shared resources</h2>\n" + resource_heat_strip(r, marks) + "\n";
  out += "<table><tr><th>resource</th><th>kind</th><th class=\"num\">capacity</th><th class=\"num\">utilisation</th>"
         "<th class=\"num\">peak</th><th class=\"num\">saturated</th><th class=\"num\">limit hits</th></tr>\n";
  for (const ResourceReport& res : r.resources)
    out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{:g}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       escape(res.name), escape(res.kind), res.capacity, percent_text(res.utilisation),
                       percent_text(res.peak_utilisation), clock_text(res.saturated_time), grouped(res.limit_hits));
  out += "</table>\n";
}

void propagation_section(std::string& out, const Report& r) {
  out += "<h2>Propagation</h2>\n";
  if (r.propagation.empty()) {
    out += "<p class=\"muted\">No service became unhealthy.</p>\n";
    return;
  }
  out += "<p class=\"muted\">Services in the order they became unhealthy, with what carried the failure to "
         "them.</p>\n<ol class=\"chain\">\n";
  for (const PropagationStep& p : r.propagation) {
    out += fmt::format("<li><span class=\"t\">{}</span><b>{}</b> &larr; <code>{}</code>", offset_text(p.time),
                       escape(p.service), escape(p.via));
    if (!p.cause.empty()) out += fmt::format(" <span class=\"muted\">({})</span>", escape(p.cause));
    out += "</li>\n";
  }
  out += "</ol>\n";
}

// The scenario's [[expect]] checks with the SLOs, met or missed (only when it states expectations).
void expectations_section(std::string& out, const Report& r) {
  const auto& checks = r.expectations;
  if (!states_expectations(checks)) return;
  const std::size_t n = missed(checks);
  out += fmt::format("<h2>Checks <span class=\"note\">{}</span></h2>\n",
                     n ? fmt::format("{} of {} missed: <code>faultline run --check</code> exits 3", n, checks.size())
                       : fmt::format("all {} met", checks.size()));
  out += "<table><tr><th>metric</th><th>kind</th><th class=\"num\">value</th><th class=\"num\">at least</th>"
         "<th class=\"num\">at most</th><th>verdict</th></tr>\n";
  for (const ExpectationResult& e : checks)
    out += fmt::format(
        "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"{}\">{}</td></tr>\n",
        escape(e.metric), e.kind == "slo" ? "SLO" : "expect", metric_text(e.metric, e.value),
        e.at_least ? metric_text(e.metric, *e.at_least) : "", e.at_most ? metric_text(e.metric, *e.at_most) : "",
        e.met ? "met" : "missed", e.met ? "met" : "missed");
  out += "</table>\n";
}

void edges_section(std::string& out, const Report& r) {
  if (r.edges.empty()) return;
  const bool control = std::any_of(r.edges.begin(), r.edges.end(), [](const EdgeReport& e) { return bool(e.failed_refreshes); });
  out += "<h2>Calls between services</h2>\n<table><tr><th>from</th><th>to</th><th class=\"num\">requests</th>"
         "<th class=\"num\">attempts</th><th class=\"num\">amplification</th><th class=\"num\">failures</th>";
  out += control ? "<th class=\"num\">failed refreshes</th></tr>\n" : "</tr>\n";
  for (const EdgeReport& e : r.edges) {
    out += fmt::format(
        "<tr><td>{}</td><td>{}{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td>",
        escape(e.from), escape(e.to), e.failed_refreshes ? " <span class=\"muted\">(control)</span>" : "",
        grouped(e.requests), grouped(e.attempts),
        e.requests ? fmt::format("{:.2f}&times;", e.amplification()) : "-", grouped(e.failures));
    if (control) out += fmt::format("<td class=\"num\">{}</td>", e.failed_refreshes ? grouped(*e.failed_refreshes) : "-");
    out += "</tr>\n";
  }
  out += "</table>\n";
  if (control)
    out += "<p class=\"muted\">On a control edge the requests are lookups answered from the caller's cache of what "
           "the control plane said, the failures are lookups that found no usable entry, and the attempts are the "
           "refreshes sent to the control plane.</p>\n";
}

void events_section(std::string& out, const Report& r) {
  out += "<h2>Events</h2>\n";
  if (r.events.empty()) {
    out += "<p class=\"muted\">No events.</p>\n";
    return;
  }
  out += "<table><tr><th class=\"num\">time</th><th>kind</th><th>name</th><th>detail</th></tr>\n";
  for (const Event& e : r.events)
    out += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", offset_text(e.time),
                       escape(e.kind), escape(e.name), escape(e.detail));
  out += "</table>\n";
}

void provenance_section(std::string& out, const Report& r) {
  const Provenance& p = r.provenance;
  out += "<h2>Provenance</h2>\n<table>\n";
  auto row = [&](const std::string& key, const std::string& value) {
    out += fmt::format("<tr><th>{}</th><td><code>{}</code></td></tr>\n", escape(key), escape(value));
  };
  row("faultline version", p.faultline_version);
  row("scenario", p.scenario_name);
  row("origin", p.scenario_origin);
  row("scenario hash", p.scenario_hash);
  row("seed", std::to_string(p.seed));
  for (const auto& [key, value] : p.overrides) row("--set " + key, value);
  for (const auto& [key, value] : p.parameters) row(key, value);
  row("simulated", fmt::format("{} service calls, {} events", grouped(r.summary.service_calls),
                               grouped(r.summary.events)));
  out += "</table>\n";
}

}  // namespace

std::string report_html(const Report& r) {
  const Marks marks = chart_marks(r);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>faultline: {} (seed {})</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
                     escape(r.provenance.scenario_name), r.provenance.seed, kStyle);
  page_header(out, r);
  incident_section(out, r, marks);
  incidents_section(out, r);
  status_page_section(out, r);
  features_section(out, r, marks);
  expectations_section(out, r);
  rollouts_section(out, r, marks);
  restores_section(out, r, marks);
  scoped_faults_section(out, r, marks);
  replication_section(out, r, marks);
  poisoned_caches_section(out, r, marks);
  backlogs_section(out, r, marks);
  users_section(out, r, marks);
  user_reports_section(out, r, marks);
  services_section(out, r, marks);
  resources_section(out, r, marks);
  propagation_section(out, r);
  edges_section(out, r);
  events_section(out, r);
  provenance_section(out, r);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace faultline
