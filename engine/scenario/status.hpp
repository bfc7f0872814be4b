// gRPC-style status codes: they travel with failures from service to service and reach the client.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

enum class Status : unsigned char {
  OK,
  CANCELLED,
  UNKNOWN,
  INVALID_ARGUMENT,
  DEADLINE_EXCEEDED,
  NOT_FOUND,
  ALREADY_EXISTS,
  PERMISSION_DENIED,
  RESOURCE_EXHAUSTED,
  FAILED_PRECONDITION,
  ABORTED,
  OUT_OF_RANGE,
  UNIMPLEMENTED,
  INTERNAL,
  UNAVAILABLE,
  DATA_LOSS,
  UNAUTHENTICATED,
};

inline constexpr int kStatusCount = 17;

const char* to_string(Status s);
std::optional<Status> parse_status(std::string_view name);
std::vector<std::string> status_names();

}  // namespace faultline
