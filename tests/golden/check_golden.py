#!/usr/bin/env python3
"""Golden test: run one example scenario through the CLI and compare its summary with the stored one.

usage: check_golden.py FAULTLINE_BIN SCENARIO.toml EXPECTED_DIR
Set FAULTLINE_REGOLD=1 to rewrite the expected file (the diff against the old one is printed).

The summary keeps what a reader of the scenario's header comment cares about: per-feature
availability, users affected, sessions lost, the (first) incident timeline and its TTR stages, how
many incidents the run had, the status updates (state and time), the services that were down (and
for how long) and the first links of the propagation chain. Numbers are compared with tolerances so that a harmless change in the model's
random draws does not break the test, while a change in behaviour does.
"""
import json
import math
import os
import pathlib
import subprocess
import sys
import tempfile

# (relative tolerance, absolute tolerance) per kind of number
TOLERANCES = {
    "availability": (0.0, 0.002),
    "count": (0.03, 5.0),
    "users": (0.05, 2000.0),
    "time": (0.0, 61.0),
    "exact": (0.0, 0.0),
}


def summarise(report):
    inc = report["incident"]
    summary = {
        "scenario": report["provenance"]["scenario_name"],
        "seed": report["provenance"]["seed"],
        "requests": {"kind": "count", "value": report["summary"]["requests"]},
        "availability": {"kind": "availability", "value": report["summary"]["availability"]},
        "users_affected": {"kind": "users", "value": report["summary"]["users_affected"]},
        "sessions_lost": {"kind": "users", "value": report["summary"]["sessions_lost"]},
        "features": {
            f["name"]: {"kind": "availability", "value": f["availability"]} for f in report["features"]
        },
        "incident": {
            k: {"kind": "time", "value": inc[k]}
            for k in ("impact_start", "detected", "acknowledged", "diagnosed", "mitigated", "recovered")
        },
        "ttr_stages": {k: {"kind": "time", "value": v} for k, v in inc["stages"].items()},
        "incidents": {"kind": "exact", "value": len(report["incidents"])},
        "status_updates": {
            f"{i} {u['state']}": {"kind": "time", "value": u["time"]} for i, u in enumerate(report["status_updates"])
        },
        "downtime": {
            s["name"]: {"kind": "time", "value": s["downtime"]} for s in report["services"] if s["downtime"] > 0
        },
        "detected_by": inc["detected_by"],
        "mitigated_by": inc["mitigated_by"],
        "propagation": [p["service"] for p in report["propagation"][:4]],
    }
    # Scenarios that model shared resources: how long each loaded one was saturated, and what the
    # propagation chain blames (the expected files of the others keep the keys they had).
    if "resources" in report:
        summary["resources_saturated"] = {
            x["name"]: {"kind": "time", "value": x["saturated_time"]} for x in report["resources"]
        }
        summary["propagation_via"] = [p["via"].split(":")[0] for p in report["propagation"][:4]]
    return summary


def compare(path, expected, actual, problems):
    if isinstance(expected, dict) and "kind" in expected and "value" in expected:
        e, a = expected["value"], actual.get("value") if isinstance(actual, dict) else None
        if e is None or a is None:
            if e != a:
                problems.append(f"{path}: expected {e}, got {a}")
            return
        rel, ab = TOLERANCES[expected["kind"]]
        if abs(a - e) > max(ab, rel * abs(e)):
            problems.append(f"{path}: expected {e} (+-{max(ab, rel * abs(e)):.4g}), got {a}")
        return
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or set(expected) != set(actual):
            problems.append(f"{path}: keys differ: expected {sorted(expected)}, got {sorted(actual or {})}")
            return
        for k in expected:
            compare(f"{path}.{k}", expected[k], actual[k], problems)
        return
    if expected != actual:
        problems.append(f"{path}: expected {expected!r}, got {actual!r}")


def main():
    binary, scenario, expected_dir = sys.argv[1:4]
    name = pathlib.Path(scenario).stem
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([binary, "run", scenario, "--out", tmp, "--format", "json"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stdout, proc.stderr, sep="\n")
            print(f"golden {name}: faultline exited {proc.returncode}")
            return 1
        report = json.loads(pathlib.Path(tmp, "report.json").read_text())
    actual = summarise(report)
    expected_path = pathlib.Path(expected_dir, name + ".json")
    text = json.dumps(actual, indent=2, sort_keys=True) + "\n"
    if os.environ.get("FAULTLINE_REGOLD") == "1":
        old = expected_path.read_text() if expected_path.exists() else ""
        expected_path.write_text(text)
        if old != text:
            import difflib
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                                       str(expected_path), "new"))
        print(f"golden {name}: rewrote {expected_path}")
        return 0
    if not expected_path.exists():
        print(f"golden {name}: no expected file {expected_path}; run with FAULTLINE_REGOLD=1 to create it")
        return 1
    problems = []
    compare("summary", json.loads(expected_path.read_text()), actual, problems)
    if problems:
        print(f"golden {name}: {len(problems)} difference(s)")
        for p in problems:
            print("  " + p)
        return 1
    print(f"golden {name}: matches {expected_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
