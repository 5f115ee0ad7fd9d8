// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// The verifier's rules for conv_gemm (decision 0041): its mode, BLAS's
// dtypes, the geometry of the tensor op it runs, and the epilogue.
func @f(%x: f32[2,3,5,5], %w: f32[4,3,3,3], %y: f32[2,4,3,3]) -> () {
  // CHECK: errors-conv-gemm.sj:[[@LINE+1]]:3: error: 'conv_gemm' op mode must be "forward", "input_grad" or "filter_grad", got "backward"
  conv_gemm %x, %w, %y {mode = "backward", pad = [0, 0, 0, 0], stride = [1, 1]}
  return
}
// -----
func @f(%x: f32[2,3,5,5], %w: f32[4,3,3,3], %y: f32[2,4,3,3]) -> () {
  // CHECK: errors-conv-gemm.sj:[[@LINE+1]]:3: error: 'conv_gemm' op requires attribute 'mode'
  conv_gemm %x, %w, %y {pad = [0, 0, 0, 0], stride = [1, 1]}
  return
}
// -----
func @f(%x: f16[2,3,5,5], %w: f16[4,3,3,3], %y: f16[2,4,3,3]) -> () {
  // CHECK: errors-conv-gemm.sj:[[@LINE+1]]:3: error: 'conv_gemm' op operands must be f32 or f64 (BLAS), got f16[2,3,5,5]
  conv_gemm %x, %w, %y {mode = "forward", pad = [0, 0, 0, 0], stride = [1, 1]}
  return
}
// -----
func @f(%x: f32[2,3,5,5], %w: f32[4,3,3,3], %y: f32[2,4,4,3]) -> () {
  // CHECK: errors-conv-gemm.sj:[[@LINE+1]]:3: error: 'conv_gemm' op output buffer f32[2,4,4,3] does not match the convolution's output f32[2,4,3,3]
  conv_gemm %x, %w, %y {mode = "forward", pad = [0, 0, 0, 0], stride = [1, 1]}
  return
}
// -----
func @f(%x: f32[2,3,5,5], %w: f32[4,3,3,3], %y: f64[2,4,3,3]) -> () {
  // CHECK: errors-conv-gemm.sj:[[@LINE+1]]:3: error: 'conv_gemm' op output buffer f64[2,4,3,3] does not match the convolution's output f32[2,4,3,3]
  conv_gemm %x, %w, %y {mode = "forward", pad = [0, 0, 0, 0], stride = [1, 1]}
  return
}
// -----
// input_grad: (g, w, dx); g must have the output's shape of conv(dx, w).
func @f(%g: f32[2,4,2,3], %w: f32[4,3,3,3], %dx: f32[2,3,5,5]) -> () {
  // CHECK: errors-conv-gemm.sj:[[@LINE+1]]:3: error: 'conv_gemm' op gradient f32[2,4,2,3] does not match the convolution's output f32[2,4,3,3]
  conv_gemm %g, %w, %dx {mode = "input_grad", pad = [0, 0, 0, 0], stride = [1, 1]}
  return
}
// -----
// filter_grad: (x, g, dw); groups must divide the channels.
func @f(%x: f32[2,3,5,5], %g: f32[2,4,3,3], %dw: f32[4,3,3,3]) -> () {
  // CHECK: errors-conv-gemm.sj:[[@LINE+1]]:3: error: 'conv_gemm' op groups = 2 does not divide the 3 input channels of f32[2,3,5,5]
  conv_gemm %x, %g, %dw {mode = "filter_grad", pad = [0, 0, 0, 0], stride = [1, 1], groups = 2}
  return
}
// -----
func @f(%x: f32[2,3,5,5], %w: f32[4,3,7,3], %y: f32[2,4,3,3]) -> () {
  // CHECK: errors-conv-gemm.sj:[[@LINE+1]]:3: error: 'conv_gemm' op the kernel spans 7 rows (7 taps, dilation 1), more than the 5 of the padded input (5 + pad 0 + 0): input f32[2,3,5,5], filter f32[4,3,7,3]
  conv_gemm %x, %w, %y {mode = "forward", pad = [0, 0, 0, 0], stride = [1, 1]}
  return
}
// -----
kernel @k(%in0: f32[?,4,3,3]) {
  return
}
// An epilogue only on a forward convolution (a gradient's rows are not
// final chunk by chunk as the runtime computes them).
func @f(%g: f32[2,4,3,3], %w: f32[4,3,3,3], %dx: f32[2,3,5,5]) -> () {
  // CHECK: errors-conv-gemm.sj:[[@LINE+1]]:3: error: 'conv_gemm' op an epilogue needs mode "forward", got "input_grad"
  conv_gemm %g, %w, %dx, %g {mode = "input_grad", pad = [0, 0, 0, 0], stride = [1, 1], epilogue = @k, epilogue_rows = [0]}
  return
}
// -----
func @f(%x: f32[2,3,5,5], %w: f32[4,3,3,3], %y: f32[2,4,3,3]) -> () {
  // CHECK: errors-conv-gemm.sj:[[@LINE+1]]:3: error: 'conv_gemm' op 1 operand after %c but no `epilogue`
  conv_gemm %x, %w, %y, %y {mode = "forward", pad = [0, 0, 0, 0], stride = [1, 1]}
  return
}
// -----
kernel @k(%in0: f32[?,4,3,3], %in1: f32[3]) {
  return
}
func @f(%x: f32[2,3,5,5], %w: f32[4,3,3,3], %y: f32[2,4,3,3], %b: f32[3]) -> () {
  // CHECK: errors-conv-gemm.sj:[[@LINE+1]]:3: error: 'conv_gemm' op epilogue argument 1 (f32[3]) is sliced by rows but does not have the output's f32[2,4,3,3] rows
  conv_gemm %x, %w, %y, %y, %b {mode = "forward", pad = [0, 0, 0, 0], stride = [1, 1], epilogue = @k, epilogue_rows = [0, 1]}
  return
}
// -----
kernel @k(%in0: f32[?,4,3,3], %in1: f32[3]) {
  return
}
func @f(%x: f32[2,3,5,5], %w: f32[4,3,3,3], %y: f32[2,4,3,3]) -> () {
  // CHECK: errors-conv-gemm.sj:[[@LINE+1]]:3: error: 'conv_gemm' op passes 1 argument but @k takes 2
  conv_gemm %x, %w, %y, %y {mode = "forward", pad = [0, 0, 0, 0], stride = [1, 1], epilogue = @k, epilogue_rows = [0]}
  return
}
