#include "report/summary_text.hpp"

#include "report/number_text.hpp"
#include "metrics/expectations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>

namespace faultline {

namespace {

constexpr std::size_t kColumns = 100;
constexpr std::size_t kMaxNameWidth = 28;
constexpr std::size_t kWorstServicesShown = 5;
constexpr std::size_t kPropagationStepsShown = 20;
constexpr std::size_t kStatusUpdatesShown = 20;

// Long names would push the tables past 100 columns: cut them, marking the cut.
std::string fit(std::string_view name, std::size_t width = kMaxNameWidth) {
  if (name.size() <= width) return std::string(name);
  return std::string(name.substr(0, width - 1)) + "~";
}

double fraction(std::uint64_t part, std::uint64_t whole) { return whole ? double(part) / double(whole) : 0.0; }

template <class Item, class Name>
std::size_t name_width(const std::vector<Item>& items, Name name, std::size_t at_least) {
  std::size_t w = at_least;
  for (const Item& item : items) w = std::max(w, fit(name(item)).size());
  return w;
}

std::string wrapped(const std::string& text, const std::string& indent);

void header(std::string& out, const Report& r) {
  const Provenance& p = r.provenance;
  out += fmt::format("faultline {}   scenario {}   seed {}\n", p.faultline_version, p.scenario_name, p.seed);
  if (!p.scenario_origin.empty()) out += fmt::format("origin     {}\n", p.scenario_origin);
  if (!p.scenario_description.empty()) {
    constexpr std::string_view kAbout = "about      ";
    out += std::string(kAbout) + wrapped(p.scenario_description, std::string(kAbout.size(), ' ')).substr(kAbout.size());
  }
  if (!p.overrides.empty()) {
    std::string list;
    for (const auto& [key, value] : p.overrides) list += (list.empty() ? "" : ", ") + key + "=" + value;
    out += fmt::format("overrides  {}\n", list);
  }
  out += fmt::format("duration   {} (buckets of {})\n", clock_text(r.duration), duration_text(r.bucket));
  const Counts& c = r.summary.requests;
  out += fmt::format("\nuser requests {}   availability {}   degraded {}   failed {}\n", grouped(c.requests),
                     percent_text(c.availability()), percent_text(fraction(c.degraded, c.requests)),
                     grouped(c.failed));
}

// Features carry an SLO and a verdict; segments and regions only what their users saw.
void series_table(std::string& out, const char* title, const std::vector<Series>& all, bool with_slo) {
  if (all.empty()) return;
  std::size_t w = name_width(all, [](const Series& s) { return s.name; }, 10);
  out += fmt::format("\n{:<{}}  {:>13}  {:>12}", title, w + 2, "requests", "availability");
  if (with_slo) out += fmt::format("  {:>8}  {:<10}", "SLO", "status");
  out += fmt::format("  {:>9}\n", "degraded");
  for (const Series& s : all) {
    const Counts& c = s.total;
    std::string availability = c.requests ? percent_text(c.availability()) : "-";
    out += fmt::format("  {:<{}}  {:>13}  {:>12}", fit(s.name), w, grouped(c.requests), availability);
    if (with_slo) {
      std::string status = !c.requests ? "no traffic" : c.availability() >= s.slo ? "met" : "MISSED";
      out += fmt::format("  {:>8}  {:<10}", slo_text(s.slo), status);
    }
    std::string degraded = c.requests ? percent_text(fraction(c.degraded, c.requests)) : "-";
    out += fmt::format("  {:>9}\n", degraded);
  }
}

void user_impact(std::string& out, const Report& r) {
  const Summary& s = r.summary;
  out += "\nusers\n";
  out += fmt::format("  affected           {}\n", abbreviated(s.users_affected));
  out += fmt::format("  user-minutes lost  {}\n", abbreviated(s.user_minutes_lost));
  out += fmt::format("  sessions lost      {}\n", abbreviated(s.sessions_lost));
  // With sessions: how many of those affected are back by the end, and how many must still log in.
  if (r.users && !r.users->affected_by_bucket.empty() && r.users->affected_by_bucket.back() > 0) {
    const double affected = r.users->affected_by_bucket.back();
    out += fmt::format("  recovered by end   {} of those affected; {} still logged out\n",
                       percent_text(1 - r.users->impaired_by_bucket.back() / affected, 1),
                       abbreviated(r.users->logged_out_by_bucket.back()));
  }
}

// Replicated state: per service, the writes a promotion lost, where they stand, and time read-only.
void replication_lines(std::string& out, const Report& r) {
  if (r.replication.empty()) return;
  out += "\nreplicated state\n";
  for (const ReplicationReport& rp : r.replication) {
    std::string line = fmt::format("  {} ({}): {} writes, ", fit(rp.service, 24), rp.mode, grouped(rp.writes));
    line += rp.failed_over_at ? fmt::format("{} lost at the failover ({})", grouped(rp.writes_lost), offset_text(rp.failed_over_at))
                              : std::string("no failover");
    if (rp.writes_reconciled) line += fmt::format(", {} reconciled", grouped(rp.writes_reconciled));
    if (rp.reconciled_at) line += " by " + offset_text(rp.reconciled_at);
    if (rp.writes_awaiting) line += fmt::format(", {} awaiting reconciliation at the end", grouped(rp.writes_awaiting));
    if (rp.writes_discarded) line += fmt::format(", {} discarded", grouped(rp.writes_discarded));
    out += line + "\n";
    line = fmt::format("    read-only {}", span_text(rp.read_only));
    if (rp.writes_refused) line += fmt::format(" ({} writes refused)", grouped(rp.writes_refused));
    if (rp.failback_waited > 0) line += fmt::format("; fail-back waited {} for the reconciliation", span_text(rp.failback_waited));
    out += line + "\n";
  }
}

// The scenario's [[expect]] checks, and the SLOs with them (the features table shows SLOs alone):
// last, where a CI log shows them.
void expectation_lines(std::string& out, const std::vector<ExpectationResult>& checks) {
  if (!states_expectations(checks)) return;
  const std::size_t n = missed(checks);
  out += n ? fmt::format("\nchecks: {} of {} MISSED\n", n, checks.size())
           : fmt::format("\nchecks: all {} met\n", checks.size());
  for (const ExpectationResult& e : checks) out += "  " + expectation_text(e) + "\n";
}

// Caches that kept bad answers: per dependency, the calls answered from bad entries and until when.
void poisoned_cache_lines(std::string& out, const Report& r) {
  bool any = false;
  for (const EdgeReport& e : r.edges) {
    if (!e.poisoned_hits || *e.poisoned_hits == 0) continue;
    if (!any) out += "\npoisoned caches (calls answered from bad entries)\n";
    any = true;
    std::size_t last = 0;
    for (std::size_t b = 0; b < e.poisoned_by_bucket.size(); ++b)
      if (e.poisoned_by_bucket[b] > 0) last = b;
    out += fmt::format("  {}->{}: {} ({} of its calls), the last in the bucket ending {}\n", e.from, e.to,
                       grouped(*e.poisoned_hits), percent_text(fraction(*e.poisoned_hits, e.requests), 1),
                       offset_text(std::min(double(last + 1) * r.bucket, r.duration)));
  }
}

// Backlogs: what each kept, how it drained, and what it could not keep.
void backlog_lines(std::string& out, const Report& r) {
  if (r.backlogs.empty()) return;
  out += "\nbacklogs (failed calls kept and replayed)\n";
  for (const BacklogReport& b : r.backlogs) {
    std::string line = fmt::format("  {}: {} kept (at most {} waiting), {} replayed", b.dependency, grouped(b.kept),
                                   grouped(b.max_length), grouped(b.replayed));
    if (b.kept > 0) line += b.drained_at ? ", drained by " + offset_text(b.drained_at) : ", not drained by the end";
    out += line + "\n";
    line.clear();
    if (b.failed_replays) line += fmt::format("; {} failed replay(s)", grouped(b.failed_replays));
    if (b.dropped) line += fmt::format("; {} failed with the queue full", grouped(b.dropped));
    if (!line.empty()) out += "    " + line.substr(2) + "\n";
  }
}

// Faults scoped to users: what their users saw beside the others, and when they recovered.
void scoped_fault_lines(std::string& out, const Report& r) {
  if (r.scoped_faults.empty()) return;
  out += "\nscoped faults (the users each one hits, and the others, from its start)\n";
  for (const ScopedFaultReport& sf : r.scoped_faults) {
    if (!sf.began) {
      out += fmt::format("  {}: {} of the users in scope; it did not start\n", sf.fault, percent_text(sf.users_in_scope, 1));
      continue;
    }
    out += fmt::format("  {}: {} of the users in scope; their availability {}, the others' {}\n", sf.fault,
                       percent_text(sf.users_in_scope, 1), percent_text(sf.inside.availability(), 3),
                       percent_text(sf.outside.availability(), 3));
    out += fmt::format("    began {}, {}; its users {}\n", offset_text(sf.began),
                       sf.ended ? "ended " + offset_text(sf.ended) : std::string("not over by the end"),
                       sf.recovered ? "recovered " + offset_text(sf.recovered) + " (" + span_text(*sf.recovered - *sf.began) + " after it began)"
                                    : std::string("had not recovered by the end"));
  }
}

void incident_timeline(std::string& out, const IncidentTimeline& i, std::size_t incidents) {
  out += incidents > 1 ? "\nthe first incident in detail (from the start of the run)\n"
                       : "\nincident (from the start of the run)\n";
  std::size_t at_width = 10;  // "+1:02:05" fits; a long run's "+37d 23:00:00" widens the column
  for (const auto* t : {&i.impact_start, &i.detected, &i.acknowledged, &i.diagnosed, &i.mitigated, &i.recovered})
    at_width = std::max(at_width, offset_text(*t).size());
  auto stage = [&](const char* name, const std::optional<double>& at, const char* span_name,
                   const std::optional<double>& span, const std::string& note) {
    std::string line = fmt::format("  {:<13} {:<{}}", name, offset_text(at), at_width);
    if (span_name) line += fmt::format("  {} {:<8}", span_name, span_text(span));
    else if (!note.empty()) line += std::string(14, ' ');  // notes in one column
    if (!note.empty()) line += "  " + fit(note, 50);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  auto with = [](const char* word, const std::string& what) { return what.empty() ? what : word + what; };
  stage("impact start", i.impact_start, nullptr, {}, "");
  stage("detected", i.detected, "ttd", i.ttd(), with("by ", i.detected_by));
  stage("acknowledged", i.acknowledged, "tta", i.tta(), with("via ", i.acknowledged_via));
  stage("diagnosed", i.diagnosed, nullptr, {}, i.diagnosed_note);
  stage("mitigated", i.mitigated, "ttm", i.ttm(), with("by ", i.mitigated_by));
  stage("recovered", i.recovered, "ttr", i.ttr(), i.recovered_note);
}

// A run with several incidents (random failures over a long run): how many, how long they took (TTRs
// only of those that recovered; the others are counted apart), and a row each, the longest marked.
constexpr std::size_t kIncidentRows = 20;

void incidents_table(std::string& out, const std::vector<IncidentTimeline>& incidents) {
  if (incidents.size() < 2) return;
  const IncidentTally t = tally(incidents);
  out += fmt::format("\nincidents   {} in the run; time to recovery mean {}, longest {}", t.count,
                     span_text(t.mean_ttr), span_text(t.worst_ttr));
  if (t.worst_ttr) out += fmt::format(" (#{})", t.worst + 1);
  if (t.recovered < t.count) out += fmt::format(" ({} never recovered)", t.count - t.recovered);
  out += "\n";
  const std::size_t rows = std::min(incidents.size(), kIncidentRows);
  std::size_t at = 12, span = 8;  // column widths, as wide as the longest time shown
  for (std::size_t k = 0; k < rows; ++k) {
    at = std::max({at, offset_text(incidents[k].impact_start).size(), offset_text(incidents[k].recovered).size()});
    span = std::max({span, span_text(incidents[k].ttd()).size(), span_text(incidents[k].ttr()).size()});
  }
  out += fmt::format("  {:>3}  {:<{}}  {:<{}}  {:<{}}  {:<{}}  {}\n", "#", "impact start", at, "ttd", span,
                     "recovered", at, "ttr", span, "detected by");
  for (std::size_t k = 0; k < rows; ++k) {
    const IncidentTimeline& i = incidents[k];
    std::string line = fmt::format("  {:>3}  {:<{}}  {:<{}}  {:<{}}  {:<{}}  {}", k + 1, offset_text(i.impact_start),
                                   at, span_text(i.ttd()), span, offset_text(i.recovered), at, span_text(i.ttr()),
                                   span, i.detected_by.empty() ? "-" : fit(i.detected_by, 30));
    if (t.worst_ttr && k == t.worst) line += "  <- longest";
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  if (incidents.size() > kIncidentRows)
    out += fmt::format("  ... and {} more (report.json incidents, report.html)\n", incidents.size() - kIncidentRows);
}

// Where the TTR went. A null span reads "—" when a later stage happened (the stage was skipped or out
// of order, its time went on) and "never" when nothing after it happened within the run.
void ttr_breakdown(std::string& out, const IncidentTimeline& i) {
  if (!i.impact_start) return;
  const TtrStages st = i.stages();
  const std::optional<double> ttr = i.ttr();
  const std::pair<const char*, std::optional<double>> spans[] = {{"detection", st.detection},
                                                                 {"acknowledgement", st.acknowledgement},
                                                                 {"diagnosis", st.diagnosis},
                                                                 {"mitigation", st.mitigation},
                                                                 {"recovery", st.recovery}};
  out += "\ntime to recovery by stage (span, share of ttr)\n";
  for (std::size_t k = 0; k < std::size(spans); ++k) {
    const auto& [name, span] = spans[k];
    std::string line;
    if (span) {
      const std::string share = ttr && *ttr > 0 ? percent_text(*span / *ttr, 1) : "-";
      line = fmt::format("  {:<15}  {:>8}  {:>6}", name, clock_text(*span), share);
    } else {
      const bool later =
          std::any_of(spans + k + 1, std::end(spans), [](const auto& s) { return s.second.has_value(); });
      line = fmt::format("  {:<15}  {:>8}", name, later ? "—" : "never");
    }
    out += line + "\n";
  }
}

std::string errors_by_cause(const ServiceReport& s) {
  std::string list;
  for (int c = 0; c < kCauseCount; ++c) {
    if (!s.errors[c]) continue;
    list += fmt::format("{}{} {}", list.empty() ? "" : ", ", to_string(Cause(c)), abbreviated(double(s.errors[c])));
  }
  return list.empty() ? "-" : list;
}

void worst_services(std::string& out, const std::vector<ServiceReport>& services) {
  std::vector<const ServiceReport*> failing;
  for (const ServiceReport& s : services)
    if (s.total.failed > 0) failing.push_back(&s);
  if (failing.empty()) {
    out += "\nworst services: none had a failed call\n";
    return;
  }
  // Ties broken by name so the order never depends on how the simulation listed them.
  std::stable_sort(failing.begin(), failing.end(), [](const ServiceReport* a, const ServiceReport* b) {
    if (a->total.availability() != b->total.availability())
      return a->total.availability() < b->total.availability();
    return a->name < b->name;
  });
  if (failing.size() > kWorstServicesShown) failing.resize(kWorstServicesShown);
  std::size_t w = 14, uw = 9;  // name and unhealthy-time widths (days make the time longer)
  for (const ServiceReport* s : failing) {
    w = std::max(w, fit(s->name).size());
    uw = std::max(uw, clock_text(s->time_unhealthy).size());
  }
  // p99: of the successful calls; p99 all: of every call, a failed one when its caller saw it fail.
  out += fmt::format("\n{:<{}}  {:>12}  {:>8}  {:>8}  {:>{}}  {}\n", "worst services", w + 2, "availability", "p99",
                     "p99 all", "unhealthy", uw, "errors");
  for (const ServiceReport* s : failing) {
    std::string row = fmt::format("  {:<{}}  {:>12}  {:>8}  {:>8}  {:>{}}", fit(s->name), w,
                                  percent_text(s->total.availability()),
                                  s->total.ok ? latency_text(s->latency.p99) : "-", latency_text(s->latency_all.p99),
                                  clock_text(s->time_unhealthy), uw);
    std::string errors = errors_by_cause(*s);
    // Keep within 100 columns: a long error list continues on its own line under the column.
    if (row.size() + 2 + errors.size() <= kColumns)
      out += row + "  " + errors + "\n";
    else
      out += row + "\n" + std::string(8, ' ') + "errors: " + errors + "\n";
  }
}

// Services that lost every replica for a while or had processes restarted; the others are left out.
void service_recovery(std::string& out, const std::vector<ServiceReport>& services) {
  std::vector<const ServiceReport*> shown;
  for (const ServiceReport& s : services)
    if (s.downtime > 0 || s.restarts > 0) shown.push_back(&s);
  if (shown.empty()) return;
  const std::size_t w = name_width(shown, [](const ServiceReport* s) { return s->name; }, 24);
  out += fmt::format("\n{:<{}}  {:>9}  {:>7}  {:>8}  {:>7}\n", "services down or restarted", w + 2, "downtime",
                     "outages", "restarts", "crashes");
  for (const ServiceReport* s : shown)
    out += fmt::format("  {:<{}}  {:>9}  {:>7}  {:>8}  {:>7}\n", fit(s->name), w,
                       s->downtime > 0 ? clock_text(s->downtime) : "-", grouped(s->outages),
                       s->restarts ? grouped(s->restarts) : "-", grouped(s->crashes));
}

// The busiest shared resources (a report that models none has no such block).
void busiest_resources(std::string& out, const std::vector<ResourceReport>& resources) {
  if (resources.empty()) return;
  std::vector<const ResourceReport*> shown;
  for (const ResourceReport& res : resources) shown.push_back(&res);
  std::stable_sort(shown.begin(), shown.end(), [](const ResourceReport* a, const ResourceReport* b) {
    if (a->saturated_time != b->saturated_time) return a->saturated_time > b->saturated_time;
    if (a->peak_utilisation != b->peak_utilisation) return a->peak_utilisation > b->peak_utilisation;
    return a->name < b->name;
  });
  if (shown.size() > kWorstServicesShown) shown.resize(kWorstServicesShown);
  const std::size_t w = name_width(shown, [](const ResourceReport* res) { return res->name; }, 17);
  out += fmt::format("\n{:<{}}  {:>11}  {:>6}  {:>9}\n", "busiest resources", w + 2, "utilisation", "peak",
                     "saturated");
  for (const ResourceReport* res : shown)
    out += fmt::format("  {:<{}}  {:>11}  {:>6}  {:>9}\n", fit(res->name), w, percent_text(res->utilisation, 1),
                       percent_text(res->peak_utilisation, 0), clock_text(res->saturated_time));
}

void propagation_chain(std::string& out, const std::vector<PropagationStep>& steps) {
  if (steps.empty()) {
    out += "\npropagation: no service became unhealthy\n";
    return;
  }
  out += "\npropagation (service <- what carried the failure to it)\n";
  std::size_t shown = std::min(steps.size(), kPropagationStepsShown);
  std::size_t w = 8;
  for (std::size_t k = 0; k < shown; ++k) w = std::max(w, fit(steps[k].service).size());
  for (std::size_t k = 0; k < shown; ++k) {
    const PropagationStep& p = steps[k];
    std::string line = fmt::format("  {:<10} {:<{}}  <- {}", offset_text(p.time), fit(p.service), w, p.via);
    if (!p.cause.empty()) line += " (" + p.cause + ")";
    out += line + "\n";
  }
  if (steps.size() > shown) out += fmt::format("  ... and {} more (see report.json)\n", steps.size() - shown);
}

// Free text on lines of at most kColumns, broken at spaces, each line starting with `indent` (a word
// longer than a line is cut).
std::string wrapped(const std::string& text, const std::string& indent) {
  std::string out, line = indent;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (line.size() > indent.size() && line.size() + 1 + word.size() > kColumns) {
      out += line + "\n";
      line = indent;
    }
    line += (line.size() > indent.size() ? " " : "") + word;
    start = end + 1;
  }
  return out + fit(line, kColumns) + "\n";
}

// What users were told, when: "hh:mm:ss [state] ETA hh:mm:ss", then the message, wrapped.
void status_updates(std::string& out, const std::vector<StatusUpdate>& updates) {
  if (updates.empty()) return;
  out += "\nstatus updates\n";
  const std::size_t shown = std::min(updates.size(), kStatusUpdatesShown);
  for (std::size_t k = 0; k < shown; ++k) {
    const StatusUpdate& u = updates[k];
    std::string line = fmt::format("  {} [{}]", hms_text(u.time), u.state);
    if (u.eta) line += fmt::format(" ETA {}", hms_text(*u.eta));
    if (!u.channel.empty() && u.channel != "status_page") line += " via " + u.channel;
    out += line + "\n" + wrapped(u.message, "    ");
  }
  if (updates.size() > shown) out += fmt::format("  ... and {} more (see report.json)\n", updates.size() - shown);
}

// The last word on the width: free text (origins, overrides, long edge names) is cut, marked by "~".
std::string clip_lines(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    out += line.size() <= kColumns ? std::string(line) : fit(line, kColumns);
    out += '\n';
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string format_summary(const Report& r) {
  std::string out;
  header(out, r);
  series_table(out, "features", r.features, true);
  series_table(out, "segments", r.segments, false);
  series_table(out, "regions", r.regions, false);
  user_impact(out, r);
  replication_lines(out, r);
  poisoned_cache_lines(out, r);
  backlog_lines(out, r);
  scoped_fault_lines(out, r);
  incidents_table(out, r.incidents);
  incident_timeline(out, r.incident, r.incidents.size());
  ttr_breakdown(out, r.incident);
  status_updates(out, r.status_updates);
  worst_services(out, r.services);
  service_recovery(out, r.services);
  busiest_resources(out, r.resources);
  propagation_chain(out, r.propagation);
  expectation_lines(out, r.expectations);
  out += fmt::format("\nsimulated {} service calls, {} events\n", abbreviated(double(r.summary.service_calls)),
                     abbreviated(double(r.summary.events)));
  return clip_lines(out);
}

}  // namespace faultline
