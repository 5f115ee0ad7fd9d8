// RUN: %symjit-opt %s --passes=expand-softmax --split-input-file | FileCheck %s
// log_softmax expands to exactly examples/log_softmax.sj's ops (the row max
// and log-sum-exp as keepdims reductions broadcast back over the row).
// CHECK-LABEL: func @log_softmax(%x: f32[?,1000]) -> (f32[?,1000]) {
// CHECK-NEXT:   %0 = max %x {axes = [1], keepdims = true} : f32[?,1]
// CHECK-NEXT:   %1 = sub %x, %0 : f32[?,1000]
// CHECK-NEXT:   %2 = exp %1 : f32[?,1000]
// CHECK-NEXT:   %3 = sum %2 {axes = [1], keepdims = true} : f32[?,1]
// CHECK-NEXT:   %4 = log %3 : f32[?,1]
// CHECK-NEXT:   %5 = sub %1, %4 : f32[?,1000]
// CHECK-NEXT:   return %5
// CHECK-NEXT: }
func @log_softmax(%x: f32[?,1000]) -> (f32[?,1000]) {
  %0 = log_softmax %x {axis = 1} : f32[?,1000]
  return %0
}
// -----
// softmax: the same max/sub/exp/sum, then one division; along axis 0 here.
// CHECK-LABEL: func @softmax(%x: f64[3,?]) -> (f64[3,?]) {
// CHECK-NEXT:   %0 = max %x {axes = [0], keepdims = true} : f64[1,?]
// CHECK-NEXT:   %1 = sub %x, %0 : f64[3,?]
// CHECK-NEXT:   %2 = exp %1 : f64[3,?]
// CHECK-NEXT:   %3 = sum %2 {axes = [0], keepdims = true} : f64[1,?]
// CHECK-NEXT:   %4 = div %2, %3 : f64[3,?]
// CHECK-NEXT:   return %4
// CHECK-NEXT: }
func @softmax(%x: f64[3,?]) -> (f64[3,?]) {
  %0 = softmax %x {axis = -2} : f64[3,?]
  return %0
}
// -----
// softmax_xent: log-sum-exp minus the target's shifted logit, l - (x[y] - m)
// (= l - s[y], bit for bit), NaN for labels outside [0, 5), reshaped to the
// labels' shape.
// CHECK-LABEL: func @xent(%x: f32[?,5], %y: i32[?]) -> (f32[?]) {
// CHECK-NEXT:   %0 = max %x {axes = [1], keepdims = true} : f32[?,1]
// CHECK-NEXT:   %1 = sub %x, %0 : f32[?,5]
// CHECK-NEXT:   %2 = exp %1 : f32[?,5]
// CHECK-NEXT:   %3 = sum %2 {axes = [1], keepdims = true} : f32[?,1]
// CHECK-NEXT:   %4 = log %3 : f32[?,1]
// CHECK-NEXT:   %5 = reshape %y : i32[?,1]
// CHECK-NEXT:   %6 = take_along_axis %x, %5 {axis = 1} : f32[?,1]
// CHECK-NEXT:   %7 = sub %6, %0 : f32[?,1]
// CHECK-NEXT:   %8 = sub %4, %7 : f32[?,1]
// CHECK-NEXT:   %9 = constant {value = nan} : f32[]
// CHECK-NEXT:   %10 = constant {value = 5} : i32[]
// CHECK-NEXT:   %11 = ge %5, %10 : bool[?,1]
// CHECK-NEXT:   %12 = select %11, %9, %8 : f32[?,1]
// CHECK-NEXT:   %13 = constant {value = 0} : i32[]
// CHECK-NEXT:   %14 = lt %5, %13 : bool[?,1]
// CHECK-NEXT:   %15 = select %14, %9, %12 : f32[?,1]
// CHECK-NEXT:   %16 = reshape %15 : f32[?]
// CHECK-NEXT:   return %16
// CHECK-NEXT: }
func @xent(%x: f32[?,5], %y: i32[?]) -> (f32[?]) {
  %0 = softmax_xent %x, %y {axis = 1} : f32[?]
  return %0
}
// -----
// i8 labels cannot reach 300 classes: only the negative check stays.
// CHECK-LABEL: func @xent_i8(%x: f32[2,300], %y: i8[2]) -> (f32[2]) {
// CHECK-NEXT:   %0 = max %x {axes = [1], keepdims = true} : f32[2,1]
// CHECK-NEXT:   %1 = sub %x, %0 : f32[2,300]
// CHECK-NEXT:   %2 = exp %1 : f32[2,300]
// CHECK-NEXT:   %3 = sum %2 {axes = [1], keepdims = true} : f32[2,1]
// CHECK-NEXT:   %4 = log %3 : f32[2,1]
// CHECK-NEXT:   %5 = reshape %y : i8[2,1]
// CHECK-NEXT:   %6 = take_along_axis %x, %5 {axis = 1} : f32[2,1]
// CHECK-NEXT:   %7 = sub %6, %0 : f32[2,1]
// CHECK-NEXT:   %8 = sub %4, %7 : f32[2,1]
// CHECK-NEXT:   %9 = constant {value = nan} : f32[]
// CHECK-NEXT:   %10 = constant {value = 0} : i8[]
// CHECK-NEXT:   %11 = lt %5, %10 : bool[2,1]
// CHECK-NEXT:   %12 = select %11, %9, %8 : f32[2,1]
// CHECK-NEXT:   %13 = reshape %12 : f32[2]
// CHECK-NEXT:   return %13
// CHECK-NEXT: }
func @xent_i8(%x: f32[2,300], %y: i8[2]) -> (f32[2]) {
  %0 = softmax_xent %x, %y {axis = -1} : f32[2]
  return %0
}
// -----
// Rank 1: one example, rank-0 label.
// CHECK-LABEL: func @xent_rank1(%x: f64[4], %y: i64[]) -> (f64[]) {
// CHECK-NEXT:   %0 = max %x {axes = [0], keepdims = true} : f64[1]
// CHECK-NEXT:   %1 = sub %x, %0 : f64[4]
// CHECK-NEXT:   %2 = exp %1 : f64[4]
// CHECK-NEXT:   %3 = sum %2 {axes = [0], keepdims = true} : f64[1]
// CHECK-NEXT:   %4 = log %3 : f64[1]
// CHECK-NEXT:   %5 = reshape %y : i64[1]
// CHECK-NEXT:   %6 = take_along_axis %x, %5 {axis = 0} : f64[1]
// CHECK-NEXT:   %7 = sub %6, %0 : f64[1]
// CHECK-NEXT:   %8 = sub %4, %7 : f64[1]
// CHECK-NEXT:   %9 = constant {value = nan} : f64[]
// CHECK-NEXT:   %10 = constant {value = 4} : i64[]
// CHECK-NEXT:   %11 = ge %5, %10 : bool[1]
// CHECK-NEXT:   %12 = select %11, %9, %8 : f64[1]
// CHECK-NEXT:   %13 = constant {value = 0} : i64[]
// CHECK-NEXT:   %14 = lt %5, %13 : bool[1]
// CHECK-NEXT:   %15 = select %14, %9, %12 : f64[1]
// CHECK-NEXT:   %16 = reshape %15 : f64[]
// CHECK-NEXT:   return %16
// CHECK-NEXT: }
func @xent_rank1(%x: f64[4], %y: i64[]) -> (f64[]) {
  %0 = softmax_xent %x, %y {axis = 0} : f64[]
  return %0
}
