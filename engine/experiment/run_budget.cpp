#include "experiment/run_budget.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <string>

namespace faultline {

namespace {

std::string bytes_text(double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (b >= 1024 && u < 6) {
    b /= 1024;
    ++u;
  }
  return fmt::format("{:.{}f} {}", b, b < 10 && u > 0 ? 1 : 0, units[u]);
}

std::string events_text(double n) { return n < 1e6 ? fmt::format("{:.0f}", n) : fmt::format("{:.2g}", n); }

}  // namespace

double physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? double(pages) * double(page) : 0;
}

std::vector<Diagnostic> budget_diagnostics(const Scenario& s, const RunEstimate& e, const RunBudget& b) {
  if (b.force) return {};
  const double memory_limit = b.bytes > 0 ? b.bytes : physical_memory_bytes();
  const bool too_many_events = e.events > b.events, too_much_memory = memory_limit > 0 && e.bytes > memory_limit;
  if (!too_many_events && !too_much_memory) return {};
  std::string over;
  if (too_many_events)
    over = fmt::format("about {} events, over the budget of {} (--event-budget N)", events_text(e.events),
                       events_text(b.events));
  if (too_much_memory)
    over += fmt::format("{}about {} of memory, over {} ({})", over.empty() ? "" : ", and ", bytes_text(e.bytes),
                        bytes_text(memory_limit), b.bytes > 0 ? "the limit given" : "this machine's physical memory");
  std::vector<Diagnostic> out;
  out.push_back(Diagnostic{s.origin, 0, 0, "",
                           "refused before simulating: the run would take " + over +
                               "; --force (Python: force=True) runs it anyway. What drives it:"});
  // The keys behind what is over, largest first, each with its share of the estimate; the few that
  // make up nearly all of it (the rest would only hide them).
  std::vector<const EstimateDriver*> drivers;
  for (const EstimateDriver& d : e.drivers)
    if (!d.key.empty()) drivers.push_back(&d);
  const auto weight = [&](const EstimateDriver* d) {
    return (too_many_events ? d->events / e.events : 0) + (too_much_memory ? d->bytes / e.bytes : 0);
  };
  std::stable_sort(drivers.begin(), drivers.end(),
                   [&](const EstimateDriver* x, const EstimateDriver* y) { return weight(x) > weight(y); });
  double shown = 0;
  const double total = (too_many_events ? 1 : 0) + (too_much_memory ? 1 : 0);
  for (const EstimateDriver* d : drivers) {
    if (out.size() > 1 && (shown >= 0.95 * total || weight(d) < 0.01 * total || out.size() > 4)) break;
    shown += weight(d);
    std::string cost;
    if (too_many_events && d->events > 0)
      cost = fmt::format("{} events ({:.0f}% of them)", events_text(d->events), 100 * d->events / e.events);
    if (too_much_memory && d->bytes > 0)
      cost += fmt::format("{}{} ({:.0f}% of the memory)", cost.empty() ? "" : ", ", bytes_text(d->bytes),
                          100 * d->bytes / e.bytes);
    out.push_back(Diagnostic{s.origin, d->source.line, d->source.column, d->key, d->what + "; about " + cost});
  }
  return out;
}

void check_run_budget(const Scenario& s, const RunBudget& b) {
  if (b.force) return;
  std::vector<Diagnostic> d = budget_diagnostics(s, estimate_run(s), b);
  if (!d.empty()) throw ScenarioError(std::move(d));
}

void check_run_budget(const SweepPlan& plan, const RunBudget& b) {
  if (b.force) return;
  std::vector<Diagnostic> all;
  for (const SweepPoint& p : plan.points) {
    std::vector<Diagnostic> d = budget_diagnostics(p.scenario, estimate_run(p.scenario), b);
    all.insert(all.end(), d.begin(), d.end());
  }
  if (!all.empty()) throw ScenarioError(std::move(all));
}

}  // namespace faultline
