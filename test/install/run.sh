#!/usr/bin/env bash
# Builds and runs test/install/consumer outside symjit's tree (ctest:
# install_consumer and install_subproject; docs/install.md).
#   run.sh BUILD_DIR SOURCE_DIR          install BUILD_DIR into a temporary
#       prefix (no rebuild), then the consumer via find_package(symjit
#       CONFIG) (shared and static) and via pkg-config (shared and static)
#   run.sh --subproject SOURCE_DIR       the consumer with symjit as an
#       add_subdirectory (how FetchContent adds it too): configures and
#       builds the library again, unoptimized, so it is its own test
# Each consumer must compile with only include/ on its path, run, and print
# right numbers; the shared ones must load the installed libsymjit.so.
set -euo pipefail
sub=0
if [ "${1:-}" = --subproject ]; then sub=1; shift; fi
if [ $sub = 0 ]; then bin=$(cd "$1" && pwd); shift; fi
src=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc=${CC:-cc}
start=$SECONDS

run() { # NAME BINARY [SHARED_LIB_DIR]: runs it; a shared one must use that dir's libsymjit
  echo "== $1"
  ldd "$2" >"$tmp/ldd" # (not piped into grep -q: pipefail would see ldd's SIGPIPE)
  if [ -n "${3:-}" ]; then
    grep -q "libsymjit.so.* => $3/" "$tmp/ldd" || { cat "$tmp/ldd"; echo "FAIL: $1 does not load $3/libsymjit.so"; exit 1; }
  elif grep -q libsymjit "$tmp/ldd"; then
    echo "FAIL: $1 should not need libsymjit.so"; exit 1
  fi
  "$2" || { echo "FAIL: $1"; exit 1; }
}
quiet() { # runs a command, showing its output only when it fails
  "$@" >"$tmp/log" 2>&1 || { cat "$tmp/log"; echo "FAIL: $*"; exit 1; }
}

if [ $sub = 1 ]; then
  # no optimization, no debug info: the slowest part is compiling symjit
  quiet cmake -S "$src/test/install/consumer" -B "$tmp/sub" -DSYMJIT_SOURCE_DIR="$src" -DCMAKE_BUILD_TYPE=None
  quiet cmake --build "$tmp/sub" -j2
  run add_subdirectory "$tmp/sub/consumer_shared" "$tmp/sub/symjit"
  echo "install_subproject: $((SECONDS - start)) s"
  exit 0
fi

prefix=$tmp/prefix
quiet cmake --install "$bin" --prefix "$prefix"
libdir=$(dirname "$(find "$prefix" -name 'libsymjit.so' | head -1)")
for f in include/symjit/symjit.h include/symjit/graph.h include/symjit/info.h include/symjit/export.h \
         bin/symjit-opt bin/symjit-run; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
[ -e "$libdir/libsymjit.a" ] && [ -e "$libdir/pkgconfig/symjit.pc" ] && [ -e "$libdir/cmake/symjit/symjitConfig.cmake" ] ||
  { echo "FAIL: libsymjit.a, symjit.pc or the CMake package not installed"; exit 1; }
[ -n "$(find "$prefix/share/doc" -name install.md)" ] || { echo "FAIL: docs not installed"; exit 1; }
"$prefix/bin/symjit-run" --version

# 1. CMake: find_package(symjit CONFIG)
quiet cmake -S "$src/test/install/consumer" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release
quiet cmake --build "$tmp/cm"
run "find_package, symjit::symjit" "$tmp/cm/consumer_shared" "$libdir"
run "find_package, symjit::symjit_static" "$tmp/cm/consumer_static"

# 2. pkg-config (shared; static: the archive and `--static` for its dependencies)
export PKG_CONFIG_PATH=$libdir/pkgconfig
c="$src/test/install/consumer/consumer.c"
# shellcheck disable=SC2046
quiet $cc -std=c17 -Wall -Werror $(pkg-config --cflags symjit) "$c" -o "$tmp/pc_shared" \
  $(pkg-config --libs symjit) -lm -Wl,-rpath,"$libdir"
run "pkg-config" "$tmp/pc_shared" "$libdir"
# shellcheck disable=SC2046
quiet $cc -std=c17 -Wall -Werror $(pkg-config --cflags symjit) "$c" -o "$tmp/pc_static" \
  $(pkg-config --static --libs symjit | sed 's/-lsymjit\b/-l:libsymjit.a/') -lm
run "pkg-config --static" "$tmp/pc_static"

# 3. ahead-of-time export (docs/aot.md): the installed symjit-aot exports a
# function; the program links the installed libsymjit_rt through
# symjit_rt.pc (shared, then static), never libsymjit or libLLVM
[ -e "$prefix/bin/symjit-aot" ] && [ -e "$prefix/include/symjit/aot.h" ] && [ -e "$libdir/libsymjit_rt.a" ] &&
  [ -e "$libdir/pkgconfig/symjit_rt.pc" ] && grep -q 'symjit::symjit_rt' "$libdir/cmake/symjit/symjitTargets.cmake" ||
  { echo "FAIL: symjit-aot, aot.h, libsymjit_rt, symjit_rt.pc or its CMake target not installed"; exit 1; }
quiet env SYMJIT_CACHE=0 "$prefix/bin/symjit-aot" "$src/examples/mlp_layer.sj" --func mlp --name lay -o "$tmp/lay.o" --header "$tmp/lay.h"
a="$src/test/install/aot_consumer.c"
# shellcheck disable=SC2046
quiet $cc -std=c17 -Wall -Werror -I"$tmp" $(pkg-config --cflags symjit_rt) "$a" "$tmp/lay.o" -o "$tmp/aot_shared" \
  $(pkg-config --libs symjit_rt) -Wl,-rpath,"$libdir"
grep_ldd() { ldd "$1" >"$tmp/ldd"; ! grep -qE 'libLLVM|libsymjit\.so' "$tmp/ldd" || { cat "$tmp/ldd"; echo "FAIL: $1 loads libLLVM or libsymjit"; exit 1; }; }
grep_ldd "$tmp/aot_shared"
grep -q "libsymjit_rt.so.* => $libdir/" "$tmp/ldd" || { cat "$tmp/ldd"; echo "FAIL: aot_shared does not load $libdir/libsymjit_rt.so"; exit 1; }
"$tmp/aot_shared" || { echo "FAIL: aot_shared"; exit 1; }
# shellcheck disable=SC2046
quiet $cc -std=c17 -Wall -Werror -I"$tmp" $(pkg-config --cflags symjit_rt) "$a" "$tmp/lay.o" -o "$tmp/aot_static" \
  $(pkg-config --static --libs symjit_rt | sed 's/-lsymjit_rt\b/-l:libsymjit_rt.a/')
grep_ldd "$tmp/aot_static"
! grep -q libsymjit_rt "$tmp/ldd" || { echo "FAIL: aot_static loads libsymjit_rt.so"; exit 1; }
"$tmp/aot_static" || { echo "FAIL: aot_static"; exit 1; }
echo "install_consumer: $((SECONDS - start)) s"
