#include "model/cache_entries.hpp"

namespace faultline {

CacheEntries::CacheEntries(int count, double refresh, RandomStream& rng) : entries_(std::size_t(count)), refresh_(refresh) {
  for (Entry& e : entries_) e.due = rng.uniform(0, refresh);
}

void CacheEntries::flush(double now) {
  for (Entry& e : entries_) {
    e.due = now;
    e.bad = -1;  // emptied: nothing bad is served until a fetch brings it back
  }
}

double CacheEntries::bad_share() const {
  if (entries_.empty()) return 0;
  std::size_t bad = 0;
  for (const Entry& e : entries_) bad += e.bad >= 0;
  return double(bad) / double(entries_.size());
}

}  // namespace faultline
