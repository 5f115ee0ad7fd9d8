#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: first the normal
# build, then an AddressSanitizer + UBSan build. Ends with ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build
ctest --test-dir build --output-on-failure -j2
bash scripts/build.sh build-asan -DSJ_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j2
