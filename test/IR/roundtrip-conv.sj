// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// The conv2d family: attributes printed in name order, dilation and groups
// optional (defaults 1), dynamic batch, f16, zero-size channels, H = 0
// covered by padding, the kernel exactly the padded input.
func @c(%x: f32[?,4,9,9], %w: f32[6,2,3,3], %g: f32[?,6,4,4]) -> (f32[?,6,4,4], f32[?,4,9,9], f32[6,2,3,3]) {
  %0 = conv2d %x, %w {dilation = [1, 1], groups = 2, pad = [1, 0, 1, 0], stride = [2, 2]} : f32[?,6,4,4]
  %1 = conv2d_input_grad %g, %w, %x {dilation = [1, 1], groups = 2, pad = [1, 0, 1, 0], stride = [2, 2]} : f32[?,4,9,9]
  %2 = conv2d_filter_grad %x, %g, %w {dilation = [1, 1], groups = 2, pad = [1, 0, 1, 0], stride = [2, 2]} : f32[6,2,3,3]
  return %0, %1, %2
}

func @d(%x: f16[2,0,5,5], %w: f16[3,0,2,2], %y: f64[1,2,0,3], %v: f64[1,2,2,3], %z: f32[1,1,4,4], %k: f32[1,1,5,6]) -> (f16[2,3,4,4], f64[1,1,1,1], f32[1,1,1,1], f64[1,1,1,1]) {
  %0 = conv2d %x, %w {pad = [0, 0, 0, 0], stride = [1, 1]} : f16[2,3,4,4]
  %1 = conv2d %y, %v {pad = [1, 1, 0, 0], stride = [1, 1]} : f64[1,1,1,1]
  %2 = conv2d %z, %k {dilation = [1, 1], pad = [1, 0, 1, 1], stride = [3, 3]} : f32[1,1,1,1]
  %3 = conv2d %y, %v {dilation = [1, 2], pad = [2, 2, 2, 0], stride = [4, 1]} : f64[1,1,1,1]
  return %0, %1, %2, %3
}
