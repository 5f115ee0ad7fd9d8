#!/usr/bin/env bash
# Regenerates the CHECK lines of a pass test from symjit-opt's output, for
# review before committing (the style of LLVM's update_test_checks.py).
# Usage: scripts/update-checks.sh test/Passes/cse/basic.sj
# Reads the options from the file's first "RUN: %symjit-opt %s <opts> |" line;
# each "// -----" chunk gets CHECK-LABEL/CHECK-NEXT lines for every line the
# tool prints for it. Lines starting with "// CHECK" are replaced; other
# comments are kept.
set -euo pipefail
f="$1"
opt="${SYMJIT_OPT:-$(dirname "$0")/../build/symjit-opt}"
args=$(grep -m1 -o 'RUN: %symjit-opt %s[^|]*' "$f" | sed 's/RUN: %symjit-opt %s//; s/--split-input-file//')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" 'BEGIN{n=0} /^\/\/ -----/{n++; next} {print > (dir "/chunk" n)}' "$f"
out="$tmp/out"
: > "$out"
i=0
while [ -f "$tmp/chunk$i" ]; do
  [ $i -gt 0 ] && echo "// -----" >> "$out"
  grep -v '^// CHECK' "$tmp/chunk$i" | awk '/^\/\//{print; next} {exit}' > "$tmp/head"
  grep -v '^// CHECK' "$tmp/chunk$i" | awk 'f||!/^\/\//{f=1; print}' > "$tmp/body"
  # shellcheck disable=SC2086
  "$opt" $args "$tmp/body" > "$tmp/result" 2>&1 || true
  cat "$tmp/head" >> "$out"
  awk '/^(func|kernel) @/{print "// CHECK-LABEL: " $0; next}
       /^$/{next}
       {print "// CHECK-NEXT: " $0}' "$tmp/result" >> "$out"
  cat "$tmp/body" >> "$out"
  i=$((i + 1))
done
cp "$out" "$f"
