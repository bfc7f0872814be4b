// "simulating 45% (1:21:00 of 3:00:00)" on stderr, rewritten in place. Only for a terminal: in a
// pipe or a log it would be noise, so it stays silent there.
#pragma once

namespace faultline::cli {

class ProgressLine {
 public:
  ProgressLine(double duration, bool enabled);
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine();

  void update(double sim_time);  // redraws only when the whole percentage changes
  void finish();                 // erases the line

  static bool stderr_is_terminal();

 private:
  double duration_;
  bool enabled_;
  int shown_percent_ = -1;
};

}  // namespace faultline::cli
