#include "io/overrides.hpp"

#include "io/table_reader.hpp"
#include "io/toml_guard.hpp"

#include <fmt/format.h>

#include <charconv>
#include <optional>

namespace faultline {

namespace {

// "3", "\"2s\"", "true" and "[1, 2]" are TOML values; anything else (2h, auth) is meant as a string.
toml::table parse_value(const std::string& text) {
  const std::string document = fmt::format("v = {}", text);
  try {
    if (!toml_guard(document)) {  // else not TOML: a string (and toml++ 3.3 must not see it)
      toml::table parsed = toml::parse(document);
      if (parsed.size() == 1 && parsed.contains("v")) return parsed;
    }
  } catch (const toml::parse_error&) {
  }
  toml::table as_string;
  as_string.insert("v", text);
  return as_string;
}

// Sets `key` to `value` in the tree; the reason it cannot, otherwise. Copying the value drops its
// source position, which is how diagnostics later know it came from --set.
std::optional<std::string> set_value(toml::table& root, std::string_view key, const toml::node& value) {
  toml::table* table = &root;
  std::size_t pos = 0;
  while (true) {
    const std::size_t end = key.find_first_of(".[", pos);
    const std::string_view segment = key.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    const std::string_view walked = key.substr(0, end);
    if (segment.empty()) return "empty key in the path";
    if (end == std::string_view::npos) {
      table->insert_or_assign(segment, value);
      return std::nullopt;
    }
    toml::node* child = table->get(segment);

    if (key[end] == '[') {
      const std::size_t close = key.find(']', end);
      std::size_t index = 0;
      const char* first = key.data() + end + 1;
      const char* last = key.data() + (close == std::string_view::npos ? key.size() : close);
      const auto [stop, ec] = std::from_chars(first, last, index);
      if (close == std::string_view::npos || ec != std::errc() || stop != last)
        return fmt::format("expected an index like {}[2]", walked);
      auto* array = child ? child->as_array() : nullptr;
      if (!array || !array->is_array_of_tables()) return fmt::format("'{}' is not an array of tables", walked);
      if (index >= array->size())
        return fmt::format("index {} is out of range: there are {} {} entries", index, array->size(), segment);
      table = array->get(index)->as_table();
      pos = close + 1;
    } else {
      pos = end + 1;
      if (!child) {
        table = table->insert(segment, toml::table{}).first->second.as_table();
        continue;
      }
      if (auto* t = child->as_table()) {
        table = t;
        continue;
      }
      auto* array = child->as_array();
      if (!array || !array->is_array_of_tables()) return fmt::format("'{}' is not a table", walked);
      // Names may contain dots, so the element is the one whose name is the longest prefix of the rest.
      const std::string_view rest = key.substr(pos);
      toml::table* best = nullptr;
      std::size_t best_length = 0, same = 0;
      std::vector<std::string> known;
      for (toml::node& element : *array) {
        const std::optional<std::string> name = element_name(*element.as_table(), segment);
        if (!name) continue;
        const std::string& n = *name;
        known.push_back(n);
        if (rest.starts_with(n) && (rest.size() == n.size() || rest[n.size()] == '.') && n.size() >= best_length) {
          same = n.size() == best_length ? same + 1 : 1;
          best = element.as_table();
          best_length = n.size();
        }
      }
      if (!best) {
        const std::string_view wanted = rest.substr(0, rest.find('.'));
        return fmt::format("no {} named '{}'; known: {}", segment, wanted, known_list(known));
      }
      if (same > 1)
        return fmt::format("{} entries of {} are named '{}': address one by its index, {}[i]", same, segment,
                           rest.substr(0, best_length), segment);
      table = best;
      pos += best_length;
    }
    if (pos == key.size()) return fmt::format("'{}' is a whole table; an override sets one value in it", key);
    if (key[pos] != '.') return fmt::format("expected '.' after '{}'", key.substr(0, pos));
    ++pos;
  }
}

}  // namespace

std::map<std::string, std::string> apply_overrides(toml::table& root, const Overrides& overrides, DiagnosticList& out) {
  std::map<std::string, std::string> applied;
  for (const auto& [key, value] : overrides) {
    const toml::table parsed = parse_value(value);
    if (const auto problem = set_value(root, key, *parsed.get("v"))) {
      out.add_override(key, *problem);
      continue;
    }
    applied[key] = value;
  }
  return applied;
}

}  // namespace faultline
