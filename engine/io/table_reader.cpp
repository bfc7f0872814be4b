#include "io/table_reader.hpp"

#include "io/duration.hpp"
#include "scenario/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace faultline {

namespace {

std::string join(std::string_view prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : fmt::format("{}.{}", prefix, key);
}

// Defaults are TOML literals in the schema table; parsing each once lets a default go through the
// same conversion as a value from a file.
const toml::node& parsed_default(const SchemaKey& row) {
  static const std::map<std::string_view, toml::table> defaults = [] {
    std::map<std::string_view, toml::table> parsed;
    for (const SchemaKey& k : schema_keys()) {
      if (k.default_value.empty()) continue;
      try {
        parsed.emplace(k.path, toml::parse(fmt::format("v = {}", k.default_value)));
      } catch (const toml::parse_error& e) {
        throw InternalError(fmt::format("schema default of {} is not TOML: {}", k.path, e.description()));
      }
    }
    return parsed;
  }();
  return *defaults.at(row.path).get("v");
}

std::string type_expectation(const SchemaKey& row) {
  switch (row.type) {
    case ValueType::section:
    case ValueType::table:
    case ValueType::map: return "a table";
    case ValueType::section_array: return "an array of tables";
    case ValueType::table_array: return "an array of tables like [{...}, {...}]";
    case ValueType::string: return "a string";
    case ValueType::name: return "a name string";
    case ValueType::name_list: return "a list of names";
    case ValueType::string_list: return "a list of strings";
    case ValueType::choice: return "a string";
    case ValueType::status: return "a status name string";
    case ValueType::integer: return "an integer";
    case ValueType::number: return "a number";
    case ValueType::boolean: return "true or false";
    case ValueType::duration: return "a duration string like \"30s\"";
    case ValueType::distribution: return "a duration or a distribution table like {dist = \"exponential\", mean = \"5ms\"}";
  }
  throw InternalError("unhandled schema value type");
}

constexpr std::string_view kDurationNeedsUnit = "durations need a unit, e.g. \"30s\"";

}  // namespace

std::string describe_node(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return fmt::format("the string \"{}\"", node.as_string()->get());
    case toml::node_type::integer: return fmt::format("the integer {}", node.as_integer()->get());
    case toml::node_type::floating_point: return fmt::format("the number {}", node.as_floating_point()->get());
    case toml::node_type::boolean: return fmt::format("the boolean {}", node.as_boolean()->get());
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

bool is_valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
  });
}

namespace {

// A name as diagnostics show it: at most 64 characters, then "...".
std::string shortened(std::string_view name) {
  constexpr std::size_t kLongest = 64;
  return name.size() <= kLongest ? std::string(name) : std::string(name.substr(0, kLongest)) + "...";
}

}  // namespace

std::string name_problem(std::string_view name) {
  if (name.size() > kMaxNameLength)
    return fmt::format("name '{}' is too long: {} characters, at most {}", shortened(name), name.size(), kMaxNameLength);
  if (!is_valid_name(name))
    return fmt::format("invalid name '{}': use letters, digits, '_', '.' and '-'", shortened(name));
  return "";
}

std::string known_list(const std::vector<std::string>& names, std::size_t shown) {
  if (names.empty()) return "(none)";
  // A diagnostic stays readable whatever the file holds: a few names, each shortened.
  std::string out;
  for (std::size_t i = 0; i < std::min(names.size(), shown); ++i) {
    if (i > 0) out += ", ";
    out += shortened(names[i]);
  }
  if (names.size() > shown) out += fmt::format(" and {} more", names.size() - shown);
  return out;
}

TableReader::TableReader(const toml::table* table, toml::source_region where, std::string key_path,
                         std::string schema_path, DiagnosticList& out)
    : table_(table), where_(std::move(where)), key_path_(std::move(key_path)), schema_path_(std::move(schema_path)),
      out_(&out) {
  check_unknown_keys();
}

TableReader TableReader::root(const toml::table& table, DiagnosticList& out) {
  return TableReader(&table, table.source(), "", "", out);
}

std::string TableReader::path_of(std::string_view key) const { return join(key_path_, key); }

const toml::node* TableReader::node(std::string_view key) const { return table_ ? table_->get(key) : nullptr; }

