#!/bin/sh
# print(parse(t)) is a fixed point: for every .sj file of the test suite and
# the examples that parses, printing it again changes nothing.
# Usage: fixed-point.sh SYMJIT_OPT DIR...
opt="$1"
shift
n=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in $(find "$@" -name '*.sj' | sort); do
  split=""
  grep -q '^// -----' "$f" && split="--split-input-file"
  "$opt" $split "$f" > "$tmp/once" 2>/dev/null || continue
  if [ -n "$split" ]; then
    "$opt" --split-input-file "$tmp/once" > "$tmp/twice" 2>&1
  else
    "$opt" "$tmp/once" > "$tmp/twice" 2>&1
  fi
  if ! cmp -s "$tmp/once" "$tmp/twice"; then
    echo "not a fixed point: $f"
    diff "$tmp/once" "$tmp/twice" | head -10
    fail=$((fail + 1))
  fi
  n=$((n + 1))
done
echo "fixed point: $n files checked, $fail failed"
[ "$fail" -eq 0 ] && [ "$n" -gt 20 ]
