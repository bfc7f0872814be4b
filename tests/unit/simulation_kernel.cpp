// The SimGrid kernel under a scripted client: platform commands become real SimGrid state changes
// at the right simulated times, the client hears about them in order and never runs past a change.
#include "model/topology.hpp"
#include "scenario/errors.hpp"
#include "simulation/child_process.hpp"
#include "simulation/kernel_client.hpp"
#include "simulation/simgrid_engine.hpp"
#include "simulation/simgrid_kernel.hpp"
#include "simulation/simgrid_platform.hpp"
#include "simulation_fixtures.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace faultline;

namespace {

using Kind = PlatformCommand::Kind;

PlatformCommand hosts(Kind k, std::vector<int> h) { return PlatformCommand{k, std::move(h), {}}; }
PlatformCommand replicas(Kind k, std::vector<int> r) { return PlatformCommand{k, {}, std::move(r)}; }

// A client whose own events are a fixed list of times; at each it may give the kernel commands.
class ScriptedClient final : public KernelClient {
 public:
  ScriptedClient(PlatformPort& port, std::vector<double> events) : port_(port), events_(std::move(events)) {}

  std::vector<std::pair<double, PlatformCommand>> commands_at_start;
  std::function<void(double t, PlatformPort& port)> at_event;
  std::function<void(int replica, double t)> at_ready;

  void start() override {
    for (const auto& [t, c] : commands_at_start) port_.command(t, c);
  }
  double next_event_time() const override {
    return next_ < events_.size() ? events_[next_] : std::numeric_limits<double>::infinity();
  }
  void run_until(double limit) override {
    while (next_ < events_.size() && events_[next_] < limit && events_[next_] < port_.horizon()) {
      now_ = events_[next_++];
      const double clock = simgrid::s4u::Engine::get_clock();
      max_ahead_ = std::max(max_ahead_, clock - now_);  // SimGrid past the client: a broken promise
      max_lag_ = std::max(max_lag_, now_ - clock);      // how far the client runs ahead of SimGrid
      ++events_run_;
      if (at_event) at_event(now_, port_);
    }
  }
  void on_host_state(int host, bool up, double t) override { note(up ? "host_up" : "host_down", host, t); }
  void on_replica_down(int replica, double t) override { note("replica_down", replica, t); }
  void on_replica_ready(int replica, double t) override {
    note("replica_ready", replica, t);
    if (at_ready) at_ready(replica, t);
  }

  // One line per notification: what, index, its time, SimGrid's clock when it came; then a summary.
  std::string transcript() const {
    std::string out = log_;
    char buf[200];
    std::snprintf(buf, sizeof buf, "summary %zu %.17g %.17g %d %.17g\n", events_run_, max_ahead_, max_lag_,
                  out_of_order_, simgrid::s4u::Engine::get_clock());
    return out + buf;
  }

 private:
  void note(const char* what, int index, double t) {
    if (t < now_) ++out_of_order_;  // a notification from the client's past
    now_ = std::max(now_, t);
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s %d %.17g %.17g\n", what, index, t, simgrid::s4u::Engine::get_clock());
    log_ += buf;
  }

