#include "simulation/run_estimate.hpp"

#include "model/topology.hpp"
#include "model/traffic_shape.hpp"
#include "report/number_text.hpp"
#include "scenario/fault_target.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace faultline {

namespace {

// Costs measured on the product (Release build, this kind of machine), kept a little on the high
// side: a refusal should not come from an estimate that is too low.
constexpr double kEventsPerAttempt = 4;     // sent, arrived, served, answered (the timeout too, mostly)
constexpr double kEventsPerOccurrence = 4;  // a fault starting and ending, the replicas it takes down
constexpr double kBytesPerHost = 6e3;       // the SimGrid host and its route, the model's host state
constexpr double kBytesPerReplica = 12e3;   // the actor, its stack's touched pages, the model's replica
constexpr double kBytesPerService = 20e3;   // latency histograms, the service's report and its text
constexpr double kBytesPerServiceBucket = 740;  // a service's bucket: counts, causes, latency; its rows in the files
constexpr double kBytesPerSeriesBucket = 500;   // a feature's, segment's or region's bucket, likewise
constexpr double kBytesPerOccurrence = 2600;    // the occurrence, its steps, its events in the report
constexpr double kBytesPerRequestInFlight = 1500;  // the request, its calls, attempts and jobs
constexpr double kBytesPerSampleUser = 8;
constexpr int kMaxDepth = 16;  // soft edges may form cycles: a request goes no deeper

std::string count_text(double n) { return n < 1e6 ? fmt::format("{:.0f}", n) : fmt::format("{:.3g}", n); }

// As reports write durations, but in microseconds below a millisecond (`every = "1us"` reads as itself).
std::string time_text(double seconds) {
  return seconds > 0 && seconds < 1e-3 ? fmt::format("{:g}us", seconds * 1e6) : duration_text(seconds);
}

class Estimator {
 public:
  explicit Estimator(const Scenario& s) : s_(s), t_(Topology::build(s)), T_(s.info.duration) {
    for (std::size_t sv = 0; sv < s.services.size(); ++sv) index_[s.services[sv].name] = int(sv);
    out_.resize(s.services.size());
    for (std::size_t e = 0; e < s.dependencies.size(); ++e)
      if (const int from = service_index(s.dependencies[e].from); from >= 0) out_[std::size_t(from)].push_back(int(e));
  }

  RunEstimate run() {
    add("", s_.info.source, "fixed: the program, SimGrid and the libraries", 0, RunEstimate::kBaselineBytes);
    traffic();
    platform();
    buckets();
    faults();
    periodic();
    RunEstimate e;
    for (const EstimateDriver& d : drivers_) {
      e.events += d.events;
      e.bytes += d.bytes;
    }
    e.drivers = std::move(drivers_);
    return e;
  }

 private:
  void add(std::string key, Source source, std::string what, double events, double bytes) {
    if (events <= 0 && bytes <= 0) return;
    drivers_.push_back(EstimateDriver{std::move(key), std::move(source), std::move(what), events, bytes});
  }

  int service_index(const std::string& name) const {
    const auto it = index_.find(name);
    return it == index_.end() ? -1 : it->second;
  }

  // Service calls one request of `feature` makes below `service` (not counting the call to it).
  // Remembered per service (a graph of fan-outs would otherwise be walked once per path); a cycle
  // of soft edges is cut where it closes.
  double calls_below(int service, const std::string& feature, int depth, std::set<int>& path) {
    if (depth >= kMaxDepth || !path.insert(service).second) return 0;
    if (const auto it = calls_memo_.find(service); it != calls_memo_.end()) {
      path.erase(service);
      return it->second;
    }
    double calls = 0;
    for (int e : out_[std::size_t(service)]) {
      const Dependency& d = s_.dependencies[std::size_t(e)];
      if (d.kind == DependencyKind::control) continue;
      if (!d.features.empty() && std::find(d.features.begin(), d.features.end(), feature) == d.features.end()) continue;
      const int to = service_index(d.to);
      if (to < 0) continue;
      const double sent = d.calls * (d.cache.enabled ? 1 - d.cache.hit_ratio : 1);
      calls += sent * (1 + calls_below(to, feature, depth + 1, path));
    }
    path.erase(service);
    calls_memo_[service] = calls;
    return calls;
  }

