// Round-robin cursors, one per callee service and caller (a caller replica, or the users' clients),
// as each Envoy keeps its own. Sized by what is used: a caller service's replicas get a block of
// cursors for a callee the first time one of them calls it, so a platform holds about one block
// per dependency, not services x replicas.
#pragma once

#include "model/topology.hpp"

#include <cstdint>
#include <vector>

namespace faultline {

class RoundRobinCursors {
 public:
  explicit RoundRobinCursors(const Topology& t);

  // The cursor of `caller_replica` (-1: the users) for `service`, 0 until first moved. The reference
  // holds until the next call (a new block may move the others).
  std::uint32_t& at(int service, int caller_replica) {
    if (caller_replica < 0) return users_[std::size_t(service)];
    const Caller& c = callers_[std::size_t(caller_replica)];
    for (const Block& b : blocks_[std::size_t(c.service)])
      if (b.callee == service) return cursors_[b.offset + c.pos];
    return cursors_[new_block(service, c.service) + c.pos];
  }
  std::size_t cursors() const { return users_.size() + cursors_.size(); }

 private:
  struct Caller {
    int service = 0;
    std::uint32_t pos = 0;  // within its service's replicas
  };
  struct Block {
    int callee = 0;
    std::uint32_t offset = 0;
  };
  std::uint32_t new_block(int callee, int caller_service);

  std::vector<Caller> callers_;             // by replica
  std::vector<std::uint32_t> block_size_;   // by service: its replicas
  std::vector<std::uint32_t> users_;        // by callee service
  std::vector<std::vector<Block>> blocks_;  // by caller service
  std::vector<std::uint32_t> cursors_;
};

}  // namespace faultline
