// Reads one TOML table against the schema table: every key it holds must be in the schema, every
// value read is checked for its type and bounds, an absent key takes the schema's default, and each
// problem becomes a diagnostic at the offending node rather than an exception, so reading goes on.
#pragma once

#include "io/diagnostic_list.hpp"
#include "io/schema.hpp"
#include "io/toml.hpp"
#include "scenario/distribution.hpp"
#include "scenario/scenario.hpp"
#include "scenario/status.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

namespace faultline {

// What an element of the array of tables `array` is called in a key path: its `name`, or for a
// dependency (which has none) "from->to"; nullopt when it has neither.
std::optional<std::string> element_name(const toml::table& element, std::string_view array);

// While one is alive (on this thread), every schema row a TableReader looks up is recorded: the test
// that the reader reads every key the schema declares, so the declaration and the reader cannot
// drift apart unnoticed (a key declared but never read would be accepted and ignored).
class SchemaReadProbe {
 public:
  SchemaReadProbe();
  ~SchemaReadProbe();
  SchemaReadProbe(const SchemaReadProbe&) = delete;
  SchemaReadProbe& operator=(const SchemaReadProbe&) = delete;
  const std::set<std::string>& rows() const { return rows_; }
  static void record(std::string_view row);

 private:
  std::set<std::string> rows_;
  SchemaReadProbe* previous_;
};

class TableReader {
 public:
  // `table` may be null: an optional table that is absent reads as empty (every key its default).
  // `where` is the table's position, used for keys missing from it. `key_path` is what diagnostics
  // show ("service.db", "service[2]"), `schema_path` the row prefix it is checked against ("service[]").
  // Reports unknown keys at once.
  TableReader(const toml::table* table, toml::source_region where, std::string key_path, std::string schema_path,
              DiagnosticList& out);

  static TableReader root(const toml::table& table, DiagnosticList& out);

  const std::string& key_path() const { return key_path_; }
  std::string path_of(std::string_view key) const;
  const toml::source_region& where() const { return where_; }
  bool has(std::string_view key) const { return node(key) != nullptr; }
  const toml::node* node(std::string_view key) const;
  toml::source_region where_of(std::string_view key) const;  // the value, or this table when absent

  // Each returns nullopt when the key is absent without a default, or its value is wrong (after a
  // diagnostic). Text covers the string, name, choice and status types; lists the list types.
  std::optional<std::string> text(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key);
  std::optional<double> number(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  std::optional<Seconds> duration(std::string_view key);
  std::optional<Distribution> distribution(std::string_view key);
  std::optional<std::vector<std::string>> list(std::string_view key);
  std::optional<Status> status(std::string_view key);

  // Reads every key of this table whose schema row is bound to a member of T (io/schema_binding.hpp)
  // into `object`, in schema order: its value, else its default, each checked as the getters above
  // check it. A bound key is read only here; reading one with a getter is an InternalError.
  template <class T>
  void fill(T& object) {
    fill(typeid(T), &object);
  }
  void fill(std::type_index owner, void* object);
  // Whether fill read a value for the key (its own or its default): the checks across keys that
  // follow a fill look only at values that were read.
  bool filled(std::string_view key) const;

  // A nested table or map; an absent one reads as empty. Nullopt when the value is not a table.
  std::optional<TableReader> table(std::string_view key);
  // The elements of an array of tables; empty when absent or wrong.
  std::vector<TableReader> tables(std::string_view key);
  // The keys of this table with their positions, in file order (for maps).
  std::vector<std::pair<std::string, toml::source_region>> keys() const;

  // A diagnostic when the key is absent (for keys required only in some cases).
  bool require(std::string_view key);
  // A diagnostic when the key is present but does not apply; `condition` says when it does.
  void only_for(bool applies, std::string_view key, std::string_view condition);
  // A diagnostic about one key's value, or about this table itself.
  void error(std::string_view key, std::string message);
  void error_here(std::string message);
  // A warning about one key's value: the scenario still loads.
  void warn(std::string_view key, std::string message);
  DiagnosticList& diagnostics() { return *out_; }

 private:
  const SchemaKey& row(std::string_view key, std::initializer_list<ValueType> accepted) const;
  // The node to convert: the value, else the parsed schema default, else null (after a diagnostic
  // when the key is required).
  const toml::node* value_or_default(std::string_view key, const SchemaKey& row);
  bool within_bounds(std::string_view key, const SchemaKey& row, double value, std::string_view shown);
  void check_unknown_keys();

  const toml::table* table_;
  bool filling_ = false;
  std::vector<std::string_view> filled_;
  toml::source_region where_;
  std::string key_path_, schema_path_;
  DiagnosticList* out_;
};

// How a node reads in "expected ..., got ..." messages: `the string "3"`, `an array`.
std::string describe_node(const toml::node& node);

bool is_valid_name(std::string_view name);
// Why `name` cannot name an entity (its characters, its length), or "" when it can.
std::string name_problem(std::string_view name);
inline constexpr std::size_t kMaxNameLength = 128;

// "a, b, c", or "(none)"; at most `shown` names (a schema's keys: all of them), each cut at 64
// characters, then "and N more".
std::string known_list(const std::vector<std::string>& names, std::size_t shown = 20);

}  // namespace faultline
