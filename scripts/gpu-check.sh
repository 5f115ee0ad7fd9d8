#!/usr/bin/env bash
# Usage: scripts/gpu-check.sh [build-dir]   (default: build)
# The device checks of the GPU backend (docs/gpu.md "Running the device
# checks"): the device tests (ctest unit_cuda_*, lit's device and nvptx
# tests with the cuda-device feature on), then the GPU bench (bench/
# gpu_bench.c: W1 on 2^24 and 2^26 floats against a device-to-device copy
# of the same bytes, log_softmax rows, GEMM 1024^3 and 4096^3 in f32 and
# f16 storage, an MLP training step) and the LSTM training step of
# examples/char_lstm (its model and size: sj_scan, backpropagation through
# time; test/unit/cuda_device.c --lstm-bench), printing ratios against
# references measured in the same run. Without a CUDA device: prints why,
# exits 77.
# Exit status: 0 when every device test passed, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
lit=/usr/lib/llvm-19/build/utils/lit/lit.py

if [ ! -x "$build/gpu_bench" ] || [ ! -x "$build/symjit-run" ]; then
  bash scripts/build.sh "$build" || { echo "gpu-check: build failed" >&2; exit 1; }
fi

# 1. A device, or the reason there is none (the runtime's own message).
"$build/gpu_bench" --probe
rc=$?
if [ "$rc" -ne 0 ]; then
  [ "$rc" -eq 77 ] && echo "gpu-check: no CUDA device here: nothing was checked (exit 77)" >&2
  exit "$rc"
fi
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem --format=csv 2>/dev/null || true
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"

# 2. The device tests. With a device none of them may be skipped.
failed=0
echo "== ctest (unit_cuda_*) =="
ctest --test-dir "$build" --output-on-failure -R '^(unit_cuda_|gpu_bench_fake)' 2>&1 | tee "$build/gpu-check-ctest.log" || failed=1
if grep -q '(Skipped)' "$build/gpu-check-ctest.log"; then
  echo "gpu-check: a device test was skipped although a device is present" >&2
  failed=1
fi
echo "== lit (device and nvptx tests) =="
python3 "$lit" -sv "$build/test" --filter '(device|nvptx)' 2>&1 | tee "$build/gpu-check-lit.log" || failed=1
if grep -q '^UNSUPPORTED: .*device' "$build/gpu-check-lit.log"; then
  echo "gpu-check: lit left a device test unsupported although a device is present" >&2
  failed=1
fi

# 3. The bench (ratios; never pass/fail).
echo "== bench =="
"$build/gpu_bench" 2>&1 || echo "gpu-check: the bench stopped with status $?" >&2
"$build/test/unit_cuda_device" --lstm-bench 2>&1 || echo "gpu-check: the LSTM step bench stopped with status $?" >&2

if [ "$failed" -ne 0 ]; then
  echo "gpu-check: FAILED (see above)"
  exit 1
fi
echo "gpu-check: device tests passed"