toml::source_region TableReader::where_of(std::string_view key) const {
  const toml::node* n = node(key);
  return n ? n->source() : where_;
}

void TableReader::check_unknown_keys() {
  if (!table_) return;
  const std::vector<std::string_view> children = schema_children(schema_path_);
  if (children.size() == 1 && children.front() == "*") return;
  std::vector<std::string> known(children.begin(), children.end());
  for (auto&& [k, v] : *table_) {
    if (std::find(children.begin(), children.end(), k.str()) != children.end()) continue;
    out_->add(k.source(), path_of(k.str()), fmt::format("unknown key '{}'; known: {}", k.str(), known_list(known, known.size())));
  }
}

std::vector<std::pair<std::string, toml::source_region>> TableReader::keys() const {
  std::vector<std::pair<std::string, toml::source_region>> out;
  if (!table_) return out;
  for (auto&& [k, v] : *table_) out.emplace_back(std::string(k.str()), v.source());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::pair(a.second.begin.line, a.second.begin.column) < std::pair(b.second.begin.line, b.second.begin.column);
  });
  return out;
}

namespace {
thread_local SchemaReadProbe* active_probe = nullptr;
}  // namespace

SchemaReadProbe::SchemaReadProbe() : previous_(active_probe) { active_probe = this; }
SchemaReadProbe::~SchemaReadProbe() { active_probe = previous_; }
void SchemaReadProbe::record(std::string_view row) {
  if (active_probe) active_probe->rows_.emplace(row);
}

const SchemaKey& TableReader::row(std::string_view key, std::initializer_list<ValueType> accepted) const {
  const SchemaKey* found = find_schema_key(join(schema_path_, key));
  if (!found) found = find_schema_key(join(schema_path_, "*"));
  if (!found) throw InternalError(fmt::format("{} is read but not in the schema table", join(schema_path_, key)));
  SchemaReadProbe::record(found->path);
  if (found->binding && !filling_)
    throw InternalError(fmt::format("{} is bound to a scenario field: TableReader::fill reads it", found->path));
  if (std::find(accepted.begin(), accepted.end(), found->type) == accepted.end())
    throw InternalError(fmt::format("{} is read as another type than the schema table says", found->path));
  return *found;
}

const toml::node* TableReader::value_or_default(std::string_view key, const SchemaKey& row) {
  if (const toml::node* n = node(key)) return n;
  if (row.required) {
    out_->add(where_, path_of(key), fmt::format("missing required key '{}'", key));
    return nullptr;
  }
  if (!row.default_value.empty()) return &parsed_default(row);
  return nullptr;
}

void TableReader::fill(std::type_index owner, void* object) {
  for (const SchemaKey* r : schema_child_rows(schema_path_)) {
    if (!r->binding || r->binding->owner != owner) continue;
    const std::string_view key = schema_key_name(r->path);
    filling_ = true;
    bool read = false;
    try {
      read = r->binding->read(*this, key, r->type, object);
    } catch (...) {
      filling_ = false;
      throw;
    }
    filling_ = false;
    if (read) filled_.push_back(key);
  }
}

bool TableReader::filled(std::string_view key) const {
  return std::find(filled_.begin(), filled_.end(), key) != filled_.end();
}

bool TableReader::require(std::string_view key) {
  if (has(key)) return true;
  out_->add(where_, path_of(key), fmt::format("missing required key '{}'", key));
  return false;
}

void TableReader::only_for(bool applies, std::string_view key, std::string_view condition) {
  if (applies || !has(key)) return;
  error(key, fmt::format("'{}' applies only to {}", key, condition));
}

void TableReader::error(std::string_view key, std::string message) {
  out_->add(where_of(key), path_of(key), std::move(message));
}

void TableReader::error_here(std::string message) { out_->add(where_, key_path_, std::move(message)); }

void TableReader::warn(std::string_view key, std::string message) {
  out_->warn(where_of(key), path_of(key), std::move(message));
}

