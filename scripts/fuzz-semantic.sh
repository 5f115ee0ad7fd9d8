#!/usr/bin/env bash
# Semantic fuzzer: random valid programs (test/fuzz-semantic/gen.c) through
# `symjit-opt -O` and `symjit-run --check` (the compiled fused and unfused
# paths against the reference evaluator).
#
# Usage: scripts/fuzz-semantic.sh [--bin BUILD_DIR] [--special|--mixed]
#                                 [--keep DIR] [N | Nm] [SEED]
#   N programs (default 200) or N minutes ("10m"), seeds SEED, SEED+1, ...
#   (default 1). --bin: the build to test (default build-asan if it exists,
#   else build). --special: NaN/Inf/-0 values and wide input ranges;
#   --mixed: every fourth program special. --keep: copy each failing
#   program there (default: fuzz-failures/ in the current directory).
#   FUZZ_AVOID="NAME ...": leave out open bug classes (test/fuzz-semantic/gen.c);
#   FUZZ_TIMEOUT: seconds per tool run (default 60).
#
# Each program is classified:
#   pass    every output matched the reference
#   error   refused cleanly by the tools and the reference alike (sizes
#           too large, dims that disagree at run time, a reference limit)
#   FAILURE crash (signal), sanitizer report, hang (timeout), a mismatch
#           against the reference, the compiled paths and the reference
#           disagreeing on refusing the inputs, symjit-opt failing on a
#           valid program
# Exit status 1 if any FAILURE. Figures are printed at the end.
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
bin=""
mode=normal
keep="fuzz-failures"
budget=200
seed=1
while [ $# -gt 0 ]; do
  case "$1" in
  --bin) bin="$2"; shift 2 ;;
  --special) mode=special; shift ;;
  --mixed) mode=mixed; shift ;;
  --keep) keep="$2"; shift 2 ;;
  -h | --help) sed -n '2,/^set -u/p' "$0" | grep '^#'; exit 0 ;;
  *) if [ "$budget" = 200 ] && [ -z "${got_budget:-}" ]; then budget="$1"; got_budget=1; else seed="$1"; fi; shift ;;
  esac
done
if [ -z "$bin" ]; then
  if [ -x "$here/build-asan/symjit-run" ]; then bin="$here/build-asan"; else bin="$here/build"; fi
fi
gen="$bin/test/sj-fuzzgen"
opt="$bin/symjit-opt"
run="$bin/symjit-run"
for t in "$gen" "$opt" "$run"; do
  [ -x "$t" ] || { echo "fuzz-semantic: $t not built" >&2; exit 2; }
done
deadline=0
count=$budget
case "$budget" in
*m) deadline=$(($(date +%s) + ${budget%m} * 60)); count=1000000000 ;;
esac
# Sanitizers: stop at the first report; LLVM's JIT leaks nothing we own.
# allocator_may_return_null: a huge allocation fails (NULL) as it does
# without ASan, so the clean "out of memory" path is what gets tested.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:allocator_may_return_null=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
timeout_s=${FUZZ_TIMEOUT:-60}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npass=0 nerr=0 nfail=0 nunexp=0 n=0
declare -A classes=()
start=$(date +%s)

fail() { # class, seed, file, log
  nfail=$((nfail + 1))
  classes[$1]=$((${classes[$1]:-0} + 1))
  mkdir -p "$keep"
  cp "$3" "$keep/seed-$2-$1.sj"
  cp "$4" "$keep/seed-$2-$1.log"
  echo "FAILURE [$1] seed $2 ($mode): $keep/seed-$2-$1.sj"
}

# Classifies one finished tool run: sanitizer report, crash or hang.
bad_exit() { # rc, log -> prints a class or nothing
  if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$2"; then echo sanitizer
  elif [ "$1" -eq 124 ] || [ "$1" -eq 137 ]; then echo hang
  elif [ "$1" -ge 128 ]; then echo crash
  fi
}

for ((i = 0; i < count; i++)); do
  [ "$deadline" -gt 0 ] && [ "$(date +%s)" -ge "$deadline" ] && break
  s=$((seed + i))
  m=$mode
  [ "$mode" = mixed ] && { [ $((s % 4)) -eq 0 ] && m=special || m=normal; }
  f="$work/p.sj"
  # FUZZ_AVOID="half-matmul ...": leave out open bug classes (names in gen.c)
  avoid=()
  for a in ${FUZZ_AVOID:-}; do avoid+=(--avoid "$a"); done
  if ! "$gen" "$s" "$m" "${avoid[@]}" > "$f" 2> "$work/gen.log"; then
    fail generator "$s" "$f" "$work/gen.log"
    continue
  fi
  n=$((n + 1))
  read -r -a args <<< "$(sed -n 's|^// ARGS: ||p' "$f")"
  expect=$(sed -n 's|^// EXPECT: ||p' "$f")
  timeout -k 5 "$timeout_s" "$opt" -O "$f" > "$work/opt.out" 2> "$work/opt.log"
  rc=$?
  cls=$(bad_exit "$rc" "$work/opt.log")
  [ -z "$cls" ] && [ "$rc" -ne 0 ] && ! grep -q "too large\|overflow\|exceeds" "$work/opt.log" && cls=opt-error
  if [ -n "$cls" ]; then
    fail "opt-$cls" "$s" "$f" "$work/opt.log"
    continue
  fi
  timeout -k 5 "$timeout_s" "$run" "$f" --check "${args[@]}" > "$work/run.log" 2>&1
  rc=$?
  cls=$(bad_exit "$rc" "$work/run.log")
  if [ -z "$cls" ] && grep -q "FAILED" "$work/run.log"; then
    if grep -q "refused but the reference\|ran but the reference" "$work/run.log"; then cls=refusal-disagrees
    else cls=mismatch; fi
  fi
  if [ -n "$cls" ]; then
    fail "$cls" "$s" "$f" "$work/run.log"
  elif [ "$rc" -eq 0 ]; then
    npass=$((npass + 1))
  else
    nerr=$((nerr + 1))
    # refused although the generator saw nothing wrong: worth a look, not a failure
    [ "$expect" = pass ] && nunexp=$((nunexp + 1)) && [ -n "${FUZZ_VERBOSE:-}" ] && {
      echo "note: seed $s refused unexpectedly:"; tail -3 "$work/run.log"; }
  fi
done
secs=$(($(date +%s) - start))
echo "fuzz-semantic: $n programs ($mode, seeds $seed..$((seed + n - 1)), $(basename "$bin")) in ${secs}s:" \
  "$npass pass, $nerr clean errors ($nunexp not predicted by the generator), $nfail FAILURES"
for c in "${!classes[@]}"; do echo "  $c: ${classes[$c]}"; done
[ "$nfail" -eq 0 ]
