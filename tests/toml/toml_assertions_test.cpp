// toml++ compiled from its headers with its assertions live (no NDEBUG), configured only by
// io/toml.hpp: the inputs that trip toml++ 3.3's own checks must come back as positioned parse
// errors, as they do from the library faultline links, not abort the process. (The fuzz build is
// configured this way; scenarios/invalid/toml-header-comment and toml-array-brace hold the same
// inputs for the loader.)
#include "io/toml.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#ifdef NDEBUG
#error "this test must be built without NDEBUG: it checks toml++ with its assertions live"
#endif

namespace {

struct Position {
  unsigned line = 0, column = 0;
  std::string message;
};

Position parse_error_of(std::string_view text) {
  try {
    static_cast<void>(toml::parse(text, std::string_view("test.toml")));
  } catch (const toml::parse_error& e) {
    return {e.source().begin.line, e.source().begin.column, std::string(e.description())};
  }
  return {};
}

}  // namespace

TEST_CASE("an array-of-tables header that starts a comment is a positioned parse error", "[toml]") {
  const Position p = parse_error_of("schema_version = 1\n[[#\n");
  CHECK(p.line == 2);
  CHECK(p.column == 3);
  CHECK(p.message.find("expected bare key") != std::string::npos);
}

TEST_CASE("an array closed by a brace is a positioned parse error", "[toml]") {
  const Position p = parse_error_of("schema_version = 1\nx = [}\n");
  CHECK(p.line == 2);
  CHECK(p.column == 6);
  CHECK(p.message.find("could not determine value type") != std::string::npos);
}

TEST_CASE("valid TOML still parses with the assertions configured", "[toml]") {
  CHECK(parse_error_of("a = [1, 2]\n[[b]]\nc = \"d\"\n").line == 0);
}
