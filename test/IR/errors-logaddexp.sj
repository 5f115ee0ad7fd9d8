// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// logaddexp's verifier errors: float operands of one dtype that broadcast.
func @f(%x: i32[3]) -> (i32[3]) {
  // CHECK: errors-logaddexp.sj:[[@LINE+1]]:8: error: 'logaddexp' op operands must be floating point, got i32[3]
  %0 = logaddexp %x, %x : i32[3]
  return %0
}
// -----
func @f(%x: f32[3], %y: f64[3]) -> (f32[3]) {
  // CHECK: errors-logaddexp.sj:[[@LINE+1]]:8: error: 'logaddexp' op operand dtypes differ: f32[3] and f64[3]
  %0 = logaddexp %x, %y : f32[3]
  return %0
}
// -----
func @f(%x: f32[3], %y: f32[4]) -> (f32[3]) {
  // CHECK: errors-logaddexp.sj:[[@LINE+1]]:8: error: 'logaddexp' op operand shapes are not broadcast-compatible: f32[3] and f32[4]
  %0 = logaddexp %x, %y : f32[3]
  return %0
}
// -----
func @f(%x: f32[3]) -> (f32[3]) {
  // CHECK: errors-logaddexp.sj:[[@LINE+1]]:8: error: 'logaddexp' op expects 2 operands, got 1
  %0 = logaddexp %x : f32[3]
  return %0
}
// -----
func @f(%x: f32[3]) -> (f32[4]) {
  // CHECK: errors-logaddexp.sj:[[@LINE+1]]:8: error: 'logaddexp' op result type f32[4] does not match the inferred type f32[3]
  %0 = logaddexp %x, %x : f32[4]
  return %0
}