bool TableReader::within_bounds(std::string_view key, const SchemaKey& row, double value, std::string_view shown) {
  auto shown_bound = [&](double b) {
    const bool timed = row.type == ValueType::duration || row.type == ValueType::distribution;
    return timed ? format_duration(b) : fmt::format("{}", b);
  };
  if (row.min && (row.min->inclusive ? value < row.min->value : value <= row.min->value)) {
    error(key, fmt::format("must be {} {}, got {}", row.min->inclusive ? "at least" : "greater than",
                           shown_bound(row.min->value), shown));
    return false;
  }
  if (row.max && (row.max->inclusive ? value > row.max->value : value >= row.max->value)) {
    error(key, fmt::format("must be {} {}, got {}", row.max->inclusive ? "at most" : "less than",
                           shown_bound(row.max->value), shown));
    return false;
  }
  return true;
}

std::optional<std::string> TableReader::text(std::string_view key) {
  const SchemaKey& r = row(key, {ValueType::string, ValueType::name, ValueType::choice, ValueType::status});
  const toml::node* n = value_or_default(key, r);
  if (!n) return std::nullopt;
  const auto* s = n->as_string();
  if (!s) {
    error(key, fmt::format("expected {}, got {}", type_expectation(r), describe_node(*n)));
    return std::nullopt;
  }
  const std::string& value = s->get();
  const std::string_view what = key == "*" || r.path.ends_with(".*") ? std::string_view("value") : key;
  switch (r.type) {
    case ValueType::name:
      if (const std::string problem = name_problem(value); !problem.empty()) {
        error(key, problem);
        return std::nullopt;
      }
      break;
    case ValueType::choice:
      if (std::find(r.choices.begin(), r.choices.end(), value) == r.choices.end()) {
        // The schema's own list, short and fixed: shown whole.
        std::vector<std::string> known(r.choices.begin(), r.choices.end());
        error(key, fmt::format("unknown {} '{}'; known: {}", what, value, known_list(known, known.size())));
        return std::nullopt;
      }
      break;
    case ValueType::status:
      if (!parse_status(value)) {
        error(key, fmt::format("unknown status '{}'; known: {}", value, known_list(status_names(), status_names().size())));
        return std::nullopt;
      }
      break;
    default: break;
  }
  return value;
}

std::optional<Status> TableReader::status(std::string_view key) {
  row(key, {ValueType::status});
  const std::optional<std::string> name = text(key);
  if (!name) return std::nullopt;
  return parse_status(*name);
}

std::optional<std::int64_t> TableReader::integer(std::string_view key) {
  const SchemaKey& r = row(key, {ValueType::integer});
  const toml::node* n = value_or_default(key, r);
  if (!n) return std::nullopt;
  const auto* i = n->as_integer();
  if (!i) {
    error(key, fmt::format("expected {}, got {}", type_expectation(r), describe_node(*n)));
    return std::nullopt;
  }
  const std::int64_t value = i->get();
  if (!within_bounds(key, r, static_cast<double>(value), fmt::format("{}", value))) return std::nullopt;
  return value;
}

std::optional<double> TableReader::number(std::string_view key) {
  const SchemaKey& r = row(key, {ValueType::number});
  const toml::node* n = value_or_default(key, r);
  if (!n) return std::nullopt;
  double value = 0;
  if (const auto* i = n->as_integer()) value = static_cast<double>(i->get());
  else if (const auto* f = n->as_floating_point()) value = f->get();
  else {
    error(key, fmt::format("expected {}, got {}", type_expectation(r), describe_node(*n)));
    return std::nullopt;
  }
  if (!std::isfinite(value)) {
    error(key, fmt::format("expected a finite number, got {}", value));
    return std::nullopt;
  }
  if (!within_bounds(key, r, value, fmt::format("{}", value))) return std::nullopt;
  return value;
}

std::optional<bool> TableReader::boolean(std::string_view key) {
  const SchemaKey& r = row(key, {ValueType::boolean});
  const toml::node* n = value_or_default(key, r);
  if (!n) return std::nullopt;
  const auto* b = n->as_boolean();
  if (!b) {
    error(key, fmt::format("expected {}, got {}", type_expectation(r), describe_node(*n)));
    return std::nullopt;
  }
  return b->get();
}

