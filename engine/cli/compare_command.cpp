// `faultline compare A B [--runs N]`: both designs on the same seeds (common random numbers), per-run
// rows into a resumable CSV file, and for each metric the means, the paired difference B - A with its
// 95% confidence interval, and the verdict.
#include "cli/command.hpp"
#include "experiment/comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <utility>

namespace faultline::cli {

namespace {

std::string number(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.6g}", v); }
std::string signed_number(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:+.4g}", v); }

std::string difference_text(const PairedDifference& d) {
  if (d.pairs == 0) return "n/a";
  if (std::isnan(d.ci_low)) return signed_number(d.mean_difference);
  return fmt::format("{} [{}, {}]", signed_number(d.mean_difference), signed_number(d.ci_low), signed_number(d.ci_high));
}

std::string comparison_table(const Comparison& c, std::size_t runs) {
  std::vector<std::array<std::string, 5>> rows{{"metric", "A mean", "B mean", "B - A [95% CI]", "verdict"}};
  for (const MetricComparison& m : c.metrics) {
    std::string verdict = to_string(m.verdict);
    if (m.ranked && m.not_recovered_a + m.not_recovered_b > 0)
      verdict += fmt::format(" (ranked: not recovered in {} of {} runs of A, {} of B)", m.not_recovered_a, runs,
                             m.not_recovered_b);
    else if (m.ranked)
      verdict += fmt::format(" (ranked: no incident in {} of {} runs of A, {} of B)", m.no_incident_a, runs,
                             m.no_incident_b);
    else if (m.difference.pairs < runs)
      verdict += fmt::format(" ({} of {} runs had it in both)", m.difference.pairs, runs);
    rows.push_back({m.metric, number(m.difference.mean_a), number(m.difference.mean_b), difference_text(m.difference),
                    verdict});
  }
  std::array<std::size_t, 5> width{};
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  std::string out;
  for (const auto& row : rows)
    out += fmt::format("{:<{}}  {:>{}}  {:>{}}  {:<{}}  {}\n", row[0], width[0], row[1], width[1], row[2], width[2],
                       row[3], width[3], row[4]);
  return out;
}

}  // namespace

Command add_compare_command(CLI::App& cli) {
  struct Options {
    std::string a, b;
    ExperimentOptions experiment;
  };
  auto o = std::make_shared<Options>();
  CLI::App* app = cli.add_subcommand(
      "compare", "Two designs on the same traffic and fault draws: each metric's difference, its 95% CI and a verdict");
  app->add_option("A", o->a, "Scenario file of design A (TOML)")->required();
  app->add_option("B", o->b, "Scenario file of design B (TOML)")->required();
  app->add_option("--runs,-n", o->experiment.runs, "Runs of each design, on the seeds seed, seed + 1, ...")
      ->check(CLI::Range(std::size_t(2), std::size_t(1000000)))
      ->capture_default_str();
  app->add_option("--out", o->experiment.out,
                  "CSV file of every run of both (default: out/<A name>-vs-<B name>/compare.csv); resumed if it exists")
      ->type_name("FILE.csv");
  add_experiment_options(*app, o->experiment);
  return {app, [o] {
            // Both files are checked before either runs, and all their mistakes reported together.
            std::vector<Diagnostic> diagnostics;
            std::optional<Scenario> a, b;
            for (auto [path, scenario] : {std::pair{&o->a, &a}, std::pair{&o->b, &b}}) {
              try {
                scenario->emplace(load_scenario_file(*path));
              } catch (const ScenarioError& e) {
                diagnostics.insert(diagnostics.end(), e.diagnostics().begin(), e.diagnostics().end());
              }
            }
            if (!diagnostics.empty()) throw ScenarioError(std::move(diagnostics));

            const SweepPlan plan = plan_comparison(*a, *b, o->experiment.runs, o->experiment.chosen_seed());
            const std::string out =
                o->experiment.out.empty()
                    ? (std::filesystem::path("out") /
                       (output_name(a->info.name) + "-vs-" + output_name(b->info.name)) / "compare.csv")
                          .string()
                    : o->experiment.out;
            const SweepOutcome outcome = run_plan_into_csv(plan, out, o->experiment);
            const Comparison comparison = compare_finished_runs(outcome.runs);

            const std::uint64_t first = plan.points.front().base_seed;
            std::cout << fmt::format("A  {}  ({})\nB  {}  ({})\n", a->info.name, o->a, b->info.name, o->b)
                      << fmt::format("{} runs of each on seeds {}..{}: the same traffic and fault draws in both\n\n",
                                     plan.runs_per_point, first, plan.run(plan.runs_per_point - 1).seed)
                      << comparison_table(comparison, plan.runs_per_point) << std::flush;
            return kOk;
          }};
}

}  // namespace faultline::cli
