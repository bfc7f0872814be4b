// report.html, the parts only some scenarios have: gradual actions (rollouts), faults scoped to users, restores of lost
// data, the users' recovery where they have sessions, and detection by the users' own reports.
#include "report/html_chart.hpp"

#include "report/number_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace faultline::html {

namespace {

constexpr double kShareChartHeight = 150;

Frame share_frame(const Report& r, double height) {
  return {62, 8 + kLabelRowHeight * kLabelRows, kChartWidth - 78, height - 28, run_length(r)};
}

double share_y(const Frame& f, double share) { return f.bottom - (f.bottom - f.top) * std::clamp(share, 0.0, 1.0); }

// A chart of shares over time (0% to 100%): the first line solid, a second one (if any) dashed.
std::string share_chart(const Report& r, const Marks& marks, const std::string& aria,
                        const std::vector<double>& share, const std::vector<double>& second = {}) {
  const Frame f = share_frame(r, kShareChartHeight);
  std::string svg = fmt::format("<svg class=\"chart\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"{}\">",
                                kChartWidth, kShareChartHeight, escape(aria));
  for (double s : {0.0, 0.5, 1.0}) grid_line(svg, f, share_y(f, s), fmt::format("{:.0f}%", s * 100));
  time_axis(svg, f);
  auto mapped = [&f](const std::vector<double>& v) {
    std::vector<double> ys;
    for (double x : v) ys.push_back(std::isnan(x) ? x : share_y(f, x));
    return ys;
  };
  for (const auto& [values, cls] : {std::pair{&share, "availability"}, std::pair{&second, "subset"}}) {
    const std::string points = bucket_steps(r, f, mapped(*values));
    if (!points.empty()) svg += fmt::format("<polyline class=\"{}\" points=\"{}\"/>", cls, points);
  }
  stage_markers(svg, f, marks, true);
  return svg + "</svg>";
}

std::string optional_hms(const std::optional<double>& t) { return t ? hms_text(*t) : "-"; }

}  // namespace

void rollouts_section(std::string& out, const Report& r, const Marks& marks) {
  if (r.rollouts.empty()) return;
  out += "<h2>Rollouts</h2>\n<table><tr><th>action</th><th>kind</th><th class=\"num\">steps</th>"
         "<th class=\"num\">started</th><th class=\"num\">finished</th><th class=\"num\">paused</th><th>outcome</th></tr>\n";
  for (const RolloutReport& ro : r.rollouts)
    out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td>{}</td></tr>\n",
                       escape(ro.action), escape(ro.kind), ro.steps, optional_hms(ro.started), optional_hms(ro.finished),
                       clock_text(ro.paused_time),
                       ro.reverted ? "reverted by its gate" : ro.finished ? "done" : ro.started ? "under way at the end" : "not started");
  out += "</table>\n";
  for (const RolloutReport& ro : r.rollouts)
    out += fmt::format("<h3>{} <span class=\"note\">share of {} done</span></h3>\n", escape(ro.action), escape(ro.unit)) +
           share_chart(r, marks, "share of " + ro.unit + " done by " + ro.action + " over time", ro.share_by_bucket) + "\n";
}

// Restores: how long the tenants hit waited for their data, and how many were back over time next to
// what their users saw.
void restores_section(std::string& out, const Report& r, const Marks& marks) {
  if (r.restores.empty()) return;
  out += "<h2>Restores</h2>\n<table><tr><th>action</th><th>lost on</th><th class=\"num\">tenants</th>"
         "<th class=\"num\">size</th><th class=\"num\">started</th><th class=\"num\">finished</th>"
         "<th class=\"num\">tenant waited (median)</th><th class=\"num\">(longest)</th>"
         "<th class=\"num\">their availability</th></tr>\n";
  for (const RestoreReport& re : r.restores) {
    std::vector<double> waited;  // from the loss to each tenant's return; a tenant not back waited to the end
    for (double t : re.restored_at)
      if (re.lost_at) waited.push_back((std::isnan(t) ? run_length(r) : t) - *re.lost_at);
    std::sort(waited.begin(), waited.end());
    const bool all_back = std::none_of(re.restored_at.begin(), re.restored_at.end(), [](double t) { return std::isnan(t); });
    const std::string longest = waited.empty() ? "-" : all_back ? clock_text(waited.back()) : "not back by the end";
    out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.6g}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       escape(re.action), escape(re.service), re.tenants, re.size, optional_hms(re.started),
                       optional_hms(re.finished), waited.empty() ? "-" : clock_text(waited[waited.size() / 2]), longest,
                       re.requests.requests ? percent_text(re.requests.availability()) : "-");
  }
  out += "</table>\n";
  for (const RestoreReport& re : r.restores) {
    std::vector<double> availability;
    for (const Counts& c : re.buckets)
      availability.push_back(c.requests ? c.availability() : std::numeric_limits<double>::quiet_NaN());
    out += fmt::format("<h3>{} <span class=\"note\">share of the {} tenants hit that are back (solid) and their users' "
                       "availability (dashed)</span></h3>\n",
                       escape(re.action), re.tenants) +
           share_chart(r, marks, "share of tenants restored by " + re.action + " over time", re.share_by_bucket,
                       availability) +
           "\n";
  }
}