std::optional<Seconds> TableReader::duration(std::string_view key) {
  const SchemaKey& r = row(key, {ValueType::duration});
  const toml::node* n = value_or_default(key, r);
  if (!n) return std::nullopt;
  if (n->is_number()) {
    error(key, std::string(kDurationNeedsUnit));
    return std::nullopt;
  }
  const auto* s = n->as_string();
  if (!s) {
    error(key, fmt::format("expected {}, got {}", type_expectation(r), describe_node(*n)));
    return std::nullopt;
  }
  const auto parsed = parse_duration(s->get());
  if (const auto* e = std::get_if<DurationError>(&parsed)) {
    error(key, e->message);
    return std::nullopt;
  }
  const Seconds value = std::get<Seconds>(parsed);
  if (!within_bounds(key, r, value, fmt::format("\"{}\"", s->get()))) return std::nullopt;
  return value;
}

std::optional<Distribution> TableReader::distribution(std::string_view key) {
  const SchemaKey& r = row(key, {ValueType::distribution});
  const toml::node* n = value_or_default(key, r);
  if (!n) return std::nullopt;
  if (n->is_number()) {
    error(key, std::string(kDurationNeedsUnit));
    return std::nullopt;
  }
  if (const auto* s = n->as_string()) {
    const auto parsed = parse_duration(s->get());
    if (const auto* e = std::get_if<DurationError>(&parsed)) {
      error(key, e->message);
      return std::nullopt;
    }
    const Seconds value = std::get<Seconds>(parsed);
    if (!within_bounds(key, r, value, fmt::format("\"{}\"", s->get()))) return std::nullopt;
    return Distribution::constant(value);
  }
  const auto* t = n->as_table();
  if (!t) {
    error(key, fmt::format("expected {}, got {}", type_expectation(r), describe_node(*n)));
    return std::nullopt;
  }

  TableReader params(t, t->source(), path_of(key), "<distribution>", *out_);
  const std::optional<std::string> dist = params.text("dist");
  if (!dist) return std::nullopt;
  using Kind = Distribution::Kind;
  Distribution d;
  for (Kind k : {Kind::constant, Kind::exponential, Kind::lognormal, Kind::uniform, Kind::weibull})
    if (*dist == to_string(k)) d.kind = k;

  // Which parameters each family takes; any other one is a mistake, not something to ignore.
  const bool takes_mean = d.kind == Kind::constant || d.kind == Kind::exponential || d.kind == Kind::lognormal;
  const bool takes_stddev = d.kind == Kind::lognormal;
  const bool takes_range = d.kind == Kind::uniform;
  const bool takes_weibull = d.kind == Kind::weibull;
  params.only_for(takes_mean, "mean", "dist = \"constant\", \"exponential\" or \"lognormal\"");
  params.only_for(takes_stddev, "stddev", "dist = \"lognormal\"");
  params.only_for(takes_range, "min", "dist = \"uniform\"");
  params.only_for(takes_range, "max", "dist = \"uniform\"");
  params.only_for(takes_weibull, "shape", "dist = \"weibull\"");
  params.only_for(takes_weibull, "scale", "dist = \"weibull\"");

  bool ok = true;
  auto read_duration = [&](std::string_view param, double& into) {
    if (!params.require(param)) return void(ok = false);
    if (auto v = params.duration(param)) into = *v;
    else ok = false;
  };
  if (takes_mean) {
    read_duration("mean", d.mean);
    if (ok && d.kind != Kind::constant && d.mean <= 0) {
      params.error("mean", fmt::format("must be greater than 0s for dist = \"{}\"", *dist));
      ok = false;
    }
  }
  if (takes_stddev) read_duration("stddev", d.stddev);
  if (takes_range) {
    read_duration("min", d.min);
    read_duration("max", d.max);
    if (ok && d.max <= d.min) {
      params.error("max", fmt::format("must be greater than min ({}), got \"{}\"", format_duration(d.min),
                                      params.node("max")->as_string()->get()));
      ok = false;
    }
  }
  if (takes_weibull) {
    if (!params.require("shape")) ok = false;
    else if (auto v = params.number("shape")) d.shape = *v;
    else ok = false;
    read_duration("scale", d.scale);
  }
  if (!ok) return std::nullopt;
  return d;
}

