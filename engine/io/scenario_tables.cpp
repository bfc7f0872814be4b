#include "io/scenario_tables.hpp"

#include "io/diagnostic_list.hpp"
#include "io/duration.hpp"
#include "io/scenario_reader.hpp"
#include "io/schema.hpp"
#include "io/toml.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <stdexcept>

namespace faultline {

namespace {

using nlohmann::ordered_json;

std::string child_path(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

bool is_table_type(ValueType t) {
  return t == ValueType::section || t == ValueType::table || t == ValueType::map;
}

bool is_array_type(ValueType t) { return t == ValueType::section_array || t == ValueType::table_array; }

// A table whose presence is a switch stays null when absent (the schema says "Present: ...").
bool presence_switches(const SchemaKey& key) { return key.doc.find("Present:") != std::string_view::npos; }

ordered_json table_json(const toml::table* table, const std::string& path);

double seconds_of(const std::string& text) {
  const auto parsed = parse_duration(text);
  if (const Seconds* s = std::get_if<Seconds>(&parsed)) return *s;
  throw std::logic_error("a validated duration does not parse: " + text);  // the loader checked it
}

// A value of the file as JSON, by what the schema says the key at `path` holds.
ordered_json value_json(const toml::node& node, const std::string& path) {
  const SchemaKey* key = find_schema_key(path);
  const ValueType type = key ? key->type : ValueType::string;
  if (const toml::table* t = node.as_table()) {
    if (type == ValueType::distribution) return table_json(t, "<distribution>");
    if (type == ValueType::map) {
      ordered_json out = ordered_json::object();
      for (const auto& [k, v] : *t) out[std::string(k.str())] = value_json(v, path + ".*");
      return out;
    }
    return table_json(t, path);
  }
  if (const toml::array* a = node.as_array()) {
    ordered_json out = ordered_json::array();
    const std::string element = is_array_type(type) && !path.ends_with("[]") ? path + "[]" : path;
    for (const toml::node& v : *a) {
      if (const toml::table* t = v.as_table()) out.push_back(table_json(t, element));
      else out.push_back(value_json(v, element));
    }
    return out;
  }
  if (const auto* s = node.as_string()) {
    const bool timed = type == ValueType::duration || type == ValueType::distribution ||
                       (path.starts_with("<distribution>.") && path != "<distribution>.dist");
    return timed ? ordered_json(seconds_of(s->get())) : ordered_json(s->get());
  }
  if (const auto* i = node.as_integer()) {
    if (type == ValueType::number) return double(i->get());
    return i->get();
  }
  if (const auto* f = node.as_floating_point()) return f->get();
  if (const auto* b = node.as_boolean()) return b->get();
  return nullptr;
}

// The value a key has when the file does not give it.
ordered_json default_json(const SchemaKey& key, const std::string& path) {
  if (is_table_type(key.type) && key.type != ValueType::map) {
    if (presence_switches(key)) return nullptr;
    return table_json(nullptr, path);
  }
  if (is_array_type(key.type) || key.type == ValueType::map)
    return key.type == ValueType::map ? ordered_json::object() : ordered_json::array();
  if (key.default_value.empty()) return nullptr;
  const toml::table literal = toml::parse(fmt::format("v = {}", key.default_value));
  return value_json(*literal.get("v"), path);
}

// Every key the schema declares for the table at `path`, in schema order, as given or by default
// (`table` null: the table is absent).
ordered_json table_json(const toml::table* table, const std::string& path) {
  ordered_json out = ordered_json::object();
  for (std::string_view key : schema_children(path)) {
    std::string p = child_path(path, key);
    const SchemaKey* row = find_schema_key(p);
    if (!row && (row = find_schema_key(p + "[]"))) p += "[]";  // an array of tables: "service[]"
    if (!row) continue;
    const toml::node* given = table ? table->get(key) : nullptr;
    out[std::string(key)] = given ? value_json(*given, p) : default_json(*row, p);
  }
  return out;
}

}  // namespace

std::string scenario_tables_json(std::string_view text, const std::string& origin, const Overrides& overrides) {
  DiagnosticList out(origin);
  std::map<std::string, std::string> applied;
  const toml::table tree = parse_scenario(text, origin, overrides, out, applied);
  read_scenario(tree, out);  // every check: what follows reads a valid file
  if (!out.empty()) throw ScenarioError(out.in_file_order());
  return table_json(&tree, "").dump();
}

}  // namespace faultline
