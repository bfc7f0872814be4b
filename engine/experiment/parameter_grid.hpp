// A parameter grid: `--param KEY=V1,V2,...` (repeatable) as the cartesian product of override sets.
// Points are numbered like nested loops over the parameters in the order given, the last one
// innermost, so point numbers do not depend on anything but the command line.
#pragma once

#include "io/loader.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

struct Parameter {
  std::string key;                  // a --set key: "service.api.replicas"
  std::vector<std::string> values;  // --set value texts, in the order given
};

// A --param that does not parse, repeats a key or lists a value twice: the user's mistake.
struct ParameterError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// "KEY=V1,V2,...". Commas inside brackets, braces or quotes belong to a value, so a TOML array or
// inline table is one value: `service.api.zones=["a","b"],["c"]` has two. Throws ParameterError.
Parameter parse_parameter(std::string_view text);

class ParameterGrid {
 public:
  ParameterGrid() = default;
  explicit ParameterGrid(std::vector<Parameter> parameters);  // throws ParameterError

  const std::vector<Parameter>& parameters() const { return parameters_; }
  std::size_t size() const;  // number of points: 1 (no override) when there is no parameter

  // The overrides of point i (0 <= i < size()), one per parameter, in parameter order.
  Overrides point(std::size_t i) const;
  // Just the values of point i, in parameter order.
  std::vector<std::string> values(std::size_t i) const;

 private:
  std::vector<Parameter> parameters_;
};

}  // namespace faultline
