#!/usr/bin/env bash
# A fuzz campaign of the scenario loader: bash fuzz/run.sh BUILD_DIR [SECONDS]
# (`bash tools/bootstrap.sh fuzz [SECONDS]` installs clang, builds BUILD_DIR and calls this).
#
# 1. replays every bundled and invalid scenario and every seed once (regression: none may crash);
# 2. writes the dictionary from the schema table;
# 3. fuzzes for SECONDS (default 600) from a corpus kept in BUILD_DIR/fuzz/corpus across campaigns,
#    seeded with scenarios/*.toml, scenarios/invalid/*.toml and fuzz/seeds/*;
# 4. prints executions, time and coverage; exits non-zero if libFuzzer found anything: a crash, a
#    sanitizer report, a hang over 5 s or memory over 2 GiB (the input is saved in
#    BUILD_DIR/fuzz/artifacts/; keep it as a scenarios/invalid/fuzz-*.toml case once fixed).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:?usage: fuzz/run.sh BUILD_DIR [SECONDS]}"
seconds="${2:-600}"
target="$build/fuzz/faultline_loader_fuzz"
[[ -x "$target" ]] || { echo "fuzz: $target not built (bash tools/bootstrap.sh fuzz builds it)" >&2; exit 1; }
work="$build/fuzz"
mkdir -p "$work/corpus" "$work/artifacts"
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

seeds=(scenarios/*.toml scenarios/invalid/*.toml fuzz/seeds/*)
echo "fuzz: replaying ${#seeds[@]} known inputs"
"$target" -runs=1 "${seeds[@]}" >"$work/replay.log" 2>&1 || {
  tail -40 "$work/replay.log" >&2; echo "fuzz: a known input fails (log: $work/replay.log)" >&2; exit 1; }

"$build/fuzz/faultline_fuzz_dictionary" >"$work/scenario.dict"
echo "fuzz: dictionary of $(wc -l <"$work/scenario.dict") tokens; fuzzing for ${seconds} s"

# libFuzzer takes corpus folders (the first one receives what it finds): the seeds get one of their own.
rm -rf "$work/seeds" && mkdir -p "$work/seeds" && cp "${seeds[@]}" "$work/seeds/"
before=$(find "$work/artifacts" -type f | wc -l)
status=0
"$target" "$work/corpus" "$work/seeds" -dict="$work/scenario.dict" -max_total_time="$seconds" \
  -timeout=5 -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=65536 -artifact_prefix="$work/artifacts/" \
  -print_final_stats=1 -close_fd_mask=3 >"$work/campaign.log" 2>&1 || status=$?
after=$(find "$work/artifacts" -type f | wc -l)

# libFuzzer's last status line: "#N DONE cov: C ft: F corp: ..." (or the line before a crash).
last=$(grep -E '^#[0-9]+' "$work/campaign.log" | tail -1 || true)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/campaign.log" | tail -1)
time=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$work/campaign.log" | tail -1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
echo "fuzz: ${runs:-?} executions in ${time:-?} s, coverage ${cov:-?} edges / ${ft:-?} features, corpus ${corp:-?} inputs"
if ((status == 72 && after == before)); then  # libFuzzer's exit code when interrupted (Ctrl-C)
  echo "fuzz: interrupted; the corpus so far is kept (log: $work/campaign.log)" >&2
  exit 130
fi
if ((status != 0 || after > before)); then
  grep -E 'ERROR|SUMMARY|loader promise|Test unit written' "$work/campaign.log" | head -20 >&2 || true
  echo "fuzz: FOUND something (exit $status, $((after - before)) new artifact(s) in $work/artifacts; log: $work/campaign.log)" >&2
  exit 1
fi
echo "fuzz: nothing found (log: $work/campaign.log)"
