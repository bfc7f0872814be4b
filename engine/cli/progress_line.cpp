#include "cli/progress_line.hpp"

#include "report/number_text.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace faultline::cli {

ProgressLine::ProgressLine(double duration, bool enabled) : duration_(duration), enabled_(enabled) {}

ProgressLine::~ProgressLine() { finish(); }

bool ProgressLine::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

void ProgressLine::update(double sim_time) {
  if (!enabled_ || duration_ <= 0) return;
  const int percent = int(std::clamp(sim_time / duration_, 0.0, 1.0) * 100);
  if (percent == shown_percent_) return;
  shown_percent_ = percent;
  // \r back to the start, \x1b[K erases what a longer previous line left behind.
  fmt::print(stderr, "\rsimulating {}% ({} of {})\x1b[K", percent, clock_text(sim_time), clock_text(duration_));
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (!enabled_ || shown_percent_ < 0) return;
  fmt::print(stderr, "\r\x1b[K");
  std::fflush(stderr);
  shown_percent_ = -1;
}

}  // namespace faultline::cli
