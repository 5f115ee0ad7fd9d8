// RUN: %symjit-opt %s --passes=gemm-combine --split-input-file | FileCheck %s
// RUN: %symjit-run %s --check --func axpby | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func plain --shape x=33x5 --shape y=5x17 --shape z=33x17 | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func plain --shape x=0x5 --shape y=5x4 --shape z=0x4 | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func update | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func minus | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func two | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func batched | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func zero_acc | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func zero_empty | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func zero_k | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-opt %s --passes=gemm-combine --split-input-file --pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
// STATS: (S) 4 zero-accumulators-dropped - add/sub of a scaled matmul and a constant of zeros: the product alone, no accumulator
// STATS-NEXT: (S) 0 addmm-formed
// EXEC: check: @{{[a-z_]+}} passed
// RUN: %symjit-opt %s --passes=gemm-combine --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// a*dot(X,Y) + b*Z: one addmm, the scalings become alpha and beta (the
// constant on either side of the mul).
// CHECK-LABEL: func @axpby(%x: f32[8,5], %y: f32[5,6], %z: f32[8,6]) -> (f32[8,6]) {
// CHECK-NEXT:   %0 = addmm %z, %x, %y {alpha = 2.0, beta = 0.5} : f32[8,6]
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @axpby(%x: f32[8,5], %y: f32[5,6], %z: f32[8,6]) -> (f32[8,6]) {
  %0 = matmul %x, %y : f32[8,6]
  %a = constant {value = 2.0} : f32[]
  %1 = mul %a, %0 : f32[8,6]
  %b = constant {value = 0.5} : f32[]
  %2 = mul %z, %b : f32[8,6]
  %3 = add %1, %2 : f32[8,6]
  return %3
}
// -----
// dot(X,Y) + Z with the product on the right; an integer splat of shape
// [1,1] scales too.
// CHECK-LABEL: func @plain(%x: f64[?,5], %y: f64[5,?], %z: f64[?,?]) -> (f64[?,?]) {
// CHECK-NEXT:   %0 = addmm %z, %x, %y {alpha = 1.0, beta = 3.0} : f64[?,?]
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @plain(%x: f64[?,5], %y: f64[5,?], %z: f64[?,?]) -> (f64[?,?]) {
  %0 = matmul %x, %y : f64[?,?]
  %k = constant {value = 3} : f64[1,1]
  %1 = mul %z, %k : f64[?,?]
  %2 = add %1, %0 : f64[?,?]
  return %2
}
// -----
// Z - a*dot(X^T,G) (the update W - lr * dW): alpha = -a; the transpose
// stays for lower-to-loops to fold into trans_a.
// CHECK-LABEL: func @update(%w: f32[5,6], %x: f32[8,5], %g: f32[8,6]) -> (f32[5,6]) {
// CHECK-NEXT:   %t = transpose %x {perm = [1, 0]} : f32[5,8]
// CHECK-NEXT:   %0 = addmm %w, %t, %g {alpha = -0.125, beta = 1.0} : f32[5,6]
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @update(%w: f32[5,6], %x: f32[8,5], %g: f32[8,6]) -> (f32[5,6]) {
  %t = transpose %x {perm = [1, 0]} : f32[5,8]
  %0 = matmul %t, %g : f32[5,6]
  %lr = constant {value = 0.125} : f32[]
  %1 = mul %lr, %0 : f32[5,6]
  %2 = sub %w, %1 : f32[5,6]
  return %2
}
// -----
// a*dot(X,Y) - Z: beta = -1; neg(dot) + Z: alpha = -1; 2 * neg(dot): -2.
// CHECK-LABEL: func @minus(%x: f32[4,4], %z: f32[4,4]) -> (f32[4,4], f32[4,4], f32[4,4]) {
// CHECK-NEXT:   %0 = addmm %z, %x, %x {alpha = 4.0, beta = -1.0} : f32[4,4]
// CHECK-NEXT:   %1 = addmm %z, %z, %x {alpha = -1.0, beta = 1.0} : f32[4,4]
// CHECK-NEXT:   %2 = addmm %z, %z, %z {alpha = -2.0, beta = 1.0} : f32[4,4]
// CHECK-NEXT:   return %0, %1, %2
// CHECK-NEXT: }
func @minus(%x: f32[4,4], %z: f32[4,4]) -> (f32[4,4], f32[4,4], f32[4,4]) {
  %0 = matmul %x, %x : f32[4,4]
  %a = constant {value = 4.0} : f32[]
  %1 = mul %0, %a : f32[4,4]
  %2 = sub %1, %z : f32[4,4]
  %3 = matmul %z, %x : f32[4,4]
  %4 = neg %3 : f32[4,4]
  %5 = add %4, %z : f32[4,4]
  %6 = matmul %z, %z : f32[4,4]
  %7 = neg %6 : f32[4,4]
  %c = constant {value = 2.0} : f32[]
  %8 = mul %c, %7 : f32[4,4]
  %9 = add %z, %8 : f32[4,4]
  return %2, %5, %9
}
// -----
// dot(A,B) + dot(C,D): the left product accumulates onto the right one.
// CHECK-LABEL: func @two(%a: f32[8,5], %b: f32[5,6], %c: f32[8,3], %d: f32[3,6]) -> (f32[8,6]) {
// CHECK-NEXT:   %0 = matmul %c, %d : f32[8,6]
// CHECK-NEXT:   %1 = addmm %0, %a, %b {alpha = 1.0, beta = 1.0} : f32[8,6]
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
func @two(%a: f32[8,5], %b: f32[5,6], %c: f32[8,3], %d: f32[3,6]) -> (f32[8,6]) {
  %0 = matmul %a, %b : f32[8,6]
  %1 = matmul %c, %d : f32[8,6]
  %2 = add %0, %1 : f32[8,6]
  return %2
}
// -----
// Batched products combine too (gemm runs them batch by batch).
// CHECK-LABEL: func @batched(%x: f32[2,8,5], %y: f32[5,6], %z: f32[2,8,6]) -> (f32[2,8,6]) {
// CHECK-NEXT:   %0 = addmm %z, %x, %y {alpha = 1.0, beta = 1.0} : f32[2,8,6]
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @batched(%x: f32[2,8,5], %y: f32[5,6], %z: f32[2,8,6]) -> (f32[2,8,6]) {
  %0 = matmul %x, %y : f32[2,8,6]
  %1 = add %z, %0 : f32[2,8,6]
  return %1
}
// -----
// a*dot(X,Y) + 0, the 0 a constant of zeros of the product's type (where a
// gradient sum starts): the product alone, with no accumulator to copy in
// and add. a = 1: the matmul itself (neg(neg(p)) is p; -0 is a zero too);
// otherwise an addmm with beta = 0 (0 - dot: alpha = -1). The dead
// constant is erased.
// CHECK-LABEL: func @zero_acc(%x: f32[4,3], %y: f32[3,5]) -> (f32[4,5], f32[4,5], f32[4,5], f32[4,5]) {
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[4,5]
// CHECK-NEXT:   %0 = matmul %x, %y : f32[4,5]
// CHECK-NEXT:   %1 = addmm %z, %x, %y {alpha = 2.0, beta = 0.0} : f32[4,5]
// CHECK-NEXT:   %2 = addmm %z, %x, %y {alpha = -1.0, beta = 0.0} : f32[4,5]
// CHECK-NEXT:   %3 = matmul %x, %y : f32[4,5]
// CHECK-NEXT:   return %0, %1, %2, %3
// CHECK-NEXT: }
func @zero_acc(%x: f32[4,3], %y: f32[3,5]) -> (f32[4,5], f32[4,5], f32[4,5], f32[4,5]) {
  %z = constant {value = 0.0} : f32[4,5]
  %0 = matmul %x, %y : f32[4,5]
  %1 = add %0, %z : f32[4,5]
  %2 = matmul %x, %y : f32[4,5]
  %a = constant {value = 2.0} : f32[]
  %3 = mul %a, %2 : f32[4,5]
  %4 = add %z, %3 : f32[4,5]
  %6 = matmul %x, %y : f32[4,5]
  %7 = sub %z, %6 : f32[4,5]
  %n = constant {value = -0.0} : f32[4,5]
  %8 = matmul %x, %y : f32[4,5]
  %9 = neg %8 : f32[4,5]
  %10 = neg %9 : f32[4,5]
  %11 = sub %10, %n : f32[4,5]
  return %1, %4, %7, %11
}
// -----
// The same with no rows: the product of an empty sum is written as zeros.
// CHECK-LABEL: func @zero_empty(%x: f32[0,3], %y: f32[3,5]) -> (f32[0,5]) {
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[0,5]
// CHECK-NEXT:   %0 = addmm %z, %x, %y {alpha = 3.0, beta = 0.0} : f32[0,5]
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @zero_empty(%x: f32[0,3], %y: f32[3,5]) -> (f32[0,5]) {
  %z = constant {value = 0.0} : f32[0,5]
  %0 = matmul %x, %y : f32[0,5]
  %a = constant {value = 3.0} : f32[]
  %1 = mul %0, %a : f32[0,5]
  %2 = add %1, %z : f32[0,5]
  return %2
}
// -----
// And an empty contraction (K = 0): zeros, alpha or not.
// CHECK-LABEL: func @zero_k(%x: f32[4,0], %y: f32[0,5]) -> (f32[4,5], f32[4,5]) {
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[4,5]
// CHECK-NEXT:   %0 = matmul %x, %y : f32[4,5]
// CHECK-NEXT:   %1 = addmm %z, %x, %y {alpha = -1.0, beta = 0.0} : f32[4,5]
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
func @zero_k(%x: f32[4,0], %y: f32[0,5]) -> (f32[4,5], f32[4,5]) {
  %z = constant {value = 0.0} : f32[4,5]
  %0 = matmul %x, %y : f32[4,5]
  %1 = add %z, %0 : f32[4,5]
  %2 = matmul %x, %y : f32[4,5]
  %3 = sub %z, %2 : f32[4,5]
  return %1, %3
}
