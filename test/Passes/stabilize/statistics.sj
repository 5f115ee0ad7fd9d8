// RUN: %symjit-opt %s --passes=stabilize --pass-statistics 2>&1 >/dev/null | FileCheck %s
// One counter per rewrite family, in passes.def order, each counting the
// ops it replaced.
// CHECK:      stabilize
// CHECK-NEXT:   (S)  2 softplus - log(1 + exp(x)), log1p(exp(x)) replaced by softplus(x)
// CHECK-NEXT:   (S)  1 log-sigmoid - log(sigmoid(x)) replaced by -softplus(-x)
// CHECK-NEXT:   (S)  1 log1m-sigmoid - log(1 - sigmoid(x)), log1p(-sigmoid(x)) replaced by -softplus(x)
// CHECK-NEXT:   (S)  1 logaddexp - log(exp(x) + exp(y)) replaced by logaddexp(x, y)
// CHECK-NEXT:   (S)  2 log1p - log(1 + x), log(1 - x) replaced by log1p(x), log1p(-x)
// CHECK-NEXT:   (S)  1 expm1 - exp(x) - 1, 1 - exp(x) replaced by expm1(x), -expm1(x)
// CHECK-NEXT:   (S)  1 sigmoid - exp(x) / (1 + exp(x)), 1 / (1 + exp(-x)), ... replaced by a sigmoid
// CHECK-NEXT:   (S)  1 absorb-exp - a / (1 + exp(x)) * exp(x) and friends replaced by a * sigmoid(x)
// CHECK-NEXT:   (S)  1 cancel-sigmoid - (a / s) * (s * b) replaced by a * b for s = sigmoid(x), 1 - sigmoid(x)
// CHECK-NEXT:   (S) 12 dead-ops-erased - unused pure ops erased
func @f(%x: f32[4], %y: f32[4], %g: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4]) {
  %one = constant {value = 1.0} : f32[]
  %e = exp %x : f32[4]
  %a = add %one, %e : f32[4]
  %0 = log %a : f32[4]
  %1 = log1p %e : f32[4]
  %s = sigmoid %y : f32[4]
  %2 = log %s : f32[4]
  %d = sub %one, %s : f32[4]
  %3 = log %d : f32[4]
  %ey = exp %y : f32[4]
  %b = add %e, %ey : f32[4]
  %4 = log %b : f32[4]
  %c = add %one, %x : f32[4]
  %5 = log %c : f32[4]
  %m = sub %one, %x : f32[4]
  %6 = log %m : f32[4]
  %7 = sub %e, %one : f32[4]
  %8 = div %e, %a : f32[4]
  %v = div %g, %a : f32[4]
  %9 = mul %v, %e : f32[4]
  %q = div %g, %s : f32[4]
  %p = mul %s, %y : f32[4]
  %10 = mul %q, %p : f32[4]
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10
}
