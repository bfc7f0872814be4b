// Random streams that give the same numbers on every machine: each stream is seeded from the run's
// seed and the name of the entity that draws from it (never from iteration order), and distributions
// come from Boost.Random, whose algorithms are fixed (std:: distributions are implementation-defined).
#pragma once

#include "scenario/distribution.hpp"

#include <boost/random/mersenne_twister.hpp>

#include <cstdint>
#include <string_view>

namespace faultline {

std::uint64_t stream_seed(std::uint64_t run_seed, std::string_view entity);

class RandomStream {
 public:
  RandomStream() : RandomStream(0, "") {}
  RandomStream(std::uint64_t run_seed, std::string_view entity) : engine_(stream_seed(run_seed, entity)) {}

  double uniform();                       // [0, 1)
  double uniform(double lo, double hi);   // [lo, hi)
  double exponential(double mean);
  bool bernoulli(double p) { return uniform() < p; }
  std::uint64_t below(std::uint64_t n);   // uniform integer in [0, n)
  std::uint64_t poisson(double mean);     // events of a Poisson process over a span with this mean
  double sample(const Distribution& d);

 private:
  boost::random::mt19937_64 engine_;
};

}  // namespace faultline
