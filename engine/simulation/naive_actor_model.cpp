#include "simulation/naive_actor_model.hpp"

#include "model/random.hpp"
#include "model/topology.hpp"
#include "scenario/errors.hpp"
#include "simulation/child_process.hpp"
#include "simulation/simgrid_engine.hpp"
#include "simulation/simgrid_platform.hpp"

#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

namespace faultline {

namespace {

constexpr int kGenerators = 4;
constexpr std::uint64_t kRequestBytes = 1024;
constexpr std::uint64_t kReplyBytes = 2048;
// Soft edges may form cycles; a request deeper than this calls nothing more.
constexpr int kMaxDepth = 16;

struct Request {
  std::uint64_t id;
  int feature;
  int depth;
  sg4::Mailbox* reply_to;
};

struct Reply {
  std::uint64_t id;
};

struct Call {
  int callee;  // service
  long count;  // calls per request, rounded
  double timeout;
};

class NaiveActorModel {
 public:
  NaiveActorModel(const Scenario& s, const Topology& t, SimgridPlatform& p, std::uint64_t seed)
      : s_(s), t_(t), platform_(p), seed_(seed) {
    for (const ReplicaInfo& r : t.replicas) replica_mailbox_.push_back(sg4::Mailbox::by_name("replica/" + r.name));
    auto service_index = [&](const std::string& name) {
      const Service* svc = s.find_service(name);
      return svc ? int(svc - s.services.data()) : -1;
    };
    calls_.assign(s.services.size(), std::vector<std::vector<Call>>(s.features.size()));
    for (const Dependency& d : s.dependencies) {
      if (d.kind == DependencyKind::control) continue;
      const int from = service_index(d.from), to = service_index(d.to);
      const long count = std::lround(d.calls);
      if (from < 0 || to < 0 || count <= 0) continue;
      for (std::size_t f = 0; f < s.features.size(); ++f) {
        const auto& only = d.features;
        if (only.empty() || std::find(only.begin(), only.end(), s.features[f].name) != only.end())
          calls_[std::size_t(from)][f].push_back(Call{to, count, d.timeout});
      }
    }
    double total = 0;
    for (const Feature& f : s.features) {
      entry_.push_back(service_index(f.entry));
      total += f.share;
      cumulative_share_.push_back(total);
    }
    for (double& c : cumulative_share_) c /= total > 0 ? total : 1;
  }

  NaiveRunStats run(SimgridEngine& engine, double sim_seconds) {
    for (std::size_t r = 0; r < t_.replicas.size(); ++r) {
      const Service& svc = s_.services[std::size_t(t_.replicas[r].service)];
      for (int k = 0; k < svc.workers; ++k)
        sg4::Actor::create("worker/" + t_.replicas[r].name + "/" + std::to_string(k),
                           platform_.host(t_.replicas[r].host), [this, r, k] { guarded([&] { worker(int(r), k); }); })
            ->daemonize();
    }
    for (int g = 0; g < kGenerators; ++g) {
      sg4::Host* host = platform_.host(g % int(platform_.host_count()));
      sg4::Mailbox* replies = sg4::Mailbox::by_name("users/" + std::to_string(g));
      sg4::Actor::create("generator/" + std::to_string(g), host, [this, g, replies] {
        guarded([&] { generate(g, replies); });
      })->daemonize();
      sg4::Actor::create("collector/" + std::to_string(g), host, [this, replies] {
        guarded([&] { collect(replies); });
      })->daemonize();
    }
    // The only actor that is not a daemon: when it ends, SimGrid kills the rest and the run stops.
    sg4::Actor::create("clock", platform_.control_host(), [sim_seconds] { sg4::this_actor::sleep_until(sim_seconds); });
    const auto start = std::chrono::steady_clock::now();
    engine.run();
    stats_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    stats_.simulated_seconds = sg4::Engine::get_clock();
    if (failure_) std::rethrow_exception(failure_);
    return stats_;
  }

 private:
  template <class Body>
  void guarded(Body&& body) {
    try {
      body();
    } catch (const simgrid::ForcefulKillException&) {
      throw;
    } catch (...) {
      if (!failure_) failure_ = std::current_exception();
      sg4::Actor::kill_all();
    }
  }

  void worker(int replica, int k) {
    const ReplicaInfo& me = t_.replicas[std::size_t(replica)];
    const double service_time = s_.services[std::size_t(me.service)].service_time.expected();
    sg4::Mailbox* in = replica_mailbox_[std::size_t(replica)];
    sg4::Mailbox* replies = sg4::Mailbox::by_name("replies/" + me.name + "/" + std::to_string(k));
    std::vector<std::size_t> next_replica(s_.services.size(), 0);  // round-robin over each callee
    while (true) {
      std::unique_ptr<Request> req;
      try {
        req.reset(in->get<Request>());
      } catch (const simgrid::Exception&) {
        continue;  // the caller gave up mid-transfer
      }
      sg4::this_actor::sleep_for(service_time);
      if (req->depth < kMaxDepth)
        for (const Call& c : calls_[std::size_t(me.service)][std::size_t(req->feature)])
          for (long i = 0; i < c.count; ++i) call(c, *req, replies, next_replica);
      // Detached: a caller that gave up finds the reply on its mailbox later and drops it by id.
      req->reply_to->put_init(new Reply{req->id}, kReplyBytes)->detach([](void* p) { delete static_cast<Reply*>(p); });
    }
  }

