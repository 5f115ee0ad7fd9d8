// Every unary elementwise op, executed fused and unfused, against the
// double-precision reference (tolerances: docs/numerics.md).
// RUN: %symjit-run %s --check --func unary_f32 --dim 1000 --range -3,3 | FileCheck %s
// RUN: %symjit-run %s --check --func positive_f32 --dim 1000 --range 0.01,10 | FileCheck %s --check-prefix=POS
// RUN: %symjit-run %s --check --func unary_f64 --dim 300 --range -3,3 | FileCheck %s --check-prefix=F64
// RUN: %symjit-run %s --check --func unary_i32 --dim 100 | FileCheck %s --check-prefix=I32
// CHECK: check: @unary_f32 passed
// POS: check: @positive_f32 passed
// F64: check: @unary_f64 passed
// I32: check: @unary_i32 passed
func @unary_f32(%x: f32[?]) -> (f32[?], f32[?], f32[?], f32[?], f32[?], f32[?], f32[?], f32[?], f32[?]) {
  %0 = neg %x : f32[?]
  %1 = abs %x : f32[?]
  %2 = sign %x : f32[?]
  %3 = exp %x : f32[?]
  %4 = expm1 %x : f32[?]
  %5 = tanh %x : f32[?]
  %6 = sigmoid %x : f32[?]
  %7 = softplus %x : f32[?]
  %8 = log1p %1 : f32[?]
  return %0, %1, %2, %3, %4, %5, %6, %7, %8
}

func @positive_f32(%x: f32[?]) -> (f32[?], f32[?], f32[?]) {
  %0 = log %x : f32[?]
  %1 = sqrt %x : f32[?]
  %2 = rsqrt %x : f32[?]
  return %0, %1, %2
}

func @unary_f64(%x: f64[?]) -> (f64[?], f64[?], f64[?], f64[?], f64[?]) {
  %0 = exp %x : f64[?]
  %1 = tanh %x : f64[?]
  %2 = sigmoid %x : f64[?]
  %3 = softplus %x : f64[?]
  %4 = neg %x : f64[?]
  return %0, %1, %2, %3, %4
}

func @unary_i32(%x: i32[?]) -> (i32[?], i32[?], i32[?]) {
  %0 = neg %x : i32[?]
  %1 = abs %x : i32[?]
  %2 = sign %x : i32[?]
  return %0, %1, %2
}
