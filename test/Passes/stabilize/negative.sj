// RUN: %symjit-opt %s --passes=stabilize --split-input-file | FileCheck %s
// Only the constant 1 makes log1p/expm1/softplus/sigmoid: not 2, not
// 1.0000001 (f64), not a dense constant with one element that is not 1.
// CHECK-LABEL: func @not_one(%x: f64[4]) -> (f64[4], f64[4], f64[4], f64[4], f64[4]) {
// CHECK-NEXT:   %two = constant {value = 2.0} : f64[]
// CHECK-NEXT:   %near = constant {value = 1.0000001} : f64[]
// CHECK-NEXT:   %d = constant {value = dense<[1.0, 1.0, 2.0, 1.0]>} : f64[4]
// CHECK-NEXT:   %0 = add %two, %x : f64[4]
// CHECK-NEXT:   %1 = log %0 : f64[4]
// CHECK-NEXT:   %e = exp %x : f64[4]
// CHECK-NEXT:   %2 = sub %e, %near : f64[4]
// CHECK-NEXT:   %3 = add %d, %e : f64[4]
// CHECK-NEXT:   %4 = log %3 : f64[4]
// CHECK-NEXT:   %5 = div %e, %3 : f64[4]
// CHECK-NEXT:   %6 = sub %d, %x : f64[4]
// CHECK-NEXT:   %7 = log %6 : f64[4]
// CHECK-NEXT:   return %1, %2, %4, %5, %7
// CHECK-NEXT: }
func @not_one(%x: f64[4]) -> (f64[4], f64[4], f64[4], f64[4], f64[4]) {
  %two = constant {value = 2.0} : f64[]
  %near = constant {value = 1.0000001} : f64[]
  %d = constant {value = dense<[1.0, 1.0, 2.0, 1.0]>} : f64[4]
  %0 = add %two, %x : f64[4]
  %1 = log %0 : f64[4]
  %e = exp %x : f64[4]
  %2 = sub %e, %near : f64[4]
  %3 = add %d, %e : f64[4]
  %4 = log %3 : f64[4]
  %5 = div %e, %3 : f64[4]
  %6 = sub %d, %x : f64[4]
  %7 = log %6 : f64[4]
  return %1, %2, %4, %5, %7
}
// -----
// A 1 that is not a constant (an input that happens to be 1) is left alone.
// CHECK-LABEL: func @input_one(%x: f32[4], %one: f32[]) -> (f32[4], f32[4]) {
// CHECK-NEXT:   %0 = add %one, %x : f32[4]
// CHECK-NEXT:   %1 = log %0 : f32[4]
// CHECK-NEXT:   %e = exp %x : f32[4]
// CHECK-NEXT:   %2 = sub %e, %one : f32[4]
// CHECK-NEXT:   return %1, %2
// CHECK-NEXT: }
func @input_one(%x: f32[4], %one: f32[]) -> (f32[4], f32[4]) {
  %0 = add %one, %x : f32[4]
  %1 = log %0 : f32[4]
  %e = exp %x : f32[4]
  %2 = sub %e, %one : f32[4]
  return %1, %2
}
// -----
// The exp in the numerator is of another value than the one in the
// denominator; the value multiplied by exp is not what the quotient
// divides by 1 + exp of; log(1 - exp(x)) is no softplus (1 - exp(x) becomes
// -expm1(x), the log stays); log(exp(x) + a) adds no 1 and no second exp;
// log(1 * exp(x)) multiplies.
// CHECK-LABEL: func @different(%x: f32[4], %y: f32[4], %a: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %one = constant {value = 1.0} : f32[]
// CHECK-NEXT:   %ex = exp %x : f32[4]
// CHECK-NEXT:   %ey = exp %y : f32[4]
// CHECK-NEXT:   %d = add %one, %ex : f32[4]
// CHECK-NEXT:   %q = div %ey, %d : f32[4]
// CHECK-NEXT:   %v = div %a, %d : f32[4]
// CHECK-NEXT:   %w = mul %v, %ey : f32[4]
// CHECK-NEXT:   %0 = expm1 %x : f32[4]
// CHECK-NEXT:   %1 = neg %0 : f32[4]
// CHECK-NEXT:   %l = log %1 : f32[4]
// CHECK-NEXT:   %b = add %ex, %a : f32[4]
// CHECK-NEXT:   %m = log %b : f32[4]
// CHECK-NEXT:   %c = mul %one, %ey : f32[4]
// CHECK-NEXT:   %n = log %c : f32[4]
// CHECK-NEXT:   return %q, %w, %l, %m, %n
// CHECK-NEXT: }
func @different(%x: f32[4], %y: f32[4], %a: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4]) {
  %one = constant {value = 1.0} : f32[]
  %ex = exp %x : f32[4]
  %ey = exp %y : f32[4]
  %d = add %one, %ex : f32[4]
  %q = div %ey, %d : f32[4]
  %v = div %a, %d : f32[4]
  %w = mul %v, %ey : f32[4]
  %s = sub %one, %ex : f32[4]
  %l = log %s : f32[4]
  %b = add %ex, %a : f32[4]
  %m = log %b : f32[4]
  %c = mul %one, %ey : f32[4]
  %n = log %c : f32[4]
  return %q, %w, %l, %m, %n
}
// -----
// exp(x) - 1 where the subtraction is the other way round and not a 1:
// 2 - exp(x), exp(x) - x, exp(x) + 1 stay.
// CHECK-LABEL: func @expm1_not(%x: f32[4]) -> (f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %one = constant {value = 1.0} : f32[]
// CHECK-NEXT:   %two = constant {value = 2.0} : f32[]
// CHECK-NEXT:   %e = exp %x : f32[4]
// CHECK-NEXT:   %0 = sub %two, %e : f32[4]
// CHECK-NEXT:   %1 = sub %e, %x : f32[4]
// CHECK-NEXT:   %2 = add %e, %one : f32[4]
// CHECK-NEXT:   return %0, %1, %2
// CHECK-NEXT: }
func @expm1_not(%x: f32[4]) -> (f32[4], f32[4], f32[4]) {
  %one = constant {value = 1.0} : f32[]
  %two = constant {value = 2.0} : f32[]
  %e = exp %x : f32[4]
  %0 = sub %two, %e : f32[4]
  %1 = sub %e, %x : f32[4]
  %2 = add %e, %one : f32[4]
  return %0, %1, %2
}
// -----
// A 1 larger than x whose shape has a dynamic dim: broadcast_to cannot
// restore a result type with a `?`, so the rewrite is not applied.
// CHECK-LABEL: func @dynamic(%x: f32[?,1]) -> (f32[?,4]) {
// CHECK-NEXT:   %m = constant {value = 1.0} : f32[1,4]
// CHECK-NEXT:   %0 = add %m, %x : f32[?,4]
// CHECK-NEXT:   %1 = log %0 : f32[?,4]
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
func @dynamic(%x: f32[?,1]) -> (f32[?,4]) {
  %m = constant {value = 1.0} : f32[1,4]
  %0 = add %m, %x : f32[?,4]
  %1 = log %0 : f32[?,4]
  return %1
}
// -----
// (a / s) * (t * b) with t a different sigmoid than s is not cancelled.
// CHECK-LABEL: func @cancel_not(%x: f32[4], %y: f32[4], %a: f32[4], %b: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %s = sigmoid %x : f32[4]
// CHECK-NEXT:   %t = sigmoid %y : f32[4]
// CHECK-NEXT:   %q = div %a, %s : f32[4]
// CHECK-NEXT:   %p = mul %t, %b : f32[4]
// CHECK-NEXT:   %r = mul %q, %p : f32[4]
// CHECK-NEXT:   return %r
// CHECK-NEXT: }
func @cancel_not(%x: f32[4], %y: f32[4], %a: f32[4], %b: f32[4]) -> (f32[4]) {
  %s = sigmoid %x : f32[4]
  %t = sigmoid %y : f32[4]
  %q = div %a, %s : f32[4]
  %p = mul %t, %b : f32[4]
  %r = mul %q, %p : f32[4]
  return %r
}