  void call(const Call& c, const Request& parent, sg4::Mailbox* replies, std::vector<std::size_t>& next_replica) {
    const auto& candidates = t_.service_replicas[std::size_t(c.callee)];
    const int r = candidates[next_replica[std::size_t(c.callee)]++ % candidates.size()];
    const std::uint64_t id = next_id_++;
    const double deadline = sg4::Engine::get_clock() + c.timeout;
    auto req = std::make_unique<Request>(Request{id, parent.feature, parent.depth + 1, replies});
    try {
      replica_mailbox_[std::size_t(r)]->put(req.get(), kRequestBytes, c.timeout);
      req.release();  // the callee owns it now
      while (true) {
        const double left = deadline - sg4::Engine::get_clock();
        if (left <= 0) break;
        std::unique_ptr<Reply> reply(replies->get<Reply>(left));
        if (reply->id == id) {
          ++stats_.calls;
          return;
        }
      }
    } catch (const simgrid::Exception&) {
      // Timed out (put or get), or the transfer failed: the call failed.
    }
    ++stats_.failed_calls;
  }

  void generate(int g, sg4::Mailbox* replies) {
    RandomStream rng(seed_, "naive/generator/" + std::to_string(g));
    const double mean_gap = kGenerators / std::max(s_.traffic.rate, 1e-9);
    std::vector<std::size_t> next_replica(s_.features.size(), 0);
    while (true) {
      sg4::this_actor::sleep_for(rng.exponential(mean_gap));
      const double u = rng.uniform();
      const auto f = std::size_t(std::lower_bound(cumulative_share_.begin(), cumulative_share_.end(), u) -
                                 cumulative_share_.begin());
      const std::size_t feature = std::min(f, s_.features.size() - 1);
      const auto& entries = t_.service_replicas[std::size_t(entry_[feature])];
      const int r = entries[next_replica[feature]++ % entries.size()];
      replica_mailbox_[std::size_t(r)]
          ->put_init(new Request{next_id_++, int(feature), 0, replies}, kRequestBytes)
          ->detach([](void* p) { delete static_cast<Request*>(p); });
      ++stats_.user_requests;
      stats_.peak_in_flight = std::max(stats_.peak_in_flight, stats_.user_requests - stats_.user_replies);
    }
  }

  void collect(sg4::Mailbox* replies) {
    while (true) {
      std::unique_ptr<Reply> reply(replies->get<Reply>());
      ++stats_.user_replies;
      ++stats_.calls;
    }
  }

  const Scenario& s_;
  const Topology& t_;
  SimgridPlatform& platform_;
  const std::uint64_t seed_;
  std::vector<sg4::Mailbox*> replica_mailbox_;
  std::vector<std::vector<std::vector<Call>>> calls_;  // by service, by feature
  std::vector<int> entry_;                             // by feature: its entry service
  std::vector<double> cumulative_share_;               // by feature, normalised
  std::uint64_t next_id_ = 1;
  NaiveRunStats stats_;
  std::exception_ptr failure_;
};

std::string to_text(const NaiveRunStats& st) {
  char buf[400];
  std::snprintf(buf, sizeof buf, "%llu %llu %llu %llu %llu %.17g %.17g", (unsigned long long)st.calls,
                (unsigned long long)st.failed_calls, (unsigned long long)st.user_requests,
                (unsigned long long)st.user_replies, (unsigned long long)st.peak_in_flight, st.simulated_seconds,
                st.wall_seconds);
  return buf;
}

NaiveRunStats from_text(const std::string& text) {
  NaiveRunStats st;
  std::istringstream in(text);
  unsigned long long calls, failed, requests, replies, peak;
  if (!(in >> calls >> failed >> requests >> replies >> peak >> st.simulated_seconds >> st.wall_seconds))
    throw InternalError("unreadable naive-model result: " + text);
  st.calls = calls;
  st.failed_calls = failed;
  st.user_requests = requests;
  st.user_replies = replies;
  st.peak_in_flight = peak;
  return st;
}

}  // namespace

NaiveRunStats run_naive_actor_model(const Scenario& s, std::uint64_t seed, double sim_seconds) {
  if (s.features.empty() || s.services.empty()) return NaiveRunStats{};
  return from_text(run_in_child_process([&](const ProgressSink&) {
    SimgridEngine engine;
    const Topology t = Topology::build(s);
    SimgridPlatform platform(s, t);
    NaiveActorModel model(s, t, platform, seed);
    try {
      return to_text(model.run(engine, sim_seconds));
    } catch (const InternalError&) {
      throw;
    } catch (const std::exception& e) {
      throw InternalError(std::string("naive actor model failed: ") + e.what());
    }
  }));
}

}  // namespace faultline