// Faults scoped to users: what the users in scope saw beside the others, and when they recovered.
void scoped_faults_section(std::string& out, const Report& r, const Marks& marks) {
  if (r.scoped_faults.empty()) return;
  out += "<h2>Scoped faults</h2>\n<table><tr><th>fault</th><th class=\"num\">users in scope</th>"
         "<th class=\"num\">began</th><th class=\"num\">ended</th><th class=\"num\">its users recovered</th>"
         "<th class=\"num\">their availability</th><th class=\"num\">the others'</th></tr>\n";
  for (const ScopedFaultReport& sf : r.scoped_faults)
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       escape(sf.fault), percent_text(sf.users_in_scope, 1), optional_hms(sf.began), optional_hms(sf.ended),
                       optional_hms(sf.recovered), sf.inside.requests ? percent_text(sf.inside.availability()) : "-",
                       sf.outside.requests ? percent_text(sf.outside.availability()) : "-");
  out += "</table>\n";
  const auto availability = [](const std::vector<Counts>& buckets) {
    std::vector<double> out;
    for (const Counts& c : buckets) out.push_back(c.requests ? c.availability() : std::numeric_limits<double>::quiet_NaN());
    return out;
  };
  for (const ScopedFaultReport& sf : r.scoped_faults) {
    if (!sf.began) continue;
    out += fmt::format("<h3>{} <span class=\"note\">availability of its users (solid) and of the others (dashed)</span></h3>\n",
                       escape(sf.fault)) +
           share_chart(r, marks, "availability of the users " + sf.fault + " hits and of the others over time",
                       availability(sf.inside_buckets), availability(sf.outside_buckets)) +
           "\n";
  }
}

// Replicated state: what each promotion lost, where those writes stand, and the time read-only; a
// chart of the share of the lost writes still awaiting reconciliation and of each bucket read-only.
void replication_section(std::string& out, const Report& r, const Marks& marks) {
  if (r.replication.empty()) return;
  out += "<h2>Replicated state</h2>\n<table><tr><th>service</th><th>mode</th><th class=\"num\">writes</th>"
         "<th class=\"num\">failed over</th><th class=\"num\">lost</th><th class=\"num\">reconciled</th>"
         "<th class=\"num\">by</th><th class=\"num\">awaiting at the end</th><th class=\"num\">read-only</th>"
         "<th class=\"num\">writes refused</th><th class=\"num\">fail-back waited</th></tr>\n";
  for (const ReplicationReport& rp : r.replication)
    out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       escape(rp.service), escape(rp.mode), grouped(rp.writes), optional_hms(rp.failed_over_at),
                       grouped(rp.writes_lost), grouped(rp.writes_reconciled), optional_hms(rp.reconciled_at),
                       grouped(rp.writes_awaiting), clock_text(rp.read_only), grouped(rp.writes_refused),
                       rp.failback_waited > 0 ? clock_text(rp.failback_waited) : "-");
  out += "</table>\n";
  for (const ReplicationReport& rp : r.replication) {
    if (rp.writes_lost == 0 && rp.read_only <= 0) continue;
    std::vector<double> awaiting, read_only;
    for (std::size_t b = 0; b < rp.buckets.size(); ++b) {
      awaiting.push_back(rp.writes_lost ? double(rp.buckets[b].awaiting) / double(rp.writes_lost) : 0);
      const auto [from, to] = std::pair{double(b) * r.bucket, std::min(double(b + 1) * r.bucket, run_length(r))};
      read_only.push_back(to > from ? rp.buckets[b].read_only / (to - from) : 0);
    }
    out += fmt::format("<h3>{} <span class=\"note\">share of the {} lost writes awaiting reconciliation (solid) and of "
                       "each bucket read-only (dashed)</span></h3>\n",
                       escape(rp.service), grouped(rp.writes_lost)) +
           share_chart(r, marks, "divergent writes of " + rp.service + " awaiting reconciliation over time", awaiting,
                       read_only) +
           "\n";
  }
}

