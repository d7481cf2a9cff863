#!/usr/bin/env bash
# 1,000 SIGKILL trials against the built canvasfx (tests/fault/sigkill_trials.cpp
# says what a trial is and what is checked); ctest runs 50 of them.
# Usage: scripts/sigkill_trials.sh [TRIALS] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-1000}"
build="${2:-build}"
cmake --build "$build" --target canvasfx canvasfx_sigkill_trials -j2
"$build/canvasfx_sigkill_trials" --trials "$trials"
