// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// Verifier errors of the conv2d family: each names the op, the rule, the
// attribute or the shapes involved.
func @f(%x: i32[1,1,4,4], %w: i32[1,1,2,2]) -> (i32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op input must be a floating-point tensor of rank 4 (NCHW), got i32[1,1,4,4]
  %0 = conv2d %x, %w {pad = [0, 0, 0, 0], stride = [1, 1]} : i32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,4,4], %w: f32[1,1,2,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op input must be a floating-point tensor of rank 4 (NCHW), got f32[1,4,4]
  %0 = conv2d %x, %w {pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f64[1,1,2,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op filter must be a rank-4 tensor (OIHW) of the input's dtype, got f64[1,1,2,2] for input f32[1,1,4,4]
  %0 = conv2d %x, %w {pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,2,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op filter must be a rank-4 tensor (OIHW) of the input's dtype, got f32[1,2,2] for input f32[1,1,4,4]
  %0 = conv2d %x, %w {pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,1,2,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op requires attribute 'stride'
  %0 = conv2d %x, %w {pad = [0, 0, 0, 0]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,1,2,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op requires attribute 'pad'
  %0 = conv2d %x, %w {stride = [1, 1]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,1,2,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op 'pad' must be a list of 4 integers
  %0 = conv2d %x, %w {pad = [0, 0, 0], stride = [1, 1]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,1,2,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op 'stride' element 1 is 0, must be in [1, 2^30]
  %0 = conv2d %x, %w {pad = [0, 0, 0, 0], stride = [1, 0]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,1,2,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op 'pad' element 1 is -1, must be in [0, 2^30]
  %0 = conv2d %x, %w {pad = [0, -1, 0, 0], stride = [1, 1]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,1,2,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op 'dilation' element 0 is 0, must be in [1, 2^30]
  %0 = conv2d %x, %w {dilation = [0, 1], pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,1,2,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op 'dilation' must be a list of 2 integers
  %0 = conv2d %x, %w {dilation = [1], pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,1,2,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op 'groups' is 0, must be in [1, 2^30]
  %0 = conv2d %x, %w {groups = 0, pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,1,2,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op 'stride' element 0 is 1073741825, must be in [1, 2^30]
  %0 = conv2d %x, %w {pad = [0, 0, 0, 0], stride = [1073741825, 1]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,6,4,4], %w: f32[4,2,2,2]) -> (f32[1,4,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op groups = 4 does not divide the 6 input channels of f32[1,6,4,4]
  %0 = conv2d %x, %w {groups = 4, pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,4,3,3]
  return %0
}
// -----
func @f(%x: f32[1,6,4,4], %w: f32[4,3,2,2]) -> (f32[1,4,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op groups = 3 does not divide the 4 output channels of filter f32[4,3,2,2]
  %0 = conv2d %x, %w {groups = 3, pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,4,3,3]
  return %0
}
// -----
func @f(%x: f32[1,6,4,4], %w: f32[4,2,2,2]) -> (f32[1,4,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op filter f32[4,2,2,2] has 2 input channels per group, input f32[1,6,4,4] has 6 / 2 groups = 3
  %0 = conv2d %x, %w {groups = 2, pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,4,3,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,1,0,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op filter f32[1,1,0,2] has no kernel rows
  %0 = conv2d %x, %w {pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,1,5,2]) -> (f32[1,1,0,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op the kernel spans 5 rows (5 taps, dilation 1), more than the 4 of the padded input (4 + pad 0 + 0): input f32[1,1,4,4], filter f32[1,1,5,2]
  %0 = conv2d %x, %w {pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,1,0,3]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,1,2,3]) -> (f32[1,1,3,0]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op the kernel spans 5 columns (3 taps, dilation 2), more than the 4 of the padded input (4 + pad 0 + 0): input f32[1,1,4,4], filter f32[1,1,2,3]
  %0 = conv2d %x, %w {dilation = [1, 2], pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,1,3,0]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %w: f32[1,1,2,2]) -> (f32[1,1,4,4]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d' op result type f32[1,1,4,4] does not match the inferred type f32[1,1,3,3]
  %0 = conv2d %x, %w {pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,1,4,4]
  return %0
}
// -----
func @f(%g: f32[1,1,2,3], %w: f32[1,1,2,2], %x: f32[1,1,4,4]) -> (f32[1,1,4,4]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d_input_grad' op gradient f32[1,1,2,3] does not match the convolution's output f32[1,1,3,3] (input f32[1,1,4,4], filter f32[1,1,2,2])
  %0 = conv2d_input_grad %g, %w, %x {pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,1,4,4]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %g: f64[1,1,3,3], %w: f32[1,1,2,2]) -> (f32[1,1,2,2]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d_filter_grad' op gradient f64[1,1,3,3] does not match the convolution's output f32[1,1,3,3] (input f32[1,1,4,4], filter f32[1,1,2,2])
  %0 = conv2d_filter_grad %x, %g, %w {pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,1,2,2]
  return %0
}
// -----
func @f(%x: f32[1,1,4,4], %g: f32[1,1,3,3], %w: f32[1,1,2,2]) -> (f32[1,1,3,3]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d_filter_grad' op result type f32[1,1,3,3] does not match the inferred type f32[1,1,2,2]
  %0 = conv2d_filter_grad %x, %g, %w {pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,1,3,3]
  return %0
}
// -----
func @f(%g: f32[1,1,3,3], %w: f32[1,1,2,2], %x: f32[1,2,4,4]) -> (f32[1,2,4,4]) {
  // CHECK: errors-conv.sj:[[@LINE+1]]:8: error: 'conv2d_input_grad' op filter f32[1,1,2,2] has 1 input channels per group, input f32[1,2,4,4] has 2 / 1 groups = 2
  %0 = conv2d_input_grad %g, %w, %x {pad = [0, 0, 0, 0], stride = [1, 1]} : f32[1,2,4,4]
  return %0
}
