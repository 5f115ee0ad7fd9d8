// RUN: %symjit-opt %s -O --split-input-file | FileCheck %s
// The full pipeline on row log_softmax: max, sub/exp, sum, log and sub share
// one row loop; the per-row max and log-sum are forwarded as registers and
// their buffers removed.
// CHECK-LABEL: func @log_softmax(%x: f32[?,1000]) -> (f32[?,1000]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,1000]
// CHECK-NEXT:   %2 = alloc %0 : f32[?,1000]
// CHECK-NEXT:   %3 = dim %1 {axis = 0} : i64
// CHECK-NEXT:   %4 = alloc %3 : f32[?,1000]
// CHECK-NEXT:   launch %x, %1, %2, %4 {kernel = @log_softmax_f3}
// CHECK-NEXT:   return %4
// CHECK-NEXT: }
// CHECK-LABEL: kernel @log_softmax_f3(%arg0: f32[?,1000], %arg1: f32[?,1000], %arg2: f32[?,1000], %arg4: f32[?,1000]) {
// CHECK-NEXT:   %0 = constant {value = 0} : i64
// CHECK-NEXT:   %1 = dim %arg0 {axis = 0} : i64
// CHECK-NEXT:   %2 = constant {value = 1000} : i64
// CHECK-NEXT:   parallel_for %0, %1 (%3: i64) {
// CHECK-NEXT:     %4 = constant {value = -inf} : f32
// CHECK-NEXT:     %5 = for %0, %2, %4 : f32 (%6: i64, %7: f32) {
// CHECK-NEXT:       %8 = load %arg0, %3, %6 : f32
// CHECK-NEXT:       %9 = maximum %7, %8 : f32
// CHECK-NEXT:       yield %9
// CHECK-NEXT:     }
// CHECK-NEXT:     for %0, %2 (%10: i64) {
// CHECK-NEXT:       %11 = load %arg0, %3, %10 : f32
// CHECK-NEXT:       %12 = sub %11, %5 : f32
// CHECK-NEXT:       %13 = exp %12 : f32
// CHECK-NEXT:       store %12, %arg1, %3, %10
// CHECK-NEXT:       store %13, %arg2, %3, %10
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     %14 = constant {value = 0.0} : f32
// CHECK-NEXT:     %15 = for %0, %2, %14 : f32 (%16: i64, %17: f32) {
// CHECK-NEXT:       %18 = load %arg2, %3, %16 : f32
// CHECK-NEXT:       %19 = add %17, %18 : f32
// CHECK-NEXT:       yield %19
// CHECK-NEXT:     }
// CHECK-NEXT:     %20 = log %15 : f32
// CHECK-NEXT:     for %0, %2 (%21: i64) {
// CHECK-NEXT:       %22 = load %arg1, %3, %21 : f32
// CHECK-NEXT:       %23 = sub %22, %20 : f32
// CHECK-NEXT:       store %23, %arg4, %3, %21
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @log_softmax(%x: f32[?,1000]) -> (f32[?,1000]) {
  %m = max %x {axes = [1], keepdims = true} : f32[?,1]
  %s = sub %x, %m : f32[?,1000]
  %e = exp %s : f32[?,1000]
  %t = sum %e {axes = [1], keepdims = true} : f32[?,1]
  %l = log %t : f32[?,1]
  %r = sub %s, %l : f32[?,1000]
  return %r
}