  PlatformPort& port_;
  std::vector<double> events_;
  std::size_t next_ = 0;
  double now_ = 0;
  double max_ahead_ = 0, max_lag_ = 0;
  int out_of_order_ = 0;
  std::size_t events_run_ = 0;
  std::string log_;
};

struct Notice {
  std::string what;
  int index = 0;
  double t = 0, clock = 0;
};

struct Transcript {
  std::vector<Notice> notices;
  std::size_t events_run = 0;
  double max_ahead = 0, max_lag = 0, end_clock = 0;
  int out_of_order = 0;
};

Transcript parse(const std::string& text) {
  Transcript tr;
  std::istringstream in(text);
  for (std::string what; in >> what;) {
    if (what == "summary") {
      in >> tr.events_run >> tr.max_ahead >> tr.max_lag >> tr.out_of_order >> tr.end_clock;
      continue;
    }
    Notice n;
    n.what = what;
    in >> n.index >> n.t >> n.clock;
    tr.notices.push_back(n);
  }
  return tr;
}

std::vector<double> every_second_from(double first, double end) {
  std::vector<double> v;
  for (double t = first; t < end; t += 1) v.push_back(t);
  return v;
}

// Runs the kernel under a scripted client in a child process; `script` sets the client up.
std::string run_scripted(const Scenario& s, const std::function<void(ScriptedClient&)>& script,
                         const SimgridKernel::Progress& progress = {}) {
  return run_in_child_process(
      [&](const ProgressSink& report) {
        SimgridEngine engine(SimgridKernel::engine_config());  // the stacks the product runs with
        const Topology t = Topology::build(s);
        SimgridPlatform platform(s, t);
        SimgridKernel kernel(s, t, platform, progress ? SimgridKernel::Progress(report) : SimgridKernel::Progress());
        ScriptedClient client(kernel, every_second_from(0.5, s.info.duration));
        script(client);
        kernel.run(engine, client);
        return client.transcript();
      },
      progress);
}

}  // namespace

TEST_CASE("platform commands become SimGrid state changes at their times", "[simulation][kernel]") {
  const Scenario s = testing::three_region_scenario();
  // replicas: 0 = api.0 on host 0 (a1-h0), 1 = api.1 on host 1 (a1-h1), 2 = db.0 on host 4 (b1-h0);
  // restart_time: api 7 s, db 3 s
  const Transcript tr = parse(run_scripted(s, [](ScriptedClient& c) {
    c.commands_at_start = {
        {10, hosts(Kind::hosts_down, {0})},
        {20, hosts(Kind::hosts_up, {0})},           // api.0 restarts: ready at 27
        {30, replicas(Kind::kill_replicas, {1})},
        {40, replicas(Kind::restart_replicas, {1})},  // dead process: no down notice, ready at 47
        {50, replicas(Kind::restart_replicas, {1})},  // live process: down now, ready at 57
        {60, hosts(Kind::hosts_down, {4})},
        {61, replicas(Kind::restart_replicas, {2})},  // its host is off: starts with the host
        {65, hosts(Kind::hosts_up, {4})},           // db.0 ready at 68, once
        {70, replicas(Kind::kill_replicas, {2})},
        {72, hosts(Kind::hosts_down, {4})},
        {75, hosts(Kind::hosts_up, {4})},           // a reboot starts the killed process too: 78
        {80, hosts(Kind::hosts_down, {0})},
        {82, hosts(Kind::hosts_up, {0})},           // api.0 would be ready at 89 ...
        {84, hosts(Kind::hosts_down, {0})},         // ... but its host fails again first
        {85, hosts(Kind::hosts_down, {0})},         // already off: nothing happens
        {90, hosts(Kind::hosts_up, {0})},           // ready at 97
    };
    // Commands given by the client while it runs, for the moment it is at.
    c.at_event = [](double t, PlatformPort& port) {
      if (t == 12.5) port.command(t, replicas(Kind::kill_replicas, {2}));
      if (t == 13.5) port.command(t, replicas(Kind::restart_replicas, {2}));  // ready at 16.5
    };
  }));

  const std::vector<std::tuple<std::string, int, double>> expected = {
      {"host_down", 0, 10},     {"replica_down", 2, 12.5}, {"replica_ready", 2, 16.5}, {"host_up", 0, 20},
      {"replica_ready", 0, 27}, {"replica_down", 1, 30},   {"replica_ready", 1, 47},   {"replica_down", 1, 50},
      {"replica_ready", 1, 57}, {"host_down", 4, 60},      {"host_up", 4, 65},         {"replica_ready", 2, 68},
      {"replica_down", 2, 70},  {"host_down", 4, 72},      {"host_up", 4, 75},         {"replica_ready", 2, 78},
      {"host_down", 0, 80},     {"host_up", 0, 82},        {"host_down", 0, 84},       {"host_up", 0, 90},
      {"replica_ready", 0, 97},
  };
  REQUIRE(tr.notices.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& [what, index, t] = expected[i];
    INFO("notification " << i << ": " << tr.notices[i].what << " " << tr.notices[i].index << " at "
                         << tr.notices[i].t);
    CHECK(tr.notices[i].what == what);
    CHECK(tr.notices[i].index == index);
    CHECK(tr.notices[i].t == Approx(t).margin(1e-9));
    CHECK(tr.notices[i].clock == Approx(t).margin(1e-9));  // SimGrid's own clock agrees
  }
  CHECK(tr.out_of_order == 0);
  CHECK(tr.events_run == 100);  // every client event ran
  CHECK(tr.max_ahead <= 1e-9);  // SimGrid never got ahead of the client
  CHECK(tr.max_lag <= 5.0);     // and stays within one tick behind it
  CHECK(tr.end_clock == Approx(100).margin(1e-9));
}

