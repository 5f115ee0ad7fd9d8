// conv2d and its two gradient ops against the double-precision reference
// evaluator (direct loops), fused and unfused: strides, asymmetric padding
// (reaching past the input on both sides), dilation, groups, f64, f16/bf16
// storage (computed in f32), a dynamic batch (zero-size too) and zero-size
// channels, filters and spatial dims (all padding).
// RUN: %symjit-run %s --check --func g1 --shape x=3x3x11x10 --shape g=3x5x5x4 | FileCheck %s --check-prefix=G1
// RUN: %symjit-run %s --check --func g1 --shape x=0x3x11x10 --shape g=0x5x5x4 | FileCheck %s --check-prefix=G1
// RUN: %symjit-run %s --check --func groups --shape x=2x6x8x9 --shape g=2x9x8x9 | FileCheck %s --check-prefix=GR
// RUN: %symjit-run %s --check --func depthwise | FileCheck %s --check-prefix=DW
// RUN: %symjit-run %s --check --func f64 | FileCheck %s --check-prefix=F64
// RUN: %symjit-run %s --check --func half | FileCheck %s --check-prefix=HALF
// RUN: %symjit-run %s --check --func empty | FileCheck %s --check-prefix=EMPTY
// RUN: %symjit-run %s --check --func allpad --shape x=2x2x0x3 --shape g=2x2x1x2 --shape xe=2x0x4x4 | FileCheck %s --check-prefix=PAD
// RUN: %symjit-run %s --check --func lenet | FileCheck %s --check-prefix=LENET
// G1: check: @g1 passed
// A batch that differs between x and g at run time is refused by both sides.
// RUN: not %symjit-run %s --check --func g1 --shape x=3x3x11x10 --shape g=2x5x5x4 | FileCheck %s --check-prefix=MISMATCH
// MISMATCH: check: @g1 refused consistently
// GR: check: @groups passed
// DW: check: @depthwise passed
// F64: check: @f64 passed
// HALF: check: @half passed
// EMPTY: check: @empty passed
// PAD: check: @allpad passed
// LENET: check: @lenet passed
// RUN: %symjit-run %s --check --func kbig | FileCheck %s --check-prefix=KBIG
// KBIG: check: @kbig passed

// groups 1, stride [2, 3], pad [2, 1, 0, 3], dilation [2, 1]
func @g1(%x: f32[?,3,11,10], %w: f32[5,3,3,4], %g: f32[?,5,5,4]) -> (f32[?,5,5,4], f32[?,3,11,10], f32[5,3,3,4]) {
  %0 = conv2d %x, %w {stride = [2, 3], pad = [2, 1, 0, 3], dilation = [2, 1], groups = 1} : f32[?,5,5,4]
  %1 = conv2d_input_grad %g, %w, %x {stride = [2, 3], pad = [2, 1, 0, 3], dilation = [2, 1], groups = 1} : f32[?,3,11,10]
  %2 = conv2d_filter_grad %x, %g, %w {stride = [2, 3], pad = [2, 1, 0, 3], dilation = [2, 1], groups = 1} : f32[5,3,3,4]
  return %0, %1, %2
}

// groups 3, "same"-like padding, stride 1
func @groups(%x: f32[?,6,8,9], %w: f32[9,2,3,3], %g: f32[?,9,8,9]) -> (f32[?,9,8,9], f32[?,6,8,9], f32[9,2,3,3]) {
  %0 = conv2d %x, %w {stride = [1, 1], pad = [1, 1, 1, 1], groups = 3} : f32[?,9,8,9]
  %1 = conv2d_input_grad %g, %w, %x {stride = [1, 1], pad = [1, 1, 1, 1], groups = 3} : f32[?,6,8,9]
  %2 = conv2d_filter_grad %x, %g, %w {stride = [1, 1], pad = [1, 1, 1, 1], groups = 3} : f32[9,2,3,3]
  return %0, %1, %2
}

// depthwise (groups = C = O), stride 2, odd sizes, N = 1
func @depthwise(%x: f32[1,4,7,7], %w: f32[4,1,3,3], %g: f32[1,4,3,3]) -> (f32[1,4,3,3], f32[1,4,7,7], f32[4,1,3,3]) {
  %0 = conv2d %x, %w {stride = [2, 2], pad = [0, 0, 0, 0], groups = 4} : f32[1,4,3,3]
  %1 = conv2d_input_grad %g, %w, %x {stride = [2, 2], pad = [0, 0, 0, 0], groups = 4} : f32[1,4,7,7]
  %2 = conv2d_filter_grad %x, %g, %w {stride = [2, 2], pad = [0, 0, 0, 0], groups = 4} : f32[4,1,3,3]
  return %0, %1, %2
}

