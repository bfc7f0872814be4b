// Numbers computed in a forked child (a SimGrid run: one Engine per process) and handed back to the
// test exactly, as text with 17 significant digits.
#pragma once

#include "simulation/child_process.hpp"

#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace faultline::testing {

inline std::vector<double> numbers_in_child(const std::function<std::vector<double>()>& work) {
  const std::string bytes = run_in_child_process([&](const ProgressSink&) {
    std::ostringstream out;
    out.precision(17);
    for (double x : work()) out << x << "\n";
    return out.str();
  });
  std::vector<double> numbers;
  std::istringstream in(bytes);
  for (double x; in >> x;) numbers.push_back(x);
  return numbers;
}

}  // namespace faultline::testing
