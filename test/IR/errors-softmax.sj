// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// Verifier errors of the softmax family: each names the op, the rule and
// the types.
func @f(%x: i32[4]) -> (i32[4]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'softmax' op operand must be a floating-point tensor of rank >= 1, got i32[4]
  %0 = softmax %x {axis = 0} : i32[4]
  return %0
}
// -----
func @f(%x: f32[]) -> (f32[]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'log_softmax' op operand must be a floating-point tensor of rank >= 1, got f32[]
  %0 = log_softmax %x {axis = 0} : f32[]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3,4]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'softmax' op axis 2 is out of range for f32[3,4]
  %0 = softmax %x {axis = 2} : f32[3,4]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3,4]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'log_softmax' op axis -3 is out of range for f32[3,4]
  %0 = log_softmax %x {axis = -3} : f32[3,4]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3,4]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'softmax' op requires attribute 'axis'
  %0 = softmax %x : f32[3,4]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f64[3,4]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'softmax' op result type f64[3,4] does not match the inferred type f32[3,4]
  %0 = softmax %x {axis = 1} : f64[3,4]
  return %0
}
// -----
func @f(%x: f32[3,?], %y: i32[3]) -> (f32[3]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'softmax_xent' op the class axis 1 of f32[3,?] must have a static, non-zero size
  %0 = softmax_xent %x, %y {axis = 1} : f32[3]
  return %0
}
// -----
func @f(%x: f32[3,0], %y: i32[3]) -> (f32[3]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'softmax_xent' op the class axis 1 of f32[3,0] must have a static, non-zero size
  %0 = softmax_xent %x, %y {axis = 1} : f32[3]
  return %0
}
// -----
func @f(%x: f32[3,4], %y: f32[3]) -> (f32[3]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'softmax_xent' op labels must be an integer tensor, got f32[3]
  %0 = softmax_xent %x, %y {axis = 1} : f32[3]
  return %0
}
// -----
func @f(%x: f32[3,4], %y: bool[3]) -> (f32[3]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'softmax_xent' op labels must be an integer tensor, got bool[3]
  %0 = softmax_xent %x, %y {axis = 1} : f32[3]
  return %0
}
// -----
func @f(%x: f32[3,4], %y: i32[4]) -> (f32[4]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'softmax_xent' op labels i32[4] must have the shape of the logits f32[3,4] without axis 1
  %0 = softmax_xent %x, %y {axis = 1} : f32[4]
  return %0
}
// -----
func @f(%x: f32[3,4], %y: i32[3,1]) -> (f32[3,1]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'softmax_xent' op labels i32[3,1] must have the shape of the logits f32[3,4] without axis 1
  %0 = softmax_xent %x, %y {axis = 1} : f32[3,1]
  return %0
}
// -----
func @f(%x: i32[3,4], %y: i32[3]) -> (i32[3]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'softmax_xent' op operand must be a floating-point tensor of rank >= 1, got i32[3,4]
  %0 = softmax_xent %x, %y {axis = 1} : i32[3]
  return %0
}
// -----
func @f(%x: f32[3,4], %y: i32[3]) -> (f32[3]) {
  // CHECK: errors-softmax.sj:[[@LINE+1]]:8: error: 'softmax_xent' op expects 2 operands, got 1
  %0 = softmax_xent %x {axis = 1} : f32[3]
  return %0
}
