// The checks a run is held to: each feature's SLO and each [[expect]] of the scenario, against the
// run's per-run metrics. What `faultline run --check` gates a CI job on.
#pragma once

#include "report/report.hpp"
#include "scenario/scenario.hpp"

#include <vector>

namespace faultline {

// The SLOs first (feature.<f>.availability at least its slo, in feature order), then the expectations
// in file order. A value that is NaN is an incident time the run has not got: met when the run had no
// incident, missed otherwise (the incident never reached that stage).
std::vector<ExpectationResult> check_expectations(const Scenario& s, const Report& r);

// How many of them were missed.
std::size_t missed(const std::vector<ExpectationResult>& checks);

// Whether the scenario stated any [[expect]] (the reports show the checks only then: alone, the SLOs
// are in the features table).
bool states_expectations(const std::vector<ExpectationResult>& checks);

}  // namespace faultline
