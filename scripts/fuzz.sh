#!/usr/bin/env bash
# Usage: scripts/fuzz.sh [MINUTES] [TARGET...]
# Builds the libFuzzer targets of test/fuzz (parse, npy) with clang
# -fsanitize=fuzzer,address,undefined in build-fuzz/ and runs each for
# MINUTES minutes (default 5) on one core, seeded with the .sj files of
# test/ and examples/, the .npy files of test/unit/Inputs and the committed
# corpus test/fuzz/corpus/<target>. New inputs go to build-fuzz/corpus-<target>,
# crashes to build-fuzz/crash-<target>-*; copy a fixed crash into
# test/fuzz/corpus/<target> so that the normal suite replays it
# (test/unit/rt_fuzz_replay.c). Needs Debian's clang and libclang-rt-14-dev
# (installed here if missing); the normal build does not.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-5}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(parse npy)

probe='int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; return (int)n * 0; }'
if ! echo "$probe" | clang -fsanitize=fuzzer -x c - -o /dev/null 2>/dev/null; then
  echo "installing clang and libclang-rt-14-dev (libFuzzer's runtime)"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang libclang-rt-14-dev >/dev/null
fi
bash scripts/install-deps.sh

dir=build-fuzz
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
# The library is instrumented for coverage (fuzzer-no-link); only the targets
# link libFuzzer's main. Warnings are not errors: clang 14 is not the
# compiler the tree is checked with.
cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSJ_WERROR=OFF \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link $san" >/dev/null
cmake --build "$dir" -j2 --target symjit
inc="-Iinclude -Ilib -Ilib/ir -Ilib/runtime -Ipasses -Ilib/codegen -Ilib/graph"
libs="$dir/libsymjit.a -L/usr/lib/llvm-19/lib -lLLVM-19 $(pkg-config --libs openblas) -lz -lpthread -lm"
for t in "${targets[@]}"; do
  clang -g -O1 -fsanitize=fuzzer $san $inc "test/fuzz/fuzz_$t.c" $libs -o "$dir/fuzz_$t"
done

# A dictionary for the parser: op names from the op table (so it follows new
# rows), dtypes, attribute names and the punctuation and extremes of types.
{
  grep -o 'SJ_OP([A-Z_0-9]*, *"[a-z_0-9.]*"' lib/ir/ops.def | sed 's/.*"\(.*\)"/"\1"/'
  for w in func kernel return f16 bf16 f32 f64 i8 i32 i64 bool value axis axes perm kernel keepdims trans_a \
           true false 'dense<' '[?,' '?]' '[]' ' -> (' '%0' '@f' '{' '}' ' = ' ' : ' 9223372036854775807 \
           4611686018427387904 0x1p63 nan inf -0.0 1e308 '// -----'; do
    printf '"%s"\n' "$w"
  done
} > "$dir/parse.dict"

for t in "${targets[@]}"; do
  mkdir -p "$dir/corpus-$t" "$dir/seeds-$t" "test/fuzz/corpus/$t"
  case "$t" in
    parse) find test examples -name '*.sj' -exec cp {} "$dir/seeds-$t/" \; ;;
    npy) cp test/unit/Inputs/*.npy "$dir/seeds-$t/" ;;
  esac
  echo "== fuzz_$t for $minutes min"
  # -rss_limit_mb: a header that claims gigabytes must be refused, not allocated.
  dict=()
  [ "$t" = parse ] && dict=(-dict=parse.dict)
  (cd "$dir" && ./"fuzz_$t" "${dict[@]}" -max_total_time=$((minutes * 60)) -rss_limit_mb=2048 -max_len=65536 \
     -artifact_prefix="crash-$t-" -print_final_stats=1 "corpus-$t" "seeds-$t" "../test/fuzz/corpus/$t") \
    2>&1 | tee "$dir/fuzz_$t.log" | grep -E '^#[0-9]+ *(INITED|DONE|pulse)|ERROR|SUMMARY|stat::' || true
done
