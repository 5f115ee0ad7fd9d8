// RUN: %symjit-opt %s > %t
// RUN: %symjit-opt %t | diff -u %t -
// RUN: %symjit-opt %s | FileCheck %s
// addmm runs against the reference evaluator (its x_addmm rule), the second
// one accumulating in place into the first's output:
// RUN: %symjit-run %s --check --func t | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-opt %s -O | FileCheck %s --check-prefix=LOWER
// EXEC: check: @t passed
// LOWER-LABEL: func @t(
// LOWER-NEXT:   %0 = alloc : f64[3,2]
// LOWER-NEXT:   gemm %x, %y, %0, %z {alpha = -1.0, beta = 3.0}
// LOWER-NEXT:   gemm %x, %y, %0, %0 {alpha = 1.0, beta = 1.0}
// LOWER-NEXT:   return %0
// gemm's alpha, beta, accumulator and epilogue, and the tensor-level addmm,
// print and re-parse exactly (a float alpha keeps its digits; an integer
// attribute stays an integer).
// CHECK-LABEL: kernel @k(%in0: f32[?,4], %in1: f32[4], %out0: f32[?,4]) {
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: func @g(%x: f32[?,8], %w: f32[8,4], %z: f32[?,4], %b: f32[4]) -> (f32[?,4], f32[?,4], f32[?,4]) {
// CHECK-NEXT:   %n = dim %x {axis = 0} : i64
// CHECK-NEXT:   %0 = alloc %n : f32[?,4]
// CHECK-NEXT:   gemm %x, %w, %0, %z {alpha = 0.1, beta = -2}
// CHECK-NEXT:   %1 = alloc %n : f32[?,4]
// CHECK-NEXT:   gemm %x, %w, %1, %1 {alpha = 2.5e-07, beta = 1.0, trans_b = false}
// CHECK-NEXT:   %2 = alloc %n : f32[?,4]
// CHECK-NEXT:   gemm %x, %w, %2, %2, %b, %0 {epilogue = @k, epilogue_rows = [0, 2]}
// CHECK-NEXT:   return %0, %1, %2
// CHECK-NEXT: }
// CHECK-LABEL: func @t(%x: f64[3,5], %y: f64[5,2], %z: f64[3,2]) -> (f64[3,2]) {
// CHECK-NEXT:   %0 = addmm %z, %x, %y {alpha = -1.0, beta = 3} : f64[3,2]
// CHECK-NEXT:   %1 = addmm %0, %x, %y : f64[3,2]
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
kernel @k(%in0: f32[?,4], %in1: f32[4], %out0: f32[?,4]) {
  return
}

func @g(%x: f32[?,8], %w: f32[8,4], %z: f32[?,4], %b: f32[4]) -> (f32[?,4], f32[?,4], f32[?,4]) {
  %n = dim %x {axis = 0} : i64
  %0 = alloc %n : f32[?,4]
  gemm %x, %w, %0, %z {alpha = 0.1, beta = -2}
  %1 = alloc %n : f32[?,4]
  gemm %x, %w, %1, %1 {alpha = 2.5e-07, beta = 1.0, trans_b = false}
  %2 = alloc %n : f32[?,4]
  gemm %x, %w, %2, %2, %b, %0 {epilogue = @k, epilogue_rows = [0, 2]}
  return %0, %1, %2
}

func @t(%x: f64[3,5], %y: f64[5,2], %z: f64[3,2]) -> (f64[3,2]) {
  %0 = addmm %z, %x, %y {alpha = -1.0, beta = 3} : f64[3,2]
  %1 = addmm %0, %x, %y : f64[3,2]
  return %1
}
