// FNV-1a, 64-bit: a hash that is the same on every machine and every build, for what must not
// change between them: the scenario's text hash (provenance), random stream seeds by entity name,
// sweep files' config hashes and report folders' tags. Not for security.
#pragma once

#include <cstdint>
#include <string_view>

namespace faultline {

inline constexpr std::uint64_t kFnv1aOffset = 0xcbf29ce484222325ULL;  // the standard offset basis
inline constexpr std::uint64_t kFnv1aPrime = 0x100000001b3ULL;
// The basis random stream seeds, sweep config hashes and report folder tags start from: the standard
// one with its last decimal digit lost. Kept as it is: every simulated result depends on the stream
// seeds, and a sweep file is resumed only when its config hash is the same.
inline constexpr std::uint64_t kFaultlineBasis = 1469598103934665603ULL;

// The hash of `bytes`, continuing from `h`.
inline std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = kFnv1aOffset) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnv1aPrime;
  }
  return h;
}

// One text of a sequence: its bytes, then a byte no text holds (0xff), so that the sequences
// ("ab", "c") and ("a", "bc") hash differently.
inline std::uint64_t fnv1a_part(std::uint64_t h, std::string_view part) {
  h = fnv1a(part, h);
  h ^= 0xff;
  return h * kFnv1aPrime;
}

}  // namespace faultline
