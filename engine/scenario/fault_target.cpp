#include "scenario/fault_target.hpp"

#include <algorithm>
#include <charconv>

namespace faultline {

namespace {
// A small non-negative index, or -1.
int index_of(std::string_view digits) {
  if (digits.empty() || digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return -1;
  int value = -1;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}
}  // namespace

FaultTarget parse_fault_target(std::string_view text) {
  FaultTarget t;
  constexpr std::string_view tag_prefix = "tag:", link = "<->", arrow = "->", rack = "/rack";
  if (text.starts_with(tag_prefix)) {
    t.form = FaultTarget::Form::tag;
    t.first = text.substr(tag_prefix.size());
  } else if (const auto at = text.find(link); at != std::string_view::npos) {
    t.form = FaultTarget::Form::link;
    t.first = text.substr(0, at);
    t.second = text.substr(at + link.size());
  } else if (const auto at = text.find(arrow); at != std::string_view::npos) {
    t.form = FaultTarget::Form::dependency;
    t.first = text.substr(0, at);
    t.second = text.substr(at + arrow.size());
  } else if (const auto at = text.find(rack); at != std::string_view::npos) {
    t.form = FaultTarget::Form::rack;
    t.first = text.substr(0, at);
    t.rack = index_of(text.substr(at + rack.size()));
  } else {
    t.first = text;
  }
  return t;
}

HostName parse_host_name(std::string_view text) {
  const auto dash = text.rfind("-h");
  if (dash == std::string_view::npos) return {};
  const int index = index_of(text.substr(dash + 2));
  if (index < 0) return {};
  return {std::string(text.substr(0, dash)), index};
}

}  // namespace faultline
