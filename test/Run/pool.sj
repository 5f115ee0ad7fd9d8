// Pooling against the double-precision reference (docs/decisions/0021-conv-pool.md):
// non-overlapping (LeNet) and overlapping windows (stride < window), padding,
// ceil mode (partial windows, one starting in the padding dropped), count_pad
// both ways, a window larger than the input in ceil mode, ties (inputs
// rounded to multiples of 1/2), NaN and -inf inputs (max propagates NaN as
// numpy's max; the gradient goes to the first NaN), the gradient ops, zero-size
// N and C, a dynamic N, f64 and f16 storage (computed in f32).
// RUN: %symjit-run %s --check --func lenet --shape x=3x4x8x6 | FileCheck %s --check-prefix=LENET
// RUN: %symjit-run %s --check --func overlap --shape x=2x3x7x9 | FileCheck %s --check-prefix=OVERLAP
// RUN: %symjit-run %s --check --func ceil | FileCheck %s --check-prefix=CEIL
// RUN: %symjit-run %s --check --func ties --shape x=2x2x6x7 --shape g=2x2x5x4 --range -2,2 | FileCheck %s --check-prefix=TIES
// RUN: %symjit-run %s --check --func nan --shape x=2x3x6x6 --range -3,3 | FileCheck %s --check-prefix=NAN
// RUN: %symjit-run %s --check --func grads | FileCheck %s --check-prefix=GRADS
// RUN: %symjit-run %s --check --func lenet --shape x=0x4x8x6 | FileCheck %s --check-prefix=LENET
// RUN: %symjit-run %s --check --func overlap --shape x=2x0x7x9 | FileCheck %s --check-prefix=OVERLAP
// RUN: %symjit-run %s --check --func ties --shape x=0x2x6x7 --shape g=0x2x5x4 | FileCheck %s --check-prefix=TIES
// RUN: %symjit-run %s --check --func half | FileCheck %s --check-prefix=HALF
// RUN: %symjit-run %s --check --func empty_hw | FileCheck %s --check-prefix=EMPTY
// LENET: check: @lenet passed
// OVERLAP: check: @overlap passed
// CEIL: check: @ceil passed
// TIES: check: @ties passed
// NAN: check: @nan passed
// GRADS: check: @grads passed
// HALF: check: @half passed
// EMPTY: check: @empty_hw passed
// max_pool2d_grad of windows that tile the plane (the direct form, decision
// 0040): rows and columns left over at the border (zeroed), a 3x2 window,
// ties (x rounded to halves), f16, N = 2, 1, 0
// RUN: %symjit-run %s --check --func tiled --shape x=2x2x7x7 --shape g=2x2x3x3 --shape h=2x2x2x3 --range -2,2 | FileCheck %s --check-prefix=TILED
// RUN: %symjit-run %s --check --func tiled --shape x=1x2x7x7 --shape g=1x2x3x3 --shape h=1x2x2x3 --range -2,2 | FileCheck %s --check-prefix=TILED
// RUN: %symjit-run %s --check --func tiled --shape x=0x2x7x7 --shape g=0x2x3x3 --shape h=0x2x2x3 | FileCheck %s --check-prefix=TILED
// TILED: check: @tiled passed
// the largest window the direct form unrolls (4x4 = 16 positions), and a 1x2
// one on a single row with a column left over
// RUN: %symjit-run %s --check --func tiled16 --shape y=3x2x8x9 --shape h=3x2x2x2 --range -2,2 | FileCheck %s --check-prefix=TILED16
// TILED16: check: @tiled16 passed
// loop-fusion: the tanh after the max pooling runs in the pooling's kernel
// (no intermediate buffer), and the average pooling of the same input joins
// the same loop nest:
// RUN: %symjit-opt %s -O | FileCheck %s --check-prefix=FUSED
// FUSED-LABEL: func @lenet(
// FUSED: launch %x, %{{[0-9]+}}, %{{[0-9]+}} {kernel = @lenet_f1}
// FUSED-NEXT: return
// FUSED-LABEL: kernel @lenet_f1(
// FUSED: %[[M:[0-9]+]] = for %c0, %c2, %{{[0-9]+}} {combine = "maximum"}
// FUSED: tanh %[[M]] : f32
func @lenet(%x: f32[?,4,8,6]) -> (f32[?,4,4,3], f32[?,4,4,3]) {
  %0 = max_pool2d %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[?,4,4,3]
  %1 = tanh %0 : f32[?,4,4,3]
  %2 = avg_pool2d %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[?,4,4,3]
  return %1, %2
}
func @overlap(%x: f64[?,?,7,9]) -> (f64[?,?,7,4], f64[?,?,5,5], f64[?,?,5,5], f64[?,?,7,9]) {
  %0 = max_pool2d %x {pad = [1, 1, 0, 1], stride = [1, 2], window = [3, 3]} : f64[?,?,7,4]
  %1 = avg_pool2d %x {pad = [0, 0, 1, 0], stride = [1, 2], window = [3, 2]} : f64[?,?,5,5]
  %2 = avg_pool2d %x {count_pad = true, pad = [0, 0, 1, 0], stride = [1, 2], window = [3, 2]} : f64[?,?,5,5]
  %3 = avg_pool2d_grad %2, %x {count_pad = true, pad = [0, 0, 1, 0], stride = [1, 2], window = [3, 2]} : f64[?,?,7,9]
  return %0, %1, %2, %3
}
// ceil mode: H 7 -> (7+1+1-3)/2 rounded up + 1 = 4; W 6 with pad 1 each side:
// ceil((6+2-3)/2) + 1 = 4, the last window starts at 5 (inside); the 2x5 input
// under a 3x3 window keeps one partial window per row (Theano's ignore_border=False)
func @ceil(%x: f32[2,3,7,6], %s: f32[1,2,2,5]) -> (f32[2,3,4,4], f32[2,3,4,4], f32[2,3,4,4], f32[2,3,4,3], f32[1,2,1,2], f32[2,3,7,6]) {
  %0 = max_pool2d %x {ceil_mode = true, pad = [1, 1, 1, 1], stride = [2, 2], window = [3, 3]} : f32[2,3,4,4]
  %1 = avg_pool2d %x {ceil_mode = true, count_pad = false, pad = [1, 1, 1, 1], stride = [2, 2], window = [3, 3]} : f32[2,3,4,4]
  %2 = avg_pool2d %x {ceil_mode = true, count_pad = true, pad = [1, 1, 1, 1], stride = [2, 2], window = [3, 3]} : f32[2,3,4,4]
  %3 = avg_pool2d %x {ceil_mode = true, count_pad = true, pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,3,4,3]
  %4 = max_pool2d %s {ceil_mode = true, pad = [0, 0, 0, 0], stride = [3, 3], window = [3, 3]} : f32[1,2,1,2]
  %5 = avg_pool2d_grad %2, %x {ceil_mode = true, count_pad = true, pad = [1, 1, 1, 1], stride = [2, 2], window = [3, 3]} : f32[2,3,7,6]
  return %0, %1, %2, %3, %4, %5
}
// ties: x rounded to halves (many equal values per window); the max grad must
// route each window's g to the first of them
func @ties(%x: f32[?,2,6,7], %g: f32[?,2,5,4]) -> (f32[?,2,5,4], f32[?,2,6,7]) {
  %k = constant {value = 2.0} : f32[]
  %0 = mul %x, %k : f32[?,2,6,7]
  %1 = cast %0 : i32[?,2,6,7]
  %2 = cast %1 : f32[?,2,6,7]
  %3 = div %2, %k : f32[?,2,6,7]
  %4 = max_pool2d %3 {pad = [0, 0, 1, 1], stride = [1, 2], window = [2, 3]} : f32[?,2,5,4]
  %5 = max_pool2d_grad %3, %g {pad = [0, 0, 1, 1], stride = [1, 2], window = [2, 3]} : f32[?,2,6,7]
  return %4, %5
}
// NaN where x > 2, -inf where x < -2
func @nan(%x: f32[2,3,6,6]) -> (f32[2,3,3,3], f32[2,3,3,3], f32[2,3,6,6]) {
  %t = constant {value = 2.0} : f32[]
  %m = gt %x, %t : bool[2,3,6,6]
  %n = constant {value = nan} : f32[]
  %xn = select %m, %n, %x : f32[2,3,6,6]
  %u = constant {value = -2.0} : f32[]
  %mi = lt %x, %u : bool[2,3,6,6]
  %i = constant {value = -inf} : f32[]
  %y = select %mi, %i, %xn : f32[2,3,6,6]
  %0 = max_pool2d %y {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,3,3,3]
  %1 = avg_pool2d %y {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,3,3,3]
  %2 = max_pool2d_grad %y, %0 {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,3,6,6]
  return %0, %1, %2
}
// the grad ops with overlapping windows, padding and ceil mode
func @grads(%x: f32[2,2,6,7], %g: f32[2,2,4,3], %h: f32[2,2,3,4]) -> (f32[2,2,6,7], f32[2,2,6,7], f32[2,2,6,7]) {
  %0 = max_pool2d_grad %x, %g {ceil_mode = true, pad = [1, 0, 1, 1], stride = [2, 3], window = [2, 3]} : f32[2,2,6,7]
  %1 = avg_pool2d_grad %g, %x {ceil_mode = true, pad = [1, 0, 1, 1], stride = [2, 3], window = [2, 3]} : f32[2,2,6,7]
  %2 = max_pool2d_grad %x, %h {pad = [1, 1, 0, 0], stride = [2, 1], window = [3, 4]} : f32[2,2,6,7]
  return %0, %1, %2
}
func @half(%x: f16[2,3,6,7], %b: bf16[1,2,5,5]) -> (f16[2,3,3,4], f16[2,3,3,4], f16[2,3,6,7], bf16[1,2,2,2]) {
  %0 = max_pool2d %x {ceil_mode = true, pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f16[2,3,3,4]
  %1 = avg_pool2d %x {ceil_mode = true, pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f16[2,3,3,4]
  %2 = max_pool2d_grad %x, %1 {ceil_mode = true, pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f16[2,3,6,7]
  %3 = avg_pool2d %b {count_pad = true, pad = [1, 0, 1, 0], stride = [3, 3], window = [3, 3]} : bf16[1,2,2,2]
  return %0, %1, %2, %3
}
// H or W of zero: the padding covers the window, every window is empty:
// max -inf, an average without padding counted 0/0 = NaN, with it 0
func @empty_hw(%x: f32[2,3,0,4], %g: f32[2,3,1,2]) -> (f32[2,3,1,2], f32[2,3,1,2], f32[2,3,1,2], f32[2,3,0,4], f32[2,3,0,4]) {
  %0 = max_pool2d %x {pad = [1, 1, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,3,1,2]
  %1 = avg_pool2d %x {pad = [1, 1, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,3,1,2]
  %2 = avg_pool2d %x {count_pad = true, pad = [1, 1, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,3,1,2]
  %3 = max_pool2d_grad %x, %g {pad = [1, 1, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,3,0,4]
  %4 = avg_pool2d_grad %g, %x {pad = [1, 1, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,3,0,4]
  return %0, %1, %2, %3, %4
}
func @tiled(%x: f32[?,2,7,7], %g: f32[?,2,3,3], %h: f32[?,2,2,3]) -> (f32[?,2,7,7], f32[?,2,7,7], f16[?,2,7,7]) {
  %k = constant {value = 2.0} : f32[]
  %0 = mul %x, %k : f32[?,2,7,7]
  %1 = cast %0 : i32[?,2,7,7]
  %2 = cast %1 : f32[?,2,7,7]
  %3 = div %2, %k : f32[?,2,7,7]
  %4 = max_pool2d_grad %3, %g {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[?,2,7,7]
  %5 = max_pool2d_grad %3, %h {pad = [0, 0, 0, 0], stride = [3, 2], window = [3, 2]} : f32[?,2,7,7]
  %6 = cast %3 : f16[?,2,7,7]
  %7 = cast %g : f16[?,2,3,3]
  %8 = max_pool2d_grad %6, %7 {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f16[?,2,7,7]
  return %4, %5, %8
}
func @tiled16(%y: f32[?,2,8,9], %h: f32[?,2,2,2], %x: f32[2,3,1,5], %g: f32[2,3,1,2]) -> (f32[?,2,8,9], f32[2,3,1,5]) {
  %k = constant {value = 2.0} : f32[]
  %0 = mul %y, %k : f32[?,2,8,9]
  %1 = cast %0 : i32[?,2,8,9]
  %2 = cast %1 : f32[?,2,8,9]
  %3 = div %2, %k : f32[?,2,8,9]
  %4 = max_pool2d_grad %3, %h {pad = [0, 0, 0, 0], stride = [4, 4], window = [4, 4]} : f32[?,2,8,9]
  %5 = max_pool2d_grad %x, %g {pad = [0, 0, 0, 0], stride = [1, 2], window = [1, 2]} : f32[2,3,1,5]
  return %4, %5
}
