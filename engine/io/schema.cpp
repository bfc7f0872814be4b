#include "io/schema.hpp"
#include "io/schema_rows.hpp"

#include "io/duration.hpp"
#include "io/loader.hpp"
#include "scenario/errors.hpp"
#include "scenario/status.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

namespace faultline {

namespace {

std::vector<SchemaKey> build_schema() {
  std::vector<SchemaKey> out = schema_rows::platform();
  std::vector<SchemaKey> workload = schema_rows::workload();
  out.insert(out.end(), workload.begin(), workload.end());
  return out;
}

std::string_view parent_of(std::string_view path) {
  const auto dot = path.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : path.substr(0, dot);
}

std::string_view last_segment(std::string_view path) {
  const auto dot = path.rfind('.');
  std::string_view name = dot == std::string_view::npos ? path : path.substr(dot + 1);
  if (name.ends_with("[]")) name.remove_suffix(2);
  return name;
}


std::string bound_value(const SchemaKey& key, double v) {
  if (key.type == ValueType::duration || key.type == ValueType::distribution) return format_duration(v);
  return fmt::format("{}", v);
}

}  // namespace

const std::vector<SchemaKey>& schema_keys() {
  static const std::vector<SchemaKey> keys = build_schema();
  return keys;
}

namespace {

// The rows by path and by the table that holds them, made once: every table of a scenario looks its
// keys up here (a file of 100,000 services reads millions of keys).
struct SchemaIndex {
  std::unordered_map<std::string_view, const SchemaKey*> by_path;
  std::unordered_map<std::string_view, std::vector<const SchemaKey*>> children;
  SchemaIndex() {
    for (const SchemaKey& k : schema_keys()) {
      by_path.emplace(k.path, &k);  // the first row of a path, as a walk in schema order finds it
      if (!last_segment(k.path).starts_with('<')) children[parent_of(k.path)].push_back(&k);
    }
  }
};

const SchemaIndex& schema_index() {
  static const SchemaIndex index;
  return index;
}

}  // namespace

const SchemaKey* find_schema_key(std::string_view path) {
  const auto& by_path = schema_index().by_path;
  const auto it = by_path.find(path);
  return it == by_path.end() ? nullptr : it->second;
}

const std::vector<const SchemaKey*>& schema_child_rows(std::string_view table_path) {
  static const std::vector<const SchemaKey*> none;
  const auto& children = schema_index().children;
  const auto it = children.find(table_path);
  return it == children.end() ? none : it->second;
}

std::vector<std::string_view> schema_children(std::string_view table_path) {
  std::vector<std::string_view> out;
  for (const SchemaKey* k : schema_child_rows(table_path)) out.push_back(last_segment(k->path));
  return out;
}

std::string_view schema_key_name(std::string_view path) { return last_segment(path); }

SchemaKey& SchemaKey::into(FieldBinding b) {
  if (std::find(b.accepts.begin(), b.accepts.end(), type) == b.accepts.end())
    throw InternalError(fmt::format("schema row {} is bound to a field of another type", path));
  if (!b.choices.empty()) {
    if (!choices.empty() && choices != b.choices)
      throw InternalError(fmt::format("schema row {} lists other choices than its field's", path));
    choices = b.choices;
  }
  binding = std::move(b);
  return *this;
}

std::string describe_bounds(const SchemaKey& key) {
  if (key.min && key.max && key.min->inclusive && key.max->inclusive)
    return fmt::format("{} .. {}", bound_value(key, key.min->value), bound_value(key, key.max->value));
  std::vector<std::string> parts;
  if (key.min) parts.push_back(fmt::format("{} {}", key.min->inclusive ? ">=" : ">", bound_value(key, key.min->value)));
  if (key.max) parts.push_back(fmt::format("{} {}", key.max->inclusive ? "<=" : "<", bound_value(key, key.max->value)));
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string describe_type(const SchemaKey& key) {
  switch (key.type) {
    case ValueType::section:
    case ValueType::table: return "table";
    case ValueType::section_array:
    case ValueType::table_array: return "array of tables";
    case ValueType::map: return "table";
    case ValueType::string: return "string";
    case ValueType::name: return "name";
    case ValueType::name_list: return "list of names";
    case ValueType::string_list: return "list of strings";
    case ValueType::choice: {
      std::vector<std::string> quoted;
      for (std::string_view c : key.choices) quoted.push_back(fmt::format("`\"{}\"`", c));
      return fmt::format("one of {}", fmt::join(quoted, ", "));
    }
    case ValueType::status: return "status name";
    case ValueType::integer: return "integer";
    case ValueType::number: return "number";
    case ValueType::boolean: return "boolean";
    case ValueType::duration: return "duration";
    case ValueType::distribution: return "duration or distribution";
  }
  throw InternalError("unhandled schema value type");
}

const std::vector<std::string_view>& retry_conditions() {
  static const std::vector<std::string_view> conditions = {"5xx",     "gateway-error", "reset",
                                                           "connect-failure", "timeout", "rejected"};
  return conditions;
}

}  // namespace faultline