  void traffic() {
    // The mean of the rate over the run, surges included, sampled finely enough for every shape.
    const TrafficShape shape(s_, std::max<int>(1, int(t_.regions.size())));
    constexpr int kSamples = 2048;
    double sum = 0;
    for (int i = 0; i < kSamples; ++i) sum += shape.rate_at((i + 0.5) * T_ / kSamples);
    double rate = sum / kSamples;
    for (const Fault& f : s_.faults)
      if (f.kind == FaultKind::traffic_surge && f.factor > 1 && f.at < T_)
        rate += s_.traffic.rate * (f.factor - 1) * (std::min(T_, f.at + f.duration.value_or(T_)) - f.at) / T_;
    double total_share = 0, calls = 0;
    for (const Feature& f : s_.features) total_share += f.share;
    for (const Feature& f : s_.features) {
      const int entry = service_index(f.entry);
      if (entry < 0 || total_share <= 0) continue;
      std::set<int> path;
      calls_memo_.clear();
      calls += f.share / total_share * (1 + calls_below(entry, f.name, 0, path));
    }
    const double requests = rate * T_;
    const double events = requests * (1 + kEventsPerAttempt * calls);
    // About a second's worth of requests in flight (an overloaded platform holds more, for a while).
    const double in_flight = std::min(requests, rate * std::min(1.0, T_));
    add("traffic.rate",
        {},
        fmt::format("{} user requests/s for {} (scenario.duration), {:.3g} service calls each", count_text(rate),
                    time_text(T_), calls),
        events, in_flight * kBytesPerRequestInFlight);
    add("traffic.sample_users", {}, fmt::format("{} simulated users", s_.traffic.sample_users), 0,
        double(s_.traffic.sample_users) * kBytesPerSampleUser);
  }

  void platform() {
    const double hosts = double(t_.hosts.size()), replicas = double(t_.replicas.size()),
                 services = double(s_.services.size());
    // The zone with the most hosts and the service with the most replicas stand for the keys.
    const Zone* widest = nullptr;
    for (const Zone& z : s_.zones)
      if (!widest || z.hosts > widest->hosts) widest = &z;
    add(widest ? "zone." + widest->name + ".hosts" : "zone", widest ? widest->source : Source{},
        fmt::format("{} hosts", count_text(hosts)), 0, hosts * kBytesPerHost);
    const Service* biggest = nullptr;
    std::size_t biggest_replicas = 0;
    for (std::size_t sv = 0; sv < s_.services.size(); ++sv)
      if (t_.service_replicas[sv].size() > biggest_replicas) {
        biggest = &s_.services[sv];
        biggest_replicas = t_.service_replicas[sv].size();
      }
    add(biggest ? "service." + biggest->name + ".replicas" : "service", biggest ? biggest->source : Source{},
        fmt::format("{} replicas in all", count_text(replicas)), 0, replicas * kBytesPerReplica);
    // Per service: its own state, and what it keeps per caller replica, zone, region and feature
    // (round-robin cursors, replica lists): the term that grows with services x replicas.
    const double per_service = kBytesPerService + 4 * (replicas + 1) +
                               24 * (2 * double(t_.zones.size()) + double(t_.regions.size()) +
                                     2 * double(s_.features.size()));
    add("service", {}, fmt::format("{} services, each with state per caller replica ({})", count_text(services),
                                   count_text(replicas)),
        0, services * per_service);
  }

  void buckets() {
    const double buckets = std::ceil(T_ / s_.info.bucket);
    const double series = double(s_.features.size()) + double(std::max<std::size_t>(1, s_.traffic.segments.size())) +
                          double(std::max<std::size_t>(1, t_.regions.size()));
    add("scenario.bucket", s_.info.source,
        fmt::format("{} buckets of {} over {} ({} services, {} features, segments and regions)", count_text(buckets),
                    time_text(s_.info.bucket), time_text(T_), s_.services.size(), count_text(series)),
        buckets * (1 + double(s_.monitors.size())),
        buckets * (double(s_.services.size()) * kBytesPerServiceBucket + series * kBytesPerSeriesBucket));
  }

  // How many targets of fault f fail one by one when it happens by chance.
  double units_of(const Fault& f) const {
    const FaultUnit unit = fault_unit(f.kind);
    if (unit == FaultUnit::none) return 1;
    const FaultTarget target = parse_fault_target(f.target);
    std::set<int> hosts, replicas;
    const auto take_service = [&](int sv) {
      for (int r : t_.service_replicas[std::size_t(sv)]) {
        replicas.insert(r);
        hosts.insert(t_.replicas[std::size_t(r)].host);
      }
    };
    const auto take_zone = [&](int z) {
      for (int h : t_.zone_hosts[std::size_t(z)]) {
        hosts.insert(h);
        for (int r : t_.host_replicas[std::size_t(h)]) replicas.insert(r);
      }
    };
    if (target.form == FaultTarget::Form::tag) {
      for (std::size_t sv = 0; sv < s_.services.size(); ++sv)
        for (const std::string& tag : s_.services[sv].tags)
          if (tag == target.first) take_service(int(sv));
      for (std::size_t z = 0; z < s_.zones.size(); ++z)
        for (const std::string& tag : s_.zones[z].tags)
          if (tag == target.first) take_zone(t_.zone_index(s_.zones[z].name));
    } else if (target.form == FaultTarget::Form::rack) {
      if (const int z = t_.zone_index(target.first); z >= 0) {
        take_zone(z);
        const int racks = std::max(1, s_.zones[std::size_t(z)].racks);
        return std::ceil(double(unit == FaultUnit::host ? hosts.size() : replicas.size()) / racks);
      }
    } else if (target.form == FaultTarget::Form::name) {
      if (const int sv = service_index(target.first); sv >= 0) take_service(sv);
      else if (const int z = t_.zone_index(target.first); z >= 0) take_zone(z);
      else if (const int region = t_.region_index(target.first); region >= 0) {
        for (std::size_t z = 0; z < t_.zones.size(); ++z)
          if (t_.zone_region[z] == region) take_zone(int(z));
      } else if (const int h = t_.host_index(target.first); h >= 0) {
        hosts.insert(h);
        for (int r : t_.host_replicas[std::size_t(h)]) replicas.insert(r);
      }
    }
    const double n = std::max<double>(1, double(unit == FaultUnit::host ? hosts.size() : replicas.size()));
    switch (f.mode) {
      case SelectorMode::one: return 1;
      case SelectorMode::fixed: return std::min(n, std::max(1.0, f.value));
      case SelectorMode::percent: return std::ceil(n * f.value / 100);
      case SelectorMode::all: return n;
    }
    return n;
  }

