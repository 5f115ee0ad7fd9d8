// RUN: %symjit-opt %s --passes=fuse-elementwise,lower-to-loops,loop-fusion,gemm-epilogue --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=fuse-elementwise,lower-to-loops,loop-fusion,gemm-epilogue --split-input-file --debug-fusion 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// RUN: %symjit-run %s --check --func convpool --shape x=9x3x8x8 | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func convpool --shape x=1x3x8x8 | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func convpool --shape x=0x3x8x8 | FileCheck %s --check-prefix=EXEC
// EXEC: check: @convpool passed
// gemm-epilogue on conv_gemm (decision 0041): the pooling, bias and tanh
// kernel after a forward convolution becomes its epilogue, run on each
// chunk of images as soon as the runtime has finished them (rows: the
// images, through the [N, O, OH, OW] buffer itself).
// CHECK-LABEL: func @convpool(%x: f32[?,3,8,8], %w: f32[4,3,3,3], %b: f32[1,4,1,1]) -> (f32[?,4,3,3]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,4,6,6]
// CHECK-NEXT:   %2 = dim %1 {axis = 0} : i64
// CHECK-NEXT:   %3 = alloc %2 : f32[?,4,3,3]
// CHECK-NEXT:   conv_gemm %x, %w, %1, %1, %b, %3 {epilogue = @convpool_f0, epilogue_rows = [0, 2], mode = "forward", pad = [0, 0, 0, 0], stride = [1, 1]}
// CHECK-NEXT:   return %3
// CHECK-NEXT: }
// CHECK-LABEL: kernel @convpool_f0(%in0: f32[?,4,6,6], %in1: f32[1,4,1,1], %out0: f32[?,4,3,3]) {
func @convpool(%x: f32[?,3,8,8], %w: f32[4,3,3,3], %b: f32[1,4,1,1]) -> (f32[?,4,3,3]) {
  %0 = conv2d %x, %w {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[?,4,6,6]
  %1 = max_pool2d %0 {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[?,4,3,3]
  %2 = add %1, %b : f32[?,4,3,3]
  %3 = tanh %2 : f32[?,4,3,3]
  return %3
}
// -----
// Not after a gradient: the runtime finishes its rows only at the end (the
// filter gradient sums over all images; the input gradient's chunks are
// not a contract of the op).
// CHECK-LABEL: func @grad(
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,3,8,8]
// CHECK-NEXT:   conv_gemm %g, %w, %1 {mode = "input_grad", pad = [0, 0, 0, 0], stride = [1, 1]}
// CHECK-NEXT:   %2 = dim %1 {axis = 0} : i64
// CHECK-NEXT:   %3 = alloc %2 : f32[?,3,8,8]
// CHECK-NEXT:   launch %1, %3 {kernel = @grad_k0}
// CHECK-NEXT:   return %3
// REMARK: conv-gemm.sj:[[@LINE+2]]:8: remark: [gemm-epilogue] not fused: a conv_gemm gradient's rows are not final chunk by chunk
func @grad(%g: f32[?,4,6,6], %w: f32[4,3,3,3], %x: f32[?,3,8,8]) -> (f32[?,3,8,8]) {
  %0 = conv2d_input_grad %g, %w, %x {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[?,3,8,8]
  %1 = tanh %0 : f32[?,3,8,8]
  return %1
}
