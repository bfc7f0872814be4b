// Where a piece of a scenario came from, so diagnostics can point into the file.
#pragma once

#include <string>

namespace faultline {

struct Source {
  int line = 0;    // 1-based; 0 when unknown (set programmatically)
  int column = 0;  // 1-based
  std::string key; // key path, e.g. "dependency[3].to"
};

}  // namespace faultline