func @f64(%x: f64[2,2,6,5], %w: f64[4,1,2,3], %g: f64[2,4,5,1]) -> (f64[2,4,5,1], f64[2,2,6,5], f64[4,1,2,3]) {
  %0 = conv2d %x, %w {stride = [1, 2], pad = [0, 1, 1, 0], dilation = [2, 2], groups = 2} : f64[2,4,5,1]
  %1 = conv2d_input_grad %g, %w, %x {stride = [1, 2], pad = [0, 1, 1, 0], dilation = [2, 2], groups = 2} : f64[2,2,6,5]
  %2 = conv2d_filter_grad %x, %g, %w {stride = [1, 2], pad = [0, 1, 1, 0], dilation = [2, 2], groups = 2} : f64[4,1,2,3]
  return %0, %1, %2
}

func @half(%x: f16[2,3,6,6], %w: f16[4,3,3,3], %g: f16[2,4,4,4], %xb: bf16[1,2,5,5], %wb: bf16[2,2,2,2]) -> (f16[2,4,4,4], f16[2,3,6,6], f16[4,3,3,3], bf16[1,2,4,4]) {
  %0 = conv2d %x, %w {stride = [1, 1], pad = [0, 0, 0, 0]} : f16[2,4,4,4]
  %1 = conv2d_input_grad %g, %w, %x {stride = [1, 1], pad = [0, 0, 0, 0]} : f16[2,3,6,6]
  %2 = conv2d_filter_grad %x, %g, %w {stride = [1, 1], pad = [0, 0, 0, 0]} : f16[4,3,3,3]
  %3 = conv2d %xb, %wb {stride = [1, 1], pad = [0, 0, 0, 0]} : bf16[1,2,4,4]
  return %0, %1, %2, %3
}

