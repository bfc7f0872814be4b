// The scenario file format as data: one row per key (path, type, unit, default, bounds, doc, and
// the scenario field it is read into). The loader checks files against it (unknown keys, types,
// bounds, defaults) and reads every bound key through it (TableReader::fill), and schema_markdown()
// renders it as scenarios/SCHEMA.md, so the documentation cannot drift from what the loader accepts.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

namespace faultline {

class TableReader;

enum class ValueType {
  section,        // a table written under its own [header]
  section_array,  // an array of tables written as [[header]] blocks
  table,          // a table nested in another (usually inline: {a = 1, b = 2})
  table_array,    // an array of inline tables: [{...}, {...}]
  map,            // a table whose keys are data (statuses, regions); its values are described by "<path>.*"
  string,         // free text
  name,           // an identifier: [A-Za-z0-9_.-]+
  name_list,      // a list of identifiers
  string_list,    // a list of strings
  choice,         // one of SchemaKey::choices
  status,         // a status name (engine/scenario/status.hpp)
  integer,
  number,         // integer or floating point
  boolean,
  duration,       // a string with a unit: "250ms"
  distribution,   // a duration (constant) or a distribution table, described under "<distribution>"
};

struct Bound {
  double value = 0;
  bool inclusive = true;
};

// Where a key's value goes in the scenario: a member of the struct `owner` (io/schema_binding.hpp
// makes one from a pointer to member). A row with a binding is read only by TableReader::fill, which
// reads each bound key of a table into the struct the table describes; the reader's hand-written code
// is left with what one row cannot say (references between sections, checks across keys).
struct FieldBinding {
  std::type_index owner = typeid(void);
  std::vector<ValueType> accepts;         // the row types the member can take
  std::vector<std::string_view> choices;  // an enumeration's names, which become the row's choices
  // Reads `key` from the table into the member of `object` (an `owner`); false, leaving it alone,
  // when the key is absent without a default or its value is wrong (after a diagnostic).
  std::function<bool(TableReader& table, std::string_view key, ValueType type, void* object)> read;
};

// Paths use "[]" for the elements of an array of tables ("service[].workers"), "*" for any key of a
// map ("dependency[].error_mapping.*"), and "<distribution>" for the keys of a distribution table,
// wherever one appears.
struct SchemaKey {
  std::string_view path;
  ValueType type = ValueType::string;
  bool required = false;
  std::string_view default_value;  // a TOML literal ("8", "\"1h\"", "true"); empty: none, or computed
  std::string_view default_doc;    // how a computed default is derived ("every zone")
  std::optional<Bound> min, max;   // in seconds for durations
  std::vector<std::string_view> choices;
  std::string_view unit;
  std::string_view doc;
  bool repeats = false;  // a name list whose names may repeat (each repetition counts)
  std::optional<FieldBinding> binding;

  // Chained setters keep the table (schema_platform.cpp, schema_workload.cpp) readable as one row per key.
  SchemaKey& need() { required = true; return *this; }
  SchemaKey& fallback(std::string_view literal) { default_value = literal; return *this; }
  SchemaKey& computed(std::string_view how) { default_doc = how; return *this; }
  SchemaKey& at_least(double v) { min = Bound{v, true}; return *this; }
  SchemaKey& above(double v) { min = Bound{v, false}; return *this; }
  SchemaKey& at_most(double v) { max = Bound{v, true}; return *this; }
  SchemaKey& below(double v) { max = Bound{v, false}; return *this; }
  SchemaKey& within(double lo, double hi) { return at_least(lo).at_most(hi); }
  SchemaKey& one_of(std::vector<std::string_view> c) { choices = std::move(c); return *this; }
  SchemaKey& in(std::string_view u) { unit = u; return *this; }
  SchemaKey& says(std::string_view d) { doc = d; return *this; }
  SchemaKey& repeatable() { repeats = true; return *this; }
  // Binds the row to a scenario field; an InternalError when the field cannot take the row's type.
  SchemaKey& into(FieldBinding b);
};

// Every key, in documentation order (each table follows the table that holds it).
const std::vector<SchemaKey>& schema_keys();

// The row for a path, or nullptr when the key is not part of the format.
const SchemaKey* find_schema_key(std::string_view path);

// The keys a table may hold, in schema order ("" is the top level of the file). A map has the one
// child "*".
std::vector<std::string_view> schema_children(std::string_view table_path);
// The same keys' rows.
const std::vector<const SchemaKey*>& schema_child_rows(std::string_view table_path);
// A key's name in its table: "workers" for "service[].workers", "service" for "service[]".
std::string_view schema_key_name(std::string_view path);

// The bounds as a reader sees them: "1 .. 10000", "> 0s, <= 400d", "" when unbounded.
std::string describe_bounds(const SchemaKey& key);

// How the type reads in documentation and in diagnostics: "integer", "duration", "one of ...".
std::string describe_type(const SchemaKey& key);

// The status names a retry policy may retry on besides the status names themselves.
const std::vector<std::string_view>& retry_conditions();

}  // namespace faultline
