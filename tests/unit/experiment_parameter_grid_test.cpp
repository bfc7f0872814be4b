// --param KEY=V1,V2,... and the cartesian product of override sets it spans.
#include "experiment/parameter_grid.hpp"

#include <catch2/catch.hpp>

using namespace faultline;

TEST_CASE("experiment: a --param splits its values at top-level commas", "[experiment][grid]") {
  const Parameter p = parse_parameter("service.api.replicas=1,2,3");
  CHECK(p.key == "service.api.replicas");
  CHECK(p.values == std::vector<std::string>{"1", "2", "3"});
}

TEST_CASE("experiment: commas inside arrays, tables and strings belong to one value", "[experiment][grid]") {
  CHECK(parse_parameter(R"(service.api.zones=["a","b"],["c"])").values ==
        std::vector<std::string>{R"(["a","b"])", R"(["c"])"});
  CHECK(parse_parameter(R"(k={x = 1, y = [2, 3]},{x = 4})").values ==
        std::vector<std::string>{"{x = 1, y = [2, 3]}", "{x = 4}"});
  CHECK(parse_parameter(R"(k="a,b",'c,d',e)").values == std::vector<std::string>{R"("a,b")", "'c,d'", "e"});
  CHECK(parse_parameter(R"(k="a\",b",c)").values == std::vector<std::string>{R"("a\",b")", "c"});
  // The value may hold '=': only the first one separates.
  CHECK(parse_parameter("k=a=b,c").values == std::vector<std::string>{"a=b", "c"});
}

TEST_CASE("experiment: malformed --param values are the user's mistake", "[experiment][grid]") {
  CHECK_THROWS_AS(parse_parameter("no-equals-sign"), ParameterError);
  CHECK_THROWS_AS(parse_parameter("=1,2"), ParameterError);
  CHECK_THROWS_WITH(parse_parameter("k=1,,2"), Catch::Contains("empty value"));
  CHECK_THROWS_WITH(parse_parameter("k="), Catch::Contains("empty value"));
  CHECK_THROWS_WITH(parse_parameter("k=1,2,1"), Catch::Contains("'1' is listed twice"));
}

TEST_CASE("experiment: a grid's points are its parameters' product, the last one innermost", "[experiment][grid]") {
  const ParameterGrid grid({parse_parameter("a=1,2"), parse_parameter("b=x,y,z")});
  REQUIRE(grid.size() == 6);
  const std::vector<std::vector<std::string>> expected{{"1", "x"}, {"1", "y"}, {"1", "z"},
                                                       {"2", "x"}, {"2", "y"}, {"2", "z"}};
  for (std::size_t i = 0; i < grid.size(); ++i) {
    CHECK(grid.values(i) == expected[i]);
    CHECK(grid.point(i) == Overrides{{"a", expected[i][0]}, {"b", expected[i][1]}});
  }
}

TEST_CASE("experiment: a grid without parameters is one point without overrides", "[experiment][grid]") {
  const ParameterGrid grid;
  CHECK(grid.size() == 1);
  CHECK(grid.point(0).empty());
  CHECK(grid.values(0).empty());
}

TEST_CASE("experiment: a key given twice in a grid is refused", "[experiment][grid]") {
  CHECK_THROWS_WITH(ParameterGrid({parse_parameter("a=1,2"), parse_parameter("a=3")}), Catch::Contains("given twice"));
  // Parameters made in code (the Python module) are checked like parsed ones.
  CHECK_THROWS_WITH(ParameterGrid({Parameter{"a", {"1", "2", "1"}}}), Catch::Contains("listed twice"));
  CHECK_THROWS_WITH(ParameterGrid({Parameter{"a", {}}}), Catch::Contains("no values"));
  CHECK_THROWS_WITH(ParameterGrid({Parameter{"a", {""}}}), Catch::Contains("empty value"));
}