// zero-size channels (C = 0: zeros), filters (O = 0) and batch
func @empty(%x: f32[2,0,5,5], %w: f32[3,0,3,3], %g: f32[2,3,3,3], %x2: f32[2,3,5,5], %w2: f32[0,3,3,3], %g2: f32[2,0,3,3], %x3: f32[0,3,5,5], %g3: f32[0,3,3,3], %w3: f32[3,3,3,3]) -> (f32[2,3,3,3], f32[2,0,5,5], f32[3,0,3,3], f32[2,0,3,3], f32[2,3,5,5], f32[0,3,3,3], f32[0,3,3,3], f32[3,3,3,3]) {
  %0 = conv2d %x, %w {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[2,3,3,3]
  %1 = conv2d_input_grad %g, %w, %x {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[2,0,5,5]
  %2 = conv2d_filter_grad %x, %g, %w {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[3,0,3,3]
  %3 = conv2d %x2, %w2 {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[2,0,3,3]
  %4 = conv2d_input_grad %g2, %w2, %x2 {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[2,3,5,5]
  %5 = conv2d_filter_grad %x2, %g2, %w2 {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[0,3,3,3]
  %6 = conv2d %x3, %w3 {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[0,3,3,3]
  %7 = conv2d_filter_grad %x3, %g3, %w3 {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[3,3,3,3]
  return %0, %1, %2, %3, %4, %5, %6, %7
}

// H = 0 with the padding covering the kernel: every tap reads padding;
// a dynamic batch with zero channels
func @allpad(%x: f32[?,2,0,3], %w: f32[2,2,2,2], %g: f32[?,2,1,2], %xe: f32[?,0,4,4], %we: f32[2,0,3,3]) -> (f32[?,2,1,2], f32[?,2,0,3], f32[2,2,2,2], f32[?,2,2,2]) {
  %0 = conv2d %x, %w {stride = [1, 1], pad = [1, 1, 0, 0]} : f32[?,2,1,2]
  %1 = conv2d_input_grad %g, %w, %x {stride = [1, 1], pad = [1, 1, 0, 0]} : f32[?,2,0,3]
  %2 = conv2d_filter_grad %x, %g, %w {stride = [1, 1], pad = [1, 1, 0, 0]} : f32[2,2,2,2]
  %3 = conv2d %xe, %we {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[?,2,2,2]
  return %0, %1, %2, %3
}

// LeNet's two layers at batch 4
func @lenet(%x: f32[4,1,28,28], %w1: f32[20,1,5,5], %g1: f32[4,20,24,24], %h: f32[4,20,12,12], %w2: f32[50,20,5,5], %g2: f32[4,50,8,8]) -> (f32[4,20,24,24], f32[20,1,5,5], f32[4,50,8,8], f32[4,20,12,12], f32[50,20,5,5]) {
  %0 = conv2d %x, %w1 {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[4,20,24,24]
  %1 = conv2d_filter_grad %x, %g1, %w1 {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[20,1,5,5]
  %2 = conv2d %h, %w2 {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[4,50,8,8]
  %3 = conv2d_input_grad %g2, %w2, %h {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[4,20,12,12]
  %4 = conv2d_filter_grad %h, %g2, %w2 {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[50,20,5,5]
  return %0, %1, %2, %3, %4
}

// K = Cg*KH*KW = 144 rows (one gemm over the batch for the input gradient)
// with padding and stride 2; f64 too
func @kbig(%x: f32[2,16,5,5], %w: f32[4,16,3,3], %g: f32[2,4,3,3], %xd: f64[3,16,4,4], %wd: f64[2,16,3,3], %gd: f64[3,2,4,4]) -> (f32[2,16,5,5], f32[4,16,3,3], f64[3,16,4,4]) {
  %0 = conv2d_input_grad %g, %w, %x {stride = [2, 2], pad = [1, 1, 1, 1]} : f32[2,16,5,5]
  %1 = conv2d_filter_grad %x, %g, %w {stride = [2, 2], pad = [1, 1, 1, 1]} : f32[4,16,3,3]
  %2 = conv2d_input_grad %gd, %wd, %xd {stride = [1, 1], pad = [1, 1, 1, 1]} : f64[3,16,4,4]
  return %0, %1, %2
}
// -----
// The conv's gemm with the pooling, bias and tanh after it as its epilogue
// (gemm-epilogue on the per-image gemm, run per image: decision 0028),
// strides, padding and dilation, a `?` batch of several images, one and
// none; the same with relu and an average pool that overlaps.
// RUN: %symjit-run %s --check --func convpool --shape x=5x3x11x10 | FileCheck %s --check-prefix=CP
// RUN: %symjit-run %s --check --func convpool --shape x=1x3x11x10 | FileCheck %s --check-prefix=CP
// RUN: %symjit-run %s --check --func convpool --shape x=0x3x11x10 | FileCheck %s --check-prefix=CP
// The same through the kernels-around-gemms form (the GPU's), where the
// epilogue runs after each image's gemm.
// RUN: %symjit-run %s --conv-kernels --check --func convpool --shape x=5x3x11x10 | FileCheck %s --check-prefix=CP
// RUN: %symjit-run %s --conv-kernels --check --func convpool --shape x=0x3x11x10 | FileCheck %s --check-prefix=CP
// Enough images for the gemm to be split over the pool: conv2d-split.test.
// RUN: %symjit-opt %s -O --split-input-file | FileCheck %s --check-prefix=CPIR
// RUN: %symjit-opt %s -O --target=nvptx --split-input-file | FileCheck %s --check-prefix=CPGPU
// CP: check: @convpool passed
// CPIR: conv_gemm %x, %w, {{.*}}, %b, {{.*}} {dilation = [2, 1], epilogue = @convpool_f{{[0-9]+}}, epilogue_rows = [0, 2], groups = 1, mode = "forward", {{.*}}}
// CPIR: conv_gemm %x, %w2, {{.*}}, %b2, {{.*}} {epilogue = @convpool_f{{[0-9]+}}, epilogue_rows = [0, 2], groups = 1, mode = "forward", {{.*}}}
// CPGPU: gemm {{.*}}, %b, {{.*}} {epilogue = @convpool_f{{[0-9]+}}, epilogue_rows = [0, 2]}
// CPGPU: gemm {{.*}}, %b2, {{.*}} {epilogue = @convpool_f{{[0-9]+}}, epilogue_rows = [0, 2]}
func @convpool(%x: f32[?,3,11,10], %w: f32[4,3,3,2], %b: f32[1,4,1,1], %w2: f32[6,3,2,2], %b2: f32[1,6,1,1]) -> (f32[?,4,4,2], f32[?,6,4,4]) {
  %0 = conv2d %x, %w {stride = [1, 2], pad = [1, 0, 0, 1], dilation = [2, 1], groups = 1} : f32[?,4,8,5]
  %1 = max_pool2d %0 {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[?,4,4,2]
  %2 = add %1, %b : f32[?,4,4,2]
  %3 = tanh %2 : f32[?,4,4,2]
  %4 = conv2d %x, %w2 {stride = [2, 2], pad = [0, 0, 0, 0], groups = 1} : f32[?,6,5,5]
  %5 = avg_pool2d %4 {pad = [0, 0, 0, 0], stride = [1, 1], window = [2, 2]} : f32[?,6,4,4]
  %6 = add %5, %b2 : f32[?,6,4,4]
  %z = constant {value = 0.0} : f32[]
  %7 = maximum %6, %z : f32[?,6,4,4]
  return %3, %7
}
