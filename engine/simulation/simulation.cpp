#include "simulation/simulation.hpp"

#include "model/platform_model.hpp"
#include "model/topology.hpp"
#include "report/json.hpp"
#include "scenario/errors.hpp"
#include "simulation/child_process.hpp"
#include "simulation/kernel_client.hpp"
#include "simulation/simgrid_engine.hpp"
#include "simulation/simgrid_kernel.hpp"
#include "simulation/simgrid_platform.hpp"

namespace faultline {

namespace {

class PlatformModelClient final : public KernelClient {
 public:
  explicit PlatformModelClient(PlatformModel& model) : model_(model) {}
  void start() override { model_.start(); }
  double next_event_time() const override { return model_.next_event_time(); }
  void run_until(double limit) override { model_.run_until(limit); }
  void on_host_state(int host, bool up, double t) override { model_.on_host_state(host, up, t); }
  void on_replica_down(int replica, double t) override { model_.on_replica_down(replica, t); }
  void on_replica_ready(int replica, double t) override { model_.on_replica_ready(replica, t); }

 private:
  PlatformModel& model_;
};

}  // namespace

Report simulate(const Scenario& s, std::uint64_t seed, const SimulationOptions& o) {
  const Topology topology = Topology::build(s);
  SimgridEngine engine(SimgridKernel::engine_config());
  SimgridPlatform platform(s, topology);
  SimgridKernel kernel(s, topology, platform, o.progress);
  PlatformModel model(s, topology, seed, kernel);
  PlatformModelClient client(model);
  kernel.run(engine, client);
  return model.finish();
}

ChildWork isolated_simulation(const Scenario& s, std::uint64_t seed, bool with_progress) {
  return [&s, seed, with_progress](const ProgressSink& report_progress) {
    SimulationOptions child_options;
    if (with_progress) child_options.progress = report_progress;
    return report_to_json(simulate(s, seed, child_options));
  };
}

Report report_from_child(const std::string& json) {
  try {
    return report_from_json(json);
  } catch (const std::exception& e) {
    throw InternalError(std::string("the simulation child sent an unreadable report: ") + e.what());
  }
}

Report simulate_isolated(const Scenario& s, std::uint64_t seed, const SimulationOptions& o) {
  return report_from_child(run_in_child_process(isolated_simulation(s, seed, bool(o.progress)), o.progress));
}

}  // namespace faultline
