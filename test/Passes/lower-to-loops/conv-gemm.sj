// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file --pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
// RUN: %symjit-opt %s '--passes=lower-to-loops{conv-runtime=0}' --split-input-file | FileCheck %s --check-prefix=KERNELS
// RUN: %symjit-run %s --check --func fwd --shape x=3x2x5x5 | FileCheck %s --check-prefix=EXEC-FWD
// RUN: %symjit-run %s --check --func fwd --shape x=1x2x5x5 | FileCheck %s --check-prefix=EXEC-FWD
// RUN: %symjit-run %s --check --func fwd --shape x=0x2x5x5 | FileCheck %s --check-prefix=EXEC-FWD
// RUN: %symjit-run %s --check --func grads --shape x=5x4x7x6 --shape g=5x6x3x5 | FileCheck %s --check-prefix=EXEC-GRADS
// RUN: %symjit-run %s --check --func grads --shape x=0x4x7x6 --shape g=0x6x3x5 | FileCheck %s --check-prefix=EXEC-GRADS
// RUN: %symjit-run %s --check --func odd --shape x=7x3x9x8 | FileCheck %s --check-prefix=EXEC-ODD
// The batch of x and g differing at run time is refused by the executor,
// naming the operands and their shapes (and by the reference evaluator).
// RUN: not %symjit-run %s --check --func grads --shape x=3x4x7x6 --shape g=2x6x3x5 2>&1 | FileCheck %s --check-prefix=MISMATCH
// EXEC-FWD: check: @fwd passed
// EXEC-GRADS: check: @grads passed
// EXEC-ODD: check: @odd passed
// MISMATCH-DAG: check: @grads refused consistently
// MISMATCH-DAG: error: conv_gemm (input_grad) of %g (f64[2,6,3,5]) and %w (f64[6,2,3,2]) into %{{.*}} (f64[3,4,7,6]): the gradient does not have the convolution's output shape
//
// lower-to-loops with conv-runtime=1 (the default): an f32/f64 conv2d,
// conv2d_input_grad or conv2d_filter_grad becomes one conv_gemm on a new
// result buffer, run by the runtime in chunks of images (decision 0041).
// The gradients' `like` operand becomes the result buffer; the attributes
// are copied as they were written.
// CHECK-LABEL: func @fwd(%x: f32[?,2,5,5], %w: f32[3,2,3,3]) -> (f32[?,3,3,3]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,3,3,3]
// CHECK-NEXT:   conv_gemm %x, %w, %1 {mode = "forward", pad = [0, 0, 0, 0], stride = [1, 1]}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// STATS: (S) 1 conv-gemms-created
// KERNELS-LABEL: func @fwd(
// KERNELS-NOT: conv_gemm
// KERNELS: gemm %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}
// KERNELS-NOT: conv_gemm
// KERNELS-LABEL: func @grads(
func @fwd(%x: f32[?,2,5,5], %w: f32[3,2,3,3]) -> (f32[?,3,3,3]) {
  %0 = conv2d %x, %w {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[?,3,3,3]
  return %0
}
// -----
// f64, groups, stride and padding; the filter gradient's result is static.
// CHECK-LABEL: func @grads(%x: f64[?,4,7,6], %w: f64[6,2,3,2], %g: f64[?,6,3,5]) -> (f64[?,4,7,6], f64[6,2,3,2]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f64[?,4,7,6]
// CHECK-NEXT:   conv_gemm %g, %w, %1 {dilation = [1, 1], groups = 2, mode = "input_grad", pad = [1, 0, 0, 0], stride = [2, 1]}
// CHECK-NEXT:   %2 = alloc : f64[6,2,3,2]
// CHECK-NEXT:   conv_gemm %x, %g, %2 {dilation = [1, 1], groups = 2, mode = "filter_grad", pad = [1, 0, 0, 0], stride = [2, 1]}
// CHECK-NEXT:   return %1, %2
// CHECK-NEXT: }
// STATS: (S) 2 conv-gemms-created
func @grads(%x: f64[?,4,7,6], %w: f64[6,2,3,2], %g: f64[?,6,3,5]) -> (f64[?,4,7,6], f64[6,2,3,2]) {
  %0 = conv2d_input_grad %g, %w, %x {stride = [2, 1], pad = [1, 0, 0, 0], dilation = [1, 1], groups = 2} : f64[?,4,7,6]
  %1 = conv2d_filter_grad %x, %g, %w {stride = [2, 1], pad = [1, 0, 0, 0], dilation = [1, 1], groups = 2} : f64[6,2,3,2]
  return %0, %1
}
// -----
// Not for half dtypes (BLAS has none): im2col kernels widen them to f32
// around a gemm, as before.
// CHECK-LABEL: func @half(
// CHECK-NOT: conv_gemm
// CHECK: gemm %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}
// CHECK-NOT: conv_gemm
// CHECK-LABEL: kernel @half_k0(
// STATS: (S) 0 conv-gemms-created
func @half(%x: f16[2,1,4,4], %w: f16[1,1,2,2]) -> (f16[2,1,3,3]) {
  %0 = conv2d %x, %w {stride = [1, 1], pad = [0, 0, 0, 0]} : f16[2,1,3,3]
  return %0
}
// -----
// Every direction at once with dilation, asymmetric padding larger than
// the kernel's reach on one side, stride 3, and an odd batch (7 images:
// chunks that do not divide it).
// CHECK-LABEL: func @odd(
// CHECK-COUNT-3: conv_gemm
// CHECK-NOT: conv_gemm
// CHECK: return
func @odd(%x: f32[?,3,9,8], %w: f32[4,3,2,3]) -> (f32[?,4,5,3], f32[?,3,9,8], f32[4,3,2,3]) {
  %y = conv2d %x, %w {stride = [2, 3], pad = [3, 0, 1, 2], dilation = [2, 1]} : f32[?,4,5,3]
  %dx = conv2d_input_grad %y, %w, %x {stride = [2, 3], pad = [3, 0, 1, 2], dilation = [2, 1]} : f32[?,3,9,8]
  %dw = conv2d_filter_grad %x, %y, %w {stride = [2, 3], pad = [3, 0, 1, 2], dilation = [2, 1]} : f32[4,3,2,3]
  return %y, %dx, %dw
}
