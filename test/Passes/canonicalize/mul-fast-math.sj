// RUN: %symjit-opt %s --passes=canonicalize --fast-math --split-input-file | FileCheck %s
// With --fast-math common factors cancel, one level deep on each side of a
// mul or div: (x*y)/x, (y*x)/x -> y; x/(y*x) -> 1/y; (x/y)/x -> 1/y;
// (x*y)/(x*z) -> y/z; x*(y/x) -> y; (x/y)*(y/z) -> x/z.
// CHECK-LABEL: func @cancel(%x: f32[4], %y: f32[4], %z: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %0 = constant {value = 1.0} : f32[]
// CHECK-NEXT:   %1 = div %0, %y : f32[4]
// CHECK-NEXT:   %2 = constant {value = 1.0} : f32[]
// CHECK-NEXT:   %3 = div %2, %y : f32[4]
// CHECK-NEXT:   %4 = div %y, %z : f32[4]
// CHECK-NEXT:   %5 = div %x, %z : f32[4]
// CHECK-NEXT:   return %y, %y, %1, %3, %4, %y, %5
// CHECK-NEXT: }
func @cancel(%x: f32[4], %y: f32[4], %z: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4]) {
  %xy = mul %x, %y : f32[4]
  %yx = mul %y, %x : f32[4]
  %a = div %xy, %x : f32[4]
  %b = div %yx, %x : f32[4]
  %c = div %x, %yx : f32[4]
  %xdy = div %x, %y : f32[4]
  %d = div %xdy, %x : f32[4]
  %xz = mul %x, %z : f32[4]
  %e = div %xy, %xz : f32[4]
  %ydx = div %y, %x : f32[4]
  %f = mul %x, %ydx : f32[4]
  %ydz = div %y, %z : f32[4]
  %g = mul %xdy, %ydz : f32[4]
  return %a, %b, %c, %d, %e, %f, %g
}
// -----
// Broadcasting: (x*v)/x -> v when v has the result type; (x*v)/v -> x
// broadcast to it (static result); a scalar factor cancels the same way.
// A dynamic result that x would have to be broadcast to stays.
// CHECK-LABEL: func @bcast(%x: f32[4], %v: f32[3,4], %s: f32[], %w: f32[?,4]) -> (f32[3,4], f32[3,4], f32[3,4], f32[?,4]) {
// CHECK-NEXT:   %0 = broadcast_to %x : f32[3,4]
// CHECK-NEXT:   %xw = mul %x, %w : f32[?,4]
// CHECK-NEXT:   %d = div %xw, %w : f32[?,4]
// CHECK-NEXT:   return %v, %0, %v, %d
// CHECK-NEXT: }
func @bcast(%x: f32[4], %v: f32[3,4], %s: f32[], %w: f32[?,4]) -> (f32[3,4], f32[3,4], f32[3,4], f32[?,4]) {
  %xv = mul %x, %v : f32[3,4]
  %a = div %xv, %x : f32[3,4]
  %b = div %xv, %v : f32[3,4]
  %sv = mul %s, %v : f32[3,4]
  %c = div %sv, %s : f32[3,4]
  %xw = mul %x, %w : f32[?,4]
  %d = div %xw, %w : f32[?,4]
  return %a, %b, %c, %d
}
// -----
// Constant factors merge in any combination: (x*2)/4 -> x*0.5,
// 0.5*(3*x) -> 1.5*x, (x/3)/3 -> x/9 (two divisions stay a division),
// (x*3)/7 -> x * (3/7 rounded to f32).
// CHECK-LABEL: func @consts(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %0 = constant {value = 0.5} : f32[]
// CHECK-NEXT:   %1 = mul %x, %0 : f32[4]
// CHECK-NEXT:   %2 = constant {value = 1.5} : f32[]
// CHECK-NEXT:   %3 = mul %x, %2 : f32[4]
// CHECK-NEXT:   %4 = constant {value = 9.0} : f32[]
// CHECK-NEXT:   %5 = div %x, %4 : f32[4]
// CHECK-NEXT:   %6 = constant {value = 0.4285714328289032} : f32[]
// CHECK-NEXT:   %7 = mul %x, %6 : f32[4]
// CHECK-NEXT:   return %1, %3, %5, %7
// CHECK-NEXT: }
func @consts(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4]) {
  %c2 = constant {value = 2.0} : f32[]
  %c3 = constant {value = 3.0} : f32[]
  %c4 = constant {value = 4.0} : f32[]
  %c7 = constant {value = 7.0} : f32[]
  %h = constant {value = 0.5} : f32[]
  %x2 = mul %x, %c2 : f32[4]
  %a = div %x2, %c4 : f32[4]
  %x3 = mul %c3, %x : f32[4]
  %b = mul %h, %x3 : f32[4]
  %xd3 = div %x, %c3 : f32[4]
  %c = div %xd3, %c3 : f32[4]
  %d = div %x3, %c7 : f32[4]
  return %a, %b, %c, %d
}
// -----
// Never for ints (x * y wraps; x / 0 is 0 in symjit), even with the flag.
// CHECK-LABEL: func @ints(%i: i32[4], %j: i32[4]) -> (i32[4], i32[4]) {
// CHECK-NEXT:   %ij = mul %i, %j : i32[4]
// CHECK-NEXT:   %a = div %ij, %i : i32[4]
// CHECK-NEXT:   %c2 = constant {value = 2} : i32[]
// CHECK-NEXT:   %c4 = constant {value = 4} : i32[]
// CHECK-NEXT:   %i2 = mul %i, %c2 : i32[4]
// CHECK-NEXT:   %b = div %i2, %c4 : i32[4]
// CHECK-NEXT:   return %a, %b
// CHECK-NEXT: }
func @ints(%i: i32[4], %j: i32[4]) -> (i32[4], i32[4]) {
  %ij = mul %i, %j : i32[4]
  %a = div %ij, %i : i32[4]
  %c2 = constant {value = 2} : i32[]
  %c4 = constant {value = 4} : i32[]
  %i2 = mul %i, %c2 : i32[4]
  %b = div %i2, %c4 : i32[4]
  return %a, %b
}
