// The rows of the schema table (io/schema.hpp), written one per key, and the helpers they are written
// with. The table is split by concept: the platform (schema_platform.cpp: the file's header, zones,
// the network, services, dependencies) and the workload and the response (schema_workload.cpp:
// features, traffic, the client, faults, monitors, the incident, actions, expectations,
// distributions). Not a public header.
#pragma once

#include "io/schema.hpp"

#include <vector>

namespace faultline::schema_rows {

inline constexpr double kMinute = 60, kHour = 3600, kDay = 86400;

using T = ValueType;

inline SchemaKey row(std::string_view path, ValueType type) {
  SchemaKey k;
  k.path = path;
  k.type = type;
  return k;
}

std::vector<SchemaKey> platform();  // in documentation order
std::vector<SchemaKey> workload();

}  // namespace faultline::schema_rows
