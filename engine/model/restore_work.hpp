// Work with a size processed at a rate: a restore (or rebuild) of items (tenants), each of its own
// size, by `parallelism` streams of at most `rate` units per second each, all of them together at most
// `bandwidth` (a disk or network they share, split evenly between the streams at work, as a fair
// share of one resource is). Streams take the items in order; an item is done when its stream has
// processed its size. Pure arithmetic: the model asks when the next item is done and says when that
// time has come.
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

namespace faultline {

class RestoreWork {
 public:
  // bandwidth <= 0: no shared limit.
  RestoreWork(std::vector<double> sizes, double rate, int parallelism, double bandwidth);

  void start(double now);
  bool started() const { return started_; }
  bool done() const { return started_ && next_item_ >= sizes_.size() && active_ == 0; }
  // When the next item will be done at the current speeds (infinity when none is at work).
  double next_finish() const;
  // Advances to `now` and returns the items done by then (in the order their streams took them).
  std::vector<int> advance(double now);
  // Units per second each stream at work processes now.
  double stream_speed() const;
  // When everything should be done, at the throughput there would be with every stream at work: the
  // estimate a responder makes from the progress so far.
  double estimated_end(double now) const;
  double size_left() const;  // units, at the last advance
  double total_size() const;
  std::size_t items() const { return sizes_.size(); }

 private:
  struct Stream {
    int item = -1;
    double left = 0;
  };
  void assign(Stream& s);

  std::vector<double> sizes_;
  double rate_, bandwidth_;
  std::vector<Stream> streams_;
  std::size_t next_item_ = 0;
  int active_ = 0;
  double at_ = 0;
  bool started_ = false;
};

}  // namespace faultline
