#!/usr/bin/env bash
# SIGKILL trials of the sync server and devices, more of them than CI runs
# (tests/sync/kill_test.cpp): by default 200 against SQLite, then 200 against
# a PostgreSQL cluster the test starts itself.
#
#   scripts/sync_kill_trials.sh [TRIALS] [sqlite|postgres|both]   (build/ must be built)
set -euo pipefail
trials="${1:-200}"
storage="${2:-both}"
build="$(cd "$(dirname "$0")/.." && pwd)/build"
[ -x "$build/canvasfx_sync_tests" ] || { echo "build first: cmake --build build" >&2; exit 2; }
run() {
  echo "== $trials SIGKILL trials against $1"
  CANVASFX_SYNC_STORAGE="$1" CANVASFX_KILL_TRIALS="$trials" \
    "$build/canvasfx_sync_tests" --gtest_filter='KillTrials.*'
}
case "$storage" in
  sqlite|postgres) run "$storage" ;;
  both) run sqlite; run postgres ;;
  *) echo "storage is sqlite, postgres or both" >&2; exit 2 ;;
esac
