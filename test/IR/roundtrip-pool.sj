// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// Pooling (docs/decisions/0021-conv-pool.md): the printed form is the parsed
// one (attributes sorted; the optional ceil_mode and count_pad are printed
// when given), floor and ceil output sizes, padding, dynamic dims (N and C
// pass through, a dynamic H or W gives a dynamic output dim), f16 and f64.
func @pools(%x: f32[2,3,6,7], %d: f64[?,?,?,9], %h: f16[1,1,5,5]) -> (f32[2,3,3,3], f32[2,3,4,4], f64[?,?,?,4], f16[1,1,3,3], f32[2,3,3,4]) {
  %0 = max_pool2d %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,3,3,3]
  %1 = avg_pool2d %x {ceil_mode = true, count_pad = false, pad = [1, 1, 1, 1], stride = [2, 2], window = [3, 3]} : f32[2,3,4,4]
  %2 = max_pool2d %d {ceil_mode = false, pad = [0, 1, 0, 0], stride = [1, 2], window = [2, 2]} : f64[?,?,?,4]
  %3 = avg_pool2d %h {count_pad = true, pad = [1, 1, 1, 1], stride = [2, 2], window = [2, 2]} : f16[1,1,3,3]
  %4 = max_pool2d %x {ceil_mode = true, pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,3,3,4]
  return %0, %1, %2, %3, %4
}

func @grads(%x: f32[2,3,6,7], %g: f32[2,3,3,3], %ga: f32[?,3,4,4], %l: f32[?,3,6,7]) -> (f32[2,3,6,7], f32[?,3,6,7]) {
  %0 = max_pool2d_grad %x, %g {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,3,6,7]
  %1 = avg_pool2d_grad %ga, %l {ceil_mode = true, count_pad = true, pad = [1, 1, 1, 1], stride = [2, 2], window = [3, 3]} : f32[?,3,6,7]
  return %0, %1
}
