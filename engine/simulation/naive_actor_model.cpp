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
    for (const ReplicaInfo& r : t.replicas) {
      replica_mailbox_.push_back(sg4::Mailbox::by_name("replica/" + r.name));
      queue_limit_.push_back(s.services[std::size_t(r.service)].queue);
    }
    waiting_.assign(t.replicas.size(), 0);
    // Callers prefer replicas in their own region, as the request-level model does.
    local_replicas_.assign(s.services.size(), std::vector<std::vector<int>>(t.regions.size()));
    for (std::size_t sv = 0; sv < s.services.size(); ++sv)
      for (std::size_t region = 0; region < t.regions.size(); ++region) {
        auto& local = local_replicas_[sv][region];
        for (int r : t.service_replicas[sv])
          if (t.replicas[std::size_t(r)].region == int(region)) local.push_back(r);
        if (local.empty()) local = t.service_replicas[sv];
      }
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
      // Users in every region: generator g sits in region g mod regions.
      const int region = g % int(t_.regions.size());
      int first_host = 0;
      for (std::size_t z = 0; z < t_.zones.size(); ++z)
        if (t_.zone_region[z] == region && !t_.zone_hosts[z].empty()) {
          first_host = t_.zone_hosts[z][0];
          break;
        }
      sg4::Host* host = platform_.host(first_host);
      sg4::Mailbox* replies = sg4::Mailbox::by_name("users/" + std::to_string(g));
      sg4::Actor::create("generator/" + std::to_string(g), host, [this, g, region, replies] {
        guarded([&] { generate(g, region, replies); });
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
      --waiting_[std::size_t(replica)];
      sg4::this_actor::sleep_for(service_time);
      if (req->depth < kMaxDepth)
        for (const Call& c : calls_[std::size_t(me.service)][std::size_t(req->feature)])
          for (long i = 0; i < c.count; ++i) call(c, me.region, *req, replies, next_replica);
      // Detached: a caller that gave up finds the reply on its mailbox later and drops it by id.
      req->reply_to->put_init(new Reply{req->id}, kReplyBytes)->detach([](void* p) { delete static_cast<Reply*>(p); });
    }
  }

  // Whether replica r's queue has room; the request counts as waiting there from now on.
  bool admit(int r) {
    int& waiting = waiting_[std::size_t(r)];
    if (waiting >= queue_limit_[std::size_t(r)]) return false;
    ++waiting;
    return true;
  }

  void call(const Call& c, int region, const Request& parent, sg4::Mailbox* replies,
            std::vector<std::size_t>& next_replica) {
    const auto& candidates = local_replicas_[std::size_t(c.callee)][std::size_t(region)];
    const int r = candidates[next_replica[std::size_t(c.callee)]++ % candidates.size()];
    if (!admit(r)) {  // the callee's queue is full: rejected at once
      ++stats_.failed_calls;
      return;
    }
    const std::uint64_t id = next_id_++;
    const double deadline = sg4::Engine::get_clock() + c.timeout;
    auto req = std::make_unique<Request>(Request{id, parent.feature, parent.depth + 1, replies});
    try {
      replica_mailbox_[std::size_t(r)]->put(req.get(), kRequestBytes, c.timeout);
    } catch (const simgrid::Exception&) {
      --waiting_[std::size_t(r)];  // withdrawn, or failed in transfer: the callee never got it
      ++stats_.failed_calls;
      return;
    }
    req.release();  // the callee owns it now
    try {
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
      // timed out waiting for the reply
    }
    ++stats_.failed_calls;
  }

  void generate(int g, int region, sg4::Mailbox* replies) {
    RandomStream rng(seed_, "naive/generator/" + std::to_string(g));
    const double mean_gap = kGenerators / std::max(s_.traffic.rate, 1e-9);
    std::vector<std::size_t> next_replica(s_.features.size(), 0);
    while (true) {
      sg4::this_actor::sleep_for(rng.exponential(mean_gap));
      const double u = rng.uniform();
      const auto f = std::size_t(std::lower_bound(cumulative_share_.begin(), cumulative_share_.end(), u) -
                                 cumulative_share_.begin());
      const std::size_t feature = std::min(f, s_.features.size() - 1);
      const auto& entries = local_replicas_[std::size_t(entry_[feature])][std::size_t(region)];
      const int r = entries[next_replica[feature]++ % entries.size()];
      ++stats_.user_requests;
      if (!admit(r)) {
        ++stats_.user_rejected;
        continue;
      }
      // Detached, so that arrivals stay Poisson whatever the platform does; the queue bound above
      // keeps the number waiting finite.
      replica_mailbox_[std::size_t(r)]
          ->put_init(new Request{next_id_++, int(feature), 0, replies}, kRequestBytes)
          ->detach([](void* p) { delete static_cast<Request*>(p); });
      const std::uint64_t in_flight = stats_.user_requests - stats_.user_rejected - stats_.user_replies;
      stats_.peak_in_flight = std::max(stats_.peak_in_flight, in_flight);
    }
  }

  void collect(sg4::Mailbox* replies) {
    // A permanent receiver: replies flow to the collector as soon as they are sent, as on a TCP
    // socket. Receiving them one get() at a time, each waiting a whole network latency, would
    // throttle the users on the far side of a region to a few replies per second.
    replies->set_receiver(sg4::Actor::self());
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
  std::vector<int> queue_limit_;  // by replica: its service's queue
  std::vector<int> waiting_;      // by replica: requests sent to it and not yet taken by a worker
  std::vector<std::vector<std::vector<int>>> local_replicas_;  // by service, by region (all when none)
  std::vector<std::vector<std::vector<Call>>> calls_;  // by service, by feature
  std::vector<int> entry_;                             // by feature: its entry service
  std::vector<double> cumulative_share_;               // by feature, normalised
  std::uint64_t next_id_ = 1;
  NaiveRunStats stats_;
  std::exception_ptr failure_;
};

std::string to_text(const NaiveRunStats& st) {
  char buf[400];
  std::snprintf(buf, sizeof buf, "%llu %llu %llu %llu %llu %llu %.17g %.17g", (unsigned long long)st.calls,
                (unsigned long long)st.failed_calls, (unsigned long long)st.user_requests,
                (unsigned long long)st.user_rejected,
                (unsigned long long)st.user_replies, (unsigned long long)st.peak_in_flight, st.simulated_seconds,
                st.wall_seconds);
  return buf;
}

NaiveRunStats from_text(const std::string& text) {
  NaiveRunStats st;
  std::istringstream in(text);
  unsigned long long calls, failed, requests, rejected, replies, peak;
  if (!(in >> calls >> failed >> requests >> rejected >> replies >> peak >> st.simulated_seconds >> st.wall_seconds))
    throw InternalError("unreadable naive-model result: " + text);
  st.calls = calls;
  st.failed_calls = failed;
  st.user_requests = requests;
  st.user_rejected = rejected;
  st.user_replies = replies;
  st.peak_in_flight = peak;
  return st;
}

}  // namespace

NaiveRunStats run_naive_actor_model(const Scenario& s, std::uint64_t seed, double sim_seconds) {
  if (s.features.empty() || s.services.empty()) return NaiveRunStats{};
  return from_text(run_in_child_process([&](const ProgressSink&) {
    // Tens of thousands of worker actors: small stacks without guard pages, or the process runs out
    // of memory mappings (one or two per actor stack otherwise).
    SimgridEngine engine({"contexts/stack-size:64", "contexts/guard-size:0"});
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
