// The entries of a cache that can hold bad answers (a fault with poisons_cache upstream): each entry
// was fetched at some time and is fetched again, when next read, once it is due: `refresh` after a
// good fetch, the bad answer's own TTL after a bad one. So a bad answer outlives the fault that gave
// it, and the bad entries go one by one as they come due; a flush makes every entry due at once.
// Reads pick an entry uniformly (a key space read evenly). Pure bookkeeping: the model says what a
// fetch gets.
#pragma once

#include "model/random.hpp"

#include <vector>

namespace faultline {

class CacheEntries {
 public:
  // `count` entries, warm and good, coming due evenly over the first `refresh` (staggered fetches).
  CacheEntries(int count, double refresh, RandomStream& rng);

  // The entry a read gets: the fault whose bad answer it holds, or -1. A due entry is fetched first:
  // fetch() returns {fault or -1, how long a bad answer is kept}.
  template <class Fetch>
  int read(double now, RandomStream& rng, Fetch fetch) {
    Entry& e = entries_[std::size_t(rng.below(entries_.size()))];
    if (now >= e.due) {
      const auto [fault, keep] = fetch();
      e.bad = fault;
      e.due = now + (fault >= 0 ? keep : refresh_);
    }
    return e.bad;
  }

  // Every entry due now: the next read of each fetches it again.
  void flush(double now);
  double bad_share() const;  // of the entries, as fetched so far

 private:
  struct Entry {
    double due = 0;
    int bad = -1;
  };
  std::vector<Entry> entries_;
  double refresh_ = 0;
};

}  // namespace faultline
