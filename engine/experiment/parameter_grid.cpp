#include "experiment/parameter_grid.hpp"

#include <algorithm>
#include <limits>

namespace faultline {

namespace {

// Splits at commas that are not inside [], {} or a quoted string.
std::vector<std::string> split_values(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  int depth = 0;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == '\\' && quote == '"' && i + 1 < text.size()) {  // an escaped character stays in the string
        current += c;
        current += text[++i];
        continue;
      }
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if (c == ',' && depth == 0) {
      out.push_back(std::move(current));
      current.clear();
      continue;
    }
    current += c;
  }
  out.push_back(std::move(current));
  return out;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

void check_values(const Parameter& p) {
  if (p.values.empty()) throw ParameterError(p.key + ": no values");
  for (auto v = p.values.begin(); v != p.values.end(); ++v) {
    if (v->empty()) throw ParameterError(p.key + ": an empty value");
    if (std::find(p.values.begin(), v, *v) != v)
      throw ParameterError(p.key + ": value " + quoted(*v) + " is listed twice");
  }
}

}  // namespace

Parameter parse_parameter(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw ParameterError("expected KEY=V1,V2,..., got " + quoted(text));
  Parameter p;
  p.key = std::string(text.substr(0, eq));
  p.values = split_values(text.substr(eq + 1));
  check_values(p);
  return p;
}

ParameterGrid::ParameterGrid(std::vector<Parameter> parameters) : parameters_(std::move(parameters)) {
  std::size_t points = 1;
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Parameter& p = parameters_[i];
    check_values(p);
    for (std::size_t j = 0; j < i; ++j)
      if (parameters_[j].key == p.key) throw ParameterError(p.key + " is given twice");
    if (points > std::numeric_limits<std::size_t>::max() / p.values.size())
      throw ParameterError("the parameter grid has too many points");
    points *= p.values.size();
  }
}

std::size_t ParameterGrid::size() const {
  std::size_t points = 1;
  for (const Parameter& p : parameters_) points *= p.values.size();
  return points;
}

std::vector<std::string> ParameterGrid::values(std::size_t i) const {
  // Mixed radix, the last parameter the least significant digit.
  std::vector<std::string> out(parameters_.size());
  for (std::size_t k = parameters_.size(); k-- > 0;) {
    const auto& values = parameters_[k].values;
    out[k] = values[i % values.size()];
    i /= values.size();
  }
  return out;
}

Overrides ParameterGrid::point(std::size_t i) const {
  const std::vector<std::string> v = values(i);
  Overrides out;
  for (std::size_t k = 0; k < parameters_.size(); ++k) out.emplace_back(parameters_[k].key, v[k]);
  return out;
}

}  // namespace faultline
