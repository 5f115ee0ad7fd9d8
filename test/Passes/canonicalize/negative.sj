// RUN: %symjit-opt %s --passes=canonicalize --split-input-file | FileCheck %s
// Without --fast-math, float x - x, x / x and x * 0 stay: NaN - NaN is NaN,
// inf - inf is NaN, 0 / 0 is NaN, inf * 0 is NaN and -1 * 0 is -0.
// CHECK-LABEL: func @floats(%x: f32[4]) -> (f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %a = sub %x, %x : f32[4]
// CHECK-NEXT:   %b = div %x, %x : f32[4]
// CHECK-NEXT:   %c = mul %x, %z : f32[4]
// CHECK-NEXT:   return %a, %b, %c
// CHECK-NEXT: }
func @floats(%x: f32[4]) -> (f32[4], f32[4], f32[4]) {
  %z = constant {value = 0.0} : f32[]
  %a = sub %x, %x : f32[4]
  %b = div %x, %x : f32[4]
  %c = mul %x, %z : f32[4]
  return %a, %b, %c
}
// -----
// x * 1 where the 1 broadcasts x to a larger shape is not x.
// CHECK-LABEL: func @bcast(%x: f32[4]) -> (f32[3,4]) {
// CHECK-NEXT:   %one = constant {value = 1.0} : f32[3,4]
// CHECK-NEXT:   %a = mul %x, %one : f32[3,4]
// CHECK-NEXT:   return %a
// CHECK-NEXT: }
func @bcast(%x: f32[4]) -> (f32[3,4]) {
  %one = constant {value = 1.0} : f32[3,4]
  %a = mul %x, %one : f32[3,4]
  return %a
}
// -----
// Integer x / x is not 1: 0 / 0 is 0 in symjit. Dynamic shapes cannot become
// constants. A dense constant is not a splat.
// CHECK-LABEL: func @keep(%x: i32[4], %y: f32[?]) -> (i32[4], f32[?], f32[2]) {
// CHECK-NEXT:   %a = div %x, %x : i32[4]
// CHECK-NEXT:   %d = constant {value = dense<[1.0, 1.0]>} : f32[2]
// CHECK-NEXT:   %w = constant {value = 3.0} : f32[2]
// CHECK-NEXT:   %c = mul %w, %d : f32[2]
// CHECK-NEXT:   return %a, %y, %c
// CHECK-NEXT: }
func @keep(%x: i32[4], %y: f32[?]) -> (i32[4], f32[?], f32[2]) {
  %a = div %x, %x : i32[4]
  %z = constant {value = 0.0} : f32[]
  %b = add %y, %z : f32[?]
  %d = constant {value = dense<[1.0, 1.0]>} : f32[2]
  %w = constant {value = 3.0} : f32[2]
  %c = mul %w, %d : f32[2]
  return %a, %b, %c
}
