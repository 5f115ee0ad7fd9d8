#!/usr/bin/env bash
# The main demo: installs what is missing, builds, trains logistic regression
# on Fashion-MNIST through the graph API (symbolic grad, updates), then shows
# what the compiler does to a small program (symjit-opt -O) and runs it
# against a double-precision reference (symjit-run --check).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build >/dev/null
echo "================ logistic regression on Fashion-MNIST (examples/logreg.c)"
./build/logreg --epochs 5
echo "================ examples/log_softmax.sj: input"
cat examples/log_softmax.sj
echo "================ after symjit-opt -O (fused, lowered, loop-fused)"
./build/symjit-opt -O examples/log_softmax.sj
echo "================ symjit-run --check (fused and unfused vs a float64 reference)"
./build/symjit-run examples/log_softmax.sj --check --dim 64
