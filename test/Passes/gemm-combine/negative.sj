// RUN: %symjit-opt %s --passes=gemm-combine --split-input-file | FileCheck %s
// Where gemm-combine must not fire: the output is the input.
// A runtime scalar is not a BLAS alpha (the mul stays).
// CHECK-LABEL: func @runtime_scale(%x: f32[8,5], %y: f32[5,6], %z: f32[8,6], %a: f32[]) -> (f32[8,6]) {
// CHECK-NEXT:   %0 = matmul %x, %y : f32[8,6]
// CHECK-NEXT:   %1 = mul %a, %0 : f32[8,6]
// CHECK-NEXT:   %2 = add %1, %z : f32[8,6]
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
func @runtime_scale(%x: f32[8,5], %y: f32[5,6], %z: f32[8,6], %a: f32[]) -> (f32[8,6]) {
  %0 = matmul %x, %y : f32[8,6]
  %1 = mul %a, %0 : f32[8,6]
  %2 = add %1, %z : f32[8,6]
  return %2
}
// -----
// A non-splat constant is a per-element scale, not alpha.
// CHECK-LABEL: func @dense_scale(%x: f32[2,2], %z: f32[2,2]) -> (f32[2,2]) {
// CHECK-NEXT:   %0 = matmul %x, %x : f32[2,2]
// CHECK-NEXT:   %a = constant {value = dense<[1.0, 2.0]>} : f32[2]
// CHECK-NEXT:   %1 = mul %a, %0 : f32[2,2]
// CHECK-NEXT:   %2 = add %1, %z : f32[2,2]
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
func @dense_scale(%x: f32[2,2], %z: f32[2,2]) -> (f32[2,2]) {
  %0 = matmul %x, %x : f32[2,2]
  %a = constant {value = dense<[1.0, 2.0]>} : f32[2]
  %1 = mul %a, %0 : f32[2,2]
  %2 = add %1, %z : f32[2,2]
  return %2
}
// -----
// A broadcast bias is not a beta: gemm-epilogue runs it over the rows.
// CHECK-LABEL: func @bias(%x: f32[8,5], %y: f32[5,6], %b: f32[6]) -> (f32[8,6]) {
// CHECK-NEXT:   %0 = matmul %x, %y : f32[8,6]
// CHECK-NEXT:   %1 = add %0, %b : f32[8,6]
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
func @bias(%x: f32[8,5], %y: f32[5,6], %b: f32[6]) -> (f32[8,6]) {
  %0 = matmul %x, %y : f32[8,6]
  %1 = add %0, %b : f32[8,6]
  return %1
}
// -----
// Dims that may differ at run time (? against 8) are left to broadcasting.
// CHECK-LABEL: func @shape_mismatch(%x: f32[8,5], %y: f32[5,6], %z: f32[?,6]) -> (f32[8,6]) {
// CHECK-NEXT:   %0 = matmul %x, %y : f32[8,6]
// CHECK-NEXT:   %1 = add %0, %z : f32[8,6]
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
func @shape_mismatch(%x: f32[8,5], %y: f32[5,6], %z: f32[?,6]) -> (f32[8,6]) {
  %0 = matmul %x, %y : f32[8,6]
  %1 = add %0, %z : f32[8,6]
  return %1
}
// -----
// Half products are widened to f32 by lower-to-loops; BLAS has no f16 gemm.
// CHECK-LABEL: func @half(%x: f16[4,4], %z: f16[4,4]) -> (f16[4,4]) {
// CHECK-NEXT:   %0 = matmul %x, %x : f16[4,4]
// CHECK-NEXT:   %1 = add %0, %z : f16[4,4]
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
func @half(%x: f16[4,4], %z: f16[4,4]) -> (f16[4,4]) {
  %0 = matmul %x, %x : f16[4,4]
  %1 = add %0, %z : f16[4,4]
  return %1
}
// -----
// A product with another user is computed anyway: no addmm (it would be
// computed twice).
// CHECK-LABEL: func @shared(%x: f32[4,4], %z: f32[4,4]) -> (f32[4,4], f32[4,4]) {
// CHECK-NEXT:   %0 = matmul %x, %x : f32[4,4]
// CHECK-NEXT:   %1 = add %0, %z : f32[4,4]
// CHECK-NEXT:   return %1, %0
// CHECK-NEXT: }
func @shared(%x: f32[4,4], %z: f32[4,4]) -> (f32[4,4], f32[4,4]) {
  %0 = matmul %x, %x : f32[4,4]
  %1 = add %0, %z : f32[4,4]
  return %1, %0
}
// -----
// Scaled by 0: BLAS would read neither operand and drop a NaN there.
// CHECK-LABEL: func @zero(%x: f32[4,4], %z: f32[4,4]) -> (f32[4,4]) {
// CHECK-NEXT:   %0 = matmul %x, %x : f32[4,4]
// CHECK-NEXT:   %a = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %1 = mul %a, %z : f32[4,4]
// CHECK-NEXT:   %2 = add %0, %1 : f32[4,4]
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
func @zero(%x: f32[4,4], %z: f32[4,4]) -> (f32[4,4]) {
  %0 = matmul %x, %x : f32[4,4]
  %a = constant {value = 0.0} : f32[]
  %1 = mul %a, %z : f32[4,4]
  %2 = add %0, %1 : f32[4,4]
  return %2
}
// -----
// A product scaled by a mul with another user stays as it is.
// CHECK-LABEL: func @scaled_shared(%x: f32[4,4], %z: f32[4,4]) -> (f32[4,4], f32[4,4]) {
// CHECK-NEXT:   %0 = matmul %x, %x : f32[4,4]
// CHECK-NEXT:   %a = constant {value = 2.0} : f32[]
// CHECK-NEXT:   %1 = mul %a, %0 : f32[4,4]
// CHECK-NEXT:   %2 = add %1, %z : f32[4,4]
// CHECK-NEXT:   return %2, %1
// CHECK-NEXT: }
func @scaled_shared(%x: f32[4,4], %z: f32[4,4]) -> (f32[4,4], f32[4,4]) {
  %0 = matmul %x, %x : f32[4,4]
  %a = constant {value = 2.0} : f32[]
  %1 = mul %a, %0 : f32[4,4]
  %2 = add %1, %z : f32[4,4]
  return %2, %1
}
// -----
// A zero that broadcasts is not the product's type: left alone (a zero
// of the product's type is dropped: combine.sj @zero_acc).
// CHECK-LABEL: func @zero_broadcast(%x: f64[?,3], %y: f64[3,?]) -> (f64[?,?]) {
// CHECK-NEXT:   %z = constant {value = 0} : f64[1,1]
// CHECK-NEXT:   %0 = matmul %x, %y : f64[?,?]
// CHECK-NEXT:   %1 = add %z, %0 : f64[?,?]
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
func @zero_broadcast(%x: f64[?,3], %y: f64[3,?]) -> (f64[?,?]) {
  %z = constant {value = 0} : f64[1,1]
  %0 = matmul %x, %y : f64[?,?]
  %1 = add %z, %0 : f64[?,?]
  return %1
}
// -----
// Plus zeros, but the product has another user, or is f16 (widened by
// lower-to-loops, not a BLAS product), or the zero is multiplied by the
// product (not a sum): all stay.
// CHECK-LABEL: func @zero_not(%x: f32[4,4], %h: f16[4,4]) -> (f32[4,4], f32[4,4], f16[4,4], f32[4,4]) {
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[4,4]
// CHECK-NEXT:   %0 = matmul %x, %x : f32[4,4]
// CHECK-NEXT:   %1 = add %0, %z : f32[4,4]
// CHECK-NEXT:   %zh = constant {value = 0.0} : f16[4,4]
// CHECK-NEXT:   %2 = matmul %h, %h : f16[4,4]
// CHECK-NEXT:   %3 = sub %2, %zh : f16[4,4]
// CHECK-NEXT:   %4 = matmul %x, %x : f32[4,4]
// CHECK-NEXT:   %5 = mul %4, %z : f32[4,4]
// CHECK-NEXT:   return %1, %0, %3, %5
// CHECK-NEXT: }
func @zero_not(%x: f32[4,4], %h: f16[4,4]) -> (f32[4,4], f32[4,4], f16[4,4], f32[4,4]) {
  %z = constant {value = 0.0} : f32[4,4]
  %0 = matmul %x, %x : f32[4,4]
  %1 = add %0, %z : f32[4,4]
  %zh = constant {value = 0.0} : f16[4,4]
  %2 = matmul %h, %h : f16[4,4]
  %3 = sub %2, %zh : f16[4,4]
  %4 = matmul %x, %x : f32[4,4]
  %5 = mul %4, %z : f32[4,4]
  return %1, %0, %3, %5
}
