// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file | FileCheck %s
// RUN: %symjit-run %s --check --func tt --shape a=7x5 --shape b=3x7 | FileCheck %s --check-prefix=EXEC
// A 2-D transpose feeding a matmul becomes a BLAS transpose flag; the
// transpose disappears instead of becoming a copy kernel.
// CHECK-LABEL: func @tt(%a: f32[?,5], %b: f32[3,?]) -> (f32[5,3]) {
// CHECK-NEXT:   %0 = alloc : f32[5,3]
// CHECK-NEXT:   gemm %a, %b, %0 {trans_a = true, trans_b = true}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @tt(%a: f32[?,5], %b: f32[3,?]) -> (f32[5,3]) {
  %0 = transpose %a {perm = [1, 0]} : f32[5,?]
  %1 = transpose %b {perm = [1, 0]} : f32[?,3]
  %2 = matmul %0, %1 : f32[5,3]
  return %2
}
// -----
// A transpose with another user is still materialized for it.
// CHECK-LABEL: func @shared(%a: f32[4,4]) -> (f32[4,4], f32[4,4]) {
// CHECK-NEXT:   %0 = alloc : f32[4,4]
// CHECK-NEXT:   launch %a, %0 {kernel = @shared_k0}
// CHECK-NEXT:   %1 = alloc : f32[4,4]
// CHECK-NEXT:   gemm %a, %a, %1 {trans_a = true}
// CHECK-NEXT:   return %1, %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @shared_k0(%in0: f32[4,4], %out0: f32[4,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%0: i64) {
// CHECK-NEXT:     for %c0, %c4 (%1: i64) {
// CHECK-NEXT:       %2 = load %in0, %1, %0 : f32
// CHECK-NEXT:       store %2, %out0, %0, %1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @shared(%a: f32[4,4]) -> (f32[4,4], f32[4,4]) {
  %0 = transpose %a {perm = [1, 0]} : f32[4,4]
  %1 = matmul %0, %a : f32[4,4]
  return %1, %0
}
// EXEC: check: @tt passed
