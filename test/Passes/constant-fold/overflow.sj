// RUN: %symjit-opt %s --passes=constant-fold --split-input-file | FileCheck %s
// constant-fold alone (no stabilize): an elementwise op whose finite
// operands give an infinite result is left to run time (exp(800), 1e300 *
// 1e300, a cast to f32 beyond its range, 1 / 0), so that a later stabilize
// can still rewrite its user; what does not overflow folds as before
// (log(1 + exp(80)), exp(-800) = 0), and infinite operands fold (log(inf)).
// log(1 + 1e-30) folds to 0: precision, unlike overflow, is stabilize's
// job, which is why -O runs it first (docs/decisions/0007-stabilize.md).
// CHECK-LABEL: func @overflow() -> (f64[], f64[], f32[], f64[]) {
// CHECK-NEXT:   %one = constant {value = 1.0} : f64[]
// CHECK-NEXT:   %c = constant {value = 8e+02} : f64[]
// CHECK-NEXT:   %e = exp %c : f64[]
// CHECK-NEXT:   %a = add %one, %e : f64[]
// CHECK-NEXT:   %l = log %a : f64[]
// CHECK-NEXT:   %big = constant {value = 1e+300} : f64[]
// CHECK-NEXT:   %p = mul %big, %big : f64[]
// CHECK-NEXT:   %f = cast %big : f32[]
// CHECK-NEXT:   %z = constant {value = 0.0} : f64[]
// CHECK-NEXT:   %q = div %one, %z : f64[]
// CHECK-NEXT:   return %l, %p, %f, %q
// CHECK-NEXT: }
func @overflow() -> (f64[], f64[], f32[], f64[]) {
  %one = constant {value = 1.0} : f64[]
  %c = constant {value = 800.0} : f64[]
  %e = exp %c : f64[]
  %a = add %one, %e : f64[]
  %l = log %a : f64[]
  %big = constant {value = 1e300} : f64[]
  %p = mul %big, %big : f64[]
  %f = cast %big : f32[]
  %z = constant {value = 0.0} : f64[]
  %q = div %one, %z : f64[]
  return %l, %p, %f, %q
}
// -----
// CHECK-LABEL: func @folds() -> (f64[], f64[], f64[], f32[]) {
// CHECK-NEXT:   %0 = constant {value = 8e+01} : f64[]
// CHECK-NEXT:   %1 = constant {value = 0.0} : f64[]
// CHECK-NEXT:   %2 = constant {value = inf} : f64[]
// CHECK-NEXT:   %3 = constant {value = 0.0} : f32[]
// CHECK-NEXT:   return %0, %1, %2, %3
// CHECK-NEXT: }
func @folds() -> (f64[], f64[], f64[], f32[]) {
  %one = constant {value = 1.0} : f64[]
  %c = constant {value = 80.0} : f64[]
  %e = exp %c : f64[]
  %a = add %one, %e : f64[]
  %l = log %a : f64[]
  %m = constant {value = -800.0} : f64[]
  %u = exp %m : f64[]
  %inf = constant {value = inf} : f64[]
  %li = log %inf : f64[]
  %one32 = constant {value = 1.0} : f32[]
  %t = constant {value = 1e-30} : f32[]
  %b = add %one32, %t : f32[]
  %lt = log %b : f32[]
  return %l, %u, %li, %lt
}