std::optional<std::vector<std::string>> TableReader::list(std::string_view key) {
  const SchemaKey& r = row(key, {ValueType::name_list, ValueType::string_list});
  const toml::node* n = value_or_default(key, r);
  if (!n) return std::nullopt;
  const auto* a = n->as_array();
  if (!a) {
    error(key, fmt::format("expected {}, got {}", type_expectation(r), describe_node(*n)));
    return std::nullopt;
  }
  const bool names = r.type == ValueType::name_list;
  if (names && a->empty()) {
    error(key, r.required ? std::string("must not be empty")
                          : fmt::format("must not be empty; leave '{}' out for the default ({})", key,
                                        r.default_doc.empty() ? "none" : r.default_doc));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const toml::node& element = *a->get(i);
    const std::string element_path = fmt::format("{}[{}]", path_of(key), i);
    const auto* s = element.as_string();
    if (!s) {
      out_->add(element.source(), element_path, fmt::format("expected a string, got {}", describe_node(element)));
      ok = false;
      continue;
    }
    if (std::string problem = names ? name_problem(s->get()) : std::string(); !problem.empty()) {
      out_->add(element.source(), element_path, std::move(problem));
      ok = false;
      continue;
    }
    if (names && !r.repeats && std::find(out.begin(), out.end(), s->get()) != out.end()) {
      out_->add(element.source(), element_path, fmt::format("'{}' is listed twice", s->get()));
      ok = false;
      continue;
    }
    out.push_back(s->get());
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<TableReader> TableReader::table(std::string_view key) {
  const SchemaKey& r = row(key, {ValueType::section, ValueType::table, ValueType::map});
  const toml::node* n = value_or_default(key, r);
  if (!n && r.required) return std::nullopt;
  if (!n) return TableReader(nullptr, where_, path_of(key), join(schema_path_, key), *out_);
  const auto* t = n->as_table();
  if (!t) {
    error(key, fmt::format("expected {}, got {}", type_expectation(r), describe_node(*n)));
    return std::nullopt;
  }
  return TableReader(t, t->source(), path_of(key), join(schema_path_, key), *out_);
}

std::vector<TableReader> TableReader::tables(std::string_view key) {
  const SchemaKey& r = row(fmt::format("{}[]", key), {ValueType::section_array, ValueType::table_array});
  std::vector<TableReader> out;
  const toml::node* n = node(key);
  const auto* a = n ? n->as_array() : nullptr;
  if (!n || (a && a->empty())) {
    if (r.required) error(key, fmt::format("at least one [[{}]] is required", key));
    return out;
  }
  if (!a || !a->is_array_of_tables()) {
    const std::string expected = r.type == ValueType::section_array
                                     ? fmt::format("[[{}]] tables", r.path.substr(0, r.path.size() - 2))
                                     : type_expectation(r);
    error(key, fmt::format("expected {}, got {}", expected, a ? "an array of other values" : describe_node(*n)));
    return out;
  }
  const std::string element_schema = join(schema_path_, fmt::format("{}[]", key));
  // Each element is called what the user called it, as overrides address it (`service.db`,
  // `dependency.api->db`); by its index when it has no usable name or shares it with another.
  std::vector<std::optional<std::string>> names;
  std::map<std::string, int> uses;
  for (const toml::node& element : *a) {
    std::optional<std::string> name = element_name(*element.as_table(), key);
    if (name && !is_valid_name(*name) && name->find("->") == std::string::npos) name.reset();
    if (name) ++uses[*name];
    names.push_back(std::move(name));
  }
  for (std::size_t i = 0; i < a->size(); ++i) {
    const toml::table& element = *a->get(i)->as_table();
    const bool by_name = names[i] && uses[*names[i]] == 1;
    out.emplace_back(&element, element.source(),
                     by_name ? fmt::format("{}.{}", path_of(key), *names[i]) : fmt::format("{}[{}]", path_of(key), i),
                     element_schema, *out_);
  }
  return out;
}

std::optional<std::string> element_name(const toml::table& element, std::string_view array) {
  if (const auto* name = element.get_as<std::string>("name")) return name->get();
  if (array != "dependency") return std::nullopt;
  const auto* from = element.get_as<std::string>("from");
  const auto* to = element.get_as<std::string>("to");
  if (from && to) return from->get() + "->" + to->get();
  return std::nullopt;
}

}  // namespace faultline
