// RUN: %symjit-opt %s -O --split-input-file | FileCheck %s
// Constant folding does not defeat stabilization: -O runs stabilize before
// constant-fold, so log(1 + exp(800)) is softplus(800), which folds (in
// double, eval_softplus) to 800 and not to log(inf) = inf; log(1 + 1e-30) is
// log1p(1e-30) = 1e-30, not log(1) = 0; exp(1e-30) - 1 is expm1(1e-30).
// CHECK-LABEL: func @f32() -> (f32[], f32[], f32[]) {
// CHECK-NEXT:   %0 = constant {value = 8e+02} : f32[]
// CHECK-NEXT:   %1 = constant {value = 1.0000000031710769e-30} : f32[]
// CHECK-NEXT:   return %0, %1, %1
// CHECK-NEXT: }
func @f32() -> (f32[], f32[], f32[]) {
  %one = constant {value = 1.0} : f32[]
  %c = constant {value = 800.0} : f32[]
  %e = exp %c : f32[]
  %a = add %one, %e : f32[]
  %l = log %a : f32[]
  %t = constant {value = 1e-30} : f32[]
  %b = add %one, %t : f32[]
  %m = log %b : f32[]
  %f = exp %t : f32[]
  %n = sub %f, %one : f32[]
  return %l, %m, %n
}
// -----
// f64, at 1e4, through a broadcast 1 and a logaddexp of two large values:
// log(exp(1e4) + exp(1e4)) = 1e4 + log(2).
// CHECK-LABEL: func @f64() -> (f64[2], f64[]) {
// CHECK-NEXT:   %0 = constant {value = 1e+04} : f64[2]
// CHECK-NEXT:   %1 = constant {value = 10000.69314718056} : f64[]
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
func @f64() -> (f64[2], f64[]) {
  %one = constant {value = 1.0} : f64[2]
  %c = constant {value = 1e4} : f64[]
  %e = exp %c : f64[]
  %a = add %one, %e : f64[2]
  %l = log %a : f64[2]
  %s = add %e, %e : f64[]
  %m = log %s : f64[]
  return %l, %m
}
// -----
// A 1 that only folding reveals (0.5 + 0.5): the second stabilize, after
// constant-fold, rewrites log(1 + exp(800)), and the second fold evaluates
// it. exp(800) alone is not folded (an overflow: constant-fold leaves
// infinities from finite operands to run time), so it is still there.
// CHECK-LABEL: func @revealed() -> (f64[]) {
// CHECK-NEXT:   %0 = constant {value = 8e+02} : f64[]
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @revealed() -> (f64[]) {
  %h = constant {value = 0.5} : f64[]
  %one = add %h, %h : f64[]
  %c = constant {value = 800.0} : f64[]
  %e = exp %c : f64[]
  %a = add %one, %e : f64[]
  %l = log %a : f64[]
  return %l
}
