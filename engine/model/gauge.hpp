// A level that changes at events (connections in use, calls waiting) and its integral over time,
// taken bucket by bucket: the mean level over a bucket is take() / its length.
#pragma once

namespace faultline {

class Gauge {
 public:
  void set(double now, double v) {
    area_ += value_ * (now - last_);
    last_ = now;
    value_ = v;
  }
  void add(double now, double d) { set(now, value_ + d); }
  double value() const { return value_; }
  // The integral since the last take (up to now, or to the last change if that was later).
  double take(double now) {
    set(now > last_ ? now : last_, value_);
    const double a = area_;
    area_ = 0;
    return a;
  }

 private:
  double value_ = 0, area_ = 0, last_ = 0;
};

}  // namespace faultline
