// RUN: %symjit-opt %s --passes=constant-fold | FileCheck %s
// logaddexp of constants folds in double (eval_logaddexp), with the IEEE
// cases of the compiled rule: -inf for two -inf, inf for two inf, NaN
// with a NaN, and no overflow at 800 (f32: rounded once).
// CHECK-LABEL: func @f() -> (f64[], f64[], f64[], f64[], f32[]) {
// CHECK-NEXT:   %0 = constant {value = -inf} : f64[]
// CHECK-NEXT:   %1 = constant {value = inf} : f64[]
// CHECK-NEXT:   %2 = constant {value = nan} : f64[]
// CHECK-NEXT:   %3 = constant {value = 800.6931471805599} : f64[]
// CHECK-NEXT:   %4 = constant {value = 800.6931762695312} : f32[]
// CHECK-NEXT:   return %0, %1, %2, %3, %4
// CHECK-NEXT: }
func @f() -> (f64[], f64[], f64[], f64[], f32[]) {
  %ni = constant {value = -inf} : f64[]
  %pi = constant {value = inf} : f64[]
  %n = constant {value = nan} : f64[]
  %b = constant {value = 800.0} : f64[]
  %b32 = constant {value = 800.0} : f32[]
  %0 = logaddexp %ni, %ni : f64[]
  %1 = logaddexp %pi, %pi : f64[]
  %2 = logaddexp %n, %pi : f64[]
  %3 = logaddexp %b, %b : f64[]
  %4 = logaddexp %b32, %b32 : f32[]
  return %0, %1, %2, %3, %4
}
