// `faultline graph SCENARIO [--dot FILE]`: the static analysis of the dependency graph.
#include "cli/command.hpp"
#include "graph/dependency_graph.hpp"
#include "io/report_files.hpp"

#include <iostream>
#include <memory>

namespace faultline::cli {

Command add_graph_command(CLI::App& cli) {
  struct Options {
    std::string scenario, dot;
    std::vector<std::string> sets;
  };
  auto o = std::make_shared<Options>();
  CLI::App* app = cli.add_subcommand(
      "graph", "Single points of failure, blast radius and minimal cut sets of the dependency graph");
  app->add_option("SCENARIO", o->scenario, "Scenario file (TOML)")->required();
  app->add_option("--dot", o->dot, "Also write the graph as Graphviz DOT to FILE")->type_name("FILE");
  add_overrides_option(*app, o->sets);
  return {app, [o] {
            const Scenario s = load_scenario_file(o->scenario, to_overrides(o->sets));
            const graph::GraphAnalysis analysis = graph::analyse(s);
            std::cout << graph::format_analysis(analysis) << std::flush;
            if (!o->dot.empty()) {
              write_file_atomically(o->dot, graph::to_dot(s, analysis));
              std::cerr << "wrote " << o->dot << "\n";
            }
            return kOk;
          }};
}

}  // namespace faultline::cli
