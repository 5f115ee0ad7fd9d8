// RUN: %symjit-opt %s --passes=stabilize-softmax --split-input-file | FileCheck %s
// -log(softmax(x))[labels] (take_along_axis on the class axis, labels
// reshaped to [B,1]) with a bias add on the logits: one softmax_xent of the
// logits and the labels themselves; the negation folds into it.
// CHECK-LABEL: func @take_log(%x: f32[?,10], %b: f32[10], %y: i32[?]) -> (f32[]) {
// CHECK-NEXT:   %0 = add %x, %b : f32[?,10]
// CHECK-NEXT:   %1 = softmax_xent %0, %y {axis = 1} : f32[?]
// CHECK-NEXT:   %2 = reshape %1 : f32[?,1]
// CHECK-NEXT:   %3 = mean %2 : f32[]
// CHECK-NEXT:   return %3
// CHECK-NEXT: }
func @take_log(%x: f32[?,10], %b: f32[10], %y: i32[?]) -> (f32[]) {
  %0 = add %x, %b : f32[?,10]
  %1 = softmax %0 {axis = 1} : f32[?,10]
  %2 = log %1 : f32[?,10]
  %3 = reshape %y : i32[?,1]
  %4 = take_along_axis %2, %3 {axis = 1} : f32[?,1]
  %5 = neg %4 : f32[?,1]
  %6 = mean %5 : f32[]
  return %6
}
// -----
// -log(softmax(x)[labels]): the log moves through the gather first. The
// index is not a reshape of labels here: the pass reshapes it.
// CHECK-LABEL: func @log_take(%x: f64[8,3], %i: i64[8,1]) -> (f64[8,1]) {
// CHECK-NEXT:   %0 = reshape %i : i64[8]
// CHECK-NEXT:   %1 = softmax_xent %x, %0 {axis = 1} : f64[8]
// CHECK-NEXT:   %2 = reshape %1 : f64[8,1]
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
func @log_take(%x: f64[8,3], %i: i64[8,1]) -> (f64[8,1]) {
  %0 = softmax %x {axis = -1} : f64[8,3]
  %1 = take_along_axis %0, %i {axis = 1} : f64[8,1]
  %2 = log %1 : f64[8,1]
  %3 = neg %2 : f64[8,1]
  return %3
}
// -----
// log_softmax(x)[labels] used twice: stays negated (-xent), the neg is not
// the only user.
// CHECK-LABEL: func @no_neg(%x: f32[?,4], %y: i8[?]) -> (f32[?,1], f32[?,1]) {
// CHECK-NEXT:   %0 = softmax_xent %x, %y {axis = 1} : f32[?]
// CHECK-NEXT:   %1 = reshape %0 : f32[?,1]
// CHECK-NEXT:   %2 = neg %1 : f32[?,1]
// CHECK-NEXT:   %3 = neg %2 : f32[?,1]
// CHECK-NEXT:   return %2, %3
// CHECK-NEXT: }
func @no_neg(%x: f32[?,4], %y: i8[?]) -> (f32[?,1], f32[?,1]) {
  %0 = log_softmax %x {axis = 1} : f32[?,4]
  %1 = reshape %y : i8[?,1]
  %2 = take_along_axis %0, %1 {axis = 1} : f32[?,1]
  %3 = neg %2 : f32[?,1]
  return %2, %3
}
// -----
// The class axis need not be the last one.
// CHECK-LABEL: func @axis0(%x: f32[5,?], %y: i32[?]) -> (f32[1,?]) {
// CHECK-NEXT:   %0 = softmax_xent %x, %y {axis = 0} : f32[?]
// CHECK-NEXT:   %1 = reshape %0 : f32[1,?]
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
func @axis0(%x: f32[5,?], %y: i32[?]) -> (f32[1,?]) {
  %0 = log_softmax %x {axis = 0} : f32[5,?]
  %1 = reshape %y : i32[1,?]
  %2 = take_along_axis %0, %1 {axis = 0} : f32[1,?]
  %3 = neg %2 : f32[1,?]
  return %3
}
// -----
// sum(one_hot(y) * log_softmax(x), 1) with the one_hot the graph API builds
// (cast(eq(reshape(y), iota))), either operand order, keepdims or not.
// CHECK-LABEL: func @one_hot(%x: f32[?,3], %y: i32[?]) -> (f32[], f32[?,1]) {
// CHECK-NEXT:   %0 = softmax_xent %x, %y {axis = 1} : f32[?]
// CHECK-NEXT:   %1 = mean %0 : f32[]
// CHECK-NEXT:   %2 = softmax_xent %x, %y {axis = 1} : f32[?]
// CHECK-NEXT:   %3 = reshape %2 : f32[?,1]
// CHECK-NEXT:   %4 = neg %3 : f32[?,1]
// CHECK-NEXT:   return %1, %4
// CHECK-NEXT: }
func @one_hot(%x: f32[?,3], %y: i32[?]) -> (f32[], f32[?,1]) {
  %0 = log_softmax %x {axis = 1} : f32[?,3]
  %1 = reshape %y : i32[?,1]
  %2 = constant {value = dense<[0, 1, 2]>} : i32[3]
  %3 = eq %1, %2 : bool[?,3]
  %4 = cast %3 : f32[?,3]
  %5 = mul %4, %0 : f32[?,3]
  %6 = sum %5 {axes = [1]} : f32[?]
  %7 = neg %6 : f32[?]
  %8 = mean %7 : f32[]
  %9 = eq %2, %1 : bool[?,3]
  %10 = cast %9 : f32[?,3]
  %11 = mul %0, %10 : f32[?,3]
  %12 = sum %11 {axes = [-1], keepdims = true} : f32[?,1]
  return %8, %12
}
// -----
// log(softmax(x)) in the one-hot spelling, f64 logits and i64 labels.
// CHECK-LABEL: func @one_hot_log(%x: f64[2,4], %y: i64[2]) -> (f64[2]) {
// CHECK-NEXT:   %0 = softmax_xent %x, %y {axis = 1} : f64[2]
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @one_hot_log(%x: f64[2,4], %y: i64[2]) -> (f64[2]) {
  %0 = softmax %x {axis = 1} : f64[2,4]
  %1 = log %0 : f64[2,4]
  %2 = reshape %y : i64[2,1]
  %3 = constant {value = dense<[0, 1, 2, 3]>} : i64[4]
  %4 = eq %2, %3 : bool[2,4]
  %5 = cast %4 : f64[2,4]
  %6 = mul %5, %1 : f64[2,4]
  %7 = sum %6 {axes = [1]} : f64[2]
  %8 = neg %7 : f64[2]
  return %8
}
// -----
// Not rewritten: a take on another axis than the log_softmax's, an index
// that broadcasts (not one label per row), a dynamic class axis.
// CHECK-LABEL: func @negative_take(%x: f32[4,6], %i: i32[1,6], %j: i32[1,1], %z: f32[4,?], %k: i32[4,1]) -> (f32[1,6], f32[4,1], f32[4,1]) {
// CHECK-NEXT:   %0 = log_softmax %x {axis = 1} : f32[4,6]
// CHECK-NEXT:   %1 = take_along_axis %0, %i {axis = 0} : f32[1,6]
// CHECK-NEXT:   %2 = take_along_axis %0, %j {axis = 1} : f32[4,1]
// CHECK-NEXT:   %3 = log_softmax %z {axis = 1} : f32[4,?]
// CHECK-NEXT:   %4 = take_along_axis %3, %k {axis = 1} : f32[4,1]
// CHECK-NEXT:   return %1, %2, %4
// CHECK-NEXT: }
func @negative_take(%x: f32[4,6], %i: i32[1,6], %j: i32[1,1], %z: f32[4,?], %k: i32[4,1]) -> (f32[1,6], f32[4,1], f32[4,1]) {
  %0 = log_softmax %x {axis = 1} : f32[4,6]
  %1 = take_along_axis %0, %i {axis = 0} : f32[1,6]
  %2 = take_along_axis %0, %j {axis = 1} : f32[4,1]
  %3 = log_softmax %z {axis = 1} : f32[4,?]
  %4 = take_along_axis %3, %k {axis = 1} : f32[4,1]
  return %1, %2, %4
}
// -----
// Not rewritten: a one_hot with the wrong class count (iota of 1, broadcast
// by the mul), an iota that is not 0..n-1, a sum over the batch axis, and a
// one_hot multiplied with the softmax (not its log).
// CHECK-LABEL: func @negative_one_hot(%x: f32[5,3], %y: i32[5]) -> (f32[5], f32[5], f32[3], f32[5]) {
// CHECK-NEXT:   %0 = log_softmax %x {axis = 1} : f32[5,3]
// CHECK-NEXT:   %1 = reshape %y : i32[5,1]
// CHECK-NEXT:   %2 = constant {value = dense<[0]>} : i32[1]
// CHECK-NEXT:   %3 = eq %1, %2 : bool[5,1]
// CHECK-NEXT:   %4 = cast %3 : f32[5,1]
// CHECK-NEXT:   %5 = mul %4, %0 : f32[5,3]
// CHECK-NEXT:   %6 = sum %5 {axes = [1]} : f32[5]
// CHECK-NEXT:   %7 = constant {value = dense<[1, 2, 3]>} : i32[3]
// CHECK-NEXT:   %8 = eq %1, %7 : bool[5,3]
// CHECK-NEXT:   %9 = cast %8 : f32[5,3]
// CHECK-NEXT:   %10 = mul %9, %0 : f32[5,3]
// CHECK-NEXT:   %11 = sum %10 {axes = [1]} : f32[5]
// CHECK-NEXT:   %12 = constant {value = dense<[0, 1, 2]>} : i32[3]
// CHECK-NEXT:   %13 = eq %1, %12 : bool[5,3]
// CHECK-NEXT:   %14 = cast %13 : f32[5,3]
// CHECK-NEXT:   %15 = mul %14, %0 : f32[5,3]
// CHECK-NEXT:   %16 = sum %15 {axes = [0]} : f32[3]
// CHECK-NEXT:   %17 = softmax %x {axis = 1} : f32[5,3]
// CHECK-NEXT:   %18 = mul %14, %17 : f32[5,3]
// CHECK-NEXT:   %19 = sum %18 {axes = [1]} : f32[5]
// CHECK-NEXT:   return %6, %11, %16, %19
// CHECK-NEXT: }
func @negative_one_hot(%x: f32[5,3], %y: i32[5]) -> (f32[5], f32[5], f32[3], f32[5]) {
  %0 = log_softmax %x {axis = 1} : f32[5,3]
  %1 = reshape %y : i32[5,1]
  %2 = constant {value = dense<[0]>} : i32[1]
  %3 = eq %1, %2 : bool[5,1]
  %4 = cast %3 : f32[5,1]
  %5 = mul %4, %0 : f32[5,3]
  %6 = sum %5 {axes = [1]} : f32[5]
  %7 = constant {value = dense<[1, 2, 3]>} : i32[3]
  %8 = eq %1, %7 : bool[5,3]
  %9 = cast %8 : f32[5,3]
  %10 = mul %9, %0 : f32[5,3]
  %11 = sum %10 {axes = [1]} : f32[5]
  %12 = constant {value = dense<[0, 1, 2]>} : i32[3]
  %13 = eq %1, %12 : bool[5,3]
  %14 = cast %13 : f32[5,3]
  %15 = mul %14, %0 : f32[5,3]
  %16 = sum %15 {axes = [0]} : f32[3]
  %17 = softmax %x {axis = 1} : f32[5,3]
  %18 = mul %14, %17 : f32[5,3]
  %19 = sum %18 {axes = [1]} : f32[5]
  return %6, %11, %16, %19
}
