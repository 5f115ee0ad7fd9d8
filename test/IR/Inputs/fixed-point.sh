#!/bin/sh
# print(parse(t)) is a fixed point: for every .sj file under the given
# directories, each '// -----' chunk that symjit-opt accepts prints to text
# that prints to itself again. Chunks that must fail (error tests) are
# skipped. Files named roundtrip-*.sj and every file under an examples/
# directory must moreover already be in printed form: print(parse(t)) == t
# once comment lines are dropped.
# Usage: fixed-point.sh SYMJIT_OPT DIR...
opt="$1"
shift
n=0
skipped=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in $(find "$@" -name '*.sj' | sort); do
  rm -f "$tmp"/chunk*
  # chunk files chunk0, chunk1, ... as symjit-opt --split-input-file cuts them
  awk -v dir="$tmp" 'BEGIN { n = 0 }
    /^[ \t]*\/\/ -----/ { n++; next }
    { print > (dir "/chunk" n) }' "$f"
  i=0
  while [ -f "$tmp/chunk$i" ]; do
    c="$tmp/chunk$i"
    i=$((i + 1))
    if ! "$opt" "$c" > "$tmp/once" 2>/dev/null; then
      skipped=$((skipped + 1))
      continue
    fi
    n=$((n + 1))
    if ! "$opt" "$tmp/once" > "$tmp/twice" 2> "$tmp/err"; then
      echo "printed form does not parse: $f (chunk $i)"
      cat "$tmp/err"
      fail=$((fail + 1))
    elif ! cmp -s "$tmp/once" "$tmp/twice"; then
      echo "not a fixed point: $f (chunk $i)"
      diff "$tmp/once" "$tmp/twice" | head -10
      fail=$((fail + 1))
    fi
    case "$f" in
      */roundtrip-*.sj | */examples/*.sj)
        if ! grep -v '^//' "$c" | diff -u - "$tmp/once" > "$tmp/diff"; then
          echo "not in printed form: $f (chunk $i)"
          head -20 "$tmp/diff"
          fail=$((fail + 1))
        fi
        ;;
    esac
  done
done
echo "fixed point: $n chunks checked, $skipped skipped, $fail failed"
[ "$fail" -eq 0 ] && [ "$n" -gt 20 ]
