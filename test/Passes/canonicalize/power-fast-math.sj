// RUN: %symjit-opt %s --passes=canonicalize --fast-math --split-input-file | FileCheck %s
// With --fast-math (one zero, no infinities) x**0.5 is sqrt(x) and x**-0.5
// is rsqrt(x), without the -0 and -inf guards of power.sj. The other
// specializations are exact and the same with or without the flag.
// CHECK-LABEL: func @roots(%x: f32[?], %y: f64[2]) -> (f32[?], f32[?], f64[2], f64[2]) {
// CHECK-NEXT:   %0 = sqrt %x : f32[?]
// CHECK-NEXT:   %1 = rsqrt %x : f32[?]
// CHECK-NEXT:   %2 = mul %y, %y : f64[2]
// CHECK-NEXT:   %3 = constant {value = 1.0} : f64[2]
// CHECK-NEXT:   return %0, %1, %2, %3
// CHECK-NEXT: }
func @roots(%x: f32[?], %y: f64[2]) -> (f32[?], f32[?], f64[2], f64[2]) {
  %h = constant {value = 0.5} : f32[]
  %mh = constant {value = -0.5} : f32[]
  %c2 = constant {value = 2.0} : f64[]
  %c0 = constant {value = 0.0} : f64[]
  %a = pow %x, %h : f32[?]
  %b = pow %x, %mh : f32[?]
  %c = pow %y, %c2 : f64[2]
  %d = pow %y, %c0 : f64[2]
  return %a, %b, %c, %d
}
// -----
// Still not rewritten: 2.5 and 0.25 (no cheaper exact op; pow(x, 0.25) is
// not sqrt(sqrt(x)) at -inf and -0 either).
// CHECK-LABEL: func @keep(%x: f32[4]) -> (f32[4], f32[4]) {
// CHECK-NEXT:   %c25 = constant {value = 2.5} : f32[]
// CHECK-NEXT:   %q = constant {value = 0.25} : f32[]
// CHECK-NEXT:   %a = pow %x, %c25 : f32[4]
// CHECK-NEXT:   %b = pow %x, %q : f32[4]
// CHECK-NEXT:   return %a, %b
// CHECK-NEXT: }
func @keep(%x: f32[4]) -> (f32[4], f32[4]) {
  %c25 = constant {value = 2.5} : f32[]
  %q = constant {value = 0.25} : f32[]
  %a = pow %x, %c25 : f32[4]
  %b = pow %x, %q : f32[4]
  return %a, %b
}
