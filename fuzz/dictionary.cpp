// Writes a libFuzzer dictionary of the scenario format to stdout, from the schema table itself
// (io/schema.hpp): every key name, every table header, every choice and status, and the units and
// literals values are made of. fuzz/run.sh regenerates it before every campaign, so it follows the
// format without anyone editing it.
#include "io/schema.hpp"
#include "scenario/status.hpp"

#include <fmt/format.h>

#include <set>
#include <string>
#include <string_view>

namespace {

// A dictionary entry is a C-like string literal.
std::string quoted(std::string_view token) {
  std::string out = "\"";
  for (unsigned char c : token) {
    if (c == '"' || c == '\\')
      out += fmt::format("\\{}", char(c));
    else if (c < 0x20 || c > 0x7e)
      out += fmt::format("\\x{:02x}", c);
    else
      out += char(c);
  }
  return out + "\"";
}

}  // namespace

int main() {
  std::set<std::string> tokens;
  for (const faultline::SchemaKey& key : faultline::schema_keys()) {
    const std::string_view path = key.path;
    const std::size_t dot = path.rfind('.');
    std::string name(dot == std::string_view::npos ? path : path.substr(dot + 1));
    if (name.ends_with("[]")) name.resize(name.size() - 2);
    if (name == "*" || name.starts_with("<")) continue;
    tokens.insert(name);
    tokens.insert(name + " = ");
    if (dot == std::string_view::npos && key.type == faultline::ValueType::section) tokens.insert("[" + name + "]");
    if (dot == std::string_view::npos && key.type == faultline::ValueType::section_array)
      tokens.insert("[[" + name + "]]");
    for (std::string_view choice : key.choices) tokens.insert(fmt::format("\"{}\"", choice));
    if (!key.default_value.empty()) tokens.insert(std::string(key.default_value));
  }
  for (const std::string& status : faultline::status_names()) tokens.insert(fmt::format("\"{}\"", status));
  for (std::string_view unit : {"ms", "s", "m", "h", "d", "us", "%"}) tokens.insert(fmt::format("\"1{}\"", unit));
  for (std::string_view literal : {"schema_version = 1", "true", "false", "inf", "nan", "1e400", "-0", "0x7f",
                                   "1979-05-27T07:32:00Z", "{ }", "[ ]", "'''", "\"\"\"", "\\u00e9", "\n#%set\n"})
    tokens.insert(std::string(literal));
  for (const std::string& token : tokens) fmt::print("{}\n", quoted(token));
}