// Caches that kept bad answers (fault[].poisons_cache): per dependency, how many of its calls were
// answered from bad entries, and a chart of that share per bucket (it outlasts the fault).
void poisoned_caches_section(std::string& out, const Report& r, const Marks& marks) {
  std::vector<const EdgeReport*> poisoned;
  for (const EdgeReport& e : r.edges)
    if (e.poisoned_hits && *e.poisoned_hits > 0) poisoned.push_back(&e);
  if (poisoned.empty()) return;
  out += "<h2>Poisoned caches</h2>\n<table><tr><th>dependency</th><th class=\"num\">calls</th>"
         "<th class=\"num\">answered from bad entries</th><th class=\"num\">share</th></tr>\n";
  for (const EdgeReport* e : poisoned)
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       escape(e->from + "->" + e->to), grouped(e->requests), grouped(*e->poisoned_hits),
                       percent_text(e->requests ? double(*e->poisoned_hits) / double(e->requests) : 0));
  out += "</table>\n";
  for (const EdgeReport* e : poisoned) {
    std::vector<double> share;
    for (std::size_t b = 0; b < e->poisoned_by_bucket.size(); ++b) {
      const double calls = b < e->requests_by_bucket.size() ? double(e->requests_by_bucket[b]) : 0;
      share.push_back(calls > 0 ? double(e->poisoned_by_bucket[b]) / calls : std::numeric_limits<double>::quiet_NaN());
    }
    const std::string name = e->from + "->" + e->to;
    out += fmt::format("<h3>{} <span class=\"note\">share of its calls answered from bad cache entries</span></h3>\n",
                       escape(name)) +
           share_chart(r, marks, "share of the calls of " + name + " answered from bad cache entries over time", share) +
           "\n";
  }
}

// Backlogs: what each durable queue kept and replayed, and its length over time (as a share of the
// most it held).
void backlogs_section(std::string& out, const Report& r, const Marks& marks) {
  if (r.backlogs.empty()) return;
  out += "<h2>Backlogs</h2>\n<table><tr><th>dependency</th><th class=\"num\">kept</th><th class=\"num\">most waiting</th>"
         "<th class=\"num\">replayed</th><th class=\"num\">replay rate</th><th class=\"num\">drained</th>"
         "<th class=\"num\">failed replays</th><th class=\"num\">failed, queue full</th></tr>\n";
  for (const BacklogReport& b : r.backlogs)
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{:.4g}/s</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td></tr>\n",
                       escape(b.dependency), grouped(b.kept), grouped(b.max_length), grouped(b.replayed), b.replay_rate,
                       b.kept == 0 ? "-" : b.drained_at ? hms_text(*b.drained_at) : "not by the end", b.failed_replays,
                       grouped(b.dropped));
  out += "</table>\n";
  for (const BacklogReport& b : r.backlogs) {
    if (b.max_length == 0) continue;
    std::vector<double> share;
    for (std::uint64_t n : b.length_by_bucket) share.push_back(double(n) / double(b.max_length));
    out += fmt::format("<h3>{} <span class=\"note\">calls waiting, as a share of the most ({})</span></h3>\n",
                       escape(b.dependency), grouped(b.max_length)) +
           share_chart(r, marks, "calls waiting in the backlog of " + b.dependency + " over time", share) + "\n";
  }
}

// Users with sessions: the share of those affected so far that are recovered (served again, and
// logged in again if they were logged out), and the share still logged out.
void users_section(std::string& out, const Report& r, const Marks& marks) {
  if (!r.users || r.users->affected_by_bucket.empty()) return;
  const UsersReport& u = *r.users;
  std::vector<double> recovered, logged_out;
  for (std::size_t b = 0; b < u.affected_by_bucket.size(); ++b) {
    const double a = u.affected_by_bucket[b];
    recovered.push_back(a > 0 ? 1 - u.impaired_by_bucket[b] / a : std::numeric_limits<double>::quiet_NaN());
    logged_out.push_back(a > 0 ? u.logged_out_by_bucket[b] / a : std::numeric_limits<double>::quiet_NaN());
  }
  const double affected = u.affected_by_bucket.back();
  out += "<h2>Users</h2>\n";
  if (affected <= 0) {
    out += "<p>No user had a failed request.</p>\n";
    return;
  }
  out += fmt::format("<p>{} users affected, {} sessions lost; by the end {} of those affected are recovered and {} "
                     "must still log in again.</p>\n",
                     abbreviated(affected), abbreviated(r.summary.sessions_lost), percent_text(recovered.back(), 1),
                     abbreviated(u.logged_out_by_bucket.back()));
  out += "<h3>Recovery of the users <span class=\"note\">share of those affected so far that are recovered (solid) "
         "and that are logged out (dashed)</span></h3>\n" +
         share_chart(r, marks, "share of affected users recovered over time", recovered, logged_out) + "\n";
}

// Users' reports within the window at each bucket's end, against the threshold that raises an
// incident: the curve crosses the line where the users noticed.
void user_reports_section(std::string& out, const Report& r, const Marks& marks) {
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
  const Frame f = share_frame(r, height);
  auto y = [&](double v) { return f.bottom - (f.bottom - f.top) * std::clamp(v / (top * 1.1), 0.0, 1.0); };
  std::string svg = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"user reports within {} over time\">",
      kChartWidth, height, escape(clock_text(u.window)));
  for (double v : {0.0, std::round(top)}) grid_line(svg, f, y(v), fmt::format("{:.0f}", v));
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
  stage_markers(svg, f, marks, true);
  out += svg + "</svg>\n";
}

}  // namespace faultline::html
