// The timeline in long format, one row per bucket per series, ready for pandas or a spreadsheet:
//   t_start,t_end,kind,name,requests,ok,degraded,failed,availability,ejected,circuit_open,replicas
// kind is feature, segment, region or service; rows are grouped by series (in report order), then by
// time. availability is empty for a bucket without requests (undefined, not perfect). ejected,
// circuit_open and replicas (serving at the end of the bucket) are for services, empty otherwise.
// A report with shared resources has two more columns, utilisation,backlog, and rows of kind
// resource (a host's CPU: share of its cores busy, mean threads waiting for a core), empty for the
// others; a report without resources has exactly the columns above.
#pragma once

#include "report/report.hpp"

#include <string>

namespace faultline {

std::string timeline_csv(const Report& r);

}  // namespace faultline
