// The schema table drives validation and documentation; these tests keep the table, the example
// scenarios and scenarios/SCHEMA.md in step with each other.
#include "io/duration.hpp"
#include "io/loader.hpp"
#include "io/schema.hpp"
#include "io/table_reader.hpp"
#include "io/toml.hpp"
#include "support/text_files.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

using namespace faultline;

using namespace faultline::testing;

namespace {

std::string source_file(const std::string& relative) { return std::string(FAULTLINE_SOURCE_DIR) + "/" + relative; }

std::string join(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

// The schema paths a TOML tree uses: "service[].workers", "dependency[].error_mapping.*",
// "<distribution>.mean".
void collect_paths(const toml::table& table, const std::string& schema_path, std::set<std::string>& out) {
  for (auto&& [k, v] : table) {
    std::string path = join(schema_path, k.str());
    if (const auto* array = v.as_array(); array && array->is_array_of_tables()) {
      path += "[]";
      out.insert(path);
      for (const toml::node& element : *array) collect_paths(*element.as_table(), path, out);
      continue;
    }
    if (!find_schema_key(path) && find_schema_key(join(schema_path, "*"))) {
      out.insert(join(schema_path, "*"));
      continue;
    }
    out.insert(path);
    const SchemaKey* row = find_schema_key(path);
    if (const auto* sub = v.as_table())
      collect_paths(*sub, row && row->type == ValueType::distribution ? "<distribution>" : path, out);
  }
}

}  // namespace

TEST_CASE("scenarios/SCHEMA.md is the rendering of the schema table", "[loader][schema]") {
  const std::string path = source_file("scenarios/SCHEMA.md");
  const std::string rendered = schema_markdown();
  if (const char* regenerate = std::getenv("FAULTLINE_REGENERATE_SCHEMA"); regenerate && std::string(regenerate) == "1")
    std::ofstream(path, std::ios::binary) << rendered;
  INFO("stale: regenerate with `build/faultline schema > scenarios/SCHEMA.md` "
       "(or FAULTLINE_REGENERATE_SCHEMA=1 faultline_tests '[schema]')");
  CHECK(file_contents(path) == rendered);
}

TEST_CASE("the test scenarios use every key of the schema", "[loader][schema]") {
  // complete.toml is the loader's test of every field; this keeps it complete as the schema grows.
  std::set<std::string> used;
  for (const char* file : {"tests/data/loader/complete.toml", "tests/data/loader/diurnal.toml"}) {
    REQUIRE(validate_scenario_file(source_file(file)).empty());
    collect_paths(toml::parse_file(source_file(file)), "", used);
  }
  for (const SchemaKey& key : schema_keys()) {
    if (key.path == "<distribution>") continue;
    INFO("schema key " << key.path);
    CHECK(used.count(std::string(key.path)) == 1);
  }
  for (const std::string& path : used) {
    INFO("used key " << path);
    CHECK(find_schema_key(path) != nullptr);
  }
}

TEST_CASE("the reader reads every key the schema declares", "[loader][schema]") {
  // A key declared but never read would be accepted and ignored: the two cannot drift apart.
  SchemaReadProbe probe;
  for (const char* file : {"tests/data/loader/complete.toml", "tests/data/loader/diurnal.toml"})
    REQUIRE(validate_scenario_file(source_file(file)).empty());
  for (const SchemaKey& key : schema_keys()) {
    if (key.path.starts_with("<distribution>")) continue;  // read as one value: a duration or a table
    INFO("schema key " << key.path);
    CHECK(probe.rows().count(std::string(key.path)) == 1);
  }
}

TEST_CASE("every schema row is documented and appears in the markdown", "[loader][schema]") {
  const std::string markdown = schema_markdown();
  for (const SchemaKey& key : schema_keys()) {
    INFO("schema key " << key.path);
    CHECK_FALSE(key.doc.empty());
    CHECK((key.type != ValueType::choice || !key.choices.empty()));
    if (key.type == ValueType::section || key.type == ValueType::section_array) continue;
    const std::string_view name = key.path.substr(key.path.rfind('.') + 1);
    CHECK(markdown.find(fmt::format("{}` | {} |", name, describe_type(key))) != std::string::npos);
    CHECK(markdown.find(key.doc) != std::string::npos);
  }
}

TEST_CASE("the markdown documents conventions and every table", "[loader][schema]") {
  const std::string markdown = schema_markdown();
  for (const char* text : {"## Conventions", "**Durations**", "**Distributions.**", "`UNAVAILABLE`", "## Top level",
                           "## `[scenario]`", "## `[[service]]`", "## `[[traffic.segment]]`",
                           "## Distribution tables", "| `workers` | integer | requests | `8` | 1 .. 100000 |",
                           "| `duration` | duration | time | `\"1h\"` | > 0s, <= 400d |"})
    CHECK_THAT(markdown, Catch::Contains(text));
}

TEST_CASE("schema children are listed in schema order", "[loader][schema]") {
  const std::vector<std::string_view> service = schema_children("service[]");
  const std::vector<std::string_view> first = {"name", "replicas", "zones", "workers", "queue", "service_time", "cpu",
                                               "restart_time", "health_check"};
  REQUIRE(service.size() >= first.size());
  CHECK(std::vector<std::string_view>(service.begin(), service.begin() + std::ptrdiff_t(first.size())) == first);
  CHECK(schema_children("dependency[].error_mapping") == std::vector<std::string_view>{"*"});
  const std::vector<std::string_view> top = schema_children("");
  CHECK(top.front() == "schema_version");
  CHECK(std::find(top.begin(), top.end(), "<distribution>") == top.end());
}

TEST_CASE("bounds read as a reader expects", "[loader][schema]") {
  CHECK(describe_bounds(*find_schema_key("service[].replicas")) == "1 .. 10000");
  CHECK(describe_bounds(*find_schema_key("scenario.duration")) == "> 0s, <= 400d");
  CHECK(describe_bounds(*find_schema_key("network.intra_zone")) == ">= 0s, < 10s");
  CHECK(describe_bounds(*find_schema_key("feature[].slo")) == "> 0, <= 1");
  CHECK(describe_bounds(*find_schema_key("scenario.description")).empty());
}

TEST_CASE("every schema default is a value its own row accepts", "[loader][schema]") {
  // A default outside its own bounds would be reported against the user's file.
  auto within = [](const SchemaKey& key, double v) {
    return (!key.min || (key.min->inclusive ? v >= key.min->value : v > key.min->value)) &&
           (!key.max || (key.max->inclusive ? v <= key.max->value : v < key.max->value));
  };
  for (const SchemaKey& key : schema_keys()) {
    if (key.default_value.empty()) continue;
    INFO("schema key " << key.path << " default " << key.default_value);
    CHECK_FALSE(key.required);
    const toml::table parsed = toml::parse("v = " + std::string(key.default_value));
    const toml::node& v = *parsed.get("v");
    switch (key.type) {
      case ValueType::integer: CHECK((v.is_integer() && within(key, double(v.as_integer()->get())))); break;
      case ValueType::number: CHECK((v.is_number() && within(key, v.value<double>().value()))); break;
      case ValueType::duration:
      case ValueType::distribution: {
        REQUIRE(v.is_string());
        const auto seconds = parse_duration(v.as_string()->get());
        REQUIRE(std::holds_alternative<Seconds>(seconds));
        CHECK(within(key, std::get<Seconds>(seconds)));
        break;
      }
      case ValueType::choice:
        REQUIRE(v.is_string());
        CHECK(std::find(key.choices.begin(), key.choices.end(), v.as_string()->get()) != key.choices.end());
        break;
      case ValueType::boolean: CHECK(v.is_boolean()); break;
      case ValueType::string: CHECK(v.is_string()); break;
      case ValueType::string_list: CHECK(v.is_array()); break;
      default: FAIL("a default for a " << describe_type(key) << " is not expected"); break;
    }
  }
}
