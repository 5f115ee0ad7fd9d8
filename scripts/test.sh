#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: first the normal
# build, then an AddressSanitizer + UBSan build, then a ThreadSanitizer build
# of the library and the API/thread unit tests only (the rest is
# single-threaded or covered above; keeps CI short). Ends with ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build
ctest --test-dir build --output-on-failure -j2
bash scripts/build.sh build-asan -DSJ_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j2
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSJ_TSAN=ON >/dev/null
cmake --build build-tsan -j2 --target unit_api unit_api_null unit_api_threads unit_rt_pool unit_cache unit_rt_blas unit_rt_gemm_packed unit_rt_conv_gemm unit_scan_gemm_pack
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/test/tsan.supp"
ctest --test-dir build-tsan --output-on-failure -j2 -R "^unit_(api|api_null|api_threads|rt_pool|cache|rt_blas|rt_gemm_packed|rt_conv_gemm|scan_gemm_pack)$"
