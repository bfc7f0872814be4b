#include "model/round_robin_cursors.hpp"

namespace faultline {

RoundRobinCursors::RoundRobinCursors(const Topology& t)
    : callers_(t.replicas.size()), block_size_(t.service_replicas.size()), users_(t.service_replicas.size(), 0),
      blocks_(t.service_replicas.size()) {
  for (std::size_t sv = 0; sv < t.service_replicas.size(); ++sv) {
    const std::vector<int>& reps = t.service_replicas[sv];
    block_size_[sv] = std::uint32_t(reps.size());
    for (std::size_t i = 0; i < reps.size(); ++i) callers_[std::size_t(reps[i])] = Caller{int(sv), std::uint32_t(i)};
  }
}

std::uint32_t RoundRobinCursors::new_block(int callee, int caller_service) {
  const std::uint32_t offset = std::uint32_t(cursors_.size());
  cursors_.resize(cursors_.size() + block_size_[std::size_t(caller_service)], 0);
  blocks_[std::size_t(caller_service)].push_back(Block{callee, offset});
  return offset;
}

}  // namespace faultline