  // Occurrences of fault i over the run (`after` chains follow their trigger).
  double occurrences(int i, int depth = 0) {
    if (auto it = occurrences_.find(i); it != occurrences_.end()) return it->second;
    const Fault& f = s_.faults[std::size_t(i)];
    double n = 0;
    if (f.random) {
      const double cycle = std::max(1e-12, f.random->failure.expected() + f.random->repair.expected());
      n = units_of(f) * (T_ / cycle + 1);
    } else if (!f.after.empty()) {
      const Fault* trigger = s_.find_fault(f.after);
      n = trigger && depth < int(s_.faults.size()) ? occurrences(int(trigger - s_.faults.data()), depth + 1) : 0;
    } else if (f.at < T_) {
      n = f.every && *f.every > 0 ? std::floor((T_ - f.at) / *f.every) + 1 : 1;
    }
    occurrences_[i] = n;
    return n;
  }

  void faults() {
    for (std::size_t i = 0; i < s_.faults.size(); ++i) {
      const Fault& f = s_.faults[i];
      const double n = occurrences(int(i));
      std::string key = "fault." + f.name, what;
      if (f.random) {
        const bool mttf = f.random->failure.kind == Distribution::Kind::exponential;
        key += mttf ? ".mttf" : ".failure";
        what = fmt::format("{} targets failing about every {} (mean time to failure and repair) over {}: {} failures",
                           count_text(units_of(f)),
                           time_text(f.random->failure.expected() + f.random->repair.expected()), time_text(T_),
                           count_text(n));
      } else if (!f.after.empty()) {
        key += ".after";
        what = fmt::format("one occurrence for each of '{}': {}", f.after, count_text(n));
      } else if (f.every) {
        key += ".every";
        what = fmt::format("an occurrence every {} from {} to {}: {}", time_text(*f.every), time_text(f.at),
                           time_text(T_), count_text(n));
      } else {
        key += ".at";
        what = "one occurrence";
      }
      add(key, f.source, what, n * kEventsPerOccurrence, n * kBytesPerOccurrence);
    }
  }

  // Things the model does on a clock, whatever the traffic.
  void periodic() {
    for (const Dependency& d : s_.dependencies) {
      const std::string edge = "dependency." + d.from + "->" + d.to;
      if (d.kind == DependencyKind::control && d.refresh > 0)
        add(edge + ".refresh", d.source, fmt::format("a refresh every {}", time_text(d.refresh)),
            T_ / d.refresh * (1 + kEventsPerAttempt), 0);
      if (d.cache.enabled && d.cache.refresh > 0)
        add(edge + ".cache.refresh", d.source, fmt::format("a cache refresh every {}", time_text(d.cache.refresh)),
            T_ / d.cache.refresh * (1 + kEventsPerAttempt), 0);
    }
    for (const Service& svc : s_.services) {
      if (svc.autoscaling.enabled && svc.autoscaling.interval > 0)
        add("service." + svc.name + ".autoscaling.interval", svc.source,
            fmt::format("a decision every {}, a sample every second", time_text(svc.autoscaling.interval)),
            T_ / svc.autoscaling.interval + T_, 0);
      if (svc.failover.enabled && svc.health_check.interval > 0)
        add("service." + svc.name + ".health_check.interval", svc.source,
            fmt::format("a failover probe every {}", time_text(svc.health_check.interval)),
            T_ / svc.health_check.interval, 0);
    }
    bool shared_links = !s_.network.devices.empty();
    for (const LinkOverride& l : s_.network.links) shared_links |= l.bandwidth.has_value();
    if (shared_links && s_.network.sync_interval > 0)
      add("network.sync_interval", {}, fmt::format("links' shares every {}", time_text(s_.network.sync_interval)),
          T_ / s_.network.sync_interval, 0);
    for (const Fault& f : s_.faults)
      if (f.kind == FaultKind::memory_leak) {
        add("fault." + f.name + ".leak", f.source, "memory grows once a second", T_, 0);
        break;
      }
  }

  const Scenario& s_;
  const Topology t_;
  const double T_;
  std::vector<EstimateDriver> drivers_;
  std::map<int, double> occurrences_;
  std::map<std::string, int> index_;
  std::vector<std::vector<int>> out_;  // by service: the dependencies it calls
  std::map<int, double> calls_memo_;   // by service, for the feature being walked
};

}  // namespace

RunEstimate estimate_run(const Scenario& s) { return Estimator(s).run(); }

}  // namespace faultline
