#include "report/report.hpp"

namespace faultline {

// These names are part of the report contract (JSON "errors" keys, CSV, summary): PRODUCT.md's causes.
const char* to_string(Cause c) {
  switch (c) {
    case Cause::timeout: return "timeout";
    case Cause::rejected: return "rejected";
    case Cause::circuit_open: return "circuit_open";
    case Cause::dependency: return "dependency";
    case Cause::injected: return "injected";
    case Cause::host_down: return "host_down";
  }
  return "unknown";
}

}  // namespace faultline
