// A schema row that names its scenario field is read by TableReader::fill, with the row's type,
// bounds and default, and by nothing else: the declaration is the reader.
#include "io/diagnostic_list.hpp"
#include "io/schema.hpp"
#include "io/schema_binding.hpp"
#include "io/table_reader.hpp"
#include "io/toml.hpp"
#include "scenario/errors.hpp"
#include "scenario/scenario.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

using namespace faultline;

namespace {

toml::table parse(std::string_view text) { return toml::parse(text, std::string_view("service.toml")); }

std::vector<std::string> keys_of(const DiagnosticList& out) {
  std::vector<std::string> keys;
  for (const Diagnostic& d : out.in_file_order()) keys.push_back(d.key);
  return keys;
}

}  // namespace

TEST_CASE("fill reads each bound key of a table into its field, its default when absent", "[loader][schema]") {
  const toml::table t = parse("name = \"api\"\nworkers = 3\nqueue_discipline = \"lifo\"\nmax_queue_wait = \"250ms\"\n"
                              "service_time = {dist = \"exponential\", mean = \"2ms\"}\n");
  DiagnosticList out("service.toml");
  TableReader reader(&t, t.source(), "service.api", "service[]", out);
  Service svc;
  svc.queue = -1;  // the default must come from the schema row, not from the struct
  reader.fill(svc);
  CHECK(out.empty());
  CHECK(svc.name == "api");
  CHECK(svc.workers == 3);
  CHECK(svc.queue == 64);
  CHECK(svc.queue_discipline == QueueDiscipline::lifo);
  REQUIRE(svc.max_queue_wait);
  CHECK(*svc.max_queue_wait == Approx(0.25));
  CHECK(svc.service_time.expected() == Approx(0.002));
  CHECK_FALSE(svc.cpu);  // absent without a default: left alone
  CHECK(reader.filled("workers"));
  CHECK(reader.filled("queue"));  // its default
  CHECK_FALSE(reader.filled("cpu"));
  CHECK_FALSE(reader.filled("zones"));  // read by hand (its default is every zone): not bound
}

TEST_CASE("fill reports a wrong value at its key and leaves the field alone", "[loader][schema]") {
  const toml::table t = parse("name = \"api\"\nworkers = 0\nqueue = \"many\"\nload_balancer = \"fastest\"\n");
  DiagnosticList out("service.toml");
  TableReader reader(&t, t.source(), "service.api", "service[]", out);
  Service svc;
  reader.fill(svc);
  CHECK(keys_of(out) == std::vector<std::string>{"service.api.workers", "service.api.queue", "service.api.load_balancer"});
  CHECK(svc.workers == Service{}.workers);
  CHECK(svc.queue == Service{}.queue);
  CHECK(svc.load_balancer == LoadBalancer::round_robin);
  CHECK_FALSE(reader.filled("workers"));
  CHECK_FALSE(reader.filled("load_balancer"));
}

TEST_CASE("fill reads only the fields of the struct it is given", "[loader][schema]") {
  // fault[] holds keys of the fault and of its failure process: each struct gets its own.
  const toml::table t = parse("target = \"db\"\nage_while_down = false\n");
  DiagnosticList out("fault.toml");
  TableReader reader(&t, t.source(), "fault.x", "fault[]", out);
  FailureProcess p;
  reader.fill(p);
  CHECK_FALSE(p.age_while_down);
  CHECK_FALSE(reader.filled("target"));
  Fault f;
  reader.fill(f);
  CHECK(f.target == "db");
}

TEST_CASE("a bound key is read by fill only", "[loader][schema]") {
  const toml::table t = parse("workers = 3\n");
  DiagnosticList out("service.toml");
  TableReader reader(&t, t.source(), "service.api", "service[]", out);
  CHECK_THROWS_AS(reader.integer("workers"), InternalError);
  CHECK_NOTHROW(reader.list("zones"));  // not bound: read by hand
}

TEST_CASE("a row is bound only to a field that can take its type and choices", "[loader][schema]") {
  SchemaKey duration;
  duration.path = "x.y";
  duration.type = ValueType::duration;
  CHECK_THROWS_AS(duration.into(to(&Service::workers)), InternalError);  // an integer field
  CHECK_NOTHROW(duration.into(to(&Service::restart_time)));
  SchemaKey choice;
  choice.path = "x.z";
  choice.type = ValueType::choice;
  choice.choices = {"fifo", "lifo", "random"};
  CHECK_THROWS_AS(choice.into(to(&Service::queue_discipline, {{"fifo", QueueDiscipline::fifo},
                                                                {"lifo", QueueDiscipline::lifo}})),
                  InternalError);
}

TEST_CASE("an enumeration's names are the row's choices", "[loader][schema]") {
  const SchemaKey* kind = find_schema_key("fault[].kind");
  REQUIRE(kind);
  REQUIRE(kind->binding);
  const std::set<std::string_view> distinct(kind->choices.begin(), kind->choices.end());
  CHECK(distinct.size() == kind->choices.size());  // every enumerator has a name of its own
  CHECK(distinct.count("?") == 0);
  CHECK(distinct.count("data_loss") == 1);
  const SchemaKey* balancer = find_schema_key("service[].load_balancer");
  REQUIRE(balancer);
  CHECK(balancer->choices == std::vector<std::string_view>{"round_robin", "random", "least_request", "zone_aware"});
}
