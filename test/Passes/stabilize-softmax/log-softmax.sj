// RUN: %symjit-opt %s --passes=stabilize-softmax --split-input-file | FileCheck %s
// log(softmax(x)) becomes log_softmax(x) (same axis); the softmax stays
// while something else reads it.
// CHECK-LABEL: func @direct(%x: f32[?,10]) -> (f32[?,10], f32[?,10]) {
// CHECK-NEXT:   %0 = softmax %x {axis = 1} : f32[?,10]
// CHECK-NEXT:   %1 = log_softmax %x {axis = 1} : f32[?,10]
// CHECK-NEXT:   return %1, %0
// CHECK-NEXT: }
func @direct(%x: f32[?,10]) -> (f32[?,10], f32[?,10]) {
  %0 = softmax %x {axis = 1} : f32[?,10]
  %1 = log %0 : f32[?,10]
  return %1, %0
}
// -----
// Through a gather between them: log(take(softmax(x))) is
// take(log_softmax(x)), attributes kept.
// CHECK-LABEL: func @through_take(%x: f64[4,6], %i: i32[3]) -> (f64[4,3]) {
// CHECK-NEXT:   %0 = log_softmax %x {axis = 1} : f64[4,6]
// CHECK-NEXT:   %1 = take %0, %i {axis = 1} : f64[4,3]
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
func @through_take(%x: f64[4,6], %i: i32[3]) -> (f64[4,3]) {
  %0 = softmax %x {axis = -1} : f64[4,6]
  %1 = take %0, %i {axis = 1} : f64[4,3]
  %2 = log %1 : f64[4,3]
  return %2
}
// -----
// CHECK-LABEL: func @through_take_along(%x: f32[?,5,7], %i: i64[?,5,1]) -> (f32[?,5,1]) {
// CHECK-NEXT:   %0 = reshape %i : i64[?,5]
// CHECK-NEXT:   %1 = softmax_xent %x, %0 {axis = 2} : f32[?,5]
// CHECK-NEXT:   %2 = reshape %1 : f32[?,5,1]
// CHECK-NEXT:   %3 = neg %2 : f32[?,5,1]
// CHECK-NEXT:   return %3
// CHECK-NEXT: }
func @through_take_along(%x: f32[?,5,7], %i: i64[?,5,1]) -> (f32[?,5,1]) {
  %0 = softmax %x {axis = 2} : f32[?,5,7]
  %1 = take_along_axis %0, %i {axis = 2} : f32[?,5,1]
  %2 = log %1 : f32[?,5,1]
  return %2
}
// -----
// Not rewritten: log of an exp, log through a reshape (not a gather), log of
// a take of something else.
// CHECK-LABEL: func @negative(%x: f32[4,6], %y: f32[4,6], %i: i32[2]) -> (f32[4,6], f32[24], f32[4,2]) {
// CHECK-NEXT:   %0 = exp %x : f32[4,6]
// CHECK-NEXT:   %1 = log %0 : f32[4,6]
// CHECK-NEXT:   %2 = softmax %x {axis = 1} : f32[4,6]
// CHECK-NEXT:   %3 = reshape %2 : f32[24]
// CHECK-NEXT:   %4 = log %3 : f32[24]
// CHECK-NEXT:   %5 = take %y, %i {axis = 1} : f32[4,2]
// CHECK-NEXT:   %6 = log %5 : f32[4,2]
// CHECK-NEXT:   return %1, %4, %6
// CHECK-NEXT: }
func @negative(%x: f32[4,6], %y: f32[4,6], %i: i32[2]) -> (f32[4,6], f32[24], f32[4,2]) {
  %0 = exp %x : f32[4,6]
  %1 = log %0 : f32[4,6]
  %2 = softmax %x {axis = 1} : f32[4,6]
  %3 = reshape %2 : f32[24]
  %4 = log %3 : f32[24]
  %5 = take %y, %i {axis = 1} : f32[4,2]
  %6 = log %5 : f32[4,2]
  return %1, %4, %6
}
