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
