// The timeline in long format, one row per bucket per series, ready for pandas or a spreadsheet:
//   t_start,t_end,kind,name,requests,ok,degraded,failed,availability,ejected,circuit_open,replicas,
//   p50,p99,p50_all,p99_all,queue,served,throughput,wasted,wasted_work
// kind is feature, segment, region or service; rows are grouped by series (in report order), then by
// time. availability is empty for a bucket without requests (undefined, not perfect). ejected,
// circuit_open and replicas (serving at the end of the bucket) are for services, empty otherwise.
// p50 and p99 (seconds) are of the bucket's successful requests, p50_all and p99_all of all of them
// (report.hpp: LatencyByBucket), for features and services, empty where nothing was measured.
// queue (mean calls waiting), served (calls its workers finished), throughput (served per second),
// wasted (finished after the caller gave up) and wasted_work (their worker-seconds) are for services.
// Groups of columns follow only when the report has what they show (resources, shares done, users,
// replication, backlogs); a feature row of a scenario with sessions fills sessions_lost.
#pragma once

#include "report/report.hpp"

#include <string>

namespace faultline {

std::string timeline_csv(const Report& r);

}  // namespace faultline
