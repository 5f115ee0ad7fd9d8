// RUN: %symjit-opt %s --passes=stabilize-softmax --split-input-file | FileCheck %s
// exp(x) / sum(exp(x), a) becomes the stable softmax(x, a): with keepdims,
// CHECK-LABEL: func @keepdims(%x: f32[?,10]) -> (f32[?,10]) {
// CHECK-NEXT:   %0 = softmax %x {axis = 1} : f32[?,10]
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @keepdims(%x: f32[?,10]) -> (f32[?,10]) {
  %0 = exp %x : f32[?,10]
  %1 = sum %0 {axes = [1], keepdims = true} : f32[?,1]
  %2 = div %0, %1 : f32[?,10]
  return %2
}
// -----
// without keepdims and a reshape that inserts the axis back, then an
// explicit broadcast_to (exp spelled twice: the same x),
// CHECK-LABEL: func @reshaped(%x: f32[?,10]) -> (f32[?,10]) {
// CHECK-NEXT:   %0 = softmax %x {axis = 1} : f32[?,10]
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @reshaped(%x: f32[?,10]) -> (f32[?,10]) {
  %0 = exp %x : f32[?,10]
  %1 = exp %x : f32[?,10]
  %2 = sum %1 {axes = [-1]} : f32[?]
  %3 = reshape %2 : f32[?,1]
  %4 = broadcast_to %3 : f32[?,10]
  %5 = div %0, %4 : f32[?,10]
  return %5
}
// -----
// over a leading axis without keepdims (numpy broadcasting puts it back),
// over the middle axis of a rank-3 tensor, and over the only axis.
// CHECK-LABEL: func @axes(%x: f64[5,3], %y: f32[2,?,4], %z: f32[7]) -> (f64[5,3], f32[2,?,4], f32[7]) {
// CHECK-NEXT:   %0 = softmax %x {axis = 0} : f64[5,3]
// CHECK-NEXT:   %1 = softmax %y {axis = 1} : f32[2,?,4]
// CHECK-NEXT:   %2 = softmax %z {axis = 0} : f32[7]
// CHECK-NEXT:   return %0, %1, %2
// CHECK-NEXT: }
func @axes(%x: f64[5,3], %y: f32[2,?,4], %z: f32[7]) -> (f64[5,3], f32[2,?,4], f32[7]) {
  %0 = exp %x : f64[5,3]
  %1 = sum %0 {axes = [0]} : f64[3]
  %2 = div %0, %1 : f64[5,3]
  %3 = exp %y : f32[2,?,4]
  %4 = sum %3 {axes = [1], keepdims = true} : f32[2,1,4]
  %5 = div %3, %4 : f32[2,?,4]
  %6 = exp %z : f32[7]
  %7 = sum %6 : f32[]
  %8 = div %6, %7 : f32[7]
  return %2, %5, %8
}
// -----
// Not rewritten: the sum is not broadcast back along the axis it reduced
// (axis 1 without keepdims broadcasts along axis 0; a reshape to [1,4] puts
// it on the wrong axis), the sum reduces two axes, exp of another tensor,
// and a division that broadcasts further than x.
// CHECK-LABEL: func @negative(%x: f32[4,4], %y: f32[4,4], %z: f32[2,3,4], %w: f32[1,4]) -> (f32[4,4], f32[4,4], f32[2,3,4], f32[4,4], f32[4,4]) {
// CHECK-NEXT:   %0 = exp %x : f32[4,4]
// CHECK-NEXT:   %1 = sum %0 {axes = [1]} : f32[4]
// CHECK-NEXT:   %2 = div %0, %1 : f32[4,4]
// CHECK-NEXT:   %3 = reshape %1 : f32[1,4]
// CHECK-NEXT:   %4 = div %0, %3 : f32[4,4]
// CHECK-NEXT:   %5 = exp %z : f32[2,3,4]
// CHECK-NEXT:   %6 = sum %5 {axes = [1, 2], keepdims = true} : f32[2,1,1]
// CHECK-NEXT:   %7 = div %5, %6 : f32[2,3,4]
// CHECK-NEXT:   %8 = exp %y : f32[4,4]
// CHECK-NEXT:   %9 = sum %8 {axes = [1], keepdims = true} : f32[4,1]
// CHECK-NEXT:   %10 = div %0, %9 : f32[4,4]
// CHECK-NEXT:   %11 = exp %w : f32[1,4]
// CHECK-NEXT:   %12 = sum %11 {axes = [1], keepdims = true} : f32[1,1]
// CHECK-NEXT:   %13 = broadcast_to %12 : f32[4,1]
// CHECK-NEXT:   %14 = div %11, %13 : f32[4,4]
// CHECK-NEXT:   return %2, %4, %7, %10, %14
// CHECK-NEXT: }
func @negative(%x: f32[4,4], %y: f32[4,4], %z: f32[2,3,4], %w: f32[1,4]) -> (f32[4,4], f32[4,4], f32[2,3,4], f32[4,4], f32[4,4]) {
  %0 = exp %x : f32[4,4]
  %1 = sum %0 {axes = [1]} : f32[4]
  %2 = div %0, %1 : f32[4,4]
  %3 = reshape %1 : f32[1,4]
  %4 = div %0, %3 : f32[4,4]
  %5 = exp %z : f32[2,3,4]
  %6 = sum %5 {axes = [1, 2], keepdims = true} : f32[2,1,1]
  %7 = div %5, %6 : f32[2,3,4]
  %8 = exp %y : f32[4,4]
  %9 = sum %8 {axes = [1], keepdims = true} : f32[4,1]
  %10 = div %0, %9 : f32[4,4]
  %11 = exp %w : f32[1,4]
  %12 = sum %11 {axes = [1], keepdims = true} : f32[1,1]
  %13 = broadcast_to %12 : f32[4,1]
  %14 = div %11, %13 : f32[4,4]
  return %2, %4, %7, %10, %14
}
// -----
// Not rewritten: a sum over all axes of a matrix is not a row softmax.
// CHECK-LABEL: func @global(%x: f32[3,4]) -> (f32[3,4]) {
// CHECK-NEXT:   %0 = exp %x : f32[3,4]
// CHECK-NEXT:   %1 = sum %0 : f32[]
// CHECK-NEXT:   %2 = div %0, %1 : f32[3,4]
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
func @global(%x: f32[3,4]) -> (f32[3,4]) {
  %0 = exp %x : f32[3,4]
  %1 = sum %0 : f32[]
  %2 = div %0, %1 : f32[3,4]
  return %2
}
