// The softmax ops against the double-precision reference, fused and
// unfused, at logits of +-1e4 (exp overflows in f32 and f64 without the
// row max) and labels in [-2, 8) around 5 classes (outside [0, 5): NaN rows,
// checked NaN for NaN); zero-size and dynamic batches.
// RUN: %symjit-run %s --check --func xent32 --range -1e4,1e4 --int-range -2,8 --shape x=64x5 --shape y=64 | FileCheck %s --check-prefix=X32
// RUN: %symjit-run %s --check --func xent64 --range -1e4,1e4 --int-range -2,8 --shape x=3x5x7 --shape y=3x7 | FileCheck %s --check-prefix=X64
// RUN: %symjit-run %s --check --func xent32 --shape x=0x5 --shape y=0 | FileCheck %s --check-prefix=X32
// RUN: %symjit-run %s --check --func sm --range -1e4,1e4 --shape x=9x6 --shape z=2x9x4 | FileCheck %s --check-prefix=SM
// RUN: %symjit-run %s --check --func sm --shape x=0x6 --shape z=2x0x4 | FileCheck %s --check-prefix=SM
// X32: check: @xent32 passed
// X64: check: @xent64 passed
// SM: check: @sm passed
func @xent32(%x: f32[?,5], %y: i32[?]) -> (f32[?]) {
  %0 = softmax_xent %x, %y {axis = 1} : f32[?]
  return %0
}
func @xent64(%x: f64[?,5,7], %y: i64[?,7]) -> (f64[?,7]) {
  %0 = softmax_xent %x, %y {axis = -2} : f64[?,7]
  return %0
}
func @sm(%x: f32[?,6], %z: f64[2,?,4]) -> (f32[?,6], f32[?,6], f64[2,?,4], f64[2,?,4]) {
  %0 = softmax %x {axis = 1} : f32[?,6]
  %1 = log_softmax %x {axis = 0} : f32[?,6]
  %2 = softmax %z {axis = 1} : f64[2,?,4]
  %3 = log_softmax %z {axis = -1} : f64[2,?,4]
  return %0, %1, %2, %3
}
