// Detection by the users themselves (posts on social media, support tickets), outside every
// monitoring pipeline: at each bucket's end the affected users are estimated from the share of user
// requests that failed, each reports at a rate, and the reports of the last `window` are weighed
// against a threshold. The more users are affected, the sooner the threshold is reached.
#pragma once

#include "model/random.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <vector>

namespace faultline {

class UserReportPath {
 public:
  UserReportPath(const UserReports& config, double users, double bucket, std::uint64_t run_seed);

  bool enabled() const { return config_.enabled; }
  // The bucket that just closed, in which `failed_share` of the user requests failed. True the first
  // time the reports within the window reach the threshold (again only after reset()).
  bool add_bucket(double failed_share);
  // An incident was resolved: what users said about it is no news for the next one.
  void reset();
  double escalate_delay() { return rng_.sample(config_.escalate); }

  std::uint64_t in_window() const { return in_window_; }
  double affected() const { return affected_; }  // estimate of the last bucket
  const std::vector<std::uint64_t>& by_bucket() const { return by_bucket_; }

 private:
  UserReports config_;
  double users_, bucket_;
  RandomStream rng_;
  std::vector<std::uint64_t> ring_;  // reports of the last buckets within the window
  std::size_t next_ = 0;
  std::uint64_t in_window_ = 0;
  double affected_ = 0;
  bool reached_ = false;
  std::vector<std::uint64_t> by_bucket_;
};

}  // namespace faultline
