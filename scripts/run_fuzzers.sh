#!/usr/bin/env bash
# Runs each libFuzzer harness of tests/fuzz for a while, one after the other
# (the machine's other work keeps its cores), from the seed corpus made of our
# conformance cases and examples plus the kept findings (tests/fuzz/corpus).
#
#   scripts/run_fuzzers.sh BUILD_DIR SECONDS [FUZZER...]
#
# BUILD_DIR is a build configured with -DCANVASFX_FUZZ=ON (clang; `make
# check-asan` makes build-asan). The growing corpus stays in
# BUILD_DIR/fuzz-corpus/NAME between runs; a finding is written to
# BUILD_DIR/fuzz-findings/ and the script fails. Prints each fuzzer's executions.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:?usage: $0 BUILD_DIR SECONDS [FUZZER...]}"
seconds="${2:?usage: $0 BUILD_DIR SECONDS [FUZZER...]}"
shift 2
fuzzers=("$@")
[ ${#fuzzers[@]} -gt 0 ] || fuzzers=(formula profile store_file app_source)

"$build/canvasfx_fuzz_seeds" "$build/fuzz-seeds" . >/dev/null
mkdir -p "$build/fuzz-findings"
status=0
for name in "${fuzzers[@]}"; do
  corpus="$build/fuzz-corpus/$name"
  mkdir -p "$corpus"
  max_len=4096
  # A store file, or an app's files (a screen of a real app is tens of KB).
  case "$name" in store_file | app_source) max_len=65536 ;; esac
  log="$build/fuzz-findings/$name.log"
  # -timeout: a single input running this long is a hang (the engine's own
  # time limit is 2 s); -rss_limit_mb: memory past the 256 MB budget is a leak.
  if "$build/${name}_fuzzer" "$corpus" "$build/fuzz-seeds/$name" "tests/fuzz/corpus/$name" \
      -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -max_len="$max_len" \
      -print_final_stats=1 -artifact_prefix="$build/fuzz-findings/$name-" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    echo "fuzz $name: ${seconds} s, $runs executions, no finding"
  else
    echo "fuzz $name: FINDING (see $log and $build/fuzz-findings/)"
    tail -40 "$log"
    status=1
  fi
done
exit $status
