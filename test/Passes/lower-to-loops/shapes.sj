// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// transpose loads at permuted indices (output dim k is input dim perm[k]);
// matmul becomes alloc + gemm, its dims from the operands.
// CHECK-LABEL: func @t(%x: f32[?,3], %w: f32[3,5]) -> (f32[3,?], f32[?,5]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[3,?]
// CHECK-NEXT:   launch %x, %1 {kernel = @t_k0}
// CHECK-NEXT:   %2 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %3 = alloc %2 : f32[?,5]
// CHECK-NEXT:   gemm %x, %w, %3
// CHECK-NEXT:   return %1, %3
// CHECK-NEXT: }
// CHECK-LABEL: kernel @t_k0(%in0: f32[?,3], %out0: f32[3,?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 1} : i64
// CHECK-NEXT:   parallel_for %c0, %c3 (%1: i64) {
// CHECK-NEXT:     for %c0, %0 (%2: i64) {
// CHECK-NEXT:       %3 = load %in0, %2, %1 : f32
// CHECK-NEXT:       store %3, %out0, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @t(%x: f32[?,3], %w: f32[3,5]) -> (f32[3,?], f32[?,5]) {
  %0 = transpose %x {perm = [1, 0]} : f32[3,?]
  %1 = matmul %x, %w : f32[?,5]
  return %0, %1
}
// -----
// A rank-3 permutation.
// CHECK-LABEL: func @t3(%x: f32[2,?,4]) -> (f32[4,2,?]) {
// CHECK-NEXT:   %0 = dim %x {axis = 1} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[4,2,?]
// CHECK-NEXT:   launch %x, %1 {kernel = @t3_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @t3_k0(%in0: f32[2,?,4], %out0: f32[4,2,?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 2} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%1: i64) {
// CHECK-NEXT:     for %c0, %c2 (%2: i64) {
// CHECK-NEXT:       for %c0, %0 (%3: i64) {
// CHECK-NEXT:         %4 = load %in0, %2, %3, %1 : f32
// CHECK-NEXT:         store %4, %out0, %1, %2, %3
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @t3(%x: f32[2,?,4]) -> (f32[4,2,?]) {
  %0 = transpose %x {perm = [2, 0, 1]} : f32[4,2,?]
  return %0
}
// -----
// Batched matmul with a broadcast batch dim: the dynamic batch size comes
// from the operand that has it.
// CHECK-LABEL: func @bmm(%a: f32[?,4,8], %b: f32[8,?]) -> (f32[?,4,?]) {
// CHECK-NEXT:   %0 = dim %a {axis = 0} : i64
// CHECK-NEXT:   %1 = dim %b {axis = 1} : i64
// CHECK-NEXT:   %2 = alloc %0, %1 : f32[?,4,?]
// CHECK-NEXT:   gemm %a, %b, %2
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
func @bmm(%a: f32[?,4,8], %b: f32[8,?]) -> (f32[?,4,?]) {
  %0 = matmul %a, %b : f32[?,4,?]
  return %0
}
