#!/usr/bin/env bash
# The MLP trained by examples/mlp (or the LeNet of examples/lenet: MODEL
# lenet), exported with its weights (--export), and examples/mlp_classify.c
# built against the export and libsymjit_rt only: it must classify the
# Fashion-MNIST test set with exactly the in-process predictor's accuracy,
# and neither it nor libsymjit_rt may load libLLVM.
# Usage: mlp_classify.sh BUILD_DIR SOURCE_DIR CC [MODEL]
set -euo pipefail
build=$1 src=$2 cc=${3:-cc} model=${4:-mlp}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "mlp_classify.sh ($model): $*" >&2; exit 1; }

"$build/$model" --epochs 1 --limit 2048 --export "$work" >"$work/train.txt" 2>/dev/null || { cat "$work/train.txt"; fail "$model --export failed"; }
cat "$work/train.txt"
want=$(sed -n "s/^RESULT $model test_acc=\([0-9.]*\).*/\1/p" "$work/train.txt")
[ -n "$want" ] || fail "no RESULT line from $model"
[ -s "$work/$model.o" ] && [ -s "$work/$model.h" ] || fail "$model --export wrote no object or header"

"$cc" -O2 -Wall -Wextra -Werror -DMODEL="$model" -I"$work" -I"$src/include" -I"$src/examples" "$src/examples/mlp_classify.c" \
  "$src/examples/fashion_mnist.c" "$work/$model.o" -L"$build" -lsymjit_rt -lz -lmvec -lm -pthread \
  -Wl,-rpath,"$build" -o "$work/mlp_classify"
"$work/mlp_classify" >"$work/classify.txt" || { cat "$work/classify.txt"; fail "the classifier failed"; }
cat "$work/classify.txt"
got=$(sed -n "s/^RESULT ${model}_classify test_acc=\([0-9.]*\).*/\1/p" "$work/classify.txt")
[ "$got" = "$want" ] || fail "accuracy $got, the in-process predictor's is $want"

# the exported program's libraries: libsymjit_rt, no LLVM, no libsymjit
libs=$(ldd "$work/mlp_classify")
echo "$libs"
grep -q 'libsymjit_rt\.so' <<<"$libs" || fail "mlp_classify does not link libsymjit_rt.so"
if grep -qi 'libLLVM' <<<"$libs"; then fail "mlp_classify loads libLLVM"; fi
if grep -q 'libsymjit\.so' <<<"$libs"; then fail "mlp_classify loads libsymjit.so"; fi
if ldd "$build/libsymjit_rt.so" | grep -qi 'libLLVM'; then fail "libsymjit_rt.so loads libLLVM"; fi
if nm -u "$build/libsymjit_rt.so" | grep -q 'LLVM'; then fail "libsymjit_rt.so has undefined LLVM symbols"; fi
echo "mlp_classify.sh ($model): ok (test_acc=$got both ways, no libLLVM)"
