// Cross-entropy at the extremes, exact: a dominating target logit costs
// exactly 0, a hugely wrong one costs the logit gap (finite, no NaN), a tie
// costs log 2, in f32 and f64; labels -1 and 3 (outside [0, 3)) give NaN.
// The naive spellings (exp(x)/sum(exp(x)), log of it, picked by
// take_along_axis, or a one-hot product) overflow to inf/inf = NaN or
// log(0) = -inf at these logits; -O rewrites them into softmax_xent, so
// they print the same exact values.
// RUN: %symjit-run %s --func op32 --print | FileCheck %s
// RUN: %symjit-run %s --func op64 --print | FileCheck %s
// RUN: %symjit-run %s --func naive_take --print | FileCheck %s
// RUN: %symjit-run %s --func naive_one_hot --print | FileCheck %s --check-prefix=HOT
// RUN: %symjit-run %s --func naive_softmax --print | FileCheck %s --check-prefix=SM
// RUN: %symjit-run %s --check --func op32 | FileCheck %s --check-prefix=CHK32
// RUN: %symjit-run %s --check --func op64 | FileCheck %s --check-prefix=CHK64
// CHECK: {{^}}[0, 20000, 0.69314{{[0-9]*}}, 0, nan, nan]
// HOT: {{^}}[0, 20000, 0.69314{{[0-9]*}}, 0]
// SM:      {{^\[\[}}1, 0, 0],
// SM-NEXT: {{^}} [1, 0, 0],
// SM-NEXT: {{^}} [0, 0.5, 0.5],
// SM-NEXT: {{^}} [1, 0, 0]]
// CHK32: check: @op32 passed
// CHK64: check: @op64 passed
func @op32() -> (f32[6]) {
  %x = constant {value = dense<[10000.0, 0.0, -10000.0, 10000.0, -10000.0, 0.0, -10000.0, 10000.0, 10000.0, 3.0e38, -3.0e38, 0.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0]>} : f32[6,3]
  %y = constant {value = dense<[0, 1, 2, 0, -1, 3]>} : i32[6]
  %0 = softmax_xent %x, %y {axis = 1} : f32[6]
  return %0
}
func @op64() -> (f64[6]) {
  %x = constant {value = dense<[10000.0, 0.0, -10000.0, 10000.0, -10000.0, 0.0, -10000.0, 10000.0, 10000.0, 1.0e308, -1.0e308, 0.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0]>} : f64[6,3]
  %y = constant {value = dense<[0, 1, 2, 0, -1, 3]>} : i64[6]
  %0 = softmax_xent %x, %y {axis = 1} : f64[6]
  return %0
}
func @naive_take() -> (f32[6]) {
  %x = constant {value = dense<[10000.0, 0.0, -10000.0, 10000.0, -10000.0, 0.0, -10000.0, 10000.0, 10000.0, 3.0e38, -3.0e38, 0.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0]>} : f32[6,3]
  %y = constant {value = dense<[0, 1, 2, 0, -1, 3]>} : i32[6]
  %0 = exp %x : f32[6,3]
  %1 = sum %0 {axes = [1], keepdims = true} : f32[6,1]
  %2 = div %0, %1 : f32[6,3]
  %3 = reshape %y : i32[6,1]
  %4 = take_along_axis %2, %3 {axis = 1} : f32[6,1]
  %5 = log %4 : f32[6,1]
  %6 = neg %5 : f32[6,1]
  %7 = reshape %6 : f32[6]
  return %7
}
func @naive_one_hot() -> (f32[4]) {
  %x = constant {value = dense<[10000.0, 0.0, -10000.0, 10000.0, -10000.0, 0.0, -10000.0, 10000.0, 10000.0, 3.0e38, -3.0e38, 0.0]>} : f32[4,3]
  %y = constant {value = dense<[0, 1, 2, 0]>} : i32[4]
  %0 = exp %x : f32[4,3]
  %1 = sum %0 {axes = [1]} : f32[4]
  %2 = reshape %1 : f32[4,1]
  %3 = div %0, %2 : f32[4,3]
  %4 = log %3 : f32[4,3]
  %5 = reshape %y : i32[4,1]
  %6 = constant {value = dense<[0, 1, 2]>} : i32[3]
  %7 = eq %5, %6 : bool[4,3]
  %8 = cast %7 : f32[4,3]
  %9 = mul %8, %4 : f32[4,3]
  %10 = sum %9 {axes = [1]} : f32[4]
  %11 = neg %10 : f32[4]
  return %11
}
func @naive_softmax() -> (f32[4,3]) {
  %x = constant {value = dense<[10000.0, 0.0, -10000.0, 10000.0, -10000.0, 0.0, -10000.0, 10000.0, 10000.0, 3.0e38, -3.0e38, 0.0]>} : f32[4,3]
  %0 = exp %x : f32[4,3]
  %1 = sum %0 {axes = [1], keepdims = true} : f32[4,1]
  %2 = div %0, %1 : f32[4,3]
  return %2
}
