#!/usr/bin/env bash
# The main demo: installs what is missing, builds, then shows what the
# compiler does to each example (symjit-opt -O) and runs them (symjit-run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build >/dev/null
for f in examples/*.sj; do
  echo "================ $f: input"
  cat "$f"
  echo "================ $f: after symjit-opt -O (fused, lowered, loop-fused)"
  ./build/symjit-opt -O "$f"
  echo "================ $f: symjit-run (random inputs, checked against a double-precision reference)"
  ./build/symjit-run "$f" --check
done
echo "================ examples/api_example.c: embedding symjit from C"
./build/api_example
