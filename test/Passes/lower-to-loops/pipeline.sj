// RUN: %symjit-opt %s --passes=fuse-elementwise,lower-to-loops --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=fuse-elementwise,lower-to-loops --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// z = a*b + exp(c)*d: one fused group, one kernel, one launch.
// CHECK-LABEL: func @z(%a: f32[?,32], %b: f32[?,32], %c: f32[?,32], %d: f32[32]) -> (f32[?,32]) {
// CHECK-NEXT:   %0 = dim %a {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,32]
// CHECK-NEXT:   launch %a, %b, %c, %d, %1 {kernel = @z_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @z_k0(%in0: f32[?,32], %in1: f32[?,32], %in2: f32[?,32], %in3: f32[32], %out0: f32[?,32]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c32 = constant {value = 32} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c32 (%2: i64) {
// CHECK-NEXT:       %3 = load %in0, %1, %2 : f32
// CHECK-NEXT:       %4 = load %in1, %1, %2 : f32
// CHECK-NEXT:       %5 = load %in2, %1, %2 : f32
// CHECK-NEXT:       %6 = load %in3, %2 : f32
// CHECK-NEXT:       %7 = mul %3, %4 : f32
// CHECK-NEXT:       %8 = exp %5 : f32
// CHECK-NEXT:       %9 = mul %8, %6 : f32
// CHECK-NEXT:       %10 = add %7, %9 : f32
// CHECK-NEXT:       store %10, %out0, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @z(%a: f32[?,32], %b: f32[?,32], %c: f32[?,32], %d: f32[32]) -> (f32[?,32]) {
  %0 = mul %a, %b : f32[?,32]
  %1 = exp %c : f32[?,32]
  %2 = mul %1, %d : f32[?,32]
  %3 = add %0, %2 : f32[?,32]
  return %3
}
// -----
// softmax-like chain: reductions split the elementwise ops into groups; each
// group and reduction is one kernel, in program order.
// CHECK-LABEL: func @softmax(%x: f32[?,10]) -> (f32[?,10]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,1]
// CHECK-NEXT:   launch %x, %1 {kernel = @softmax_k0}
// CHECK-NEXT:   %2 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %3 = alloc %2 : f32[?,10]
// CHECK-NEXT:   launch %x, %1, %3 {kernel = @softmax_k1}
// CHECK-NEXT:   %4 = dim %3 {axis = 0} : i64
// CHECK-NEXT:   %5 = alloc %4 : f32[?,1]
// CHECK-NEXT:   launch %3, %5 {kernel = @softmax_k2}
// CHECK-NEXT:   %6 = dim %3 {axis = 0} : i64
// CHECK-NEXT:   %7 = alloc %6 : f32[?,10]
// CHECK-NEXT:   launch %3, %5, %7 {kernel = @softmax_k3}
// CHECK-NEXT:   return %7
// CHECK-NEXT: }
// CHECK-LABEL: kernel @softmax_k0(%in0: f32[?,10], %out0: f32[?,1]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     %2 = constant {value = -inf} : f32
// CHECK-NEXT:     %3 = for %c0, %c10, %2 {combine = "maximum"} : f32 (%4: i64, %5: f32) {
// CHECK-NEXT:       %6 = load %in0, %1, %4 : f32
// CHECK-NEXT:       %7 = maximum %5, %6 : f32
// CHECK-NEXT:       yield %7
// CHECK-NEXT:     }
// CHECK-NEXT:     store %3, %out0, %1, %c0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @softmax_k1(%in0: f32[?,10], %in1: f32[?,1], %out0: f32[?,10]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c10 (%2: i64) {
// CHECK-NEXT:       %3 = load %in0, %1, %2 : f32
// CHECK-NEXT:       %4 = load %in1, %1, %c0 : f32
// CHECK-NEXT:       %5 = sub %3, %4 : f32
// CHECK-NEXT:       %6 = exp %5 : f32
// CHECK-NEXT:       store %6, %out0, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @softmax_k2(%in0: f32[?,10], %out0: f32[?,1]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     %2 = constant {value = 0.0} : f32
// CHECK-NEXT:     %3 = for %c0, %c10, %2 {combine = "add"} : f32 (%4: i64, %5: f32) {
// CHECK-NEXT:       %6 = load %in0, %1, %4 : f32
// CHECK-NEXT:       %7 = add %5, %6 : f32
// CHECK-NEXT:       yield %7
// CHECK-NEXT:     }
// CHECK-NEXT:     store %3, %out0, %1, %c0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @softmax_k3(%in0: f32[?,10], %in1: f32[?,1], %out0: f32[?,10]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c10 (%2: i64) {
// CHECK-NEXT:       %3 = load %in0, %1, %2 : f32
// CHECK-NEXT:       %4 = load %in1, %1, %c0 : f32
// CHECK-NEXT:       %5 = div %3, %4 : f32
// CHECK-NEXT:       store %5, %out0, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @softmax(%x: f32[?,10]) -> (f32[?,10]) {
  %m = max %x {axes = [1], keepdims = true} : f32[?,1]
  %s = sub %x, %m : f32[?,10]
  %e = exp %s : f32[?,10]
  %t = sum %e {axes = [1], keepdims = true} : f32[?,1]
  %r = div %e, %t : f32[?,10]
  return %r
}
