#!/usr/bin/env bash
# symjit-aot's errors: each exits non-zero with a message naming the
# problem and leaves no file behind (docs/aot.md).
# Usage: errors.sh SYMJIT_AOT SOURCE_DIR
set -uo pipefail
aot=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sj=$src/examples/mlp_layer.sj
status=0
# expect_fail NEEDLE ARGS...: fails, says NEEDLE, writes neither file
expect_fail() {
  local needle=$1
  shift
  if "$aot" "$@" >"$work/out.txt" 2>&1; then
    echo "errors.sh: '$*' succeeded" >&2
    status=1
  elif ! grep -qF -- "$needle" "$work/out.txt"; then
    echo "errors.sh: '$*': message lacks '$needle':" >&2
    cat "$work/out.txt" >&2
    status=1
  fi
  if ls "$work"/x.o* "$work"/x.h* >/dev/null 2>&1; then
    echo "errors.sh: '$*' left files behind" >&2
    status=1
  fi
}
expect_fail "the name '9lives' is not a C identifier" "$sj" --func mlp --name 9lives -o "$work/x.o" --header "$work/x.h"
expect_fail "the name 'a-b' is not a C identifier" "$sj" --func mlp --name a-b -o "$work/x.o" --header "$work/x.h"
expect_fail "no function @nope" "$sj" --func nope --name x -o "$work/x.o" --header "$work/x.h"
expect_fail "cannot write $work/no/such/dir/x.o" "$sj" --func mlp --name x -o "$work/no/such/dir/x.o" --header "$work/x.h"
expect_fail "cannot write $work/no/such/dir/x.h" "$sj" --func mlp --name x -o "$work/x.o" --header "$work/no/such/dir/x.h"
expect_fail "cannot read" "$work/missing.sj" --func mlp --name x -o "$work/x.o" --header "$work/x.h"
expect_fail "--func is required" "$sj" -o "$work/x.o" --header "$work/x.h"
expect_fail "unknown option '--bogus'" "$sj" --bogus
expect_fail "is not an identifier" "$sj" --func mlp --name x --c-name 'a b' -o "$work/x.o" --header "$work/x.h"
# and the happy path writes both
"$aot" "$sj" --func mlp --name ok -o "$work/ok.o" --header "$work/ok.h" || status=1
[ -s "$work/ok.o" ] && grep -q 'static inline int ok_mlp(ok_state \*s' "$work/ok.h" || { echo "errors.sh: no export" >&2; status=1; }
[ $status = 0 ] && echo "errors.sh: ok"
exit $status
