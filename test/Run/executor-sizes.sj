// Sizes computed from run-time dims are checked before anything is
// allocated or run: element counts (dims products: alloc, broadcast and
// gemm result shapes, reshape targets) and byte counts must fit, and so must
// the product of the non-zero dims (an empty [2^40, 2^40, 0] still has
// 2^80 loop iterations). Empty inputs with huge dims are legal and make
// such intermediates; the errors name the value and its shape. (Reshape
// targets cannot overflow: their static dims are bounded by the parser and
// their '?' dim by the input's count.)
// RUN: not %symjit-run %s --func mm --shape a=4294967296x0 --shape b=0x4294967296 2>&1 | FileCheck %s --check-prefix=ELEMS
// RUN: not %symjit-run %s --func mm64 --shape a=2147483648x0 --shape b=0x2147483648 2>&1 | FileCheck %s --check-prefix=BYTES
// RUN: not env ASAN_OPTIONS=allocator_may_return_null=1 %symjit-run %s --func mm --shape a=1073741824x0 --shape b=0x1073741824 2>&1 | FileCheck %s --check-prefix=NOMEM
// RUN: not %symjit-run %s --func mm --shape a=2147483648x0 --shape b=0x2 2>&1 | FileCheck %s --check-prefix=BLAS
// RUN: not %symjit-run %s --func outer --shape a=1099511627776x1x0 --shape b=1x1099511627776x0 2>&1 | FileCheck %s --check-prefix=LOOPS
// The same functions on shapes that fit run (empty results included).
// RUN: %symjit-run %s --func mm --shape a=3x0 --shape b=0x2 --print | FileCheck %s --check-prefix=OK1
// RUN: %symjit-run %s --func outer --shape a=4x1x0 --shape b=1x5x0 --print | FileCheck %s --check-prefix=OK2

// ELEMS: executor-sizes.sj:[[@LINE+2]]:8: error: size overflow: the buffer %{{.*}} would be f32[4294967296,4294967296] and its non-zero dims multiply past 2^63-1; nothing was run
func @mm(%a: f32[?,?], %b: f32[?,?]) -> (f32[?,?]) {
  %c = matmul %a, %b : f32[?,?]
  return %c
}

// BYTES: executor-sizes.sj:[[@LINE+2]]:8: error: size overflow: the buffer %{{.*}} would be f64[2147483648,2147483648] and it needs more than SIZE_MAX bytes; nothing was run
func @mm64(%a: f64[?,?], %b: f64[?,?]) -> (f64[?,?]) {
  %c = matmul %a, %b : f64[?,?]
  return %c
}
// NOMEM: error: out of memory allocating 4611686018427387904 bytes for %{{.*}} (f32[1073741824,1073741824]); nothing was run
// BLAS: error: matmul of %a (f32[2147483648,0]) and %b (f32[0,2]) into %{{.*}} (f32[2147483648,2]): BLAS takes int dims; rows/columns 2147483648 and 2

// LOOPS: executor-sizes.sj:[[@LINE+2]]:8: error: size overflow: the buffer %{{.*}} would be f32[1099511627776,1099511627776,0] and its non-zero dims multiply past 2^63-1; nothing was run
func @outer(%a: f32[?,1,?], %b: f32[1,?,?]) -> (f32[?,?,?]) {
  %c = add %a, %b : f32[?,?,?]
  return %c
}

// OK1: mm.out0: f32[3,2] =
// OK1-NEXT: {{\[\[}}0, 0],
// OK2: outer.out0: f32[4,5,0] =
