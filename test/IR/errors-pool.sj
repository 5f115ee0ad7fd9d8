// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// Verifier errors of the pooling ops (docs/decisions/0021-conv-pool.md): each
// names the op, the rule and the types or attribute involved.
func @f(%x: i32[1,1,4,4]) -> (f32[1,1,2,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'max_pool2d' op operand must be a floating-point tensor of rank 4 (NCHW), got i32[1,1,4,4]
  %0 = max_pool2d %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[1,1,2,2]
  return %0
}
// -----
func @f(%x: f32[4,4]) -> (f32[2,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'avg_pool2d' op operand must be a floating-point tensor of rank 4 (NCHW), got f32[4,4]
  %0 = avg_pool2d %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,2]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4]) -> (f32[1,1,2,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'max_pool2d' op attribute 'window' must have 2 entries, got 1
  %0 = max_pool2d %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [2]} : f32[1,1,2,2]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4]) -> (f32[1,1,2,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'max_pool2d' op attribute 'stride' must have 2 entries, got 3
  %0 = max_pool2d %x {pad = [0, 0, 0, 0], stride = [2, 2, 1], window = [2, 2]} : f32[1,1,2,2]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4]) -> (f32[1,1,2,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'max_pool2d' op attribute 'pad' must have 4 entries, got 2
  %0 = max_pool2d %x {pad = [0, 0], stride = [2, 2], window = [2, 2]} : f32[1,1,2,2]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4]) -> (f32[1,1,2,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'max_pool2d' op 'window' entries must be in [1, 2^30]: window [0, 2], stride [2, 2], pad [0, 0, 0, 0]
  %0 = max_pool2d %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [0, 2]} : f32[1,1,2,2]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4]) -> (f32[1,1,2,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'max_pool2d' op 'stride' entries must be in [1, 2^30]: window [2, 2], stride [2, -1], pad [0, 0, 0, 0]
  %0 = max_pool2d %x {pad = [0, 0, 0, 0], stride = [2, -1], window = [2, 2]} : f32[1,1,2,2]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4]) -> (f32[1,1,2,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'max_pool2d' op 'pad' entries must be >= 0 and smaller than the window: window [2, 2], stride [2, 2], pad [0, 0, 2, 0]
  %0 = max_pool2d %x {pad = [0, 0, 2, 0], stride = [2, 2], window = [2, 2]} : f32[1,1,2,2]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4]) -> (f32[1,1,2,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'avg_pool2d' op 'pad' entries must be >= 0 and smaller than the window: window [2, 2], stride [2, 2], pad [0, -1, 0, 0]
  %0 = avg_pool2d %x {pad = [0, -1, 0, 0], stride = [2, 2], window = [2, 2]} : f32[1,1,2,2]
  return %0
}
// -----
func @f(%x: f32[1,1,2,4]) -> (f32[1,1,1,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'max_pool2d' op window 3x3 is larger than the padded input f32[1,1,2,4] (pad [0, 0, 0, 0])
  %0 = max_pool2d %x {pad = [0, 0, 0, 0], stride = [1, 1], window = [3, 3]} : f32[1,1,1,2]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4]) -> (f32[1,1,2,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'max_pool2d' op result type f32[1,1,2,3] does not match the inferred type f32[1,1,2,2]
  %0 = max_pool2d %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[1,1,2,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4]) -> (f32[1,1,2,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'max_pool2d' op has no attribute 'count_pad'
  %0 = max_pool2d %x {count_pad = true, pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[1,1,2,2]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4]) -> (f32[1,1,2,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'avg_pool2d' op requires attribute 'stride'
  %0 = avg_pool2d %x {pad = [0, 0, 0, 0], window = [2, 2]} : f32[1,1,2,2]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4]) -> (f32[1,1,2,2]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'avg_pool2d' op attribute 'ceil_mode' must be of kind bool, got int
  %0 = avg_pool2d %x {ceil_mode = 1, pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[1,1,2,2]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %g: f32[1,1,2,3]) -> (f32[1,1,4,4]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'max_pool2d_grad' op gradient f32[1,1,2,3] does not match the pooled type f32[1,1,2,2] of f32[1,1,4,4]
  %0 = max_pool2d_grad %x, %g {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[1,1,4,4]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %g: f64[1,1,2,2]) -> (f32[1,1,4,4]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'max_pool2d_grad' op gradient f64[1,1,2,2] does not match the pooled type f32[1,1,2,2] of f32[1,1,4,4]
  %0 = max_pool2d_grad %x, %g {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[1,1,4,4]
  return %0
}
// -----
func @f(%g: f32[1,2,2,2], %x: f32[1,1,4,4]) -> (f32[1,1,4,4]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'avg_pool2d_grad' op gradient f32[1,2,2,2] does not match the pooled type f32[1,1,2,2] of f32[1,1,4,4]
  %0 = avg_pool2d_grad %g, %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[1,1,4,4]
  return %0
}
// -----
func @f(%g: f32[1,1,2,2], %x: i64[1,1,4,4]) -> (i64[1,1,4,4]) {
  // CHECK: errors-pool.sj:[[@LINE+1]]:8: error: 'avg_pool2d_grad' op operand must be a floating-point tensor of rank 4 (NCHW), got i64[1,1,4,4]
  %0 = avg_pool2d_grad %g, %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : i64[1,1,4,4]
  return %0
}
