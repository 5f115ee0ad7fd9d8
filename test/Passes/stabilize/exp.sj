// RUN: %symjit-opt %s --passes=stabilize --split-input-file | FileCheck %s
// exp(x) - 1, exp(x) + (-1), (-1) + exp(x) -> expm1(x); 1 - exp(x) -> -expm1(x).
// CHECK-LABEL: func @expm1(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %0 = expm1 %x : f32[4]
// CHECK-NEXT:   %1 = expm1 %x : f32[4]
// CHECK-NEXT:   %2 = expm1 %x : f32[4]
// CHECK-NEXT:   %3 = expm1 %x : f32[4]
// CHECK-NEXT:   %4 = neg %3 : f32[4]
// CHECK-NEXT:   return %0, %1, %2, %4
// CHECK-NEXT: }
func @expm1(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4]) {
  %one = constant {value = 1.0} : f32[]
  %mone = constant {value = -1.0} : f32[]
  %e = exp %x : f32[4]
  %a = sub %e, %one : f32[4]
  %b = add %e, %mone : f32[4]
  %c = add %mone, %e : f32[4]
  %d = sub %one, %e : f32[4]
  return %a, %b, %c, %d
}
// -----
// exp(x) / (1 + exp(x)) and exp(x) / (exp(x) + 1): sigmoid(x), also when
// the two exps are separate ops (the pass runs before cse).
// CHECK-LABEL: func @sigmoid_exp(%x: f64[4]) -> (f64[4], f64[4]) {
// CHECK-NEXT:   %0 = sigmoid %x : f64[4]
// CHECK-NEXT:   %1 = sigmoid %x : f64[4]
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
func @sigmoid_exp(%x: f64[4]) -> (f64[4], f64[4]) {
  %one = constant {value = 1.0} : f64[]
  %e = exp %x : f64[4]
  %d = add %one, %e : f64[4]
  %q = div %e, %d : f64[4]
  %e2 = exp %x : f64[4]
  %d2 = add %e2, %one : f64[4]
  %r = div %e, %d2 : f64[4]
  return %q, %r
}
// -----
// 1 / (1 + exp(-x)) is sigmoid(x); 1 / (1 + exp(x)) is sigmoid(-x).
// CHECK-LABEL: func @sigmoid_recip(%x: f32[4]) -> (f32[4], f32[4]) {
// CHECK-NEXT:   %0 = sigmoid %x : f32[4]
// CHECK-NEXT:   %1 = neg %x : f32[4]
// CHECK-NEXT:   %2 = sigmoid %1 : f32[4]
// CHECK-NEXT:   return %0, %2
// CHECK-NEXT: }
func @sigmoid_recip(%x: f32[4]) -> (f32[4], f32[4]) {
  %one = constant {value = 1.0} : f32[]
  %n = neg %x : f32[4]
  %e = exp %n : f32[4]
  %d = add %one, %e : f32[4]
  %q = div %one, %d : f32[4]
  %f = exp %x : f32[4]
  %g = add %f, %one : f32[4]
  %r = div %one, %g : f32[4]
  return %q, %r
}
// -----
// exp(x) / (exp(x) + exp(y)) is sigmoid(x - y) (a softmax of two).
// CHECK-LABEL: func @sigmoid_pair(%x: f32[4], %y: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %0 = sub %x, %y : f32[4]
// CHECK-NEXT:   %1 = sigmoid %0 : f32[4]
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
func @sigmoid_pair(%x: f32[4], %y: f32[4]) -> (f32[4]) {
  %a = exp %x : f32[4]
  %b = exp %y : f32[4]
  %d = add %a, %b : f32[4]
  %q = div %a, %d : f32[4]
  return %q
}
// -----
// (a * exp(x)) / (1 + exp(x)) and (a / (1 + exp(x))) * exp(x) are
// a * sigmoid(x).
// CHECK-LABEL: func @absorb(%x: f32[4], %a: f32[4]) -> (f32[4], f32[4]) {
// CHECK-NEXT:   %0 = sigmoid %x : f32[4]
// CHECK-NEXT:   %1 = mul %a, %0 : f32[4]
// CHECK-NEXT:   %2 = sigmoid %x : f32[4]
// CHECK-NEXT:   %3 = mul %a, %2 : f32[4]
// CHECK-NEXT:   return %1, %3
// CHECK-NEXT: }
func @absorb(%x: f32[4], %a: f32[4]) -> (f32[4], f32[4]) {
  %one = constant {value = 1.0} : f32[]
  %e = exp %x : f32[4]
  %d = add %one, %e : f32[4]
  %m = mul %a, %e : f32[4]
  %q = div %m, %d : f32[4]
  %v = div %a, %d : f32[4]
  %w = mul %v, %e : f32[4]
  return %q, %w
}
