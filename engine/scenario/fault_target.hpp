// How a fault's `target` is written. The form is syntax alone; which names it may use depends on the
// fault's kind and is checked by the loader and resolved by the model's FaultPlan:
//
//   "auth"             a plain name: a service, zone, region, host ("<zone>-h<i>"), feature or segment
//   "tag:db"           every service and zone carrying the tag
//   "front->db"        a dependency (from->to)
//   "eu-a<->eu-b"      a link between two zones or two regions
//   "eu-a/rack2"       a rack of a zone (zones with `racks = N`)
//
// Names cannot contain ':', '<', '>' or '/', so the forms never overlap.
#pragma once

#include <string>
#include <string_view>

namespace faultline {

struct FaultTarget {
  enum class Form { name, tag, dependency, link, rack };
  Form form = Form::name;
  std::string first;   // the name, the tag, the caller, the first end of a link, or the rack's zone
  std::string second;  // the callee or the second end of a link
  int rack = -1;       // Form::rack: the rack's index; -1 when the index is not a number
};

FaultTarget parse_fault_target(std::string_view text);

// "<zone>-h<i>" split into the zone's name and the host's index; index -1 when the text is not
// written that way. Whether the zone exists and has that host is the caller's question.
struct HostName {
  std::string zone;
  int index = -1;
};
HostName parse_host_name(std::string_view text);

}  // namespace faultline
