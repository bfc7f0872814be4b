#include "model/random.hpp"

#include "scenario/fnv1a.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/weibull_distribution.hpp>

#include <cmath>

namespace faultline {

std::uint64_t stream_seed(std::uint64_t run_seed, std::string_view entity) {
  // FNV-1a over the name, mixed with the seed through splitmix64's finaliser.
  std::uint64_t z = fnv1a(entity, kFaultlineBasis) ^ (run_seed + 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double RandomStream::uniform() {
  // 53 random bits -> [0, 1): exact and identical everywhere.
  return double(engine_() >> 11) * (1.0 / 9007199254740992.0);
}

double RandomStream::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

double RandomStream::exponential(double mean) {
  if (mean <= 0) return 0;
  return -mean * std::log1p(-uniform());
}

std::uint64_t RandomStream::below(std::uint64_t n) {
  if (n <= 1) return 0;
  return boost::random::uniform_int_distribution<std::uint64_t>(0, n - 1)(engine_);
}

std::uint64_t RandomStream::poisson(double mean) {
  if (!(mean > 0)) return 0;
  return boost::random::poisson_distribution<std::uint64_t, double>(mean)(engine_);
}

double RandomStream::sample(const Distribution& d) {
  switch (d.kind) {
    case Distribution::Kind::constant: return d.mean;
    case Distribution::Kind::exponential: return exponential(d.mean);
    case Distribution::Kind::lognormal: {
      if (d.mean <= 0) return 0;
      if (d.stddev <= 0) return d.mean;
      // Parameters of the underlying normal from the mean and stddev of the variable itself.
      double var = std::log1p((d.stddev * d.stddev) / (d.mean * d.mean));
      double mu = std::log(d.mean) - var / 2;
      return boost::random::lognormal_distribution<double>(mu, std::sqrt(var))(engine_);
    }
    case Distribution::Kind::uniform: return uniform(d.min, d.max);
    case Distribution::Kind::weibull:
      return boost::random::weibull_distribution<double>(d.shape, d.scale)(engine_);
  }
  return d.mean;
}

}  // namespace faultline
