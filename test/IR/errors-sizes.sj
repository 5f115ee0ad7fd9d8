// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: %symjit-opt %S/Inputs/sizes-ok.sj | FileCheck %s --check-prefix=OK
// Every result and block argument must be an array that can exist: the
// product of its non-zero static dims (`?` counts as 1) times the element
// size is at most 2^63 - 65 bytes, numpy's rule. So the verdict does not
// depend on where a zero dim sits, and no stride or byte offset computed
// from a verified type can overflow. The parser already refuses more than
// 2^63-1 elements; these fit in elements but not in bytes.
// CHECK: errors-sizes.sj:[[@LINE+1]]:1: error: 'func' op argument 0 has type f32[4611686018427387904,1], over 2^63 bytes (zero dims aside)
func @f(%x: f32[4611686018427387904,1]) -> (f32[4611686018427387904,1]) {
  return %x
}
// -----
// One byte past the limit (2^63 - 65 bytes: sizes are rounded up to 64).
// CHECK: errors-sizes.sj:[[@LINE+1]]:1: error: 'func' op argument 0 has type i8[9223372036854775744], over 2^63 bytes (zero dims aside)
func @f(%x: i8[9223372036854775744]) -> (i8[9223372036854775744]) {
  return %x
}
// -----
// A zero dim does not excuse the others: numpy refuses (0, 2^63-1) too.
// CHECK: errors-sizes.sj:[[@LINE+1]]:1: error: 'func' op argument 1 has type f32[0,9223372036854775807], over 2^63 bytes (zero dims aside)
func @f(%y: f32[4], %x: f32[0,9223372036854775807]) -> (f32[4]) {
  return %y
}
// -----
// CHECK: errors-sizes.sj:[[@LINE+1]]:1: error: 'func' op argument 0 has type i8[9223372036854775807,0], over 2^63 bytes (zero dims aside)
func @f(%x: i8[9223372036854775807,0]) -> (i8[9223372036854775807,0]) {
  return %x
}
// -----
// A `?` dim counts as 1: any run-time value but 0 would overflow.
// CHECK: errors-sizes.sj:[[@LINE+1]]:1: error: 'func' op argument 0 has type f64[?,1152921504606846976], over 2^63 bytes (zero dims aside)
func @f(%x: f64[?,1152921504606846976]) -> (f64[?,1152921504606846976]) {
  return %x
}
// -----
// Operands that fit can broadcast to a result that does not.
func @f(%x: f64[2147483648,1], %y: f64[1,2147483648]) -> (f64[2147483648,2147483648]) {
  // CHECK: errors-sizes.sj:[[@LINE+1]]:8: error: 'add' op result 0 has type f64[2147483648,2147483648], over 2^63 bytes (zero dims aside)
  %0 = add %x, %y : f64[2147483648,2147483648]
  return %0
}
// -----
func @f() -> (f32[2305843009213693952]) {
  // CHECK: errors-sizes.sj:[[@LINE+1]]:8: error: 'constant' op result 0 has type f32[2305843009213693952], over 2^63 bytes (zero dims aside)
  %0 = constant {value = 1.0} : f32[2305843009213693952]
  return %0
}
// -----
// Kernels are checked like funcs.
// CHECK: errors-sizes.sj:[[@LINE+1]]:1: error: 'kernel' op argument 1 has type bf16[4611686018427387904], over 2^63 bytes (zero dims aside)
kernel @k(%a: f32[4], %b: bf16[4611686018427387904]) {
}
// The largest types that fit, zeros and `?` included, verify and print back:
// OK:      func @f(%a: i8[4611686018427387904], %b: i8[0,4611686018427387904], %c: f32[?,1152921504606846976], %d: f64[0,0,1048576], %e: i8[9223372036854775743]) -> (i8[4611686018427387904]) {
// OK-NEXT:   return %a
// OK-NEXT: }
