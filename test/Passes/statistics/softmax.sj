// Statistics of stabilize-softmax and expand-softmax. By hand:
// stabilize-softmax: the div is a softmax (1), the log of it a log_softmax
// (1), the take of that a cross-entropy (1, its neg folded), the one-hot
// product another (1, its neg folded). The ops replaced are erased by the
// rewrites; those left unused are the driver's dead ops: exp, the first
// sum, the new softmax, the new log_softmax, the take, the labels' reshape
// (both cross-entropies read %y itself), %7, the iota, eq, cast, mul and
// the second sum: 12. expand-softmax: the two softmax_xent.
// RUN: %symjit-opt %s --passes=stabilize-softmax,expand-softmax --pass-statistics 2>&1 >/dev/null | FileCheck %s
// CHECK:      stabilize-softmax
// CHECK-NEXT:   (S)  1 log-softmax - log(softmax(x)) (also through take) made log_softmax(x)
// CHECK-NEXT:   (S)  1 softmax - exp(x) / sum(exp(x)) made softmax(x)
// CHECK-NEXT:   (S)  1 xent-take - -log_softmax(x)[labels] (take_along_axis) made softmax_xent
// CHECK-NEXT:   (S)  1 xent-one-hot - -sum(one_hot(labels) * log_softmax(x)) made softmax_xent
// CHECK-NEXT:   (S) 12 dead-ops-erased - unused pure ops erased
// CHECK-NEXT: expand-softmax
// CHECK-NEXT:   (S) 0 softmax - softmax ops expanded
// CHECK-NEXT:   (S) 0 log-softmax - log_softmax ops expanded
// CHECK-NEXT:   (S) 2 softmax-xent - softmax_xent ops expanded
// CHECK-NEXT:   (S) 0 dead-ops-erased - unused pure ops erased
// CHECK-NOT:  {{.}}
func @f(%x: f32[?,3], %y: i32[?]) -> (f32[?,1], f32[?]) {
  %0 = exp %x : f32[?,3]
  %1 = sum %0 {axes = [1], keepdims = true} : f32[?,1]
  %2 = div %0, %1 : f32[?,3]
  %3 = log %2 : f32[?,3]
  %4 = reshape %y : i32[?,1]
  %5 = take_along_axis %3, %4 {axis = 1} : f32[?,1]
  %6 = neg %5 : f32[?,1]
  %7 = log_softmax %x {axis = 1} : f32[?,3]
  %8 = constant {value = dense<[0, 1, 2]>} : i32[3]
  %9 = eq %4, %8 : bool[?,3]
  %10 = cast %9 : f32[?,3]
  %11 = mul %10, %7 : f32[?,3]
  %12 = sum %11 {axes = [1]} : f32[?]
  %13 = neg %12 : f32[?]
  return %6, %13
}
