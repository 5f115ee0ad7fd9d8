// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// Verifier errors of slice, slice_update, index_update and slice_len: each
// names the op, the rule and the types (docs/decisions/0010-slicing.md).
func @f(%x: f32[]) -> (f32[]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'slice' op needs a tensor of rank >= 1, got f32[]
  %0 = slice %x {start = [], step = [], stop = []} : f32[]
  return %0
}
// -----
func @f(%x: f32[4,3]) -> (f32[4,3]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'slice' op 'stop' has 1 entry but the operand f32[4,3] has rank 2
  %0 = slice %x {start = [0, 0], step = [1, 1], stop = [4]} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[4,3]) -> (f32[4,3]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'slice' op step of axis 1 is 0; it must be non-zero (and > -2^63)
  %0 = slice %x {start = [0, 0], step = [1, 0], stop = [4, 3]} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[4,3]) -> (f32[4,3]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'slice' op step of axis 0 is -9223372036854775808; it must be non-zero (and > -2^63)
  %0 = slice %x {start = [0, 0], step = [-9223372036854775808, 1], stop = [4, 3]} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[4,3]) -> (f32[4,3]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'slice' op result type f32[4,3] does not match the inferred type f32[2,3]
  %0 = slice %x {start = [0, 0], step = [2, 1], stop = [4, 3]} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[4,3]) -> (f32[4,3]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'slice' op requires attribute 'step'
  %0 = slice %x {start = [0, 0], stop = [4, 3]} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[4,3], %y: f32[3]) -> (f32[4,3]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'slice_update' op mode must be "set" or "add", got "mul"
  %0 = slice_update %x, %y {mode = "mul", start = [0, 0], step = [1, 1], stop = [4, 3]} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[4,3], %y: f32[3]) -> (f32[4,3]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'slice_update' op values f32[3] do not broadcast to the updated region f32[4,2]
  %0 = slice_update %x, %y {mode = "set", start = [0, 1], step = [1, 1], stop = [4, 3]} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[4,3], %y: f64[2]) -> (f32[4,3]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'slice_update' op values f64[2] must be a tensor of the dtype of f32[4,3]
  %0 = slice_update %x, %y {mode = "set", start = [0, 1], step = [1, 1], stop = [4, 3]} : f32[4,3]
  return %0
}
// -----
func @f(%x: bool[4], %y: bool[]) -> (bool[4]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'slice_update' op mode "add" needs a numeric operand, got bool[4]
  %0 = slice_update %x, %y {mode = "add", start = [0], step = [1], stop = [4]} : bool[4]
  return %0
}
// -----
func @f(%x: f32[4,3], %i: i32[5], %y: f32[5,3]) -> (f32[4,3]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'index_update' op values f32[5,3] do not broadcast to the updated region f32[4,5]
  %0 = index_update %x, %i, %y {axis = 1, mode = "add"} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[4,3], %i: f32[5], %y: f32[]) -> (f32[4,3]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'index_update' op indices must be integers, got f32[5]
  %0 = index_update %x, %i, %y {axis = 0, mode = "set"} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[4,3], %i: i32[5], %y: f32[]) -> (f32[4,3]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'index_update' op axis -3 is out of range for f32[4,3]
  %0 = index_update %x, %i, %y {axis = -3, mode = "set"} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[4,3], %i: i32[5], %y: f32[]) -> (f32[4,3]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'index_update' op requires attribute 'mode'
  %0 = index_update %x, %i, %y {axis = 0} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[4,3], %i: i32[5], %y: f32[]) -> (f32[5,3]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'index_update' op result type f32[5,3] does not match the inferred type f32[4,3]
  %0 = index_update %x, %i, %y {axis = 0, mode = "set"} : f32[5,3]
  return %0
}
// -----
func @f(%x: f32[?]) -> (f32[?]) {
  %0 = dim %x {axis = 0} : i64
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'slice_len' op step is 0; it must be non-zero (and > -2^63)
  %1 = slice_len %0 {start = 0, step = 0, stop = 1} : i64
  %2 = alloc %1 : f32[?]
  return %2
}
// -----
func @f(%x: f32[?], %n: i32[]) -> (f32[?]) {
  // CHECK: errors-slice.sj:[[@LINE+1]]:8: error: 'slice_len' op the size must be an i64 scalar, got i32[]
  %0 = slice_len %n {start = 0, step = 1, stop = 1} : i64
  return %x
}
