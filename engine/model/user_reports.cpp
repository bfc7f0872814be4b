#include "model/user_reports.hpp"

#include <algorithm>
#include <cmath>

namespace faultline {

UserReportPath::UserReportPath(const UserReports& config, double users, double bucket, std::uint64_t run_seed)
    : config_(config), users_(users), bucket_(bucket), rng_(run_seed, "incident.user_reports") {
  if (!config_.enabled) return;
  // Whole buckets: a window of 15 minutes at 1-minute buckets is the last 15 of them.
  const auto buckets = std::size_t(std::max(1.0, std::ceil(config_.window / bucket_ - 1e-9)));
  ring_.assign(buckets, 0);
}

bool UserReportPath::add_bucket(double failed_share) {
  if (!config_.enabled) return false;
  affected_ = users_ * std::clamp(failed_share, 0.0, 1.0);
  const std::uint64_t reports = rng_.poisson(affected_ * config_.rate * bucket_ / 3600.0);
  by_bucket_.push_back(reports);
  in_window_ += reports;
  in_window_ -= ring_[next_];
  ring_[next_] = reports;
  next_ = (next_ + 1) % ring_.size();
  if (reached_ || double(in_window_) < config_.threshold) return false;
  reached_ = true;
  return true;
}

void UserReportPath::reset() {
  std::fill(ring_.begin(), ring_.end(), 0);
  in_window_ = 0;
  reached_ = false;
}

}  // namespace faultline
