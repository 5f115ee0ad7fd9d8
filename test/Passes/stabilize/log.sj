// RUN: %symjit-opt %s --passes=stabilize --split-input-file | FileCheck %s
// log(1 + exp(x)) in both operand orders, and log1p(exp(x)): softplus.
// CHECK-LABEL: func @softplus(%x: f32[4]) -> (f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %0 = softplus %x : f32[4]
// CHECK-NEXT:   %1 = softplus %x : f32[4]
// CHECK-NEXT:   %2 = softplus %x : f32[4]
// CHECK-NEXT:   return %0, %1, %2
// CHECK-NEXT: }
func @softplus(%x: f32[4]) -> (f32[4], f32[4], f32[4]) {
  %one = constant {value = 1.0} : f32[]
  %e = exp %x : f32[4]
  %a = add %one, %e : f32[4]
  %l = log %a : f32[4]
  %b = add %e, %one : f32[4]
  %m = log %b : f32[4]
  %n = log1p %e : f32[4]
  return %l, %m, %n
}
// -----
// log(sigmoid(x)) is -softplus(-x); of sigmoid(-y) it is -softplus(y)
// (no double negation).
// CHECK-LABEL: func @log_sigmoid(%x: f64[3], %y: f64[3]) -> (f64[3], f64[3]) {
// CHECK-NEXT:   %0 = neg %x : f64[3]
// CHECK-NEXT:   %1 = softplus %0 : f64[3]
// CHECK-NEXT:   %2 = neg %1 : f64[3]
// CHECK-NEXT:   %3 = softplus %y : f64[3]
// CHECK-NEXT:   %4 = neg %3 : f64[3]
// CHECK-NEXT:   return %2, %4
// CHECK-NEXT: }
func @log_sigmoid(%x: f64[3], %y: f64[3]) -> (f64[3], f64[3]) {
  %s = sigmoid %x : f64[3]
  %l = log %s : f64[3]
  %ny = neg %y : f64[3]
  %t = sigmoid %ny : f64[3]
  %m = log %t : f64[3]
  return %l, %m
}
// -----
// log(1 - sigmoid(x)) and log1p(-sigmoid(x)) are -softplus(x).
// CHECK-LABEL: func @log1m_sigmoid(%x: f32[4]) -> (f32[4], f32[4]) {
// CHECK-NEXT:   %0 = softplus %x : f32[4]
// CHECK-NEXT:   %1 = neg %0 : f32[4]
// CHECK-NEXT:   %2 = softplus %x : f32[4]
// CHECK-NEXT:   %3 = neg %2 : f32[4]
// CHECK-NEXT:   return %1, %3
// CHECK-NEXT: }
func @log1m_sigmoid(%x: f32[4]) -> (f32[4], f32[4]) {
  %one = constant {value = 1.0} : f32[]
  %s = sigmoid %x : f32[4]
  %d = sub %one, %s : f32[4]
  %l = log %d : f32[4]
  %n = neg %s : f32[4]
  %m = log1p %n : f32[4]
  return %l, %m
}
// -----
// log(exp(x) + exp(y)) is logaddexp(x, y), broadcasting as the add did.
// CHECK-LABEL: func @logaddexp(%x: f32[3,4], %y: f32[4]) -> (f32[3,4]) {
// CHECK-NEXT:   %0 = logaddexp %x, %y : f32[3,4]
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @logaddexp(%x: f32[3,4], %y: f32[4]) -> (f32[3,4]) {
  %a = exp %x : f32[3,4]
  %b = exp %y : f32[4]
  %c = add %a, %b : f32[3,4]
  %l = log %c : f32[3,4]
  return %l
}
// -----
// log(1 + x), log(x + 1) -> log1p(x); log(1 - x) -> log1p(-x).
// CHECK-LABEL: func @log1p(%x: f32[4]) -> (f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %0 = log1p %x : f32[4]
// CHECK-NEXT:   %1 = log1p %x : f32[4]
// CHECK-NEXT:   %2 = neg %x : f32[4]
// CHECK-NEXT:   %3 = log1p %2 : f32[4]
// CHECK-NEXT:   return %0, %1, %3
// CHECK-NEXT: }
func @log1p(%x: f32[4]) -> (f32[4], f32[4], f32[4]) {
  %one = constant {value = 1.0} : f32[]
  %a = add %one, %x : f32[4]
  %l = log %a : f32[4]
  %b = add %x, %one : f32[4]
  %m = log %b : f32[4]
  %c = sub %one, %x : f32[4]
  %n = log %c : f32[4]
  return %l, %m, %n
}
// -----
// log(1 / (1 + exp(-x))): the quotient becomes sigmoid(x), then its log
// -softplus(-x).
// CHECK-LABEL: func @chain(%x: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %0 = neg %x : f32[4]
// CHECK-NEXT:   %1 = softplus %0 : f32[4]
// CHECK-NEXT:   %2 = neg %1 : f32[4]
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
func @chain(%x: f32[4]) -> (f32[4]) {
  %one = constant {value = 1.0} : f32[]
  %n = neg %x : f32[4]
  %e = exp %n : f32[4]
  %d = add %one, %e : f32[4]
  %q = div %one, %d : f32[4]
  %l = log %q : f32[4]
  return %l
}
