// What toml++ 3.3 must not parse (engine/io/toml_guard.hpp): non-ASCII outside strings and comments.
#include "io/loader.hpp"
#include "io/toml_guard.hpp"

#include <catch2/catch.hpp>

using namespace faultline;

TEST_CASE("non-ASCII text in strings and comments is left to the parser", "[loader][toml_guard]") {
  CHECK_FALSE(toml_guard("name = \"café\" # déjà vu\n"));
  CHECK_FALSE(toml_guard("name = 'naïve'\n"));
  CHECK_FALSE(toml_guard("\"sérvice\" = 1\n"));  // a quoted key
  CHECK_FALSE(toml_guard("text = \"\"\"\nlines of ünïcode\n\"\"\"\nraw = '''\nmore ü\n'''\n"));
  CHECK_FALSE(toml_guard("escaped = \"a \\\" é\"\n"));  // an escaped quote does not end the string
  CHECK_FALSE(toml_guard(""));
}

TEST_CASE("a non-ASCII character outside a string is refused where it is", "[loader][toml_guard]") {
  const auto key = toml_guard("schema_version = 1\ncafé = 1\n");
  REQUIRE(key);
  CHECK(key->line == 2);
  CHECK(key->column == 4);
  CHECK(key->message.find("non-ASCII character 'é' outside a string") == 0);
  const auto header = toml_guard("# é fine here\n[[sérvice]]\n");
  REQUIRE(header);
  CHECK(header->line == 2);
  CHECK(header->column == 4);
  const auto after = toml_guard("a = \"ü\"  b = ü\n");  // columns count characters, not bytes
  REQUIRE(after);
  CHECK(after->column == 14);
}

TEST_CASE("a quote inside a value does not start a string", "[loader][toml_guard]") {
  // Found by the fuzzer: toml++ 3.3 scans `0)"...½` as one value and misreads the ½.
  const auto inside = toml_guard("name =0)\"dup\xc2\xbd\"\n");
  REQUIRE(inside);
  CHECK(inside->line == 1);
  CHECK(inside->column == 13);
  // Strings start after = [ { , . and at the start of a line, with spaces or a comment between.
  CHECK_FALSE(toml_guard("a = [\n  \"\xc3\xa9\", # x\n  '\xc3\xa9'\n]\nb = { c = \"\xc3\xa9\", d.\"\xc3\xa9\" = 1 }\n"
                         "[\"\xc3\xa9\"]\n[[ \"\xc3\xa9\" ]]\n\"\xc3\xa9\" = 2\n"));
  CHECK(toml_guard("a = \"x\" \"\xc3\xa9\"\n"));  // a second string after a value
}

TEST_CASE("a non-ASCII character after a line-ending backslash is refused", "[loader][toml_guard]") {
  // Valid TOML, but toml++ 3.3 reaches undefined behaviour on it.
  const auto after = toml_guard("x = \"\"\"a \\\n    \xc3\xa9\"\"\"\n");
  REQUIRE(after);
  CHECK(after->line == 2);
  CHECK(after->column == 5);
  CHECK(after->message.find("line-ending backslash") != std::string::npos);
  CHECK_FALSE(toml_guard("x = \"\"\"a \\\n    b \xc3\xa9\"\"\"\n"));
  CHECK_FALSE(toml_guard("x = \"\"\"a \\\"\xc3\xa9\"\"\"\n"));  // an escaped quote, not a line ending
}

TEST_CASE("the loader reports a non-ASCII bare key with its position, never reaching toml++", "[loader][toml_guard]") {
  try {
    load_scenario_text("schema_version = 1\n[[sérvice]]\nname = \"a\"\n", "bad.toml");
    FAIL("loaded");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    const Diagnostic& d = e.diagnostics()[0];
    CHECK(d.file == "bad.toml");
    CHECK(d.line == 2);
    CHECK(d.column == 4);
  }
}
