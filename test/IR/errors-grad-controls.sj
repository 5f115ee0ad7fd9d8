// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// The gradient controls of the graph API (stop_gradient, clip_grad,
// scale_grad) are graph-only rows: sj_compile drops them before a func is
// built, and the verifier refuses them inside one, so no pipeline or layer
// below the graph front end ever sees them.
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-grad-controls.sj:[[@LINE+1]]:8: error: 'stop_gradient' op is a gradient control of the graph API; it cannot appear in a function
  %0 = stop_gradient %x : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-grad-controls.sj:[[@LINE+1]]:8: error: 'clip_grad' op is a gradient control of the graph API; it cannot appear in a function
  %0 = clip_grad %x {hi = 1.0, lo = -1.0} : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-grad-controls.sj:[[@LINE+1]]:8: error: 'scale_grad' op is a gradient control of the graph API; it cannot appear in a function
  %0 = scale_grad %x {scale = 0.5} : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-grad-controls.sj:[[@LINE+1]]:8: error: 'clip_grad' op requires attribute 'hi'
  %0 = clip_grad %x {lo = -1.0} : f32[4]
  return %0
}