TEST_CASE("an exception in the client stops the run as an InternalError", "[simulation][kernel]") {
  const Scenario s = testing::three_region_scenario();
  SECTION("from the dispatcher (while the client runs its events)") {
    CHECK_THROWS_WITH(run_scripted(s,
                                   [](ScriptedClient& c) {
                                     c.at_event = [](double t, PlatformPort&) {
                                       if (t == 42.5) throw std::runtime_error("model bug at 42.5");
                                     };
                                   }),
                      Catch::Contains("model bug at 42.5"));
  }
  SECTION("from a replica process (the client told that a replica is ready)") {
    CHECK_THROWS_WITH(run_scripted(s,
                                   [](ScriptedClient& c) {
                                     c.commands_at_start = {{5, hosts(Kind::hosts_down, {4})},
                                                            {6, hosts(Kind::hosts_up, {4})}};
                                     c.at_ready = [](int replica, double t) {
                                       throw std::runtime_error("replica " + std::to_string(replica) + " ready at " +
                                                                std::to_string(int(t)));
                                     };
                                   }),
                      Catch::Contains("replica 2 ready at 9"));
  }
  SECTION("a command for the past is a bug too") {
    CHECK_THROWS_WITH(run_scripted(s,
                                   [](ScriptedClient& c) {
                                     c.at_event = [](double t, PlatformPort& port) {
                                       if (t == 20.5) port.command(3, hosts(Kind::hosts_down, {0}));
                                     };
                                   }),
                      Catch::Contains("platform command for t=3"));
  }
  SECTION("so is a command naming a host that does not exist") {
    CHECK_THROWS_WITH(run_scripted(s, [](ScriptedClient& c) { c.commands_at_start = {{1, hosts(Kind::hosts_down, {6})}}; }),
                      Catch::Contains("host 6 of 6"));
  }
}

TEST_CASE("progress reaches the caller and ends at the scenario's end", "[simulation][kernel]") {
  const Scenario s = testing::three_region_scenario();
  std::vector<double> seen;
  run_scripted(s, [](ScriptedClient&) {}, [&](double t) { seen.push_back(t); });
  REQUIRE(!seen.empty());
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  CHECK(seen.back() == 100);
  // How many calls come in between depends on wall-clock time (they are rate-limited): not checked.
}

TEST_CASE("one SimGrid engine per process", "[simulation][kernel]") {
  const std::string out = run_in_child_process([](const ProgressSink&) {
    { SimgridEngine first; }
    try {
      SimgridEngine second;
    } catch (const InternalError& e) {
      return std::string(e.what());
    }
    return std::string("second engine created");
  });
  CHECK_THAT(out, Catch::Contains("simulate_isolated"));
}
