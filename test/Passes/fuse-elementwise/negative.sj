// RUN: %symjit-opt %s --passes=fuse-elementwise --split-input-file | FileCheck %s
// A reduction between two elementwise ops: fusing %0 and %3 would need the
// reduction's result inside the group that feeds it (a cycle). The producer
// of a different shape (%m, per row) is not pulled into the row group either,
// so nothing is recomputed per element.
// CHECK-LABEL: func @cycle(%x: f32[?,10]) -> (f32[?,10]) {
// CHECK-NEXT:   %0 = fused %x : f32[?,10] (%1: f32) {
// CHECK-NEXT:     %2 = exp %1 : f32
// CHECK-NEXT:     yield %2
// CHECK-NEXT:   }
// CHECK-NEXT:   %3 = sum %0 {axes = [1], keepdims = true} : f32[?,1]
// CHECK-NEXT:   %m = fused %3 : f32[?,1] (%4: f32) {
// CHECK-NEXT:     %5 = log %4 : f32
// CHECK-NEXT:     yield %5
// CHECK-NEXT:   }
// CHECK-NEXT:   %6 = fused %0, %m : f32[?,10] (%7: f32, %8: f32) {
// CHECK-NEXT:     %9 = sub %7, %8 : f32
// CHECK-NEXT:     yield %9
// CHECK-NEXT:   }
// CHECK-NEXT:   return %6
// CHECK-NEXT: }
func @cycle(%x: f32[?,10]) -> (f32[?,10]) {
  %0 = exp %x : f32[?,10]
  %1 = sum %0 {axes = [1], keepdims = true} : f32[?,1]
  %m = log %1 : f32[?,1]
  %3 = sub %0, %m : f32[?,10]
  return %3
}
// -----
// matmul, reductions, transpose and reshape are not elementwise: untouched.
// CHECK-LABEL: func @opaque(%x: f32[4,8], %w: f32[8,2]) -> (f32[4,2], f32[8,4], f32[32], f32[4]) {
// CHECK-NEXT:   %0 = matmul %x, %w : f32[4,2]
// CHECK-NEXT:   %1 = transpose %x {perm = [1, 0]} : f32[8,4]
// CHECK-NEXT:   %2 = reshape %x : f32[32]
// CHECK-NEXT:   %3 = max %x {axes = [1]} : f32[4]
// CHECK-NEXT:   return %0, %1, %2, %3
// CHECK-NEXT: }
func @opaque(%x: f32[4,8], %w: f32[8,2]) -> (f32[4,2], f32[8,4], f32[32], f32[4]) {
  %0 = matmul %x, %w : f32[4,2]
  %1 = transpose %x {perm = [1, 0]} : f32[8,4]
  %2 = reshape %x : f32[32]
  %3 = max %x {axes = [1]} : f32[4]
  return %0, %1, %2, %3
}
// -----
// Ops inside kernels are scalars: never fused.
// CHECK-LABEL: kernel @k(%in0: f32[4], %out0: f32[4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %a = load %in0, %c0 : f32
// CHECK-NEXT:   %b = exp %a : f32
// CHECK-NEXT:   %c = mul %b, %a : f32
// CHECK-NEXT:   store %c, %out0, %c0
// CHECK-NEXT:   return
// CHECK-NEXT: }
kernel @k(%in0: f32[4], %out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %a = load %in0, %c0 : f32
  %b = exp %a : f32
  %c = mul %b, %a : f32
  store %c, %out0, %c0
  return
}
